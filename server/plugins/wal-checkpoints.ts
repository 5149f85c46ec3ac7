// Checkpoints the WAL while the event loop is idle, so that no write and no request waits on the fsyncs of SQLite's own checkpoint.
import { performance } from 'node:perf_hooks'
import fp from 'fastify-plugin'
import { checkpoint, checkpointOnlyPastBound } from '../db/wal-checkpoint.js'

export interface WalCheckpointsOptions {
  /** How often the loop is looked at: every second unless a test needs it sooner. */
  everyMs?: number
  /** The share of the last interval the event loop was busy, performance's measure unless a test gives one. */
  utilization?: () => number
}

// Idle: busy under a quarter of the last second. A spike of readers, or a run of posted updates, keeps the loop
// busier than that, and the checkpoint waits for the quiet after it (or, through a long one, SQLite's bound).
const idleBelow = 0.25

/** The event loop's utilization since the last call. */
function sinceLastCall (): () => number {
  let last = performance.eventLoopUtilization()
  return () => {
    const now = performance.eventLoopUtilization()
    const { utilization } = performance.eventLoopUtilization(now, last)
    last = now
    return utilization
  }
}

export default fp<WalCheckpointsOptions>(async function walCheckpointsPlugin (app, options) {
  const { db } = app.herald.stores
  const utilization = options.utilization ?? sinceLastCall()
  const log = app.log.child({ module: 'wal' })
  checkpointOnlyPastBound(db)
  const timer = setInterval(() => {
    if (utilization() >= idleBelow) return
    try {
      checkpoint(db)
    } catch (err) {
      // A full disk or an I/O error: the WAL keeps the data; SQLite's own checkpoint, or the next idle second, tries again.
      log.error({ err }, 'WAL checkpoint failed')
    }
  }, options.everyMs ?? 1000)
  timer.unref()
  app.addHook('onClose', async () => {
    clearInterval(timer)
  })
}, { name: 'wal-checkpoints', dependencies: ['herald'] })
