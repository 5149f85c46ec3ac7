// GET /livez and /readyz: whether the process answers, and whether it should be sent traffic (database up, migrated, not shutting down).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { readMigrations } from '../db/migrate.js'
import { quietLogLevel } from '../http/request-log.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * From now on /readyz answers 503 "shutting down", so that a load balancer stops sending requests
     * while those it already sent are still answered. Closing the app does the same.
     */
    beginShutdown: () => void
  }
}

const Healthy = Type.Object({ status: Type.Literal('ok') })
const Unavailable = Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() })

export default fp(async function healthPlugin (app: FastifyInstance) {
  const { config, stores } = app.herald
  const newest = readMigrations().at(-1)?.version ?? 0
  // Reads page 1 of the file: the connection is open, the file readable, and the schema known in one step.
  // Straight on the connection, not through a service: it probes the database itself, not Herald's content,
  // and must answer even when no read of content could (a table missing, migrations pending).
  const schemaVersion = stores.db.prepare('PRAGMA user_version').pluck()
  let shuttingDown = false
  let lastReason: string | null = null

  app.decorate('beginShutdown', () => { shuttingDown = true })
  app.addHook('preClose', async () => { shuttingDown = true })

  /** Why this process should not be sent requests now (with the error behind it), or null when it should. */
  function notReadyBecause (): { reason: string, error?: unknown } | null {
    if (shuttingDown) return { reason: 'shutting down' }
    let version: number
    try {
      version = schemaVersion.get() as number
    } catch (error) {
      // Said in the log, not in the answer: the probe is public.
      return { reason: 'database unavailable', error }
    }
    if (version < newest) return { reason: `migrations pending (schema version ${version} of ${newest}): run herald migrate` }
    if (version > newest) return { reason: `database schema version ${version} is newer than this Herald (${newest})` }
    return null
  }

  const options = {
    // A probe every few seconds would fill the log.
    logLevel: quietLogLevel(config.logLevel),
    schema: { querystring: Type.Object({}), response: { 200: Healthy, 503: Unavailable } }
  }

  // The process answers: nothing else is checked, so a busy or draining server is not restarted.
  app.get('/livez', options, async (_request, reply) => {
    return await reply.header('cache-control', 'no-store').send({ status: 'ok' })
  })

  app.get('/readyz', options, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    const notReady = notReadyBecause()
    const reason = notReady?.reason ?? null
    // Said once when it changes, not at every probe; the shutdown says so itself.
    if (reason !== lastReason && reason !== 'shutting down') {
      if (notReady === null) app.log.info('readyz: ready')
      else app.log.warn({ reason, err: notReady.error }, 'readyz: not ready')
    }
    lastReason = reason
    if (notReady === null) return await reply.send({ status: 'ok' })
    return await reply.code(503).send({ status: 'unavailable', reason: notReady.reason })
  })
}, { name: 'herald-health', dependencies: ['herald'] })
