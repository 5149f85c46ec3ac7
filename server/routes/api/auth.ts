// The token API's door: every request shows `Authorization: Bearer <token>`, whose name becomes the audit actor.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the audit log records for this API request: `token:<name>`. */
    apiActor: string
  }
  interface FastifyContextConfig {
    /** An API route that answers without a token (the OpenAPI document). */
    anonymous?: boolean
  }
}

// RFC 6750: the scheme is case-insensitive, the token is one run of token68 characters.
const bearerHeader = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

function refuse (reply: FastifyReply, message: string, invalidToken: boolean): FastifyReply {
  const challenge = invalidToken ? 'Bearer realm="herald", error="invalid_token"' : 'Bearer realm="herald"'
  return reply.code(401).header('WWW-Authenticate', challenge).send({ statusCode: 401, error: 'Unauthorized', message })
}

/** Adds the check to every route of the scope it is called in. */
export function requireToken (app: FastifyInstance): void {
  app.decorateRequest('apiActor', '')
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config.anonymous === true) return
    const header = request.headers.authorization
    if (header === undefined || header.trim() === '') {
      return refuse(reply, 'an API token is required: send the header Authorization: Bearer <token>', false)
    }
    const match = bearerHeader.exec(header)
    if (match === null) return refuse(reply, 'the Authorization header must be Bearer <token>', false)
    const token = app.herald.services.tokens.verify(match[1] as string)
    if (token === undefined) return refuse(reply, 'the API token is not valid: it is unknown or was revoked', true)
    request.apiActor = `token:${token.name}`
  })
}
