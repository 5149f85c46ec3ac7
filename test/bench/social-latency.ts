// Benchmark: the time from an update's commit to the fake X and Mastodon servers receiving its post (p50, p99).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.js'
import { testConfig } from '../fixtures/build.js'
import { FakeMastodon, mastodonEnv } from '../fixtures/fake-mastodon.js'
import { FakeX, xEnv } from '../fixtures/fake-x.js'
import type { ReceivedPost } from '../social/fixtures/fake-api.js'
import type { BenchmarkResult } from './run.js'
import { benchNumber } from './settings.js'

const updates = benchNumber('BENCH_UPDATES', 300)
const warmUp = 20

interface Run {
  app: FastifyInstance
  x: FakeX
  mastodon: FakeMastodon
  /** performance.now() when each update committed, by update id. */
  committedAt: Map<number, number>
  /** Commits an update on `reference` (opening it when new); returns its id. */
  commit: (reference: string, index: number) => number
  close: () => Promise<void>
}

async function start (): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'))
  const x = await FakeX.start()
  const mastodon = await FakeMastodon.start()
  const app = await buildApp({ config: testConfig(dir, { ...xEnv(x), ...mastodonEnv(mastodon) }) })
  await app.ready()
  if (app.outbox === null) throw new Error('cross-posting is off')
  // The services wake the worker right after the commit: the moment the clock starts.
  let lastCommit = 0
  app.herald.signals.subscribe('deliveriesDue', () => { lastCommit = performance.now() })
  const committedAt = new Map<number, number>()
  const { incidents } = app.herald.services
  const opened = new Set<string>()
  const commit = (reference: string, index: number): number => {
    const body = `Update ${index} of ${reference}: we are working on it and will post again within the hour.`
    const incident = opened.has(reference)
      ? incidents.postUpdate(reference, { status: 'identified', body }, 'bench')
      : incidents.open({ reference, name: 'Benchmark incident', body }, 'bench')
    opened.add(reference)
    const id = incident.updates[0]?.id as number
    committedAt.set(id, lastCommit)
    return id
  }
  const close = async (): Promise<void> => {
    await app.close()
    await x.close()
    await mastodon.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { app, x, mastodon, committedAt, commit, close }
}

/** Commit-to-receipt times of the posts for these updates, in ms. */
function latencies (run: Run, posts: ReceivedPost[], ids: Set<number>): number[] {
  return posts.flatMap((post) => {
    const id = Number(/#update-(\d+)$/.exec(post.text)?.[1])
    const committed = run.committedAt.get(id)
    return ids.has(id) && committed !== undefined ? [post.receivedHr - committed] : []
  })
}

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))] ?? NaN
}

function row (label: string, values: number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b)
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length
  return [label, String(sorted.length), ...[percentile(sorted, 50), percentile(sorted, 99), sorted.at(-1) ?? NaN, mean].map((ms) => ms.toFixed(2))]
}

const header = ['', 'posts', 'p50 ms', 'p99 ms', 'max ms', 'mean ms']

/** One update at a time, each posted before the next: the latency of the path itself. */
async function oneAtATime (): Promise<BenchmarkResult> {
  const run = await start()
  try {
    const ids = new Set<number>()
    for (let i = 0; i < warmUp + updates; i++) {
      // Ten updates per incident: most posts are replies, as in a real thread.
      const id = run.commit(`BENCH${Math.floor(i / 10)}`, i)
      if (i >= warmUp) ids.add(id)
      await run.x.waitForPosts(i + 1)
      await run.mastodon.waitForPosts(i + 1)
      await run.app.outbox?.settled()
    }
    return {
      title: `One update at a time (${updates} updates, 10 per incident, after ${warmUp} to warm up)`,
      rows: [header, row('Twitter/X', latencies(run, run.x.posts, ids)), row('Mastodon', latencies(run, run.mastodon.posts, ids))]
    }
  } finally {
    await run.close()
  }
}

/** Updates committed back to back across 30 incidents: queueing behind the thread order and the 4 posts in flight. */
async function burst (): Promise<BenchmarkResult> {
  const run = await start()
  try {
    for (let i = 0; i < warmUp; i++) run.commit(`WARM${i}`, i)
    await run.x.waitForPosts(warmUp)
    await run.mastodon.waitForPosts(warmUp)
    await run.app.outbox?.settled()
    const ids = new Set<number>()
    for (let i = 0; i < updates; i++) {
      ids.add(run.commit(`BURST${i % 30}`, i))
      // Updates arrive as separate requests: the event loop turns between commits.
      await new Promise((resolve) => setImmediate(resolve))
    }
    await run.x.waitForPosts(warmUp + updates, 120_000)
    await run.mastodon.waitForPosts(warmUp + updates, 120_000)
    return {
      title: `A burst (${updates} updates committed back to back over 30 incidents)`,
      rows: [header, row('Twitter/X', latencies(run, run.x.posts, ids)), row('Mastodon', latencies(run, run.mastodon.posts, ids))],
      notes: ['Each thread posts in order, one at a time, and at most 4 posts are in flight: later updates wait their turn.']
    }
  } finally {
    await run.close()
  }
}

export async function run (): Promise<BenchmarkResult[]> {
  return [await oneAtATime(), await burst()]
}
