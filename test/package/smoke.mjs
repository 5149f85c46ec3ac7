#!/usr/bin/env node
// Smoke run of an installed or built `herald` on whatever Node is first on PATH: version, migrate, demo, token, serve, the
// TM202916 story through the token API, the page, the feed, and a clean stop. Plain JavaScript, so it needs no loader.
//
//   node test/package/smoke.mjs <herald command...>     e.g.  node test/package/smoke.mjs /tmp/prefix/bin/herald
//                                                              node test/package/smoke.mjs node bin/herald.js
import { execFile, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

// Paths are taken from the caller's folder: the commands run in a temporary one.
const command = process.argv.slice(2).map((arg) => existsSync(arg) ? resolve(arg) : arg)
if (command.length === 0) {
  process.stderr.write('usage: node test/package/smoke.mjs <herald command...>\n')
  process.exit(2)
}
const [file, ...baseArgs] = command
const started = Date.now()
const dir = mkdtempSync(join(tmpdir(), 'herald-smoke-'))

function fail (message) {
  throw new Error(message)
}

function step (what) {
  process.stdout.write(`smoke: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`)
}

/** A port nothing listens on right now. */
function freePort () {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

const port = await freePort()
const url = `http://127.0.0.1:${port}`
// Only what Node and npm's bin need from the shell: no Herald setting of the caller's leaks in.
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME ?? dir,
  HOST: '127.0.0.1',
  PORT: String(port),
  PUBLIC_URL: url,
  DATABASE_PATH: join(dir, 'herald.db'),
  LOG_LEVEL: 'warn'
}

/** Runs `herald <args>` to completion; a non-zero exit or anything on standard error fails the smoke. */
function herald (args) {
  return new Promise((resolve, reject) => {
    execFile(file, [...baseArgs, ...args], { cwd: dir, env, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`herald ${args.join(' ')} failed (${error.code ?? error.signal}): ${stderr}${stdout}`))
      else if (stderr !== '') reject(new Error(`herald ${args.join(' ')} wrote to standard error: ${stderr}`))
      else resolve(stdout)
    })
  })
}

async function get (path, expected = 200) {
  const response = await fetch(url + path)
  const body = await response.text()
  if (response.status !== expected) fail(`GET ${path} answered ${response.status}, not ${expected}: ${body.slice(0, 300)}`)
  return body
}

let server
try {
  const version = (await herald(['--version'])).trim()
  if (!/^herald \d+\.\d+\.\d+/.test(version)) fail(`herald --version printed ${JSON.stringify(version)}`)
  step(`${version} on node ${(await new Promise((resolve) => execFile('node', ['--version'], { env }, (_, out) => resolve(out)))).trim()}`)

  await herald(['migrate'])
  await herald(['demo'])
  const token = (await herald(['token', 'create', 'smoke'])).trim()
  if (!/^\S{20,}$/.test(token)) fail(`herald token create printed ${JSON.stringify(token)}`)
  step('migrate, demo and token create')

  server = spawn(file, [...baseArgs, 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  server.stdout.on('data', (chunk) => { stdout += chunk })
  server.stderr.on('data', (chunk) => { stderr += chunk })
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })))
  const serveStarted = Date.now()
  for (;;) {
    if (server.exitCode !== null) fail(`herald serve exited with ${server.exitCode}: ${stderr}${stdout}`)
    try {
      await fetch(`${url}/static/herald.css`, { method: 'HEAD' })
      break
    } catch {
      if (Date.now() - serveStarted > 60_000) fail(`herald serve did not answer on ${url} within 60 s: ${stderr}${stdout}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  step(`serve answered after ${Date.now() - serveStarted} ms`)

  // Where Node has execve (22.15 and later), `herald serve` replaced itself, keeping its PID, with V8's young
  // generation at 16 MB (server/cli/young-generation.ts); on Node 20 it runs as it was started.
  if (process.platform === 'linux') {
    const nodeArgs = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0')
    const restarted = nodeArgs.includes('--max-semi-space-size=16')
    if (restarted !== (typeof process.execve === 'function')) {
      fail(`herald serve runs as ${JSON.stringify(nodeArgs)} on node ${process.version}: ${restarted ? 'restarted without execve' : 'not restarted with the young generation flag'}`)
    }
    step(restarted ? 'serve restarted itself with --max-semi-space-size=16' : 'serve runs as started (no execve on this line)')
  }

  const page = await get('/')
  if (!page.includes('TM202916')) fail('the status page does not show TM202916')
  await get('/static/herald.css')
  await get('/admin/sign-in')

  // The last update of the story, through the token API, checked on the page and in the feed.
  const marker = `smoke-${randomUUID()}`
  const response = await fetch(`${url}/api/v1/incidents/TM202916/updates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'resolved', body: `We've confirmed that the certificate deployment has resolved the issue (${marker}).` })
  })
  if (response.status !== 201) fail(`POST /api/v1/incidents/TM202916/updates answered ${response.status}: ${await response.text()}`)
  if (!(await get('/incidents/TM202916')).includes(marker)) fail('the incident page does not show the update just posted')
  if (!(await get('/history.rss')).includes(marker)) fail('the feed does not carry the update just posted')
  const summary = JSON.parse(await get('/api/v2/summary.json'))
  if (!Array.isArray(summary.components) || summary.components.length === 0) fail('/api/v2/summary.json has no components')
  step('page, incident update through the token API, incident page, feed and API v2')

  server.kill('SIGTERM')
  const timer = setTimeout(() => server.kill('SIGKILL'), 15_000)
  const { code, signal } = await exited
  clearTimeout(timer)
  if (code !== 0) fail(`herald serve ended with ${code ?? signal} on SIGTERM: ${stderr}${stdout}`)
  // Node's own warnings (a deprecation on a newer line) go to standard error; the log (LOG_LEVEL=warn) has no warning or error.
  if (stderr !== '') fail(`herald serve wrote to standard error: ${stderr}`)
  const logged = stdout.split('\n').filter((line) => line.startsWith('{') && JSON.parse(line).level >= 40)
  if (logged.length > 0) fail(`herald serve logged: ${logged.join('\n')}`)
  step('SIGTERM: exit 0, no warning')
  process.stdout.write(`smoke: ok in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
} catch (error) {
  server?.kill('SIGKILL')
  process.stderr.write(`smoke: FAILED: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
