// The heartbeat URL a cron job or backup calls: POST /api/v1/heartbeats/<secret> (and /fail), anonymous, cheap, never cached.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { sendJsonError } from '../../plugins/errors.js'
import { heartbeatSecretHash } from '../../services/monitor-service.js'
import { NoQuery } from './schemas.js'

/** A job may post its log or anything else: read up to this much and ignored; more is 413. */
export const heartbeatBodyLimit = 1024

// The secrets Herald makes are 43 base64url characters; anything else names no heartbeat.
const secretPattern = /^[A-Za-z0-9_-]{16,100}$/

const tags = ['heartbeats']
// The framework's cap on a path parameter is 100 characters: longer is the not-found answer before this schema.
const HeartbeatParams = Type.Object({ secret: Type.String({ minLength: 1, maxLength: 100, description: 'The secret of the heartbeat\'s URL, shown once when it was made.' }) }, { additionalProperties: false })
const Recorded = Type.Object({ ok: Type.Literal(true) }, { description: 'The call was taken (recorded, or within a second of the last one, or the monitor is paused).' })
const Refused = Type.Object({ statusCode: Type.Integer(), error: Type.String(), message: Type.String() })

function unknownHeartbeat (reply: FastifyReply): FastifyReply {
  return sendJsonError(reply, 404, 'no heartbeat has this URL: check the secret, or make a new one')
}

export default async function heartbeatRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { monitorRuns } = app.herald.services
  // This scope only: any body of any type is taken and dropped (the token API's other routes take JSON only).
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: heartbeatBodyLimit }, (_request, _body, done) => { done(null, undefined) })

  const routes = [
    { path: '/heartbeats/:secret', ok: true, operationId: 'heartbeat', summary: 'Record a heartbeat: the job ran' },
    { path: '/heartbeats/:secret/fail', ok: false, operationId: 'heartbeatFailed', summary: 'Record a failed run: the job reports its own failure' }
  ]
  for (const { path, ok, operationId, summary } of routes) {
    app.post(path, {
      config: { anonymous: true },
      bodyLimit: heartbeatBodyLimit,
      schema: {
        tags,
        operationId,
        summary,
        description: 'No token: the secret in the URL is the credential. Any body is ignored (at most 1 KiB). At most one call a second is recorded per monitor; ' +
          'a paused monitor answers 200 and records nothing. An unknown secret is 404, whatever its shape.',
        security: [],
        params: HeartbeatParams,
        querystring: NoQuery,
        body: Type.Unknown({ description: 'Anything (a job\'s log, say), at most 1 KiB: ignored.' }),
        response: { 200: Recorded, 404: Refused, 413: Refused }
      }
    }, async (request, reply) => {
      const { secret } = request.params
      if (!secretPattern.test(secret)) return unknownHeartbeat(reply)
      const answer = monitorRuns.heartbeat(heartbeatSecretHash(secret), ok)
      if (answer === 'unknown') return unknownHeartbeat(reply)
      return { ok: true as const }
    })

    app.get(path, {
      config: { anonymous: true },
      schema: { hide: true, params: HeartbeatParams, querystring: Type.Object({}) }
    }, async (_request, reply) => sendJsonError(reply.header('Allow', 'POST'), 405, 'send POST to this URL to record a heartbeat'))
  }
}
