// Benchmark: Herald's public read path on five years of data, against bare Fastify and node:http ceilings, with posting under load.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, type IncomingHttpHeaders, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../../server/db/open-database.js'
import { createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { freePort } from '../cli/fixtures/herald-process.js'
import { type Ceiling, type CeilingKind, type CeilingRoute, plainNodeEnv, startCeiling, writeManifest } from './ceiling-server.js'
import { type Dataset, generateDataset } from './dataset.js'
import { type LoadResult, loadGenerator, runLoad } from './load.js'
import type { BenchmarkResult } from './run.js'
import { benchList, benchNumber } from './settings.js'
import { median, percentile } from './statistics.js'

const duration = benchNumber('BENCH_DURATION', 10, 2, 3600)
// The throughput table loads each server in short rounds, Herald and the ceilings in turn, and compares them round by
// round: on a shared machine the capacity drifts within a minute, and one long run of each, one after the other, put a
// drift of 10 to 30 % into a ratio. The seconds of load per server and row stay about BENCH_DURATION.
const tableRounds = benchNumber('BENCH_ROUNDS', 5, 1, 100)
const tableRoundSec = Math.max(2, Math.round(duration / tableRounds))
const tableWarmUpSec = 20
const connections = 64
// As in issue 16: two wrk threads beside the server on the two cores.
const wrkThreads = benchNumber('BENCH_WRK_THREADS', 2, 1, 64)
const coldRounds = 5
const postRate = 15
const maxPosts = 200
const visibleSamples = 20

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'bin', 'herald.js')

const targets = {
  datasetMs: 30_000,
  coldHomeMs: 50,
  ratio: 0.95,
  p99Ms: 10,
  /** The p99 target holds for bodies under this size. */
  p99BodyBytes: 50 * 1024,
  postP99Ms: 20,
  rssMb: 200,
  idleRssMb: 120,
  /** A bare Fastify sending a small Buffer does 40-65k req/s on the 2-core development machine: below, the run is not to be trusted. */
  fastifySmallBodyReqPerSec: 40_000,
  smallBodyBytes: 10 * 1024,
  uniqueUrls: 20_000,
  floodP99Ms: 20
}

interface Response {
  status: number
  body: Buffer
  contentType: string
  headers: IncomingHttpHeaders
  ms: number
}

interface RequestOptions {
  method?: string
  json?: unknown
  token?: string
  agent?: Agent | false
  headers?: Record<string, string>
}

/** One HTTP request with node:http, which sends no Accept-Encoding (as wrk does not): the plain body comes back. */
function fetchRaw (url: string, options: RequestOptions = {}): Promise<Response> {
  const started = performance.now()
  const payload = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json))
  const headers: Record<string, string> = { ...options.headers }
  if (payload !== undefined) headers['content-type'] = 'application/json'
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.once('error', reject)
      res.once('end', () => resolve({
        status: res.statusCode ?? 0,
        body: Buffer.concat(chunks),
        contentType: String(res.headers['content-type'] ?? ''),
        headers: res.headers,
        ms: performance.now() - started
      }))
    })
    req.once('error', reject)
    req.end(payload)
  })
}

function stats (values: number[]): { p50: number, p99: number, max: number } {
  const sorted = [...values].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN }
}

const ms = (value: number): string => value.toFixed(2)
const perSec = (value: number): string => Math.round(value).toLocaleString('en-US')
const verdict = (met: boolean, target: string): string => met ? 'met' : `MISSED (target ${target})`
const sleep = (delay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, delay))

