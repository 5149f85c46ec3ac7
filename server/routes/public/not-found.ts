// The answer for every address no route claims: an HTML page, or JSON under /api/ where clients expect it.
import fp from 'fastify-plugin'
import { pageNotFound, sendErrorPage } from './error-page.js'

/** Wrapped with fastify-plugin so that the handler is the root one, not only this plugin's. */
export default fp(async function notFoundHandler (app) {
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? ''
    if (path === '/api' || path.startsWith('/api/')) {
      // As every answer of the token API: no cache keeps it.
      return await reply.code(404).header('cache-control', 'no-store').send({ statusCode: 404, error: 'Not Found', message: `Route ${request.method}:${path} not found` })
    }
    // As every admin answer: never stored (the setup page without its token answers here too).
    if (path === '/admin' || path.startsWith('/admin/')) reply.header('cache-control', 'no-store')
    return await sendErrorPage(app, reply, pageNotFound)
  })
}, { name: 'herald-not-found', dependencies: ['herald-view'] })
