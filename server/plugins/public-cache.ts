// Decorates the app with servePublic: every public GET answers from the cache of rendered bodies.
import { randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { PublicCache, type RenderedBody, sendCached } from '../cache/public-cache.js'
import { NotPublic, sendErrorPage } from '../routes/public/error-page.js'

export interface PublicResponseOptions {
  /** Cache key: the URL path and the query that changes the body. */
  key: string
  /** The body shows something computed from today's date (uptime bars, "last 14 days"). */
  daily?: boolean
  /** The key holds text the visitor chose (a history search): kept apart, so it cannot push the pages out. */
  search?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** `render` may throw NotPublic (error-page.ts) when the address names nothing: the answer is that error page. */
    servePublic: (request: FastifyRequest, reply: FastifyReply, options: PublicResponseOptions,
      render: () => Promise<RenderedBody> | RenderedBody) => Promise<FastifyReply>
    /** Headers that make a request (app.inject) render a public body afresh, past the cache: for the static mirror. */
    exportRequestHeaders: Record<string, string>
  }
}

const exportHeader = 'x-herald-export'

/** How many history searches are kept rendered, apart from the pages. */
export const searchCacheEntries = 100

/**
 * Feeds, badges and the API v2 are meant to be read by widgets on other sites: any origin may read them.
 * They are public and carry no credentials, so "*" gives nothing away.
 */
export function allowAnyOrigin (reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*')
}

export default fp(async function publicCachePlugin (app) {
  const cache = new PublicCache()
  // Every distinct search would otherwise be a new entry, and a stream of them (a crawler, a script) would
  // evict the status page. A small cache of their own rather than none: it is the same code, so a search
  // keeps the same headers, including a Last-Modified that moves on when its body changes (a body rendered
  // afresh each time could repeat the date within a second and earn a wrong 304).
  const searches = new PublicCache(searchCacheEntries)
  // The mirror renders every page of the site, most of which nobody is reading: through the cache, they
  // would push out the pages people do read. A secret only this process knows, so no client can skip the cache.
  const exportSecret = randomBytes(24).toString('base64url')
  app.decorate('exportRequestHeaders', { [exportHeader]: exportSecret })
  app.decorate('servePublic', async function servePublic (request, reply, options, render) {
    const { stores, clock } = app.herald
    try {
      if (request.headers[exportHeader] === exportSecret) {
        const rendered = await render()
        return reply.type(rendered.contentType).send(rendered.body)
      }
      // Read per request: the command line or another process may have written since the last one.
      let version = String(stores.counters.get('content_version'))
      if (options.daily === true) version += `@${clock().toISOString().slice(0, 10)}`
      const entry = await (options.search === true ? searches : cache).get(options.key, version, render)
      return sendCached(request, reply, entry, app.herald.config.cache)
    } catch (error) {
      // The lookup happens once, inside render: a miss is an error page, never a cached body.
      if (error instanceof NotPublic) return await sendErrorPage(app, reply, error.page)
      throw error
    }
  })
}, { name: 'herald-public-cache', dependencies: ['herald'] })
