// The front door: a request for a public address answered before is answered again from the cache, before Fastify sees it.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CacheHeaders } from '../config.js'
import { type Encoding, chooseEncoding } from './encoding.js'
import { type CachedResponse, type PublicCache, cachedAnswer, variantReady } from './public-cache.js'

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

/** A 200 as the front door sends it, built once per entry and encoding: every request that takes it gets these. */
interface Prepared {
  headers: Record<string, string>
  body: Buffer
}

/** The query parameters a route reads (its querystring schema's), or null when it does not say. */
export type QueryNames = readonly string[] | null

// Enough for every page of a large site and its spellings; beyond, the oldest is forgotten and its next
// request goes through Fastify, which teaches it again.
const maxRoutes = 10_000

// Clients send few distinct Accept-Encoding headers; an odd one is read each time rather than kept.
const maxEncodingHeaders = 64

/**
 * The address an answer is kept under: the path, and of the query only the parameters the page reads, in
 * the order of their names (as URLSearchParams writes them). A parameter the route does not read changes
 * nothing in its body (`/?utm_source=x`, a cache buster), so it must not make an address of its own: every
 * such request would go through Fastify and leave an entry behind. A route that names no parameters at all
 * (null: no querystring schema) is kept by its address as sent.
 */
export function canonicalAddress (url: string, queryNames: QueryNames): string {
  const mark = url.indexOf('?')
  if (mark === -1 || queryNames === null) return url
  const path = url.slice(0, mark)
  if (queryNames.length === 0) return path
  const given = new URLSearchParams(url.slice(mark + 1))
  const kept = new URLSearchParams()
  for (const name of [...queryNames].sort()) {
    // Every value, in order: a parameter given twice is refused by the route, and so is its address here.
    for (const value of given.getAll(name)) kept.append(name, value)
  }
  const query = kept.toString()
  return query === '' ? path : `${path}?${query}`
}

/**
 * A cached response served through Fastify costs routing, a child logger, schema checks and a chain of
 * promises: about half the requests a second of the same bytes sent directly. The front door answers,
 * at the server's request event, an address that servePublic answered before (by its canonical address),
 * when its entry is of the current version; anything else (another method, a new address, a stale or
 * missing entry, a closing server) goes on to Fastify. The bytes and headers are those of the same entry
 * that Fastify would send, built by the same function (cachedAnswer), once per entry and encoding: an
 * answer allocates nothing of its own, which under load is most of its cost (the collector's).
 */
export class PublicFront {
  readonly #routes = new Map<string, FrontRoute>()
  /**
   * The answers built for an entry, by encoding. Kept with the entry, not the address: when the cache lets
   * go of an entry (a new version, too many), its answers go with it. Every address of an entry is of one
   * route (one key), so they share its headers.
   */
  readonly #prepared = new WeakMap<CachedResponse, Partial<Record<Encoding, Prepared>>>()
  /** The query parameters each path's route reads, learnt with its first answer. */
  readonly #queryNames = new Map<string, QueryNames>()
  readonly #encodings = new Map<string, Encoding>()
  #settings: FrontSettings | undefined
  #open = true

  configure (settings: FrontSettings): void {
    this.#settings = settings
  }

