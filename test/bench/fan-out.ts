// Benchmark: an update told to 10,000 email subscribers and 1,000 webhooks (fake servers on 127.0.0.1): the write's latency with and without them, and the time until all are delivered.
import { mkdtempSync, rmSync } from 'node:fs'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SMTPServer } from 'smtp-server'
import { buildApp } from '../../server/app.js'
import { testConfig } from '../fixtures/build.js'
import { addSubscribers } from '../subscribers/fixtures/outbox-rows.js'
import type { BenchmarkResult } from './run.js'
import { benchNumber } from './settings.js'
import { percentile } from './statistics.js'

const emails = benchNumber('BENCH_EMAILS', 10_000, 0)
const webhooks = benchNumber('BENCH_WEBHOOKS', 1_000, 0)
// While a fan-out runs, a write that notifies nobody every this many ms, timed.
const probeEveryMs = 50
const warmUp = 20

/** An SMTP server that only counts what it is given (parsing 10,000 mails here would be the benchmark's own cost). */
async function countingSmtp (): Promise<{ port: number, count: () => number, close: () => Promise<void> }> {
  let count = 0
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData: (stream, _session, callback) => {
      stream.resume()
      stream.on('end', () => {
        count++
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return { port, count: () => count, close: async () => { await new Promise<void>((resolve) => server.close(() => resolve())) } }
}

/** A webhook receiver that answers 200 at once and counts. */
async function countingReceiver (): Promise<{ url: string, count: () => number, close: () => Promise<void> }> {
  let count = 0
  const server: Server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      count++
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    count: () => count,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function row (label: string, values: number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b)
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length
  return [label, String(sorted.length), ...[percentile(sorted, 50), percentile(sorted, 99), sorted.at(-1) ?? NaN, mean].map((ms) => ms.toFixed(2))]
}

interface Fanned {
  /** The notifying update's own request, in ms. */
  notifying: number
  /** Each write timed while its subscribers were being told, request sent to answer received, in ms. */
  writes: number[]
  /** From the notifying update's answer until every subscriber's message arrived, in ms. */
  deliveredMs: number
}

interface Herald {
  /** Posts one update that notifies; its request's time in ms. */
  post: (body: string) => Promise<number>
  /** Posts the next of the writes that notify nobody (ten updates per incident, as a real one has); its time in ms. */
  probe: () => Promise<number>
  delivered: () => number
  close: () => Promise<void>
}

/** Herald listening on 127.0.0.1 with SMTP on, an open incident, and the fake servers. */
async function start (subscribed: boolean): Promise<Herald> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'))
  const smtp = await countingSmtp()
  const receiver = await countingReceiver()
  const app = await buildApp({
    config: testConfig(dir, {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'status@example.com',
      SUBSCRIPTIONS_ALLOW_PRIVATE_URLS: '1',
      SUBSCRIPTIONS_ALLOW_HTTP: '1'
    })
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const token = app.herald.services.tokens.create('bench', 'bench')
  const request = async (path: string, payload: object): Promise<number> => {
    const started = performance.now()
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload)
    })
    await response.arrayBuffer()
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}`)
    return performance.now() - started
  }
  await request('/api/v1/incidents', { reference: 'BENCH1', name: 'Benchmark incident', body: 'Opened before anyone subscribed.', notify: false })
  const post = async (body: string): Promise<number> =>
    await request('/api/v1/incidents/BENCH1/updates', { status: 'monitoring', body })
  let probes = 0
  // Each probe's answer is its incident with all its updates: on one incident they would grow without end.
  const probe = async (): Promise<number> => {
    const incident = `PROBE${Math.floor(probes / 10)}`
    const body = `Probe ${probes}: still rolling out.`
    return await (probes++ % 10 === 0
      ? request('/api/v1/incidents', { reference: incident, name: 'Probe incident', body, notify: false })
      : request(`/api/v1/incidents/${incident}/updates`, { status: 'identified', body, notify: false }))
  }
  for (let i = 0; i < warmUp; i++) await probe()
  if (subscribed) {
    addSubscribers(app.herald.stores.db, [
      ...Array.from({ length: emails }, (_, i) => ({ kind: 'email' as const, target: `reader${i}@example.com` })),
      ...Array.from({ length: webhooks }, (_, i) => ({ kind: 'webhook' as const, target: `${receiver.url}/hook/${i}`, signingSecret: `whsec_bench${i}` }))
    ])
  }
  return {
    post,
    probe,
    delivered: () => smtp.count() + receiver.count(),
    close: async () => {
      await app.close()
      await smtp.close()
      await receiver.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Posts an update that notifies, then a write that notifies nobody every `probeEveryMs` until every subscriber has it. */
async function fanOut (herald: Herald, round: number): Promise<Fanned> {
  const before = herald.delivered()
  const expected = before + emails + webhooks
  const notifying = await herald.post(`Round ${round}: a fix is rolling out.`)
  const notified = performance.now()
  const writes: number[] = []
  const deadline = notified + 300_000
  while (herald.delivered() < expected && performance.now() < deadline) {
    writes.push(await herald.probe())
    await new Promise((resolve) => setTimeout(resolve, probeEveryMs))
  }
  if (herald.delivered() < expected) throw new Error(`only ${herald.delivered() - before} of ${emails + webhooks} delivered in 300 s`)
  return { notifying, writes, deliveredMs: performance.now() - notified }
}

/** The same writes, as many, without anyone to tell. */
async function baseline (count: number): Promise<{ notifying: number, writes: number[] }> {
  const herald = await start(false)
  try {
    const notifying = await herald.post('A fix is rolling out.')
    const writes: number[] = []
    for (let i = 0; i < count; i++) {
      writes.push(await herald.probe())
      await new Promise((resolve) => setTimeout(resolve, probeEveryMs))
    }
    return { notifying, writes }
  } finally {
    await herald.close()
  }
}

export async function run (): Promise<BenchmarkResult[]> {
  const herald = await start(true)
  let first: Fanned
  let second: Fanned
  try {
    first = await fanOut(herald, 1)
    second = await fanOut(herald, 2)
  } finally {
    await herald.close()
  }
  const without = await baseline(first.writes.length + second.writes.length)
  const all = (emails + webhooks).toLocaleString('en')
  const header = ['', 'writes', 'p50 ms', 'p99 ms', 'max ms', 'mean ms']
  return [{
    title: `Posting updates over HTTP while one is told to ${emails.toLocaleString('en')} email subscribers and ${webhooks.toLocaleString('en')} webhooks (a write every ${probeEveryMs} ms until all are delivered, twice)`,
    rows: [header, row('no subscribers', without.writes), row('during the fan-outs', [...first.writes, ...second.writes])],
    notes: [
      `All ${all} delivered ${(first.deliveredMs / 1000).toFixed(1)} s after the first update was posted, ${(second.deliveredMs / 1000).toFixed(1)} s after the second (target: under 60 s).`,
      `The notifying update's own request: ${without.notifying.toFixed(2)} ms without subscribers; with them ${first.notifying.toFixed(2)} ms the first time (code paths not yet compiled), ${second.notifying.toFixed(2)} ms the second.`,
      'Herald, the client, the fake SMTP server and the webhook receiver share one process (and this machine\'s two cores): the client reads an answer only when the worker hands back the event loop.'
    ]
  }]
}