/** The temporary folder and the child processes of one run: removed and ended however the run ends. */
class Session {
  readonly dir = mkdtempSync(join(tmpdir(), 'herald-bench-read-path-'))
  readonly #children = new Set<ChildProcess>()
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.#abandon()
    process.stderr.write(`\nread-path: stopped by ${signal}; children ended, ${this.dir} removed\n`)
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }

  readonly #onExit = (): void => { this.#abandon() }

  constructor () {
    process.once('SIGINT', this.#onSignal)
    process.once('SIGTERM', this.#onSignal)
    process.once('exit', this.#onExit)
  }

  track = (child: ChildProcess): void => {
    this.#children.add(child)
    child.once('exit', () => this.#children.delete(child))
  }

  /** Synchronous, for signals and exit: nothing may be awaited there. */
  #abandon (): void {
    for (const child of this.#children) child.kill('SIGKILL')
    rmSync(this.dir, { recursive: true, force: true })
  }

  async close (): Promise<void> {
    // Asked politely first (Herald closes its database); killed if that takes too long.
    await Promise.all([...this.#children].map(async (child) => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }))
    this.#abandon()
    process.removeListener('SIGINT', this.#onSignal)
    process.removeListener('SIGTERM', this.#onSignal)
    process.removeListener('exit', this.#onExit)
  }
}

interface Herald {
  url: string
  pid: number
  child: ChildProcess
  listeningMs: number
  firstPageMs: number
}

/** Spawns `herald serve` on the database and waits for the first 200 on GET /. */
async function startHerald (session: Session, databasePath: string): Promise<Herald> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    // Only what Node and tsx need from the shell, so that no Herald setting of the developer's leaks in.
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.TMPDIR === undefined ? {} : { TMPDIR: process.env.TMPDIR }),
    DATABASE_PATH: databasePath,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn'
  }
  const started = performance.now()
  const child = spawn(process.execPath, [bin, 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  session.track(child)
  let output = ''
  const keep = (chunk: Buffer): void => { output = (output + chunk.toString()).slice(-4000) }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let listeningMs: number | undefined
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`herald serve exited before answering: ${output}`)
    try {
      const response = await fetchRaw(`${url}/`)
      listeningMs ??= performance.now() - started - response.ms
      if (response.status === 200) break
    } catch {
      if (performance.now() - started > 60_000) throw new Error(`herald serve did not answer within 60 s: ${output}`)
    }
    await sleep(10)
  }
  return { url, pid: child.pid as number, child, listeningMs: listeningMs ?? NaN, firstPageMs: performance.now() - started }
}

/** SIGTERM, as a supervisor would stop it; resolves once it has exited. */
async function stopHerald (herald: Herald): Promise<void> {
  const { child } = herald
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}

function createToken (databasePath: string): string {
  const db = openDatabase(databasePath)
  try {
    return createServices({ stores: createStores(db), clock: () => new Date(), incidentPrefix: 'INC' }).tokens.create('bench', 'cli')
  } finally {
    db.close()
  }
}

function datasetResult (dataset: Dataset): BenchmarkResult {
  return {
    title: 'Data set (five years, seeded)',
    rows: [
      ['', 'count'],
      ['component groups', String(dataset.groups)],
      ['components', String(dataset.components)],
      ['incidents and maintenances', String(dataset.incidents)],
      ['of which maintenances', `${dataset.maintenances} (1 upcoming)`],
      ['open incidents', dataset.openReferences.join(', ')],
      ['updates', String(dataset.updates)],
      ['component status changes', String(dataset.statusChanges)]
    ],
    notes: [
      `Generated in ${(dataset.elapsedMs / 1000).toFixed(1)} s: ${verdict(dataset.elapsedMs < targets.datasetMs, `under ${targets.datasetMs / 1000} s`)}.`,
      `Longest timeline: ${dataset.longReference} with ${dataset.longUpdates} updates.`
    ]
  }
}

/** Bumps the content version with a write through the token API that changes nothing a reader would notice. */
async function bumpVersion (herald: Herald, token: string, agent: Agent, round: number): Promise<void> {
  const response = await fetchRaw(`${herald.url}/api/v1/components/40`, {
    method: 'PATCH', token, agent, json: { description: `Object storage for every customer (round ${round})` }
  })
  if (response.status !== 200) throw new Error(`PATCH of a component answered ${response.status}: ${response.body.toString()}`)
}

async function coldRenders (herald: Herald, token: string, paths: string[]): Promise<BenchmarkResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const times = new Map<string, number[]>(paths.map((path) => [path, []]))
  const sizes = new Map<string, number>()
  const brotliSizes = new Map<string, number>()
  try {
    for (let round = 0; round < coldRounds; round++) {
      await bumpVersion(herald, token, agent, round)
      for (const path of paths) {
        const response = await fetchRaw(`${herald.url}${path}`, { agent })
        if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`)
        times.get(path)?.push(response.ms)
        sizes.set(path, response.body.length)
      }
    }
    // What a browser receives instead (wrk asks for no compression).
    for (const path of paths) {
      const response = await fetchRaw(`${herald.url}${path}`, { agent, headers: { 'accept-encoding': 'br' } })
      brotliSizes.set(path, response.body.length)
    }
  } finally {
    agent.destroy()
  }
  const kb = (bytes: number | undefined): string => ((bytes ?? 0) / 1024).toFixed(1)
  const rows = paths.map((path) => {
    const { p50, max } = stats(times.get(path) ?? [])
    const target = path === '/' ? verdict(p50 < targets.coldHomeMs, `median under ${targets.coldHomeMs} ms`) : ''
    return [path, kb(sizes.get(path)), kb(brotliSizes.get(path)), ms(p50), ms(max), target]
  })
  return {
    title: `Cold render: the first GET after a new content version (${coldRounds} rounds, each after a PATCH through the token API)`,
    rows: [['path', 'KB', 'KB br', 'median ms', 'max ms', 'target'], ...rows],
    notes: ['Client-side time to the whole body over a kept-alive connection (identity): the render and the send (a compressed body is made when a client first takes it, not with the render).']
  }
}

// What the connection adds (and Node adds to any answer by itself): everything else Herald sends, the ceilings send too.
const unrecorded = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding'])

function recordedHeaders (headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers).sort(([a], [b]) => a.localeCompare(b))) {
    if (value !== undefined && !unrecorded.has(name)) kept[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return kept
}

/** The Accept-Encoding headers wrk sends: none of Herald's compression, then its brotli variant. */
const acceptEncodings = ['identity', 'br']

/** The servers the throughput table loads, by the name its columns use. */
type Server = 'herald' | 'fastify' | 'node-http' | 'control'

/** The ceilings, each a separate process running the program of its kind. */
const ceilingServers: Array<{ name: Exclude<Server, 'herald'>, kind: CeilingKind }> = [
  { name: 'fastify', kind: 'fastify' },
  { name: 'node-http', kind: 'node-http' },
  // The control: a second bare Fastify, loaded in turn like the others. Two processes of one program differ
  // only by the machine, so its ratio to the first says how far the machine alone moves a ratio in this run.
  { name: 'control', kind: 'fastify' }
]

interface Row {
  path: string
  acceptEncoding: string
  /** The Content-Encoding Herald answered with ('identity' when none: a small body is not compressed). */
  encoding: string
  bodyBytes: number
  headers: Record<string, string>
  /** Each server's rounds, in the order they were run: the nth of each were run in the same round. */
  rounds: Record<Server, Round[]>
}

/** One server's rate over another's, round by round: two runs seconds apart, which the machine's drift moves alike. */
function roundRatios (row: Row, of: Server, to: Server): number[] {
  return row.rounds[of].map((round, index) => round.requestsPerSec / (row.rounds[to][index]?.requestsPerSec ?? Number.NaN))
}

/** One round of load on one server, with the CPU time it spent a request (user and system, µs; its median round's rate beside the median of these). */
interface Round extends LoadResult {
  cpuUsPerRequest: number
}

// USER_HZ: the unit of the CPU times in /proc/<pid>/stat, 100 on every Linux machine this runs on.
const ticksPerSecond = 100

/** The CPU time a process has spent so far, user and system, in ms (NaN without /proc or a pid). */
function cpuMs (pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // utime and stime are the 14th and 15th fields: the 12th and 13th after the command, which ends at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1000 / ticksPerSecond
}

/** Records Herald's answer of each path and encoding (from the cache, asked twice), for the ceilings to send the same. */
async function recordAnswers (herald: Herald, paths: string[], notes: string[]): Promise<CeilingRoute[]> {
  const routes: CeilingRoute[] = []
  for (const path of paths) {
    const variants = []
    for (const acceptEncoding of acceptEncodings) {
      const headers = { 'accept-encoding': acceptEncoding }
      // The first answer may be a render through Fastify, the second is a cached hit (the front door's): what wrk gets.
      const first = await fetchRaw(`${herald.url}${path}`, { headers })
      const cached = await fetchRaw(`${herald.url}${path}`, { headers })
      if (cached.status !== 200) throw new Error(`GET ${path} answered ${cached.status}`)
      const [a, b] = [JSON.stringify(recordedHeaders(first.headers)), JSON.stringify(recordedHeaders(cached.headers))]
      if (a !== b) notes.push(`Herald's first and second answers of ${path} (${acceptEncoding}) differ in headers: ${a} then ${b}.`)
      variants.push({ acceptEncoding, status: cached.status, headers: recordedHeaders(cached.headers), body: cached.body })
    }
    routes.push({ path, variants })
  }
  return routes
}

/** Before measuring: each ceiling must answer each path and encoding with Herald's bytes and headers. */
async function checkEcho (ceiling: Ceiling, routes: CeilingRoute[]): Promise<void> {
  for (const { path, variants } of routes) {
    for (const variant of variants) {
      const echoed = await fetchRaw(`${ceiling.url}${path}`, { headers: { 'accept-encoding': variant.acceptEncoding } })
      if (echoed.status !== variant.status || !echoed.body.equals(variant.body)) {
        throw new Error(`the ${ceiling.kind} ceiling does not answer ${path} (${variant.acceptEncoding}) with Herald's bytes`)
      }
      const [want, got] = [JSON.stringify(variant.headers), JSON.stringify(recordedHeaders(echoed.headers))]
      if (want !== got) throw new Error(`the ${ceiling.kind} ceiling answers ${path} (${variant.acceptEncoding}) with ${got}, Herald with ${want}`)
    }
  }
}

/** The round of the median rate, with the median of the rounds' CPU per request. */
function medianRound (rounds: Round[]): Round {
  const rate = median(rounds.map((round) => round.requestsPerSec))
  const middle = rounds.find((round) => round.requestsPerSec === rate)
  if (middle === undefined) throw new Error('no round was run')
  return { ...middle, cpuUsPerRequest: median(rounds.map((round) => round.cpuUsPerRequest)) }
}

/** A server the throughput table loads, where it listens. */
interface Loaded {
  name: Server
  url: string
  pid: number | undefined
}

/**
 * The servers in the order round `round` loads them: each round starts with the next one (Herald, Fastify,
 * node:http, the control; then Fastify, node:http, the control, Herald; ...), so that none is always the
 * first after the pause between rows, or always the one loaded just after a given other.
 */
function roundOrder<T> (servers: readonly T[], round: number): T[] {
  const start = round % servers.length
  return [...servers.slice(start), ...servers.slice(0, start)]
}

async function throughput (session: Session, herald: Herald, paths: string[]): Promise<BenchmarkResult> {
  const generator = loadGenerator()
  const notes: string[] = []
  const routes = await recordAnswers(herald, paths, notes)
  const manifest = writeManifest(routes, session.dir)
  const ceilings: Array<{ name: Server, ceiling: Ceiling }> = []
  try {
    for (const { name, kind } of ceilingServers) ceilings.push({ name, ceiling: await startCeiling(kind, manifest, session.track) })
    for (const { ceiling } of ceilings) await checkEcho(ceiling, routes)
    // Each round with the CPU time its server spent (from /proc): what a request costs it, which moves much less
    // than its rate does on a machine whose capacity drifts.
    const load = async (url: string, acceptEncoding: string, durationSec: number, pid: number | undefined): Promise<Round> => {
      const before = cpuMs(pid)
      const result = await runLoad({ url, connections, durationSec, threads: wrkThreads, headers: { 'accept-encoding': acceptEncoding }, dir: session.dir, track: session.track })
      return { ...result, cpuUsPerRequest: (cpuMs(pid) - before) * 1000 / result.requests }
    }

    const servers: Loaded[] = [{ name: 'herald', url: herald.url, pid: herald.pid },
      ...ceilings.map(({ name, ceiling }) => ({ name, url: ceiling.url, pid: ceiling.child.pid }))]
    const rows: Row[] = []
    // A fresh server (and one idle for a while, whose heap V8 has shrunk) answers its first 20 s of load up to a
    // third slower than it will: Herald went from 21 to 14.5 µs of CPU a request on / over its first ten rounds of
    // 2 s, the node:http ceiling from 17.6 to 13. Before the table, each is loaded until it is past that.
    for (const server of servers) await load(`${server.url}${routes[0]?.path ?? '/'}`, 'br', tableWarmUpSec, server.pid)
    for (const { path, variants } of routes) {
      // A second of warm-up each per path, so that no server is measured while its JIT still compiles that path.
      for (const server of servers) await load(`${server.url}${path}`, 'identity', 1, server.pid)
      for (const variant of variants) {
        // Every server once a round, round after round: a machine that drifts weighs on all alike.
        const rounds: Record<Server, Round[]> = { herald: [], fastify: [], 'node-http': [], control: [] }
        for (let round = 0; round < tableRounds; round++) {
          for (const server of roundOrder(servers, round)) {
            rounds[server.name].push(await load(`${server.url}${path}`, variant.acceptEncoding, tableRoundSec, server.pid))
          }
        }
        rows.push({
          path,
          acceptEncoding: variant.acceptEncoding,
          encoding: variant.headers['content-encoding'] ?? 'identity',
          bodyBytes: variant.body.length,
          headers: variant.headers,
          rounds
        })
      }
    }
    return throughputResult(rows, generator, notes)
  } finally {
    for (const { ceiling } of ceilings) await ceiling.close()
  }
}

function throughputResult (rows: Row[], generator: string, notes: string[]): BenchmarkResult {
  const table = rows.map((row) => {
    const [h, f, n] = (['herald', 'fastify', 'node-http'] as const).map((name) => medianRound(row.rounds[name])) as [Round, Round, Round]
    const ratios = roundRatios(row, 'herald', 'fastify')
    const ratio = median(ratios)
    const control = roundRatios(row, 'control', 'fastify')
    const p99Target = row.bodyBytes < targets.p99BodyBytes ? verdict(h.p99Ms < targets.p99Ms, `p99 < ${targets.p99Ms} ms`) : 'n/a (>= 50 KB)'
    const encoding = row.encoding === row.acceptEncoding ? row.encoding : `${row.acceptEncoding} (got ${row.encoding})`
    const errors = [h, f, n].map((result) => result.errors + result.non2xx).join('/')
    const listed = (values: number[]): string => values.map((value) => value.toFixed(2)).join(' ')
    return [row.path, encoding, row.bodyBytes.toLocaleString('en-US'), perSec(h.requestsPerSec), ms(h.p99Ms), perSec(f.requestsPerSec),
      perSec(n.requestsPerSec), ratio.toFixed(2), listed(ratios), verdict(ratio >= targets.ratio, `>= ${targets.ratio}`), p99Target,
      median(control).toFixed(2), listed(control), median(roundRatios(row, 'herald', 'node-http')).toFixed(2),
      [h, f, n].map((result) => result.cpuUsPerRequest.toFixed(1)).join(' / '), (f.cpuUsPerRequest / h.cpuUsPerRequest).toFixed(2), errors]
  })
  const loadNote = `Load generator: ${generator}, -t${wrkThreads} -c${connections}; per path and encoding ${tableRounds} rounds of ${tableRoundSec} s each ` +
    'of Herald, bare Fastify, node:http and the control (each round starting with the next of them), each a separate process (the ceilings plain `node` on ' +
    'ceilings/*.mjs, no tsx) sending Herald\'s recorded bytes and headers. The req/s and p99 are each server\'s median round (BENCH_ROUNDS sets the ' +
    'rounds); Herald/Fastify and Herald/node:http, the median of the rounds\' ratios (each of two runs seconds apart), and "by round" the ratios to Fastify, round after round.'
  const cpuNote = 'CPU µs/req: the CPU time (user and system, /proc/<pid>/stat) each server spent per request answered, the median of its rounds; F/H CPU: ' +
    'bare Fastify\'s over Herald\'s, 1.00 or more when a request costs Herald no more than it costs bare Fastify. The machine\'s drift moves a ' +
    'rate by 10 to 30 % from one round to the next, and this much less: it tells what the rates\' ratio cannot on a busy machine.'
  const pooled = (of: (row: Row) => number[]): string => {
    const all = rows.flatMap(of).sort((a, b) => a - b)
    return `median ${percentile(all, 50).toFixed(2)}, middle half ${percentile(all, 25).toFixed(2)} to ${percentile(all, 75).toFixed(2)}`
  }
  const under = (of: (row: Row) => number[]): number => rows.filter((row) => median(of(row)) < targets.ratio).length
  const controlNote = 'Control: a second bare Fastify process (the same program and bytes as the first), loaded in the same rounds; F2/F is its ratio to the first, ' +
    'as Herald/Fastify is Herald\'s: what the machine alone does to a ratio in this run. Rows under ' +
    `${targets.ratio}: Herald/Fastify ${under((row) => roundRatios(row, 'herald', 'fastify'))} of ${rows.length}, the control ` +
    `${under((row) => roundRatios(row, 'control', 'fastify'))} of ${rows.length}. Every round of every row: Herald/Fastify ` +
    `${pooled((row) => roundRatios(row, 'herald', 'fastify'))}; the control ${pooled((row) => roundRatios(row, 'control', 'fastify'))}.`
  notes.unshift(loadNote, cpuNote, controlNote)
  const home = rows.find((row) => row.path === '/' && row.acceptEncoding === 'br')
  if (home !== undefined) notes.push(`Headers the ceilings send as Herald does (/ with br): ${Object.keys(home.headers).join(', ')}.`)
  if (generator === 'autocannon') {
    notes.push('autocannon saturates one core near 31,000-34,000 req/s on this machine, below the ceilings: the ratio flatters Herald. Install wrk for a fair one.')
  }
  const fastifyRate = (row: Row): number => medianRound(row.rounds.fastify).requestsPerSec
  const small = rows.filter((row) => row.bodyBytes < targets.smallBodyBytes).map(fastifyRate)
  if (small.length > 0) {
    notes.push(`Sanity: bare Fastify on the bodies under ${targets.smallBodyBytes / 1024} KB did ${perSec(Math.min(...small))} to ${perSec(Math.max(...small))} req/s ` +
      '(a bare Fastify Buffer does 40,000-65,000 on the 2-core development machine).')
  }
  const slow = rows.filter((row) => row.bodyBytes < targets.smallBodyBytes && fastifyRate(row) < targets.fastifySmallBodyReqPerSec)
  if (slow.length > 0) {
    const warning = `WARNING: NOT TRUSTWORTHY. Bare Fastify did under ${perSec(targets.fastifySmallBodyReqPerSec)} req/s on a small body ` +
      `(${slow.map((row) => `${row.path} ${row.acceptEncoding}: ${perSec(fastifyRate(row))}`).join('; ')}), ` +
      'where it does 40-65k on the 2-core development machine: the machine is busy or the load generator is the limit, so every ratio here is suspect.'
    process.stderr.write(`\n!!! ${warning}\n\n`)
    notes.unshift(`!!! ${warning}`)
  }
  return {
    title: 'Throughput: Herald against bare Fastify and plain node:http ceilings answering the same bytes and headers',
    rows: [['path', 'encoding', 'body bytes', 'Herald req/s', 'Herald p99 ms', 'Fastify req/s', 'node:http req/s', 'Herald/Fastify',
      'by round', 'ratio target', 'p99 target', 'control F2/F', 'control by round', 'Herald/node:http', 'CPU µs/req H / F / N', 'F/H CPU', 'errors H/F/N'], ...table],
    notes
  }
}

// Every request a new address (/?x=<thread>-<counter>): an unknown parameter, which must cost a cached hit and no new cache entry.
const uniqueQueryLua = `local threads = 0
setup = function (thread) threads = threads + 1; thread:set('id', threads) end
init = function () counter = 0 end
request = function ()
  counter = counter + 1
  return wrk.format(nil, string.format('/?x=%d-%d', id, counter))
end
`

/**
 * wrk on / with a new query string each request; Herald's resident memory before and after. With brotli: the
 * identity / (some 450 KB) is held to a few thousand a second by its size alone, which would hide what an
 * unknown address costs; the brotli variant (some 20 KB) shows a slower path at once.
 */
async function uniqueQueries (session: Session, herald: Herald): Promise<BenchmarkResult> {
  const headers = { 'accept-encoding': 'br' }
  const idle = residentMemory(herald.pid)
  // The cached / just before, in the same minute: the figure the unique addresses should reach.
  const cachedHome = await runLoad({ url: `${herald.url}/`, connections, durationSec: duration, threads: wrkThreads, headers, dir: session.dir, track: session.track })
  const before = residentMemory(herald.pid)
  const result = await runLoad({ url: `${herald.url}/`, connections, durationSec: duration, threads: wrkThreads, headers, wrkLua: uniqueQueryLua, dir: session.dir, track: session.track })
  const after = residentMemory(herald.pid)
  const ratio = (result.requestsPerSec / cachedHome.requestsPerSec).toFixed(2)
  return {
    title: `Unique query strings: GET /?x=<counter>, every request a new address (wrk -t${wrkThreads} -c${connections}, ${duration} s, Accept-Encoding: br)`,
    rows: [
      ['', 'distinct URLs', 'req/s', 'p99 ms', 'vs cached /', 'RSS before the run MB', 'RSS after MB', 'errors'],
      ['/?x=<counter>', `${result.requests.toLocaleString('en-US')} ${verdict(result.requests >= targets.uniqueUrls, `>= ${targets.uniqueUrls}`)}`,
        perSec(result.requestsPerSec), ms(result.p99Ms), ratio, before.rssMb.toFixed(1), after.rssMb.toFixed(1), String(result.errors + result.non2xx)],
      ['/ (cached, the run just before)', '1', perSec(cachedHome.requestsPerSec), ms(cachedHome.p99Ms), '1.00', idle.rssMb.toFixed(1), before.rssMb.toFixed(1),
        String(cachedHome.errors + cachedHome.non2xx)]
    ],
    notes: ['The unknown parameter changes nothing on the page: each answer should be the cached /, at the same speed, and the RSS should not grow with the count.',
      'The RSS moves with the collector as much as with what is kept: compare the unique run\'s growth with the cached run\'s, not either alone.']
  }
}

// The flood's wrk script: each request a new search (a made-up word), from one address or, with
// FLOOD_SPREAD, from a new X-Forwarded-For each time (Herald trusts it from the loopback, as from a proxy),
// and a count of the answers by status, gathered from every thread at the end.
const floodScript = (spread: boolean): string => `local spread = ${spread ? 'true' : 'false'}
local threads = {}
setup = function (thread) table.insert(threads, thread) end
init = function () math.randomseed(os.time()); counter = 0; statuses = {} end
request = function ()
  counter = counter + 1
  local headers = {}
  if spread then headers['X-Forwarded-For'] = string.format('10.%d.%d.%d', math.random(0, 255), math.random(0, 255), math.random(1, 254)) end
  return wrk.format('GET', string.format('/history?q=%x%x', math.random(0, 0x7fffffff), counter), headers)
end
response = function (status) statuses[status] = (statuses[status] or 0) + 1 end
done = function (summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get('statuses')) do counts[#counts + 1] = string.format('"%d":%d', status, n) end
  end
  io.write(string.format('FLOOD-JSON {"requests":%d,"durationUs":%d,"errors":%d,"p50Us":%.1f,"p99Us":%.1f,"statuses":[{%s}]}\\n',
    summary.requests, summary.duration, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(counts, '},{')))
end
`

interface Flood {
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  errors: number
  /** Answers by status, e.g. { 200: 1500, 429: 40000 }. */
  statuses: Record<string, number>
}

/** wrk on new searches for `durationSec`; wrk only (autocannon cannot make each request's query its own). */
function runFlood (session: Session, url: string, spread: boolean, durationSec: number): Promise<Flood> {
  const script = join(session.dir, `flood-${spread ? 'spread' : 'one'}.lua`)
  writeFileSync(script, floodScript(spread))
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${durationSec}s`, '--timeout', '5s', '-s', script, url], { stdio: ['ignore', 'pipe', 'pipe'] })
    session.track(child)
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.once('error', reject)
    child.once('close', () => {
      const line = output.split('\n').find((text) => text.startsWith('FLOOD-JSON '))
      if (line === undefined) {
        reject(new Error(`wrk printed no flood summary: ${output.trim()}`))
        return
      }
      const summary = JSON.parse(line.slice('FLOOD-JSON '.length)) as { requests: number, durationUs: number, errors: number, p50Us: number, p99Us: number, statuses: Array<Record<string, number>> }
      resolve({
        requestsPerSec: summary.requests / (summary.durationUs / 1e6),
        p50Ms: summary.p50Us / 1000,
        p99Ms: summary.p99Us / 1000,
        errors: summary.errors,
        statuses: Object.assign({}, ...summary.statuses) as Record<string, number>
      })
    })
  })
}

// The visitors reading a cached page while the flood runs: few connections, as people are, not a second flood.
const readerConnections = 4

/**
 * New searches as fast as wrk can ask, each a render, while readers GET a cached incident page: how long
 * the readers wait is what the flood costs everyone else. From one address the searches are held to
 * searchLimits (429); from many (a new X-Forwarded-For each) all are rendered, one at a time.
 */
async function searchFlood (session: Session, herald: Herald, incidentPath: string): Promise<BenchmarkResult> {
  const readers = async (durationSec: number): Promise<LoadResult> =>
    await runLoad({ url: `${herald.url}${incidentPath}`, connections: readerConnections, durationSec, threads: 1, dir: session.dir, track: session.track })
  await fetchRaw(`${herald.url}${incidentPath}`)
  await readers(1)
  const alone = await readers(duration)
  const rows: string[][] = [['', 'search req/s', 'search p99 ms', 'answers by status', `cached ${incidentPath} req/s`, 'p50 ms', 'p99 ms', 'target']]
  rows.push(['no flood (readers alone)', '', '', '', perSec(alone.requestsPerSec), ms(alone.p50Ms), ms(alone.p99Ms), ''])
  for (const spread of [false, true]) {
    const flooding = runFlood(session, `${herald.url}/history`, spread, duration)
    await sleep(300)
    const reading = await readers(duration - 1)
    const flood = await flooding
    const answers = Object.entries(flood.statuses).sort(([a], [b]) => Number(a) - Number(b)).map(([status, count]) => `${status}: ${count}`).join(', ')
    rows.push([spread ? 'flood from many addresses' : 'flood from one address', perSec(flood.requestsPerSec), ms(flood.p99Ms), answers,
      perSec(reading.requestsPerSec), ms(reading.p50Ms), ms(reading.p99Ms), verdict(reading.p99Ms < targets.floodP99Ms, `p99 < ${targets.floodP99Ms} ms`)])
    await sleep(1000)
  }
  return {
    title: `Search flood: new searches (${connections} connections, wrk) while ${readerConnections} connections read a cached incident page`,
    rows,
    notes: [
      'Each search is a made-up word: a miss, so a render (two scans of the incidents\' names, some 3 ms), unless refused.',
      'One address: held to searchLimits per minute, the rest 429 at once. Many addresses (X-Forwarded-For, trusted from the loopback): ' +
        'every search rendered, one at a time, stepping aside between its phases; beyond maxSearchesWaiting waiting, 503 at once.',
      'The readers\' p99 is what a visitor of a cached page waits during the flood (before searches were limited and queued: ' +
        'p50 150 to 200 ms, p99 about 3 s, some 20 req/s on the 2-core development machine).'
    ]
  }
}

/** Repeated 404s: an unknown incident and a history page past the end, the same address again and again. */
async function repeatedNotFound (session: Session, herald: Herald, threads: number): Promise<BenchmarkResult> {
  const rows: string[][] = [['path', 'req/s', 'p50 ms', 'p99 ms', 'non-404 answers']]
  for (const path of ['/incidents/NOPE999999', '/history/999999']) {
    const first = await fetchRaw(`${herald.url}${path}`)
    if (first.status !== 404) throw new Error(`GET ${path} answered ${first.status}`)
    await runLoad({ url: `${herald.url}${path}`, connections, durationSec: 1, threads, dir: session.dir, track: session.track })
    const result = await runLoad({ url: `${herald.url}${path}`, connections, durationSec: duration, threads, dir: session.dir, track: session.track })
    // wrk counts every answer of 400 and above as a status error: here they are the 404s themselves.
    rows.push([path, perSec(result.requestsPerSec), ms(result.p50Ms), ms(result.p99Ms), String(result.requests - result.non2xx)])
  }
  return {
    title: `Repeated not-found addresses (${connections} connections)`,
    rows,
    notes: ['A 404 is remembered per address and content version and its page rendered once (before: every request looked up and rendered: ' +
      '/history/999999 some 400 req/s with a p99 over 3 s).']
  }
}

interface Visibility {
  ms: number
  /** GETs it took: anything above 1 means a stale page was served after the commit. */
  gets: number
}

/** GETs / until `marker` shows; the time counts from `committed`, when the POST's answer arrived. */
async function untilVisible (herald: Herald, agent: Agent, marker: string, committed: number): Promise<Visibility> {
  for (let gets = 1; gets <= 100; gets++) {
    const page = await fetchRaw(`${herald.url}/`, { agent })
    if (page.status === 200 && page.body.includes(marker)) return { ms: performance.now() - committed, gets }
  }
  throw new Error(`update ${marker} not shown on / after 100 GETs`)
}

interface Post {
  ms: number
  ok: boolean
  /** performance.now() when the answer arrived: the write has committed by then. */
  committed: number
}

async function post (herald: Herald, token: string, agent: Agent, path: string, json: object): Promise<Post> {
  const response = await fetchRaw(`${herald.url}/api/v1${path}`, { method: 'POST', token, agent, json })
  return { ms: response.ms, ok: response.status === 201, committed: performance.now() }
}

/** POSTs come in stories of ten (open, eight updates, resolve), so that the page carries one short open incident, as in a real outage. */
const storyLength = 10

/** The POST of a story's step: the first opens the incident with `component` degraded, the last resolves it, the others carry `text`. */
function storyPost (reference: string, step: number, text: string, component: number): { path: string, json: object } {
  if (step === 0) {
    return {
      path: '/incidents',
      json: { reference, name: `Slow responses from the API (${reference})`, body: 'We are investigating slow responses.', components: { [String(component)]: 'degraded_performance' } }
    }
  }
  const path = `/incidents/${reference}/updates`
  if (step === storyLength - 1) return { path, json: { status: 'resolved', body: 'This incident has been resolved.' } }
  return { path, json: { status: 'identified', body: `We are still working on it (${text}).` } }
}

const marker = (index: number): string => `visible-${index}-${randomBytes(4).toString('hex')}`

/**
 * The readers of / while updates are posted: browsers (which take Brotli: 22 KB an answer on five years), and
 * clients that take the page as it is (460 KB an answer, as in the throughput table): 64 connections of those
 * pull some 3 GB/s through the loopback, whose copies take the two cores the server shares with wrk.
 */
const postingReaders = [
  { label: 'browsers (br, gzip)', acceptEncoding: 'br, gzip' },
  { label: 'plain (identity)', acceptEncoding: 'identity' }
] as const

interface PostingRun {
  /** Who read / meanwhile (postingReaders). */
  label: string
  row: string[]
  note: string
  visible: Visibility[]
}

async function postingUnderLoad (session: Session, herald: Herald, token: string, readers: typeof postingReaders[number], stories: number): Promise<PostingRun> {
  // Each POST makes the next GETs of / wait for a render.
  const loading = runLoad({
    url: `${herald.url}/`, connections, durationSec: duration, threads: wrkThreads, headers: { 'accept-encoding': readers.acceptEncoding }, dir: session.dir, track: session.track
  })
  // The readers watching for the updates have connections of their own, so that a slow page does not queue the next watch.
  const reader = new Agent({ keepAlive: true, maxSockets: 16 })
  const posts: Post[] = []
  const watching: Array<Promise<Visibility>> = []
  try {
    await sleep(500)
    const markers = Array.from({ length: maxPosts }, (_, index) => marker(index))
    const plan = markers.map((text, index) => {
      const story = stories + Math.floor(index / storyLength)
      const step = index % storyLength
      // The resolution leaves only the last update on /: it waits until the watches of its story have ended.
      return { ...storyPost(`LOAD${story}`, step, text, 21 + story % 20), waitBefore: step === storyLength - 1 }
    })
    for await (const sent of postFromOwnProcess(session, herald, token, plan)) {
      posts.push(sent)
      const step = sent.index % storyLength
      if (sent.ok && step > 0 && step < storyLength - 1) watching.push(untilVisible(herald, reader, markers[sent.index] ?? '', sent.committed))
      // Settled, not all: a watch that fails is reported below, and the poster still ends.
      if (step === storyLength - 2) Promise.allSettled(watching).then(() => { sent.next() })
    }
    const visible = await Promise.all(watching)
    const home = await loading
    const { p50, p99, max } = stats(posts.map((sent) => sent.ms))
    const failed = posts.filter((sent) => !sent.ok).length
    return {
      label: readers.label,
      visible,
      row: [`readers of /: ${readers.label}`, String(posts.length), String(failed), ms(p50), ms(p99), ms(max), verdict(p99 < targets.postP99Ms, `p99 < ${targets.postP99Ms} ms`)],
      note: `GET / (${readers.label}) meanwhile, re-rendered after every POST: ${perSec(home.requestsPerSec)} req/s, p50 ${ms(home.p50Ms)} ms, ` +
        `p99 ${ms(home.p99Ms)} ms, ${home.errors} errors, ${home.non2xx} non-2xx.`
    }
  } finally {
    reader.destroy()
  }
}

const posterScript = fileURLToPath(new URL('poster.mjs', import.meta.url))

/**
 * POSTs the plan from a process of its own (poster.mjs, plain node), at postRate, for duration - 1 seconds, and
 * yields each answer as it comes. Timed there, a POST's time is what the admin's client waits, without this
 * process's other work (the watches reading the 460 KB page) in it. `next` lets a post that waits go.
 */
async function * postFromOwnProcess (session: Session, herald: Herald, token: string, posts: Array<{ path: string, json: object, waitBefore: boolean }>): AsyncGenerator<Post & { index: number, next: () => void }> {
  const planPath = join(session.dir, 'poster-plan.json')
  writeFileSync(planPath, JSON.stringify({ url: herald.url, token, rate: postRate, stopAfterMs: (duration - 1) * 1000, posts }))
  const child = spawn(process.execPath, [posterScript, planPath], { env: plainNodeEnv(), stdio: ['pipe', 'pipe', 'inherit'] })
  session.track(child)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  // A poster that stopped at its time does not read the last go: that write may find its stdin closed.
  child.stdin?.on('error', () => {})
  const next = (): void => { child.stdin?.write('\n') }
  let done = false
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    const answer = JSON.parse(line) as { done?: true, index: number, ms: number, status: number, at: number }
    if (answer.done === true) {
      done = true
      break
    }
    // The answer's arrival in this process's clock: both count from their own timeOrigin.
    yield { index: answer.index, ms: answer.ms, ok: answer.status === 201, committed: answer.at - performance.timeOrigin, next }
  }
  const code = await exited
  if (!done || code !== 0) throw new Error(`the poster exited with ${code} before its end`)
}

/**
 * One story (open, eight updates, resolve) posted before the runs under load, without load and not counted:
 * the first POSTs after a start run code V8 has not compiled yet (the first open some 10 ms in the server
 * instead of 2), which would otherwise be the p99 of a run of 136. Their times are reported apart.
 */
async function warmUpPosting (herald: Herald, token: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    const sent: Post[] = []
    for (let step = 0; step < storyLength; step++) {
      const { path, json } = storyPost('WARMUP', step, `warm-up ${step}`, 21)
      sent.push(await post(herald, token, agent, path, json))
    }
    if (sent.some((one) => !one.ok)) throw new Error('a warm-up POST failed')
    return sent.map((one) => one.ms)
  } finally {
    agent.destroy()
  }
}

/** Posts an update to an open incident, waits for its answer, then GETs / until its text shows. */
async function commitToVisible (herald: Herald, token: string, reference: string, agent: Agent, index: number): Promise<Visibility> {
  const text = marker(index)
  const sent = await post(herald, token, agent, `/incidents/${reference}/updates`, { status: 'identified', body: `We are still working on it (${text}).` })
  if (!sent.ok) throw new Error(`POST of an update to ${reference} failed`)
  return await untilVisible(herald, agent, text, sent.committed)
}

function visibilityRow (label: string, samples: Visibility[]): string[] {
  const { p50, p99, max } = stats(samples.map((sample) => sample.ms))
  return [label, String(samples.length), ms(p50), ms(p99), ms(max), String(samples.filter((sample) => sample.gets > 1).length)]
}

interface SettledMemory {
  /** VmRSS 2 s after the last work. */
  first: number
  /** VmRSS once it stopped falling. */
  settled: number
  seconds: number
  peakMb: number
}

/**
 * The RSS of an idle server: 2 s after its last work, then each second until it has fallen and stayed for
 * 10 s (V8's memory reducer gives the heap back some 30 s after the work stops), or for 90 s at most.
 */
async function settledMemory (pid: number): Promise<SettledMemory> {
  await sleep(2000)
  const first = residentMemory(pid).rssMb
  let lowest = first
  let steady = 0
  let seconds = 2
  while (seconds < 90 && !(lowest < first && steady >= 10)) {
    await sleep(1000)
    seconds++
    const now = residentMemory(pid).rssMb
    if (now < lowest - 0.5) {
      lowest = now
      steady = 0
    } else {
      steady++
    }
  }
  return { first, settled: lowest, seconds, peakMb: residentMemory(pid).peakMb }
}

function residentMemory (pid: number): { rssMb: number, peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
}

/** The parts BENCH_SCENARIO can run alone (unset: all of them). */
const scenarios = ['search-flood', 'posting', 'throughput']

/**
 * Every kind of public address: the page, an incident (`incident` until the data set names one), a history page,
 * both feeds, the API v2 documents, a badge; or those of them BENCH_PATHS names (`/history.atom,/badge.svg`).
 */
function throughputPaths (): string[] {
  const all = ['/', 'incident', '/history/2', '/history.rss', '/history.atom',
    ...['summary', 'status', 'components', 'incidents', 'incidents/unresolved', 'scheduled-maintenances'].map((name) => `/api/v2/${name}.json`),
    '/badge.svg']
  const named = benchList('BENCH_PATHS')
  if (named === undefined) return all
  const unknown = named.filter((path) => !all.includes(path))
  if (unknown.length > 0) throw new Error(`BENCH_PATHS: ${unknown.join(', ')} is not one of the table's paths: ${all.join(', ')}`)
  return named
}

export async function run (): Promise<BenchmarkResult[]> {
  const scenario = process.env.BENCH_SCENARIO === '' ? undefined : process.env.BENCH_SCENARIO
  if (scenario !== undefined && !scenarios.includes(scenario)) throw new Error(`BENCH_SCENARIO must be one of ${scenarios.join(', ')}, not ${JSON.stringify(scenario)}`)
  const tablePaths = throughputPaths()
  const session = new Session()
  try {
    const results: BenchmarkResult[] = []
    const databasePath = join(session.dir, 'herald.db')
    const dataset = generateDataset(databasePath)
    results.push(datasetResult(dataset))
    const token = createToken(databasePath)

    // Herald on an empty database first: what start-up and memory cost before any data (and tsx's cache is warm for the next).
    const empty = await startHerald(session, join(session.dir, 'empty.db'))
    const emptyMemory = residentMemory(empty.pid)
    await stopHerald(empty)

    const herald = await startHerald(session, databasePath)
    // Idle after start-up, no request but the first GET /: 2 s after, and once V8 has given back what start-up
    // grew (its memory reducer runs after some 30 s without work), as a server between visits is.
    const idleMemory = await settledMemory(herald.pid)
    results.push({
      title: 'Start-up (spawn of `node bin/herald.js serve`)',
      rows: [
        ['', 'empty DB ms', 'five-year DB ms'],
        ['spawn to accepting connections', ms(empty.listeningMs), ms(herald.listeningMs)],
        ['spawn to the first 200 on GET /', ms(empty.firstPageMs), ms(herald.firstPageMs)]
      ],
      notes: ['Accepting connections is polled every 10 ms; the first GET / renders the page with the JIT still cold.']
    })

    const incidentPath = `/incidents/${dataset.longReference}`
    // BENCH_SCENARIO runs one part (and what it needs) instead of the whole run: search-flood, the floods;
    // throughput, the table; posting, the POSTs under load, commit to visible and the memory.
    const floodsOnly = scenario === 'search-flood'
    const postingOnly = scenario === 'posting'
    const throughputOnly = scenario === 'throughput'
    // First of the loads, while Herald's heap is still that of an idle server: after the others it has grown
    // to their peak, and the RSS would not show what 20,000 new addresses add.
    const unique = scenario === undefined && loadGenerator() === 'wrk' ? await uniqueQueries(session, herald) : undefined
    if (floodsOnly || (scenario === undefined && loadGenerator() === 'wrk')) {
      results.push(loadGenerator() === 'wrk'
        ? await searchFlood(session, herald, incidentPath)
        : { title: 'Search flood', rows: [['skipped'], ['wrk is not installed: autocannon cannot give each request a query of its own']] })
      results.push(await repeatedNotFound(session, herald, 1))
    }
    if (floodsOnly) return results
    if (!postingOnly) {
      if (!throughputOnly) results.push(await coldRenders(herald, token, ['/', incidentPath, '/history', '/history.rss', '/api/v2/summary.json']))
      results.push(await throughput(session, herald, tablePaths.map((path) => path === 'incident' ? incidentPath : path)))
      if (unique !== undefined) results.push(unique)
    }
    if (throughputOnly) return results

    const warmUp = await warmUpPosting(herald, token)
    const postings: PostingRun[] = []
    for (const readers of postingReaders) postings.push(await postingUnderLoad(session, herald, token, readers, postings.length * 100))
    results.push({
      title: `Posting under load: POSTs through the token API while / takes ${connections} connections (wrk -t${wrkThreads})`,
      rows: [['', 'POSTs', 'failed', 'p50 ms', 'p99 ms', 'max ms', 'target'], ...postings.map((posting) => posting.row)],
      notes: [
        `Up to ${postRate} POSTs a second (open, eight updates, resolve), one at a time, for ${duration - 1} s each, from a process of its own (poster.mjs; the p50 and p99 are its times); a resolution waits until its story's updates have shown on /.`,
        `Before them, one story posted without load and not counted (the first POSTs after a start run code not compiled yet): ${warmUp.map(ms).join(', ')} ms.`,
        ...postings.map((posting) => posting.note)
      ]
    })

    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const idle: Visibility[] = []
    try {
      for (let index = 0; index < visibleSamples; index++) idle.push(await commitToVisible(herald, token, dataset.openReferences[0] as string, agent, index))
    } finally {
      agent.destroy()
    }
    results.push({
      title: 'Commit to visible: from an update\'s POST response to the GET / that shows its text',
      rows: [['', 'samples', 'p50 ms', 'p99 ms', 'max ms', 'stale GETs'], visibilityRow('idle', idle),
        ...postings.map((posting) => visibilityRow(`under load (${connections} connections on /, ${posting.label})`, posting.visible))],
      notes: ['"stale GETs": samples where a GET after the commit still showed the page without the update (should be 0).']
    })

    const memory = await settledMemory(herald.pid)
    results.push({
      title: 'Resident memory of the Herald server',
      rows: [
        ['', 'MB', 'target'],
        ['VmRSS idle on the five-year DB, 2 s after start-up and the first GET /', idleMemory.first.toFixed(1), ''],
        [`VmRSS idle on the five-year DB, ${idleMemory.seconds} s after (settled)`, idleMemory.settled.toFixed(1), verdict(idleMemory.settled < targets.idleRssMb, `under ${targets.idleRssMb} MB`)],
        ['VmRSS 2 s after the whole run', memory.first.toFixed(1), verdict(memory.first < targets.rssMb, `under ${targets.rssMb} MB`)],
        [`VmRSS ${memory.seconds} s after the whole run (settled)`, memory.settled.toFixed(1), verdict(memory.settled < targets.rssMb, `under ${targets.rssMb} MB`)],
        ['VmHWM (peak) during the run', memory.peakMb.toFixed(1), ''],
        ['VmRSS of Herald on an empty database, after start-up and the first GET /', emptyMemory.rssMb.toFixed(1), '']
      ],
      notes: [
        'Herald runs compiled (bin/herald.js runs dist/): no loader counts in these figures.',
        'Settled: read each second until V8 has given back its young generation and its old one has been collected (its memory reducer waits for ' +
          'some 30 s without work), or for 90 s. What the run grew is kept until then: it is the heap V8 chose to work in, not what Herald holds.'
      ]
    })
    return results
  } finally {
    await session.close()
  }
}
