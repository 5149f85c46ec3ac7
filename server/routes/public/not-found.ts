// The answer for every address no route claims: 404 (or 405 with Allow when the path has other methods), an HTML page, or JSON under /api/.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { publicSecurityHeaders } from '../../cache/security-headers.js'
import { type ErrorPage, pageNotFound, sendErrorPage } from '../../plugins/error-page.js'
import { isAdminPath, isApiPath } from '../../domain/links.js'
import { sendJsonError } from '../../plugins/errors.js'

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/**
 * The methods the path answers to, when the request's own is not among them. Empty when the request's
 * method has a route: a route that sent its request here (the setup page without its token) means 404.
 */
function allowedMethods (app: FastifyInstance, request: FastifyRequest, path: string): string[] {
  if (app.findRoute({ method: request.method as 'GET', url: path }) !== null) return []
  return methods.filter((method) => app.findRoute({ method, url: path }) !== null)
}

const methodNotAllowed = (allowed: string[]): ErrorPage => ({
  statusCode: 405,
  heading: 'Method not allowed',
  message: `This address answers ${allowed.join(', ')} only.`
})

/** The not-found answer, for the handler below and for what Fastify refuses before routing (see buildApp). */
export async function answerNotFound (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const path = request.url.split('?', 1)[0] ?? ''
  const allowed = allowedMethods(app, request, path)
  if (allowed.length > 0) reply.header('allow', allowed.join(', '))
  if (isApiPath(path)) {
    // As every answer of the token API: no cache keeps it.
    reply.header('cache-control', 'no-store')
    if (allowed.length > 0) return sendJsonError(reply, 405, `Route ${request.method}:${path} answers ${allowed.join(', ')} only`)
    return sendJsonError(reply, 404, `Route ${request.method}:${path} not found`)
  }
  if (isAdminPath(path)) {
    // As every admin answer: never stored (the setup page without its token answers here too). Outside the
    // admin routes helmet does not run, and the public headers skip /admin: this page gets them here, never framed.
    reply.header('cache-control', 'no-store').headers(publicSecurityHeaders("'none'"))
  }
  return await sendErrorPage(app, reply, allowed.length > 0 ? methodNotAllowed(allowed) : pageNotFound)
}

/** Wrapped with fastify-plugin so that the handler is the root one, not only this plugin's. */
export default fp(async function notFoundHandler (app) {
  app.setNotFoundHandler(async (request, reply) => await answerNotFound(app, request, reply))
}, { name: 'herald-not-found', dependencies: ['herald-view'] })
