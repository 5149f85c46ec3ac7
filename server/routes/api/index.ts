// The token API under /api/v1: JSON only, a bearer token on every request, never cached, documented by OpenAPI.
import type { FastifyInstance } from 'fastify'
import { requireToken } from './auth.js'
import componentRoutes from './components.js'
import draftRoutes from './drafts.js'
import heartbeatRoutes from './heartbeats.js'
import incidentRoutes from './incidents.js'
import maintenanceRoutes from './maintenances.js'
import monitorRunRoutes from './monitor-run.js'
import monitorRoutes from './monitors.js'
import postmortemRoutes from './postmortems.js'
import { NoQuery } from './schemas.js'
import { typeListed } from './type-listed-schema.js'
import { validationMessage } from './validation-messages.js'

export default async function apiRoutes (app: FastifyInstance): Promise<void> {
  // JSON is the only body spoken here: a text/plain body would otherwise reach validation as a string,
  // and anything else is refused before it is read, with a message that says what to send.
  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser('*', (request, _payload, done) => {
    const type = request.headers['content-type']
    const sent = type === undefined ? 'no Content-Type' : `"${type}"`
    const error = new Error(`the body must be JSON sent with Content-Type: application/json, not ${sent}`)
    done(Object.assign(error, { statusCode: 415 }), undefined)
  })
  app.setSchemaErrorFormatter(validationMessage)
  // Answers are written without Ajv (see typeListed); requests keep their unions, whose errors say each alternative.
  app.addHook('onRoute', (route) => {
    if (route.schema?.response !== undefined) route.schema = { ...route.schema, response: typeListed(route.schema.response) }
  })
  // Answers depend on the token and change with every write: no cache may keep them.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store')
    return payload
  })
  requireToken(app)

  await app.register(componentRoutes)
  await app.register(incidentRoutes)
  await app.register(maintenanceRoutes)
  await app.register(monitorRunRoutes)
  // Anonymous, in a scope of its own: it takes any body and drops it.
  await app.register(heartbeatRoutes)
  await app.register(monitorRoutes)
  await app.register(postmortemRoutes)
  await app.register(draftRoutes)

  app.get('/openapi.json', {
    config: { anonymous: true },
    schema: {
      tags: ['meta'],
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      description: 'The OpenAPI document generated from the schemas the routes validate with. No token needed.',
      security: [],
      querystring: NoQuery
    }
  }, async () => app.swagger())
}
