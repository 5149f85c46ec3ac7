// The outbox worker: sends due deliveries to their channels, in thread order, with retries, never twice.
import type { Delivery, SentPost } from '../domain/deliveries.js'
import type { ChannelName } from '../domain/post-text.js'
import { retryDelay } from '../domain/retry.js'
import type { Clock } from '../domain/time.js'
import type { DeliveriesStore } from '../store/deliveries-store.js'
import type { Channel, PostOutcome } from './channel.js'
import { SweepLoop } from './sweep-loop.js'

export interface OutboxSettings {
  maxAttempts: number
  /** The first retry's delay; each later one doubles it, up to retryCapMs, with jitter. */
  retryBaseMs: number
  retryCapMs: number
  requestTimeoutMs: number
  /** The safety net: due work is looked for this often even without a wake. */
  sweepIntervalMs: number
  /** Deliveries in flight at once (of different threads). */
  concurrency: number
}

export const defaultOutboxSettings = {
  retryCapMs: 15 * 60_000,
  sweepIntervalMs: 5_000,
  concurrency: 4
} as const

/** The part of a pino logger the worker uses. */
export interface WorkerLog {
  info: (details: object, message: string) => void
  warn: (details: object, message: string) => void
  error: (details: object, message: string) => void
}

export interface OutboxWorkerOptions {
  deliveries: DeliveriesStore
  channels: readonly Channel[]
  clock: Clock
  log: WorkerLog
  settings: OutboxSettings
  /** Removes credentials from a text before it is stored or logged. */
  redact: (text: string) => string
  /**
   * Records a delivery as sent. The public API shows the post's id (tweet_id), so this is a write of the
   * services (DeliveryService.recordSent, handed over by the plugin: this layer is below them), which moves
   * the content version with it. The other outcomes (a retry, a failure) change nothing the public pages
   * show: the worker records them in the outbox itself.
   */
  recordSent: (deliveryId: number, post: SentPost) => void
  /** Told of each delivery that failed for good (the admin notice mail, when one is set); must not throw. */
  onFailed?: (delivery: Delivery, error: string) => void
  random?: () => number
}

// A 429's reset time is when the window reopens; a moment after it, the request counts in the new one.
const afterResetMs = 1_000
// An attempt may make three requests on X (post, then find it: who am I, my posts), plus slack.
const requestsPerAttempt = 4

export class OutboxWorker {
  readonly #deliveries: DeliveriesStore
  readonly #channels: Map<ChannelName, Channel>
  readonly #names: ChannelName[]
  readonly #clock: Clock
  readonly #recordSent: (deliveryId: number, post: SentPost) => void
  readonly #log: WorkerLog
  readonly #settings: OutboxSettings
  readonly #redact: (text: string) => string
  readonly #random: () => number
  readonly #onFailed: (delivery: Delivery, error: string) => void
  readonly #inFlight = new Map<number, Promise<void>>()
  readonly #loop: SweepLoop

  constructor (options: OutboxWorkerOptions) {
    this.#loop = new SweepLoop(() => { this.#sweep() }, options.settings.sweepIntervalMs)
    this.#deliveries = options.deliveries
    this.#channels = new Map(options.channels.map((channel) => [channel.name, channel]))
    this.#names = [...this.#channels.keys()]
    this.#clock = options.clock
    this.#log = options.log
    this.#settings = options.settings
    this.#redact = options.redact
    this.#recordSent = options.recordSent
    this.#random = options.random ?? Math.random
    this.#onFailed = options.onFailed ?? (() => {})
  }

  /** Sweeps at once (deliveries left by a previous run), then on every wake and every sweep interval. */
  start (): void {
    this.#loop.start()
  }

  /** Something became due (an update committed, a retry was asked for): look for it right after this tick. */
  wake (): void {
    this.#loop.wake()
  }

