// The subscriber worker: expands notifications into deliveries in batches, sends them through each kind's channel, retries, quarantines, prunes.
import { retryDelay } from '../domain/retry.js'
import type { Subscriber, SubscriberDelivery, SubscriberKind } from '../domain/subscribers.js'
import type { Clock } from '../domain/time.js'
import { keepDeliveriesMs, type SubscriberDeliveriesStore } from '../store/subscriber-deliveries-store.js'
import type { EventFacts } from './event-facts.js'
import type { FailureNotices } from './failure-notices.js'
import type { SendOutcome, SubscriberChannel, SubscriberLinks } from './subscriber-channel.js'
import { SweepLoop } from '../social/sweep-loop.js'

export interface SubscriberWorkerSettings {
  /** Deliveries in flight at once (each to a different subscriber). */
  concurrency: number
  maxAttempts: number
  /** The first retry's delay; each later one doubles it, up to retryCapMs, with jitter. */
  retryBaseMs: number
  retryCapMs: number
  requestTimeoutMs: number
  /** A webhook or chat whose deliveries have failed this long in a row is quarantined. */
  quarantineAfterMs: number
  /** Subscribers looked at per expansion transaction. */
  expandBatch: number
  /** The safety net: due work is looked for this often even without a wake. */
  sweepIntervalMs: number
  /** How often unconfirmed subscriptions and old deliveries are pruned. */
  pruneIntervalMs: number
}

export const defaultSubscriberWorkerSettings = {
  concurrency: 10,
  retryCapMs: 60 * 60_000,
  expandBatch: 500,
  sweepIntervalMs: 5_000,
  pruneIntervalMs: 60 * 60_000
} as const

/** What the worker reads and records of subscribers (the subscribers' store; it changes nothing the public pages show). */
export interface SubscriberRecords {
  get: (id: number) => Subscriber | undefined
  recordSuccess: (id: number, at: string) => void
  recordFailure: (id: number, error: string, at: string) => void
  quarantine: (id: number, at: string) => void
  markBounced: (id: number, at: string) => void
}

/** The part of a pino logger the worker uses. */
export interface SubscriberWorkerLog {
  info: (details: object, message: string) => void
  warn: (details: object, message: string) => void
  error: (details: object, message: string) => void
}

export interface SubscriberWorkerOptions {
  deliveries: SubscriberDeliveriesStore
  subscribers: SubscriberRecords
  channels: readonly SubscriberChannel[]
  /** The facts of a notification (loadEventFacts); undefined when what it tells is gone. */
  loadFacts: (notificationId: number) => EventFacts | undefined
  links: (subscriber: Subscriber) => SubscriberLinks
  /** Forgets unconfirmed subscriptions past their week (services.subscribers.pruneUnconfirmed). */
  pruneUnconfirmed: () => void
  /** The admin's failure notices and the quarantined webhooks' contacts; null without a mailer. */
  notices: FailureNotices | null
  siteName: string
  clock: Clock
  log: SubscriberWorkerLog
  settings: SubscriberWorkerSettings
  random?: () => number
}

// A lease covers the attempt's request and its wait for a pooled connection, with room to spare.
const leaseTimeouts = 3

// Facts shared by the deliveries of one notification that are claimed, read once.
interface CachedFacts {
  /** Absent until first read. */
  facts?: EventFacts | undefined
  users: number
}

export class SubscriberWorker {
  readonly #options: SubscriberWorkerOptions
  readonly #deliveries: SubscriberDeliveriesStore
  readonly #subscribers: SubscriberRecords
  readonly #channels: Map<SubscriberKind, SubscriberChannel>
  readonly #settings: SubscriberWorkerSettings
  readonly #clock: Clock
  readonly #log: SubscriberWorkerLog
  readonly #random: () => number
  readonly #inFlight = new Map<number, Promise<void>>()
  readonly #facts = new Map<number, CachedFacts>()
  /** The notification whose facts each delivery in flight holds. */
  readonly #factsHeld = new Map<number, number>()
  /** Deliveries in flight whose attempt asked for a retry: the due timer is set again once they are done. */
  readonly #retried = new Set<number>()
  readonly #loop: SweepLoop
  #expanding: Promise<void> | undefined
  #lastPrune = -Infinity
  #lastTurn: Promise<void> = Promise.resolve()

  constructor (options: SubscriberWorkerOptions) {
    this.#loop = new SweepLoop(() => { this.#sweep() }, options.settings.sweepIntervalMs)
    this.#options = options
    this.#deliveries = options.deliveries
    this.#subscribers = options.subscribers
    this.#channels = new Map(options.channels.flatMap((channel) => channel.kinds.map((kind) => [kind, channel] as const)))
    this.#settings = options.settings
    this.#clock = options.clock
    this.#log = options.log
    this.#random = options.random ?? Math.random
  }

