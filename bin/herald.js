#!/usr/bin/env node
// The `herald` command: runs the compiled entry point, dist/main.js, which npm install and npm run build make.
import { existsSync } from 'node:fs'

const main = new URL('../dist/main.js', import.meta.url)
if (existsSync(main)) {
  await import(main.href)
} else {
  // A checkout installed with --ignore-scripts, or whose dist/ was removed.
  process.stderr.write('herald: the compiled code (dist/main.js) is missing: run npm run build\n')
  process.exitCode = 1
}
