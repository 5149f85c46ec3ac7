// Decorates the app with servePublic: every public GET answers from the cache of rendered bodies.
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { type CacheHeaders, PublicCache, type RenderedBody, sendCached } from '../cache/public-cache.js'

export interface PublicResponseOptions {
  /** Cache key: the URL path and the query that changes the body. */
  key: string
  /** The body shows something computed from today's date (uptime bars, "last 14 days"). */
  daily?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    publicCache: PublicCache
    servePublic: (request: FastifyRequest, reply: FastifyReply, options: PublicResponseOptions,
      render: () => Promise<RenderedBody> | RenderedBody) => Promise<FastifyReply>
  }
}

// A CDN or proxy in front may reuse a page for 10 s, and keep serving the last one for a day when Herald is down.
export const defaultCacheHeaders: CacheHeaders = { maxAge: 10, stale: 86_400 }

export default fp(async function publicCachePlugin (app) {
  const cache = new PublicCache()
  app.decorate('publicCache', cache)
  app.decorate('servePublic', async function servePublic (request, reply, options, render) {
    const { stores, clock } = app.herald
    // Read per request: the command line or another process may have written since the last one.
    let version = String(stores.counters.get('content_version'))
    if (options.daily === true) version += `@${clock().toISOString().slice(0, 10)}`
    const entry = await cache.get(options.key, version, render)
    return sendCached(request, reply, entry, defaultCacheHeaders)
  })
}, { name: 'herald-public-cache', dependencies: ['herald'] })
