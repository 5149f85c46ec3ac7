// When an outbox worker looks for work: at start, right after a wake, every interval as a safety net, and when the next retry is due.

/**
 * The timing both outbox workers share (the social posts', and the subscribers' in notify/): what to do on a
 * sweep is theirs. A sweep runs on a timer or after setImmediate, never on the caller's stack: a wake comes
 * from a writer's commit.
 */
export class SweepLoop {
  readonly #sweep: () => void
  readonly #intervalMs: number
  readonly #shutdown = new AbortController()
  #running = false
  #wakeQueued = false
  #sweepTimer: NodeJS.Timeout | undefined
  #dueTimer: NodeJS.Timeout | undefined

  constructor (sweep: () => void, intervalMs: number) {
    this.#sweep = sweep
    this.#intervalMs = intervalMs
  }

  /** From start() until stop(). */
  get running (): boolean {
    return this.#running
  }

  /** Aborted by stop(): the signal of the sends in flight. */
  get signal (): AbortSignal {
    return this.#shutdown.signal
  }

  /** Sweeps at once (work a previous run left), then every interval; once stopped, never again. */
  start (): void {
    if (this.#running || this.#shutdown.signal.aborted) return
    this.#running = true
    this.#sweepTimer = setInterval(() => this.#sweep(), this.#intervalMs)
    this.#sweepTimer.unref()
    this.#sweep()
  }

  /** Work became due: one sweep right after this tick, however many wakes come before it. */
  wake (): void {
    if (!this.#running || this.#wakeQueued) return
    this.#wakeQueued = true
    setImmediate(() => {
      this.#wakeQueued = false
      this.#sweep()
    })
  }

  /** One timer for the next time work comes due (none: undefined), so it goes out on time between sweeps. */
  dueAt (next: string | undefined, now: Date): void {
    clearTimeout(this.#dueTimer)
    if (next === undefined) return
    const delay = Math.min(Math.max(Date.parse(next) - now.getTime(), 0), this.#intervalMs)
    this.#dueTimer = setTimeout(() => this.#sweep(), delay)
    this.#dueTimer.unref()
  }

  /** Stops the timers and aborts the signal; the worker then waits for what it has in flight. */
  stop (): void {
    this.#running = false
    clearInterval(this.#sweepTimer)
    clearTimeout(this.#dueTimer)
    this.#shutdown.abort()
  }
}
