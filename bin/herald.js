#!/usr/bin/env node
// The `herald` command: loads the TypeScript entry point through tsx.
import { register } from 'tsx/esm/api'

register()
await import('../server/main.ts')
