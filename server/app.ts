// buildApp: Herald as a Fastify app with every plugin and route registered; it never listens.
import { randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import fastifyStatic from '@fastify/static'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify'
import { PublicFront } from './cache/public-front.js'
import type { Config } from './config.js'
import { migrate } from './db/migrate.js'
import { type Db, openDatabase } from './db/open-database.js'
import { frontedServer } from './http/fronted-server.js'
import { loggerOptions } from './http/request-log.js'
import { staticDir } from './package-info.js'
import errorsPlugin from './plugins/errors.js'
import exportMirrorPlugin from './plugins/export-mirror.js'
import heraldPlugin from './plugins/herald.js'
import maintenanceClockPlugin from './plugins/maintenance-clock.js'
import monitorsPlugin, { type MonitorsPluginOptions } from './plugins/monitors.js'
import openapiPlugin from './plugins/openapi.js'
import publicCachePlugin, { isExportRequest } from './plugins/public-cache.js'
import socialPlugin from './plugins/social.js'
import subscribersPlugin from './plugins/subscribers.js'
import viewPlugin from './plugins/view.js'
import walCheckpointsPlugin, { type WalCheckpointsOptions } from './plugins/wal-checkpoints.js'
import adminRoutes from './routes/admin/index.js'
import apiRoutes from './routes/api/index.js'
import publicRoutes from './routes/public/index.js'
import { answerNotFound } from './routes/public/not-found.js'
import type { Clock } from './domain/time.js'

export interface BuildOptions {
  config: Config
  /** An open database; by default the file at config.databasePath, migrated on open. */
  db?: Db
  clock?: Clock
  logger?: FastifyServerOptions['logger']
  /**
   * Runs the background work (the outbox worker, the maintenance clock, the static mirror): on by default.
   * Off for a command that only reads the site, such as `herald export`: it must not send or change anything.
   */
  background?: boolean
  /** The monitors' check and timer: runCheck and a real timer unless a test gives a fake check or steps the scheduler. */
  monitors?: Omit<MonitorsPluginOptions, 'background'>
  /** The idle WAL checkpoints (in the background): every second, by the event loop's utilization, unless a test says. */
  walCheckpoints?: WalCheckpointsOptions
}

export async function buildApp (options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options
  const db = options.db ?? openDatabase(config.databasePath)
  if (options.db === undefined) migrate(db)

  const front = new PublicFront()
  const exportSecret = randomBytes(24).toString('base64url')
  const app = Fastify({
    logger: options.logger ?? await loggerOptions(config),
    // Bodies over 1 MiB get 413 before they are parsed.
    bodyLimit: 1024 * 1024,
    // Wrong types are errors, not silently coerced; unknown fields are refused, not dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // A reverse proxy on the same machine (nginx terminating TLS) is trusted for X-Forwarded-Proto and
    // -For, so that Secure cookies work behind it and rate limits see the real client address.
    trustProxy: 'loopback',
    // The static mirror's own renders (hundreds a pass) are not requests anyone made.
    logController: new LogController({ disableRequestLogging: (request: { headers: IncomingHttpHeaders }) => isExportRequest(request.headers, exportSecret) }),
    // While closing, requests still arriving on open connections are answered (with Connection: close),
    // not refused: they were sent before the server stopped listening. See frontedServer's gentle close.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    serverFactory: (handler) => frontedServer(front, handler, config.limits),
    // A path parameter over 100 characters or a broken %-escape names nothing: the not-found answer
    // (the page, or JSON under /api/), not Fastify's 414 or 400 JSON echoing the URL.
    frameworkErrors: (_error, request, reply) => {
      answerNotFound(app, request, reply).catch((error: unknown) => {
        request.log.error({ err: error }, 'the not-found answer failed')
        reply.raw.destroy()
      })
    }
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(heraldPlugin, { config, db, clock: options.clock ?? (() => new Date()) })
  await app.register(errorsPlugin)
  await app.register(import('./plugins/health.js'))
  const background = options.background ?? true
  // Always: the subscribe routes need the mailer and the test delivery; the worker runs only in the background.
  await app.register(subscribersPlugin, { background })
  // Always: run now works without the scheduler; the scheduler runs only in the background.
  await app.register(monitorsPlugin, { ...options.monitors, background })
  if (background) {
    await app.register(socialPlugin)
    await app.register(maintenanceClockPlugin)
    await app.register(walCheckpointsPlugin, options.walCheckpoints ?? {})
  }
  await app.register(publicCachePlugin, { front, exportSecret })
  await app.register(viewPlugin)
  await app.register(fastifyStatic, { root: staticDir, prefix: '/static/', maxAge: '1h' })
  await app.register(openapiPlugin)
  await app.register(apiRoutes, { prefix: '/api/v1' })
  await app.register(adminRoutes, { prefix: '/admin' })
  await app.register(publicRoutes)
  await app.register(exportMirrorPlugin, { dir: background ? config.exportDir : undefined })
  return app
}
