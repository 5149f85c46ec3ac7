// What every write path needs: the repositories, the clock, the settings, and one transaction helper.
import type { PostLimit } from '../domain/post-text.js'
import type { Clock } from '../domain/time.js'
import type { Stores } from '../store/stores.js'

/** Where updates are cross-posted: from the configuration (createConfiguredServices). */
export interface SocialSetup {
  /** PUBLIC_URL, for the link in each post. */
  publicUrl: string
  /** The channels that are on, each with how it counts a post. */
  limits: readonly PostLimit[]
  /** Called after a commit that made deliveries due: the outbox worker, where this process runs one, wakes. */
  wake: () => void
}

export interface ServiceContext {
  stores: Stores
  clock: Clock
  incidentPrefix: string
  /** Absent (or without limits): no channel is on and updates queue no deliveries. */
  social?: SocialSetup
  /**
   * Called after a commit that changed when a maintenance is due to start or complete: the maintenance
   * clock, where this process runs one, re-arms its timer.
   */
  maintenanceClock?: { wake: () => void }
}

export function nowIso (context: ServiceContext): string {
  return context.clock().toISOString()
}

// The work to run once the outermost write in progress on a context commits.
const afterCommitQueues = new WeakMap<ServiceContext, Array<() => void>>()

/**
 * Inside a write: runs `fn` once the transaction has committed, and never if it rolls back. Signals to
 * the outside (waking the outbox worker) go here, so nothing acts on data that is not committed yet.
 * `fn` must not throw: by then the write has committed.
 */
export function afterCommit (context: ServiceContext, fn: () => void): void {
  const queue = afterCommitQueues.get(context)
  if (queue === undefined) throw new Error('afterCommit called outside a write')
  queue.push(fn)
}

/**
 * Runs one write as one IMMEDIATE transaction (so two writers never deadlock on upgrade) and bumps the
 * content version inside it, so a public cache can never serve a body older than a committed write.
 */
export function write<T> (context: ServiceContext, work: () => T): T {
  const { db, counters } = context.stores
  // A write inside a write is part of the outer transaction: its signals wait for the outer commit.
  const outer = !afterCommitQueues.has(context)
  const queue: Array<() => void> = []
  if (outer) afterCommitQueues.set(context, queue)
  let result: T
  try {
    result = db.transaction(() => {
      const value = work()
      counters.bump('content_version')
      return value
    }).immediate()
  } finally {
    if (outer) afterCommitQueues.delete(context)
  }
  for (const fn of queue) fn()
  return result
}
