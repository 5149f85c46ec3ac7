// Benchmark: the public page's throughput with 200 monitors checking a local server every 10 s, against the same Herald idle and beside a control.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { freePort } from '../cli/fixtures/herald-process.js'
import { type LoadResult, loadGenerator, runLoad } from './load.js'
import type { BenchmarkResult } from './run.js'
import { benchNumber } from './settings.js'

const duration = benchNumber('BENCH_DURATION', 10, 2, 3600)
const monitorCount = 200
const intervalS = 10
const connections = 32
/**
 * Idle and busy runs, alternated, so that a machine that slows down (or speeds up) weighs on both alike. Two
 * runs of the same kind differ here by up to 10 %, more than the difference measured: take several.
 */
const rounds = benchNumber('BENCH_ROUNDS', 4, 1, 100)
const target = { ratio: 0.95 }

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'bin', 'herald.js')
const sleep = async (delay: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, delay)) }
const perSec = (value: number): string => Math.round(value).toLocaleString('en-US')

// The monitored service: a plain node:http server in a process of its own, started with plain node, that
// answers 200 "ok" after a millisecond, as a healthy service would. In the bench's own process (tsx, and its
// bookkeeping) each of its answers cost about a millisecond of CPU that Herald and wrk then lacked.
const targetSource = `
let hits = 0
const server = require('node:http').createServer((req, res) => {
  if (req.url === '/hits') return res.end(String(hits))
  hits++
  setTimeout(() => { res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') }, 1)
})
server.listen(0, '127.0.0.1', () => { process.stdout.write(server.address().port + '\\n') })
`

// The control: a plain node process of its own that opens the same fresh connections to the monitored service at
// the same rate, and sends the same request, as the 200 monitors do. On this machine every new TCP connection costs
// the loaded page throughput whichever process opens it; the control shows how much of the difference is that.
const controlSource = `
const [url, perSecond] = process.argv.slice(1)
const http = require('node:http'), net = require('node:net')
const { hostname, port } = new URL(url)
let n = 0
setInterval(() => {
  n = n % 200 + 1
  const request = http.request({ host: hostname, port, path: '/health/' + n, headers: { 'user-agent': 'control' },
    createConnection: () => net.connect({ host: hostname, port }) }, (res) => { res.resume(); res.once('end', () => res.destroy()) })
  request.once('error', () => {})
  request.end()
}, 1000 / Number(perSecond))
`

function startControl (url: string, children: Set<ChildProcess>): ChildProcess {
  const child = spawn(process.execPath, ['-e', controlSource, url, String(monitorCount / intervalS)], { stdio: ['ignore', 'ignore', 'inherit'] })
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

interface Target { url: string, hits: () => Promise<number>, child: ChildProcess }

async function startTarget (children: Set<ChildProcess>): Promise<Target> {
  const child = spawn(process.execPath, ['-e', targetSource], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.add(child)
  child.once('exit', () => children.delete(child))
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (data: Buffer) => { resolve(data.toString().trim()) })
    child.once('exit', () => { reject(new Error('the target exited before listening')) })
  })
  const url = `http://127.0.0.1:${port}`
  return { url, child, hits: async () => Number(await getText(`${url}/hits`)) }
}

function getText (url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, (res) => { let body = ''; res.setEncoding('utf8').on('data', (chunk) => { body += chunk }).once('end', () => resolve(body)) }).once('error', reject).end()
  })
}

/** The database: a component and 200 http monitors on it (none linked: a run changes nothing public). */
function prepareDatabase (path: string, targetUrl: string): void {
  const db = openDatabase(path)
  try {
    migrate(db)
    const services = createServices({ stores: createStores(db), clock: () => new Date(), incidentPrefix: 'INC' })
    services.components.create({ name: 'Sign-in' }, 'cli')
    const monitors = Array.from({ length: monitorCount }, (_, i) => ({
      name: `Check ${i + 1}`,
      kind: 'http',
      url: `${targetUrl}/health/${i + 1}`,
      interval_seconds: intervalS,
      timeout_ms: 5000
    }))
    services.monitors.apply(monitors, 'cli', { prune: false, dryRun: false })
  } finally {
    db.close()
  }
}

function get (url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => { res.resume(); res.once('end', () => resolve(res.statusCode ?? 0)) }).once('error', reject).end()
  })
}

