// What every write and read path needs: the repositories, the clock, the settings, the commit signals, and the transaction helpers.
import type { PasswordHashing } from '../domain/accounts.js'
import type { PostLimit } from '../domain/post-text.js'
import type { Clock } from '../domain/time.js'
import type { Stores } from '../store/stores.js'
import type { CommitSignal, CommitSignals } from './commit-signals.js'
import type { SteppedReads } from './stepped-reads.js'

/** Where updates are cross-posted: from the configuration (createConfiguredServices). */
export interface SocialSetup {
  /** PUBLIC_URL, for the link in each post. */
  readonly publicUrl: string
  /** The channels that are on, each with how it counts a post. */
  readonly limits: readonly PostLimit[]
}

/** Fixed at construction: what the services call after a commit is subscribed to `signals`, never assigned here. */
export interface ServiceContext {
  readonly stores: Stores
  /** The long public reads taken in steps on a second connection (the server's); absent, they are read in one turn on `stores`. */
  readonly stepped?: SteppedReads
  readonly clock: Clock
  readonly incidentPrefix: string
  /** The prefix of the references of maintenances made without one: defaultMaintenancePrefix unless given. */
  readonly maintenancePrefix?: string
  /** Absent (or without limits): no channel is on and updates queue no deliveries. */
  readonly social?: SocialSetup
  /** Sent after commits (signalAfterCommit); the outbox worker and the maintenance clock listen. */
  readonly signals: CommitSignals
  /** PUBLIC_URL, for the links in subscribers' messages; the default address of the embedded set-up when absent. */
  readonly publicUrl?: string
  /** Whether subscribers' webhook and chat URLs may be plain http (SUBSCRIPTIONS_ALLOW_HTTP); https only when absent. */
  readonly allowHttpUrls?: boolean
  /** The cost of new password hashes: the floor unless given (the configuration's, lowered only by tests). */
  readonly passwordHashing?: PasswordHashing
}

export function nowIso (context: ServiceContext): string {
  return context.clock().toISOString()
}

// The signals to send once the outermost write in progress on a context commits.
const pendingSignals = new WeakMap<ServiceContext, Set<CommitSignal>>()

/**
 * Inside a write: sends `signal` once the transaction has committed (once, however often the write asks),
 * and never if it rolls back, so nothing outside (the outbox worker, the maintenance clock) acts on data
 * that is not committed yet.
 */
export function signalAfterCommit (context: ServiceContext, signal: CommitSignal): void {
  const pending = pendingSignals.get(context)
  if (pending === undefined) throw new Error('signalAfterCommit called outside a write')
  pending.add(signal)
}

export interface WriteOptions {
  /**
   * False for a write that changes nothing the public pages, feeds or /api/v2 show (a subscriber subscribing,
   * confirming, choosing components, leaving; an admin managing subscribers): the content version stays, so the
   * public caches keep their bodies. An anonymous visitor's write must never make Herald render its pages again.
   */
  public?: boolean
}

/**
 * Runs one write as one IMMEDIATE transaction (so two writers never deadlock on upgrade) and bumps the
 * content version inside it, so a public cache can never serve a body older than a committed write.
 * This is the one place that moves the content version: every change the public pages show is a write
 * (and only a write that says `public: false` leaves it).
 */
export function write<T> (context: ServiceContext, work: () => T, options: WriteOptions = {}): T {
  const { db, counters } = context.stores
  // A write inside a write is part of the outer transaction: its signals wait for the outer commit.
  const outer = !pendingSignals.has(context)
  const pending = new Set<CommitSignal>()
  if (outer) pendingSignals.set(context, pending)
  let result: T
  try {
    result = db.transaction(() => {
      const value = work()
      if (options.public !== false) counters.bump('content_version')
      return value
    }).immediate()
  } finally {
    if (outer) pendingSignals.delete(context)
  }
  if (pending.size > 0) context.signals.emit(pending)
  return result
}

/**
 * Runs one read as one DEFERRED transaction: whatever `work` reads is of one snapshot, even while another
 * process writes (WAL), so a page's banner and its body, or a count and its page, never disagree. It takes
 * no write lock; inside a write it is part of that write's transaction.
 */
export function read<T> (context: ServiceContext, work: () => T): T {
  return context.stores.db.transaction(work)()
}