  /** The kinds it has a channel for. */
  get kinds (): SubscriberKind[] {
    return [...this.#channels.keys()]
  }

  /** Sweeps at once (what a previous run left), then on every wake and every sweep interval. */
  start (): void {
    this.#loop.start()
  }

  /** A notification committed or a delivery came due: look right after this tick (the writer's stack is not ours). */
  wake (): void {
    this.#loop.wake()
  }

  /**
   * Stops expanding and claiming, aborts the sends in flight and puts them back as pending, due at once
   * (the next run sends them again, with the same delivery id). Must run before the database closes.
   */
  async stop (): Promise<void> {
    this.#loop.stop()
    await Promise.allSettled([...this.#inFlight.values(), this.#expanding])
    await this.#options.notices?.settled()
  }

  /** Resolves once nothing is being expanded or sent and nothing due can be claimed (tests, the benchmark). */
  async settled (): Promise<void> {
    while (this.#loop.running) {
      this.#sweep()
      if (this.#inFlight.size === 0 && this.#expanding === undefined) return
      await Promise.allSettled([...this.#inFlight.values(), this.#expanding])
    }
  }

  #sweep (): void {
    if (!this.#loop.running) return
    try {
      this.#housekeeping()
    } catch (error) {
      // Tried again at the next interval; sending goes on meanwhile.
      this.#log.error({ err: error }, 'subscribers: pruning failed')
    }
    try {
      this.#startExpansion()
      this.#fill()
      this.#scheduleNextDue()
    } catch (error) {
      // The database is busy or closing: the next wake or sweep tries again.
      this.#log.error({ err: error }, 'subscribers: looking for due deliveries failed')
    }
  }

  /**
   * Expands notifications one batch (one short transaction) at a time, handing the event loop back between
   * batches: a write waiting for the database, or a request, never waits behind a fan-out to 10,000. The
   * first batch is done at once, so that with nothing to expand nothing is left running.
   */
  #startExpansion (): void {
    if (this.#expanding !== undefined || !this.#expandOnce()) return
    this.#expanding = (async () => {
      do await new Promise((resolve) => setImmediate(resolve))
      while (this.#loop.running && this.#expandOnce())
    })().finally(() => { this.#expanding = undefined })
  }

  /** One batch, and the deliveries it made started: false when there was nothing to expand (or it failed). */
  #expandOnce (): boolean {
    let expansion
    try {
      expansion = this.#deliveries.expandNext(this.#settings.expandBatch, this.#clock().toISOString())
    } catch (error) {
      this.#log.error({ err: error }, 'subscribers: expanding a notification failed')
      return false
    }
    if (expansion === undefined) return false
    if (expansion.complete) this.#log.info({ notification: expansion.notificationId }, 'subscribers: notification expanded')
    this.#fillSafely()
    return true
  }

  #scheduleNextDueSafely (): void {
    try {
      this.#scheduleNextDue()
    } catch (error) {
      this.#log.error({ err: error }, 'subscribers: looking for the next due delivery failed')
    }
  }

  #fillSafely (): void {
    try {
      this.#fill()
    } catch (error) {
      this.#log.error({ err: error }, 'subscribers: looking for due deliveries failed')
    }
  }

  /** Claims due deliveries into the free slots and starts them. */
  #fill (): void {
    if (!this.#loop.running) return
    const free = this.#settings.concurrency - this.#inFlight.size
    if (free <= 0) return
    const now = this.#clock().getTime()
    const claimed = this.#deliveries.claimDue({
      now: new Date(now).toISOString(),
      leaseUntil: new Date(now + leaseTimeouts * this.#settings.requestTimeoutMs).toISOString(),
      limit: free,
      inFlight: [...this.#inFlight.keys()]
    })
    for (const delivery of claimed) {
      this.#holdFacts(delivery.id, delivery.notificationId)
      const attempt = this.#attempt(delivery).finally(() => {
        this.#inFlight.delete(delivery.id)
        // The next message of this subscriber may be waiting for this one, and a slot is free. Its facts are
        // let go after: the next delivery of the same notification finds them still loaded. A retry it
        // asked for gets its timer.
        this.#fillSafely()
        this.#releaseFacts(delivery.id)
        if (this.#retried.delete(delivery.id)) this.#scheduleNextDueSafely()
      })
      this.#inFlight.set(delivery.id, attempt)
    }
  }

  /** A timer for the next retry or lapsing claim, so that it goes out on time between sweeps. */
  #scheduleNextDue (): void {
    const now = this.#clock()
    this.#loop.dueAt(this.#deliveries.nextDueAfter(now.toISOString()), now)
  }

  /** Once an interval: unconfirmed subscriptions past their week, and deliveries done 30 days ago, are forgotten. */
  #housekeeping (): void {
    const now = this.#clock().getTime()
    if (now - this.#lastPrune < this.#settings.pruneIntervalMs) return
    this.#lastPrune = now
    this.#options.pruneUnconfirmed()
    const pruned = this.#deliveries.prune(new Date(now - keepDeliveriesMs).toISOString())
    if (pruned.deliveries > 0 || pruned.notifications > 0) this.#log.info(pruned, 'subscribers: old deliveries pruned')
  }

  /** The delivery will need its notification's facts: they stay cached until every delivery holding them is done. */
  #holdFacts (deliveryId: number, notificationId: number): void {
    let cached = this.#facts.get(notificationId)
    if (cached === undefined) {
      cached = { users: 0 }
      this.#facts.set(notificationId, cached)
    }
    cached.users++
    this.#factsHeld.set(deliveryId, notificationId)
  }

  /** Read on first use, once per notification while deliveries of it are claimed. */
  #factsOf (notificationId: number): EventFacts | undefined {
    const cached = this.#facts.get(notificationId) as CachedFacts
    if (!('facts' in cached)) cached.facts = this.#options.loadFacts(notificationId)
    return cached.facts
  }