  /** Called by servePublic after it answered `url` from the cache; `queryNames`: the parameters its route reads. */
  remember (url: string, route: FrontRoute, queryNames: QueryNames = null): void {
    const mark = url.indexOf('?')
    const path = mark === -1 ? url : url.slice(0, mark)
    if (!this.#queryNames.has(path)) {
      if (this.#queryNames.size >= maxRoutes) this.#queryNames.delete(this.#queryNames.keys().next().value as string)
      this.#queryNames.set(path, queryNames)
    }
    const address = canonicalAddress(url, queryNames)
    if (this.#routes.has(address)) return
    if (this.#routes.size >= maxRoutes) this.#routes.delete(this.#routes.keys().next().value as string)
    this.#routes.set(address, route)
  }

  /** The addresses remembered. */
  get size (): number {
    return this.#routes.size
  }

  /** From now on every request goes to Fastify, which answers 503 while the server closes. */
  close (): void {
    this.#open = false
  }

  /** Answers the request and returns true, or returns false for Fastify to answer it. */
  answer (request: IncomingMessage, response: ServerResponse): boolean {
    const settings = this.#settings
    if (!this.#open || settings === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return false
    const route = this.#lookup(request.url ?? '')
    if (route === undefined) return false
    const entry = route.bodies.peek(route.key, settings.version(route.daily))
    if (entry === undefined) return false
    const cache = route.cache ?? settings.cache
    const acceptEncoding = plainAcceptEncoding(request.rawHeaders)
    if (acceptEncoding !== false) {
      const encoding = this.#encoding(acceptEncoding)
      // Not compressed in this encoding yet: Fastify's path compresses it (once) and sends it.
      if (!variantReady(entry, encoding)) return false
      const prepared = this.#answerOf(route, entry, encoding, cache)
      response.writeHead(200, prepared.headers)
      response.end(request.method === 'HEAD' ? undefined : prepared.body)
    } else {
      const encoding = chooseEncoding(request.headers['accept-encoding'])
      if (!variantReady(entry, encoding)) return false
      // A revalidation (or a header sent twice): read each time, it compares dates with the clock, and it is rarer.
      const answer = cachedAnswer(request.headers, entry, encoding, cache)
      response.writeHead(answer.status, withLength({ ...route.headers, ...answer.headers }, answer.body))
      response.end(request.method === 'HEAD' ? undefined : answer.body)
    }
    return true
  }

  #lookup (url: string): FrontRoute | undefined {
    const mark = url.indexOf('?')
    if (mark === -1) return this.#routes.get(url)
    const queryNames = this.#queryNames.get(url.slice(0, mark))
    return queryNames === undefined ? undefined : this.#routes.get(canonicalAddress(url, queryNames))
  }

  #encoding (header: string | undefined): Encoding {
    if (header === undefined) return 'identity'
    let encoding = this.#encodings.get(header)
    if (encoding === undefined) {
      encoding = chooseEncoding(header)
      if (this.#encodings.size < maxEncodingHeaders) this.#encodings.set(header, encoding)
    }
    return encoding
  }

  #answerOf (route: FrontRoute, entry: CachedResponse, encoding: Encoding, cache: CacheHeaders): Prepared {
    let answers = this.#prepared.get(entry)
    if (answers === undefined) {
      answers = {}
      this.#prepared.set(entry, answers)
    }
    let prepared = answers[encoding]
    if (prepared === undefined) {
      // The answer Fastify gives a client that takes this encoding best, with the route's own headers.
      const answer = cachedAnswer({}, entry, encoding, cache)
      const body = answer.body as Buffer
      prepared = { headers: withLength({ ...route.headers, ...answer.headers }, body), body }
      answers[encoding] = prepared
    }
    return prepared
  }
}

/**
 * The Accept-Encoding of a request that is neither conditional nor sends it twice, read from the raw headers;
 * false for any other request. `request.headers` builds an object of every header on first use, the largest
 * thing a cached answer would allocate, and a plain GET needs none of them but this one.
 */
export function plainAcceptEncoding (raw: readonly string[]): string | undefined | false {
  let acceptEncoding: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    // Names as the client wrote them: compared without case, as HTTP does (the length first, to allocate nothing).
    if (name.length === 15 && name.toLowerCase() === 'accept-encoding') {
      if (acceptEncoding !== undefined) return false
      acceptEncoding = raw[i + 1]
    } else if ((name.length === 13 && name.toLowerCase() === 'if-none-match') || (name.length === 17 && name.toLowerCase() === 'if-modified-since')) {
      return false
    }
  }
  return acceptEncoding
}

function withLength (headers: Record<string, string>, body: Buffer | undefined): Record<string, string> {
  if (body !== undefined) headers['content-length'] = String(body.length)
  return headers
}
