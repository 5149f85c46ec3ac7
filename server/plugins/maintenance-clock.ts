// Runs scheduled maintenance by the clock while the app is up: a timer armed for the next planned start or end.
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    maintenanceClock: MaintenanceClock
  }
}

export interface MaintenanceClock {
  /** Performs what is due now and re-arms for the next planned time (called after every change of plan). */
  wake: () => void
}

// Re-checked at least this often, so a long wait never overflows setTimeout (24.8 days), a system
// clock set forward or back is noticed within a minute, and so is a maintenance that another process
// (the command line, `herald demo`) planned without waking this one.
const longestWaitMs = 60_000
// After a failed run, the next try waits this long: a transition that keeps failing is retried, not spun on.
const retryWaitMs = 5_000

export interface MaintenanceClockOptions {
  /** The longest wait between two looks at the plan; longestWaitMs unless a test needs it shorter. */
  recheckMs?: number
}

export default fp<MaintenanceClockOptions>(async function maintenanceClockPlugin (app, options) {
  const { clock, services, signals } = app.herald
  const recheckMs = options.recheckMs ?? longestWaitMs
  const log = app.log.child({ module: 'maintenance' })
  let timer: NodeJS.Timeout | undefined
  let closed = false

  function arm (shortestWaitMs = 0): void {
    clearTimeout(timer)
    if (closed) return
    const next = services.maintenances.nextDue()
    const wait = next === null
      ? Math.max(shortestWaitMs, recheckMs)
      : Math.min(Math.max(shortestWaitMs, Date.parse(next) - clock().getTime()), recheckMs)
    timer = setTimeout(run, wait)
    timer.unref()
  }

  function run (): void {
    if (closed) return
    let shortestWaitMs = 0
    try {
      const performed = services.maintenances.runDue()
      if (performed > 0) log.info({ performed }, 'scheduled maintenance transitions performed')
    } catch (err) {
      // A failed transition (the database busy past its timeout) is tried again a little later; the
      // others due were performed all the same.
      log.error({ err }, 'scheduled maintenance transitions failed')
      shortestWaitMs = retryWaitMs
    }
    try {
      arm(shortestWaitMs)
    } catch (err) {
      // Thrown from a timer, it would end the process: the clock tries again instead.
      log.error({ err }, 'the maintenance clock could not find the next transition')
      timer = setTimeout(run, retryWaitMs)
      timer.unref()
    }
  }

  // A wake during a request's write runs on the next turn, after that request's commit has returned.
  const wake = (): void => {
    clearTimeout(timer)
    if (closed) return
    timer = setTimeout(run, 0)
    timer.unref()
  }
  app.decorate('maintenanceClock', { wake })
  // Every commit that may have moved a planned time: announcing, editing, starting, cancelling a maintenance.
  const unsubscribe = signals.subscribe('maintenanceScheduleChanged', wake)

  // Transitions missed while Herald was down are performed once, at their planned times, before it serves.
  app.addHook('onReady', async () => { run() })
  app.addHook('preClose', async () => {
    closed = true
    unsubscribe()
    clearTimeout(timer)
  })
}, { name: 'herald-maintenance-clock', dependencies: ['herald'] })