  #releaseFacts (deliveryId: number): void {
    const notificationId = this.#factsHeld.get(deliveryId)
    if (notificationId === undefined) return
    this.#factsHeld.delete(deliveryId)
    const cached = this.#facts.get(notificationId) as CachedFacts
    if (--cached.users === 0) this.#facts.delete(notificationId)
  }

  /**
   * Resolves one turn of the event loop after the previous caller's turn: the sends claimed together start
   * one per turn, so that their synchronous work (rendering a mail, signing a payload) never holds a
   * request or a write back for more than one of them.
   */
  async #ownTurn (): Promise<void> {
    const turn = this.#lastTurn.then(async () => { await new Promise((resolve) => setImmediate(resolve)) })
    this.#lastTurn = turn
    await turn
  }

  async #attempt (delivery: SubscriberDelivery): Promise<void> {
    try {
      await this.#ownTurn()
      if (this.#loop.signal.aborted) {
        const at = this.#clock().toISOString()
        this.#deliveries.markRetry(delivery.id, 'Herald stopped before sending it', at, at)
        return
      }
      const subscriber = this.#subscribers.get(delivery.subscriberId)
      // Removed meanwhile: the delivery went with it.
      if (subscriber === undefined) return
      const at = this.#clock().toISOString()
      if (subscriber.state !== 'active') {
        this.#deliveries.markSkipped(delivery.id, `the subscriber is ${subscriber.state}`, at)
        return
      }
      const channel = this.#channels.get(subscriber.kind)
      if (channel === undefined) {
        this.#deliveries.markSkipped(delivery.id, `${subscriber.kind} is not configured`, at)
        return
      }
      const facts = this.#factsOf(delivery.notificationId)
      if (facts === undefined) {
        this.#deliveries.markSkipped(delivery.id, 'what it told was deleted before it was sent', at)
        return
      }
      const outcome = await this.#send(channel, delivery, subscriber, facts)
      this.#record(delivery, subscriber, facts, outcome)
    } catch (error) {
      // The row stays `sending`; its claim lapses and a later sweep sends it again, with the same id.
      this.#log.error({ err: error, delivery: delivery.id }, 'subscribers: an attempt failed to run or to be recorded')
    }
  }

  async #send (channel: SubscriberChannel, delivery: SubscriberDelivery, subscriber: Subscriber, facts: EventFacts): Promise<SendOutcome> {
    try {
      const links = this.#options.links(subscriber)
      return await channel.send({ deliveryId: delivery.id, subscriber, facts, links }, this.#loop.signal)
    } catch (error) {
      return { outcome: 'retry', error: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, notBefore: null }
    }
  }

  #record (delivery: SubscriberDelivery, subscriber: Subscriber, facts: EventFacts, outcome: SendOutcome): void {
    const now = this.#clock()
    const at = now.toISOString()
    // Never the target: a chat's URL is its credential, and an address is personal data.
    const details = { delivery: delivery.id, subscriber: subscriber.id, kind: subscriber.kind, attempt: delivery.attempts }
    if (outcome.outcome === 'sent') {
      if (this.#deliveries.markSent(delivery.id, at)) this.#subscribers.recordSuccess(subscriber.id, at)
      return
    }
    const { error } = outcome
    if (this.#loop.signal.aborted) {
      // Cut short by the shutdown: not the receiver's failure; sent again first thing next run.
      this.#deliveries.markRetry(delivery.id, error, at, at)
      return
    }
    if (outcome.outcome === 'failed' && outcome.bounced) {
      this.#deliveries.markFailed(delivery.id, error, at)
      this.#subscribers.markBounced(subscriber.id, at)
      this.#subscribers.recordFailure(subscriber.id, error, at)
      const skipped = this.#deliveries.skipPendingOf(subscriber.id, 'the address bounced', at)
      this.#log.warn({ ...details, error, skipped }, 'subscriber address bounced: no longer sent to')
      this.#options.notices?.deliveryFailed(this.#what(subscriber, facts), `${error} (the address is marked as bounced)`)
      return
    }
    this.#subscribers.recordFailure(subscriber.id, error, at)
    const failingSince = Date.parse(subscriber.failingSince ?? at)
    if (subscriber.kind !== 'email' && now.getTime() - failingSince >= this.#settings.quarantineAfterMs) {
      this.#quarantine(delivery, subscriber, facts, error, at)
      return
    }
    if (outcome.outcome === 'failed' || delivery.attempts >= this.#settings.maxAttempts) {
      const given = outcome.outcome === 'failed'
        ? error
        : `gave up after ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}; the last: ${error}`
      if (this.#deliveries.markFailed(delivery.id, given, at)) this.#options.notices?.deliveryFailed(this.#what(subscriber, facts), given)
      this.#log.error({ ...details, error: given }, 'subscriber delivery failed')
      return
    }
    const backoff = now.getTime() + retryDelay(delivery.attempts, { baseMs: this.#settings.retryBaseMs, capMs: this.#settings.retryCapMs }, this.#random)
    const asked = outcome.notBefore?.getTime() ?? 0
    const notBefore = new Date(Math.max(backoff, asked)).toISOString()
    this.#deliveries.markRetry(delivery.id, error, notBefore, at)
    this.#retried.add(delivery.id)
    this.#log.warn({ ...details, error, notBefore }, 'subscriber delivery will be retried')
  }

  /** Failing for the whole window: no more sends until an admin re-enables it; its contact is told. */
  #quarantine (delivery: SubscriberDelivery, subscriber: Subscriber, facts: EventFacts, error: string, at: string): void {
    const since = subscriber.failingSince ?? at
    const reason = `quarantined: every delivery failed since ${since}; the last: ${error}`
    this.#deliveries.markFailed(delivery.id, reason, at)
    this.#subscribers.quarantine(subscriber.id, at)
    const skipped = this.#deliveries.skipPendingOf(subscriber.id, 'the subscriber was quarantined', at)
    this.#log.warn({ delivery: delivery.id, subscriber: subscriber.id, kind: subscriber.kind, error, skipped }, 'subscriber quarantined')
    const { notices, siteName } = this.#options
    if (notices === null) return
    notices.deliveryFailed(this.#what(subscriber, facts), reason)
    if (subscriber.contactEmail !== null) {
      notices.sendTo(subscriber.contactEmail, `[${siteName}] Your ${kindName(subscriber.kind)} no longer receives updates`, [
        `${siteName} could not deliver its status updates to your ${kindName(subscriber.kind)} at ${targetHost(subscriber.target)}:`,
        `every delivery has failed since ${since} (the last error: ${error}).`,
        '',
        'It is no longer sent to. Once it works again, ask the administrators of the status page to re-enable it,',
        `or subscribe it again at ${facts.page.url}/subscribe.`
      ].join('\n'))
    }
  }

  /** A delivery as the admin's notice names it: never the full target (a chat URL is a credential). */
  #what (subscriber: Subscriber, facts: EventFacts): string {
    const about = facts.incident === null
      ? facts.components.map((component) => component.name).join(', ')
      : facts.incident.reference
    return `The ${kindName(subscriber.kind)} delivery to subscriber #${subscriber.id} (${targetHost(subscriber.target)}) of ${about}`
  }
}

function kindName (kind: SubscriberKind): string {
  return kind === 'email' ? 'email' : kind === 'webhook' ? 'webhook' : `${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)} webhook`
}

/** The host of a URL, or the domain of an address. */
function targetHost (target: string): string {
  const at = target.lastIndexOf('@')
  if (!target.includes('://')) return at === -1 ? target : target.slice(at + 1)
  try {
    return new URL(target).host
  } catch {
    return 'an invalid URL'
  }
}
