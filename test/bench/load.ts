// The read-path benchmark's load generator: Debian's wrk when installed, autocannon otherwise, run as a child process.
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { accessSync, constants, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface LoadResult {
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  /** Connection errors, read and write errors and timeouts. */
  errors: number
  /** Answers with a status other than 2xx (wrk counts those of 400 and above). */
  non2xx: number
  requests: number
  /** Bytes received per request, headers included. */
  bytesPerRequest: number
}

export interface LoadOptions {
  url: string
  connections: number
  durationSec: number
  /** wrk's threads (ignored by autocannon). */
  threads?: number
  /** Where the wrk script is written. */
  dir: string
  /** Told of each child as it starts, so that a run cut short can kill it. */
  track: (child: ChildProcess) => void
  /** Request headers sent with every request (e.g. Accept-Encoding). */
  headers?: Record<string, string>
  /** wrk only: Lua defining setup/init/request (e.g. a new query string each request), run before the summary's done function. */
  wrkLua?: string
}

export type LoadGenerator = 'wrk' | 'autocannon'

const root = fileURLToPath(new URL('../../', import.meta.url))
const autocannonBin = join(root, 'node_modules', '.bin', 'autocannon')

function executable (path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** wrk's path when it is installed (BENCH_LOAD=autocannon forces the fallback). */
function wrkPath (): string | undefined {
  if (process.env.BENCH_LOAD === 'autocannon') return undefined
  const candidates = ['/usr/bin/wrk', ...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, 'wrk'))]
  return candidates.find(executable)
}

export function loadGenerator (): LoadGenerator {
  return wrkPath() === undefined ? 'autocannon' : 'wrk'
}

// wrk's own summary is meant for people (units change with the size: 1.2ms, 850.00us, 1.05s); a done
// script prints the raw numbers as one JSON line instead. Latencies are in microseconds.
const wrkScript = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK-JSON {"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%.1f,"p99Us":%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`

interface WrkSummary {
  requests: number
  durationUs: number
  bytes: number
  connect: number
  read: number
  write: number
  status: number
  timeout: number
  p50Us: number
  p99Us: number
}

interface AutocannonSummary {
  requests: { average: number, total: number }
  latency: { p50: number, p99: number }
  throughput: { total: number }
  errors: number
  timeouts: number
  non2xx: number
}

function runChild (command: string, args: string[], track: (child: ChildProcess) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    track(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stdout)
      else reject(new Error(`${command} ended with ${signal ?? `status ${code}`}: ${stderr.trim() || stdout.trim()}`))
    })
  })
}

async function runWrk (wrk: string, options: LoadOptions): Promise<LoadResult> {
  const text = `${options.wrkLua ?? ''}\n${wrkScript}`
  // Named by its content: runs with different scripts may overlap without overwriting each other's.
  const script = join(options.dir, `wrk-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.lua`)
  writeFileSync(script, text)
  const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const args = [`-t${options.threads ?? 1}`, `-c${options.connections}`, `-d${options.durationSec}s`, '--timeout', '5s', ...headers, '-s', script, options.url]
  const output = await runChild(wrk, args, options.track)
  const line = output.split('\n').find((text) => text.startsWith('WRK-JSON '))
  if (line === undefined) throw new Error(`wrk printed no summary: ${output.trim()}`)
  const summary = JSON.parse(line.slice('WRK-JSON '.length)) as WrkSummary
  return {
    requestsPerSec: summary.requests / (summary.durationUs / 1e6),
    p50Ms: summary.p50Us / 1000,
    p99Ms: summary.p99Us / 1000,
    errors: summary.connect + summary.read + summary.write + summary.timeout,
    non2xx: summary.status,
    requests: summary.requests,
    bytesPerRequest: summary.requests === 0 ? 0 : summary.bytes / summary.requests
  }
}

async function runAutocannon (options: LoadOptions): Promise<LoadResult> {
  if (options.wrkLua !== undefined) throw new Error('a wrk script needs wrk; autocannon cannot run it')
  const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}=${value}`])
  const args = ['-c', String(options.connections), '-d', String(options.durationSec), ...headers, '-j', '-n', options.url]
  const output = await runChild(autocannonBin, args, options.track)
  const summary = JSON.parse(output.slice(output.indexOf('{'))) as AutocannonSummary
  return {
    requestsPerSec: summary.requests.average,
    p50Ms: summary.latency.p50,
    p99Ms: summary.latency.p99,
    errors: summary.errors + summary.timeouts,
    non2xx: summary.non2xx,
    requests: summary.requests.total,
    bytesPerRequest: summary.requests.total === 0 ? 0 : summary.throughput.total / summary.requests.total
  }
}

/** Loads one URL with GETs for a fixed time; resolves with the rate, the latencies and the failures. */
export async function runLoad (options: LoadOptions): Promise<LoadResult> {
  const wrk = wrkPath()
  return wrk === undefined ? await runAutocannon(options) : await runWrk(wrk, options)
}
