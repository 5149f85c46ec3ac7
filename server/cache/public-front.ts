// The front door: a request for a public address answered before is answered again from the cache, before Fastify sees it.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CacheHeaders } from '../config.js'
import { type PublicCache, cachedAnswer } from './public-cache.js'

/** What servePublic learnt about an address the first time it answered it. */
export interface FrontRoute {
  bodies: PublicCache
  key: string
  daily: boolean
  /** Headers the route set itself (Access-Control-Allow-Origin, a badge's Content-Security-Policy). */
  headers: Record<string, string>
  /** The route's own Cache-Control times (an address named by its body's hash is kept for a year); else the settings'. */
  cache?: CacheHeaders
}

export interface FrontSettings {
  /** The version a cache entry must have to be served: the content version, and the UTC day for a daily page. */
  version: (daily: boolean) => string
  cache: CacheHeaders
}

// Enough for every page of a large site and the cache busters readers add; beyond, the oldest is forgotten
// and its next request goes through Fastify, which teaches it again.
const maxRoutes = 10_000

/**
 * A cached response served through Fastify costs routing, a child logger, schema checks and a chain of
 * promises: about half the requests a second of the same bytes sent directly. The front door answers,
 * at the server's request event, an exact address (path and query as sent) that servePublic answered
 * before, when its entry is of the current version; anything else (another method, a new address, a
 * stale or missing entry, a closing server) goes on to Fastify. The bytes and headers are those of the
 * same entry that Fastify would send, built by the same function (cachedAnswer).
 */
export class PublicFront {
  readonly #routes = new Map<string, FrontRoute>()
  #settings: FrontSettings | undefined
  #open = true

  configure (settings: FrontSettings): void {
    this.#settings = settings
  }

  /** Called by servePublic after it answered `url` from the cache. */
  remember (url: string, route: FrontRoute): void {
    if (this.#routes.has(url)) return
    if (this.#routes.size >= maxRoutes) this.#routes.delete(this.#routes.keys().next().value as string)
    this.#routes.set(url, route)
  }

  /** From now on every request goes to Fastify, which answers 503 while the server closes. */
  close (): void {
    this.#open = false
  }

  /** Answers the request and returns true, or returns false for Fastify to answer it. */
  answer (request: IncomingMessage, response: ServerResponse): boolean {
    const settings = this.#settings
    if (!this.#open || settings === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return false
    const route = this.#routes.get(request.url ?? '')
    if (route === undefined) return false
    const entry = route.bodies.peek(route.key, settings.version(route.daily))
    if (entry === undefined) return false
    const answer = cachedAnswer(request.headers, entry, route.cache ?? settings.cache)
    const headers = { ...route.headers, ...answer.headers }
    if (answer.body !== undefined) headers['content-length'] = String(answer.body.length)
    response.writeHead(answer.status, headers)
    response.end(request.method === 'HEAD' ? undefined : answer.body)
    return true
  }
}
