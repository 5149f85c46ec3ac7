// Runs the monitors: each at its interval from its last run, at most 10 checks at once, heartbeat deadlines, run now, pruning.
import { type CheckOutcome, type Monitor, monitorLimits } from '../domain/monitors.js'
import type { Clock } from '../domain/time.js'
import { ConflictError, NotFoundError } from '../services/errors.js'
import { type MonitorRuns, type RecordedRun, heartbeatDeadline } from '../services/monitor-runs.js'

/** One check of one monitor: network I/O only; a failure is an outcome. `signal` aborts it when the scheduler closes. */
export type CheckFunction = (monitor: Monitor, signal: AbortSignal) => Promise<CheckOutcome>

export interface SchedulerLog {
  error: (details: object, message: string) => void
  warn: (details: object, message: string) => void
}

export interface SchedulerOptions {
  runs: MonitorRuns
  check: CheckFunction
  clock: Clock
  log: SchedulerLog
  /** Math.random unless a test fixes the jitter. */
  random?: () => number
  /** Checks in flight at once: monitorLimits.maxConcurrentChecks unless a test says. */
  maxConcurrent?: number
  /**
   * Whether the scheduler arms its own timer (true by default). A test with a TestClock sets false and calls
   * tick() after moving the clock: no test waits 10 real seconds for an interval.
   */
  timers?: boolean
}

// The timer is re-armed at least this often, so a clock set forward or back, or a monitor another process
// changed without signalling this one, is noticed within a minute.
const longestWaitMs = 60_000
// Overdue checks (after a restart, or a resume) are spread over this much, or their interval if shorter,
// so that 200 monitors do not all run in the first second.
const overdueSpreadMs = 30_000
const pruneEveryMs = 3_600_000

interface Entry {
  monitor: Monitor
  /** When it runs next (ms): its next check, or a heartbeat's deadline. */
  dueAt: number
}

interface Waiter {
  resolve: (run: RecordedRun | null) => void
  reject: (error: unknown) => void
}

interface Queued {
  id: number
  /** Who asked to run it now and waits for its result. */
  waiters: Waiter[]
}

export class MonitorScheduler {
  readonly #runs: MonitorRuns
  readonly #check: CheckFunction
  readonly #clock: Clock
  readonly #log: SchedulerLog
  readonly #random: () => number
  readonly #maxConcurrent: number
  readonly #timers: boolean
  readonly #entries = new Map<number, Entry>()
  readonly #queue: Queued[] = []
  readonly #running = new Map<number, Promise<void>>()
  readonly #closing = new AbortController()
  #timer: NodeJS.Timeout | undefined
  #lastPruneAt = Number.NEGATIVE_INFINITY
  #reloadedAt = Number.NEGATIVE_INFINITY
  #idle: Array<() => void> = []
  #started = false

  constructor (options: SchedulerOptions) {
    this.#runs = options.runs
    this.#check = options.check
    this.#clock = options.clock
    this.#log = options.log
    this.#random = options.random ?? Math.random
    this.#maxConcurrent = options.maxConcurrent ?? monitorLimits.maxConcurrentChecks
    this.#timers = options.timers ?? true
  }

  /** Reads the monitors and runs what is due (after a restart, each continues from its last run). */
  start (): void {
    this.#started = true
    this.reload()
    this.tick()
  }