/** `herald serve` with the monitors' worker on or off; resolves once / answers 200. */
async function startHerald (databasePath: string, worker: 'on' | 'off', children: Set<ChildProcess>): Promise<{ url: string, child: ChildProcess }> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_PATH: databasePath,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      LOG_LEVEL: 'warn',
      MONITORS_WORKER: worker
    },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  const started = performance.now()
  for (;;) {
    if (child.exitCode !== null) throw new Error('herald serve exited before answering')
    try {
      if (await get(`${url}/`) === 200) break
    } catch {}
    if (performance.now() - started > 60_000) throw new Error('herald serve did not answer within 60 s')
    await sleep(20)
  }
  return { url, child }
}

async function stop (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}

function runsRecorded (databasePath: string): number {
  const db = openDatabase(databasePath)
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM monitor_runs').get() as { n: number }).n
  } finally {
    db.close()
  }
}

export async function run (): Promise<BenchmarkResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-monitors-'))
  const children = new Set<ChildProcess>()
  const targetServer = await startTarget(children)
  try {
    const databasePath = join(dir, 'herald.db')
    prepareDatabase(databasePath, targetServer.url)
    const kinds = ['idle', 'control', 'monitors'] as const
    const measured: Record<typeof kinds[number], LoadResult[]> = { idle: [], control: [], monitors: [] }
    const targetHits: Record<typeof kinds[number], number[]> = { idle: [], control: [], monitors: [] }
    for (let round = 0; round < rounds; round++) {
      for (const kind of kinds) {
        const herald = await startHerald(databasePath, kind === 'monitors' ? 'on' : 'off', children)
        const control = kind === 'control' ? startControl(targetServer.url, children) : null
        // Busy: every monitor has had its first run (spread over its first interval) before the load starts.
        // The others wait as long, so that all start their load alike (a process just started, then left alone).
        await sleep(intervalS * 1000 + 1000)
        await runLoad({ url: `${herald.url}/`, connections, durationSec: 1, threads: 1, dir, track: (child) => children.add(child) })
        const hitsBefore = await targetServer.hits()
        const started = performance.now()
        measured[kind].push(await runLoad({ url: `${herald.url}/`, connections, durationSec: duration, threads: 1, dir, track: (child) => children.add(child) }))
        targetHits[kind].push(((await targetServer.hits()) - hitsBefore) / ((performance.now() - started) / 1000))
        if (control !== null) await stop(control)
        await stop(herald.child)
      }
    }
    const mean = (results: readonly number[]): number => results.reduce((sum, value) => sum + value, 0) / results.length
    const rate = (kind: typeof kinds[number]): number => mean(measured[kind].map((result) => result.requestsPerSec))
    const [idle, control, busy] = [rate('idle'), rate('control'), rate('monitors')]
    const percent = (value: number): string => `${(value * 100).toFixed(1)} %`
    const rows = [['run', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'target hits/s']]
    const names = { idle: 'idle', control: 'control', monitors: `${monitorCount} monitors` }
    for (let round = 0; round < rounds; round++) {
      for (const kind of kinds) {
        const result = measured[kind][round] as LoadResult
        rows.push([`${names[kind]} #${round + 1}`, perSec(result.requestsPerSec), result.p50Ms.toFixed(2), result.p99Ms.toFixed(2),
          String(result.errors + result.non2xx), (targetHits[kind][round] as number).toFixed(1)])
      }
    }
    return [{
      title: `GET / idle, beside a control process, and with ${monitorCount} monitors every ${intervalS} s against a local server (${loadGenerator()}, ${connections} connections, ${duration} s a run)`,
      rows,
      notes: [
        `idle ${perSec(idle)} req/s, with monitors ${perSec(busy)} req/s: ${percent(busy / idle)} of idle, ${busy / idle >= target.ratio ? 'met' : 'MISSED'} (target within 5 %).`,
        `control (Herald idle, a plain node process opening the monitors' fresh connections at their rate) ${perSec(control)} req/s: ${percent(control / idle)} of idle;` +
          ` the monitors ${percent(busy / control)} of the control (what Herald's checks and records cost beyond the connections themselves).`,
        `target hits a second with monitors: ${targetHits.monitors.map((value) => value.toFixed(1)).join(', ')} (${monitorCount / intervalS} expected); ${runsRecorded(databasePath)} runs recorded in all.`
      ]
    }]
  } finally {
    for (const child of children) child.kill('SIGKILL')
    await stop(targetServer.child)
    rmSync(dir, { recursive: true, force: true })
  }
}
