// The monitors while the app is up: the scheduler (with background work and MONITORS_WORKER on), run now, and the admins' certificate notices.
import fp from 'fastify-plugin'
import { type CheckFunction, MonitorScheduler } from '../monitors/scheduler.js'
import { runCheck } from '../monitors/run-check.js'
import { CertificateNotices } from '../notify/certificate-notices.js'
import type { RecordedRun } from '../services/monitor-runs.js'

export interface MonitorsFeature {
  /** Null in a process that leaves the checks to another (MONITORS_WORKER=off, or no background work). */
  scheduler: MonitorScheduler | null
  /**
   * Runs one monitor now and resolves with what was recorded: through the scheduler (within its cap) where
   * it runs, else checked here. A heartbeat or paused monitor is refused (409), an unknown one is 404.
   */
  runNow: (id: number) => Promise<RecordedRun | null>
  /** The admins' certificate notices; null where this process mails none (no scheduler, no mail, no ADMIN_NOTICE_EMAIL). */
  notices: CertificateNotices | null
}

declare module 'fastify' {
  interface FastifyInstance {
    monitors: MonitorsFeature
  }
}

export interface MonitorsPluginOptions {
  /** False: the app serves requests only (tests, one-off commands); no scheduler runs. */
  background: boolean
  /** The check; runCheck in Herald, a fake in tests that need no network. */
  check?: CheckFunction
  /** The scheduler's own timer; tests that step it with tick() turn it off. */
  timers?: boolean
}

export default fp<MonitorsPluginOptions>(async function monitorsPlugin (app, options) {
  const { config, clock, services, signals } = app.herald
  const { monitorRuns } = services
  const log = app.log.child({ module: 'monitors' })
  const settings = config.monitors
  const check: CheckFunction = options.check ?? (async (monitor, signal) => await runCheck(monitor, {
    clock,
    trustedCertificates: settings.trustedCertificates,
    dnsServers: settings.dnsServers,
    signal
  }))
  const scheduler = !options.background || !settings.worker
    ? null
    : new MonitorScheduler({ runs: monitorRuns, check, clock, log, timers: options.timers ?? true })
  // A check run here (no scheduler) still ends when the app closes.
  const closing = new AbortController()
  const runNow = async (id: number): Promise<RecordedRun | null> => {
    if (scheduler !== null) return await scheduler.runNow(id)
    const monitor = monitorRuns.get(id)
    monitorRuns.checkRunnable(monitor)
    const startedAt = clock().toISOString()
    const outcome = await check(monitor, closing.signal)
    return monitorRuns.record(id, outcome, startedAt)
  }

  // The warnings are mailed by the process that finds them (the scheduler's), where email and ADMIN_NOTICE_EMAIL are set.
  const mailer = app.subscribers.mailer
  const to = config.subscriptions.noticeEmail
  const notices = scheduler === null || mailer === null || to === null
    ? null
    : new CertificateNotices({
      send: mailer.sendNotice,
      to,
      publicUrl: config.publicUrl,
      clock,
      unsent: () => monitorRuns.unsentWarnings(),
      markEmailed: (id) => { monitorRuns.markWarningEmailed(id) },
      log
    })
  app.decorate('monitors', { scheduler, runNow, notices } satisfies MonitorsFeature)
  // Listeners only schedule: they run on the writer's stack, after its commit.
  const unsubscribe = [
    scheduler === null ? () => {} : signals.subscribe('monitorsChanged', () => { setImmediate(() => { scheduler.reload() }) }),
    notices === null ? () => {} : signals.subscribe('certificateWarningsDue', () => { notices.wake() })
  ]

  app.addHook('onReady', async () => {
    scheduler?.start()
    // Warnings found while no mail could go (or before a restart) are sent now; then on each wake, and hourly
    // for those another process found (a run now where MONITORS_WORKER is off signals nobody here).
    notices?.start()
  })
  // preClose: before the database closes, so a check in flight is aborted and nothing is recorded after.
  app.addHook('preClose', async () => {
    for (const stop of unsubscribe) stop()
    closing.abort()
    await scheduler?.close()
    await notices?.close()
  })
}, { name: 'herald-monitors', dependencies: ['herald', 'herald-subscribers'] })
