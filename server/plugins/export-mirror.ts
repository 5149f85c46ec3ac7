// Keeps EXPORT_DIR a current static mirror of the public site: a pass after each new content version and each new UTC day.
import fp from 'fastify-plugin'
import { type ExportSummary, SiteExport } from '../export/site-export.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The static mirror; null when EXPORT_DIR is not set (or the app runs no background work). */
    exportMirror: ExportMirror | null
  }
}

export interface ExportMirror {
  /** Runs a pass that starts after every write committed so far (after the pass in progress, if one is). */
  sync: () => Promise<ExportSummary>
}

export interface ExportMirrorOptions {
  /** The mirror's folder; undefined: none is kept. */
  dir: string | undefined
}

// How often the content version is compared with the mirror's. A read of one row: the command line and
// other processes write too, and this sees their writes as well as this process's.
const checkEveryMs = 1_000
// After a failed pass (a full disk, a folder made read-only), the next try waits this long.
const retryAfterMs = 30_000

export default fp<ExportMirrorOptions>(async function exportMirrorPlugin (app, { dir }) {
  if (dir === undefined) {
    app.decorate('exportMirror', null)
    return
  }
  const log = app.log.child({ module: 'export' })
  const site = new SiteExport(app, dir)
  // What the mirror shows: the content version and the UTC day of the last complete pass.
  let exported: string | undefined
  let chain: Promise<unknown> = Promise.resolve()
  let busy = false
  let retryAt = 0
  let closed = false
  let timer: NodeJS.Timeout | undefined

  // What the status page is rendered for: when it moved on (a write, a new UTC day), so did the site.
  const currentVersion = (): string => app.publicVersion(true)

  async function pass (): Promise<ExportSummary> {
    // Read before the pass: a write during it leaves the version ahead, and the next check runs another.
    const version = currentVersion()
    const started = performance.now()
    const summary = await site.pass(() => closed)
    if (summary.complete) exported = version
    const ms = Math.round(performance.now() - started)
    if (!summary.complete) log.info({ ...summary, ms, dir }, 'static mirror pass stopped (the app is closing); the next start finishes it')
    else if (summary.written > 0 || summary.removed > 0) log.info({ ...summary, ms, dir }, 'static mirror updated')
    return summary
  }

  function sync (): Promise<ExportSummary> {
    const next = chain.then(pass)
    chain = next.catch(() => undefined)
    return next
  }

  function check (): void {
    if (busy || closed || Date.now() < retryAt || currentVersion() === exported) return
    busy = true
    sync().then(() => { retryAt = 0 }, (err: unknown) => {
      log.error({ err, dir }, 'the static mirror could not be updated; trying again in 30 s')
      retryAt = Date.now() + retryAfterMs
    }).finally(() => { busy = false })
  }

  app.decorate('exportMirror', { sync })
  // A folder that cannot be used stops the start, with the reason: better than a mirror silently going stale.
  app.addHook('onReady', async () => {
    await site.open()
    check()
    timer = setInterval(check, checkEveryMs)
    timer.unref()
  })
  app.addHook('preClose', async () => {
    closed = true
    clearInterval(timer)
    await chain
  })
}, { name: 'herald-export-mirror', dependencies: ['herald', 'herald-public-cache'] })