  /**
   * Stops claiming work and aborts the attempts in flight; they go back to pending, due at once, and
   * count as uncertain (the next run resends them the safe way). Must run before the database closes.
   */
  async stop (): Promise<void> {
    this.#loop.stop()
    await Promise.allSettled([...this.#inFlight.values()])
  }

  /** Resolves once nothing is in flight and nothing due can be claimed (for tests and the benchmark). */
  async settled (): Promise<void> {
    while (this.#loop.running) {
      this.#sweep()
      if (this.#inFlight.size === 0) return
      await Promise.allSettled([...this.#inFlight.values()])
    }
  }

  #sweep (): void {
    if (!this.#loop.running) return
    try {
      while (this.#inFlight.size < this.#settings.concurrency) {
        const now = this.#clock().getTime()
        const delivery = this.#deliveries.claimNext({
          channels: this.#names,
          now: new Date(now).toISOString(),
          leaseUntil: new Date(now + requestsPerAttempt * this.#settings.requestTimeoutMs).toISOString(),
          inFlight: [...this.#inFlight.keys()]
        })
        if (delivery === undefined) break
        const attempt = this.#attempt(delivery).finally(() => {
          this.#inFlight.delete(delivery.id)
          // The next post of its thread may be waiting for this one.
          this.#sweep()
        })
        this.#inFlight.set(delivery.id, attempt)
      }
      this.#scheduleNextDue()
    } catch (error) {
      // The database is busy or closing: the next wake or sweep tries again.
      this.#log.error({ err: error }, 'social outbox: looking for due deliveries failed')
    }
  }

  /** A timer for the next retry that comes due, so that it goes out on time between sweeps. */
  #scheduleNextDue (): void {
    const now = this.#clock()
    this.#loop.dueAt(this.#deliveries.nextDueAfter(this.#names, now.toISOString()), now)
  }

  async #attempt (delivery: Delivery): Promise<void> {
    const channel = this.#channels.get(delivery.channel) as Channel
    let outcome: PostOutcome
    try {
      outcome = await channel.post({
        text: delivery.text,
        link: delivery.link,
        replyToId: delivery.replyToId,
        idempotencyKey: delivery.idempotencyKey,
        uncertain: delivery.uncertain
      }, this.#loop.signal)
    } catch (error) {
      outcome = { outcome: 'retry', error: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, maybePosted: true, notBefore: null }
    }
    try {
      this.#record(delivery, outcome)
    } catch (error) {
      // The row stays `sending`; its claim lapses and a later sweep resends it the safe way.
      this.#log.error({ err: error, delivery: delivery.id }, 'social outbox: recording an outcome failed')
    }
  }

  #record (delivery: Delivery, outcome: PostOutcome): void {
    const now = this.#clock()
    const at = now.toISOString()
    const details = { delivery: delivery.id, update: delivery.updateId, channel: delivery.channel, attempt: delivery.attempts }
    if (outcome.outcome === 'sent') {
      const note = outcome.note === null ? null : this.#redact(outcome.note)
      this.#recordSent(delivery.id, { remoteId: outcome.remoteId, remoteUrl: outcome.remoteUrl, note })
      this.#log.info({ ...details, remoteId: outcome.remoteId, ...(note === null ? {} : { note }) }, 'social post sent')
      return
    }
    const error = this.#redact(outcome.error)
    if (outcome.outcome === 'failed') {
      if (this.#deliveries.markFailed(delivery.id, error, at)) this.#onFailed(delivery, error)
      this.#log.error({ ...details, error }, 'social post failed')
      return
    }
    if (this.#loop.signal.aborted) {
      this.#deliveries.markRetry(delivery.id, { error, notBefore: at, uncertain: outcome.maybePosted }, at)
      return
    }
    if (delivery.attempts >= this.#settings.maxAttempts) {
      const given = `gave up after ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}; the last: ${error}`
      if (this.#deliveries.markFailed(delivery.id, given, at)) this.#onFailed(delivery, given)
      this.#log.error({ ...details, error: given }, 'social post failed')
      return
    }
    const reset = outcome.notBefore === null ? null : outcome.notBefore.getTime() + afterResetMs
    const backoff = { baseMs: this.#settings.retryBaseMs, capMs: this.#settings.retryCapMs }
    const notBefore = new Date(reset !== null && reset > now.getTime() ? reset : now.getTime() + retryDelay(delivery.attempts, backoff, this.#random))
    this.#deliveries.markRetry(delivery.id, { error, notBefore: notBefore.toISOString(), uncertain: outcome.maybePosted }, at)
    this.#log.warn({ ...details, error, notBefore: notBefore.toISOString() }, 'social post will be retried')
  }
}