  /**
   * Reads the monitors again (a monitor added, changed, paused, resumed or removed): one whose schedule did
   * not change keeps its next time; a new or changed one is placed again from its last run. (The components
   * such a change lets go of are settled by the change's own write: MonitorService.)
   */
  reload (): void {
    if (this.#closing.signal.aborted) return
    const now = this.#clock().getTime()
    this.#reloadedAt = now
    const seen = new Set<number>()
    for (const monitor of this.#runs.list()) {
      if (monitor.paused) continue
      seen.add(monitor.id)
      const known = this.#entries.get(monitor.id)
      const same = known !== undefined && monitor.kind !== 'heartbeat' && known.monitor.kind === monitor.kind &&
        known.monitor.intervalS === monitor.intervalS && known.monitor.lastRunAt === monitor.lastRunAt
      this.#entries.set(monitor.id, { monitor, dueAt: same ? known.dueAt : this.#dueAt(monitor, now) })
    }
    for (const id of this.#entries.keys()) {
      if (!seen.has(id)) this.#entries.delete(id)
    }
    this.#arm()
  }

  /** Does what is due by the clock: queues due checks, records missed heartbeats, prunes once an hour. */
  tick (): void {
    if (this.#closing.signal.aborted) return
    const now = this.#clock().getTime()
    // A monitor another process added, changed or removed (`herald monitors apply` while this one serves) sends
    // this one no signal: the list is read again at least once a minute (the timer fires at least that often).
    if (now - this.#reloadedAt >= longestWaitMs) this.reload()
    for (const [id, entry] of this.#entries) {
      if (entry.dueAt > now || this.#running.has(id) || this.#queue.some((queued) => queued.id === id)) continue
      if (entry.monitor.kind === 'heartbeat') this.#heartbeat(id, now)
      else this.#queue.push({ id, waiters: [] })
    }
    if (this.#entries.size > 0 && now - this.#lastPruneAt >= pruneEveryMs) {
      this.#lastPruneAt = now
      try {
        this.#runs.prune()
      } catch (err) {
        this.#log.error({ err }, 'pruning old monitor runs failed')
      }
    }
    this.#pump()
    this.#arm()
  }

  /**
   * Runs a monitor now, ahead of the others waiting (still within the cap), and resolves with what was
   * recorded (null when it was paused or removed meanwhile). A heartbeat or a paused monitor is refused (409).
   */
  async runNow (id: number): Promise<RecordedRun | null> {
    const monitor = this.#runs.get(id)
    this.#runs.checkRunnable(monitor)
    if (monitor.paused) throw new ConflictError(`${monitor.name} is paused: resume it to run it`)
    if (this.#closing.signal.aborted) throw new ConflictError('the monitors are stopping')
    return await new Promise<RecordedRun | null>((resolve, reject) => {
      const index = this.#queue.findIndex((queued) => queued.id === id)
      const queued = index === -1 ? { id, waiters: [] } : this.#queue.splice(index, 1)[0] as Queued
      queued.waiters.push({ resolve, reject })
      this.#queue.unshift(queued)
      this.#pump()
    })
  }

  /** Checks in flight now. */
  get inFlight (): number {
    return this.#running.size
  }

  /** The next time each monitor is due (ms), for tests and the logs. */
  dueTimes (): Map<number, number> {
    return new Map([...this.#entries].map(([id, entry]) => [id, entry.dueAt]))
  }

  /** Resolves once no check is in flight or waiting. */
  async settled (): Promise<void> {
    if (this.#running.size === 0 && this.#queue.length === 0) return
    await new Promise<void>((resolve) => { this.#idle.push(resolve) })
  }

  /** Stops: no new check starts, those in flight are aborted (their outcome is not recorded), the timer goes. */
  async close (): Promise<void> {
    this.#closing.abort()
    clearTimeout(this.#timer)
    for (const queued of this.#queue.splice(0)) {
      for (const waiter of queued.waiters) waiter.reject(new ConflictError('the monitors are stopping'))
    }
    await Promise.all(this.#running.values())
    this.#settle()
  }

  #dueAt (monitor: Monitor, now: number): number {
    if (monitor.kind === 'heartbeat') return Date.parse(heartbeatDeadline(monitor) as string)
    const intervalMs = monitor.intervalS * 1000
    // A new monitor's first run: anywhere in its first interval, so that monitors made together spread out.
    if (monitor.lastRunAt === null) return now + Math.floor(this.#random() * intervalMs)
    const next = Date.parse(monitor.lastRunAt) + intervalMs
    return next > now ? next : now + Math.floor(this.#random() * Math.min(intervalMs, overdueSpreadMs))
  }

  #heartbeat (id: number, now: number): void {
    try {
      this.#runs.missedHeartbeat(id)
      // Placed again from what is stored: the missed run, or a call that came in since.
      const monitor = this.#runs.get(id)
      this.#entries.set(id, { monitor, dueAt: this.#dueAt(monitor, now) })
    } catch (err) {
      this.#log.error({ err, monitorId: id }, 'a missed heartbeat could not be recorded')
      const entry = this.#entries.get(id)
      if (entry !== undefined) entry.dueAt = now + longestWaitMs
    }
  }

  #pump (): void {
    while (this.#running.size < this.#maxConcurrent && !this.#closing.signal.aborted) {
      // The first waiting monitor not already being checked: one monitor never has two checks in flight.
      const index = this.#queue.findIndex((queued) => !this.#running.has(queued.id))
      if (index === -1) break
      const queued = this.#queue.splice(index, 1)[0] as Queued
      this.#running.set(queued.id, this.#run(queued))
    }
    this.#settle()
  }

  async #run (queued: Queued): Promise<void> {
    const { id, waiters } = queued
    const startedAt = this.#clock()
    let recorded: RecordedRun | null = null
    let failure: unknown
    try {
      const monitor = this.#runs.find(id)
      if (monitor === undefined) throw new NotFoundError(`no monitor with id ${id}`)
      const outcome = await this.#check(monitor, this.#closing.signal)
      // Closing: the check was cut short, so its outcome says nothing about the target.
      if (!this.#closing.signal.aborted) recorded = this.#runs.record(id, outcome, startedAt.toISOString())
    } catch (err) {
      failure = err
      // A monitor removed while it waited is no trouble: the next reload forgets it.
      if (!this.#closing.signal.aborted && !(err instanceof NotFoundError)) this.#log.error({ err, monitorId: id }, 'a monitor check could not be run or recorded')
    }
    this.#running.delete(id)
    const entry = this.#entries.get(id)
    if (entry !== undefined) {
      if (recorded !== null) entry.monitor = recorded.monitor
      const intervalMs = entry.monitor.intervalS * 1000
      entry.dueAt = startedAt.getTime() + intervalMs
    }
    for (const waiter of waiters) {
      if (failure === undefined) waiter.resolve(recorded)
      else waiter.reject(failure)
    }
    this.#pump()
    this.#arm()
  }

  #settle (): void {
    if (this.#running.size > 0 || this.#queue.length > 0) return
    for (const resolve of this.#idle.splice(0)) resolve()
  }

  #arm (): void {
    if (!this.#timers || !this.#started || this.#closing.signal.aborted) return
    clearTimeout(this.#timer)
    const now = this.#clock().getTime()
    let next = now + longestWaitMs
    for (const [id, entry] of this.#entries) {
      // One waiting for a slot is started when a check ends, not by the timer.
      if (entry.dueAt < next && !this.#running.has(id) && !this.#queue.some((queued) => queued.id === id)) next = entry.dueAt
    }
    this.#timer = setTimeout(() => { this.tick() }, Math.max(0, next - now))
    this.#timer.unref()
  }
}
