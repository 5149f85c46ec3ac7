// Rendered public responses kept in memory per content version, compressed once, served with ETags and 304s.
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlib, gzip } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CacheHeaders } from '../config.js'
import { type Encoding, chooseEncoding } from './encoding.js'

const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)

export interface RenderedBody {
  body: string | Buffer
  contentType: string
}

interface Variant {
  body: Buffer
  etag: string
}

export interface CachedResponse {
  version: string
  contentType: string
  lastModified: string
  variants: Partial<Record<Encoding, Variant>> & { identity: Variant }
}

// Below this, compression saves less than the headers it costs.
const compressFrom = 1024

async function variantsOf (body: Buffer): Promise<CachedResponse['variants']> {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27)
  const variants: CachedResponse['variants'] = { identity: { body, etag: `"${hash}"` } }
  if (body.length >= compressFrom) {
    // Off the event loop, once per version. Brotli quality 6 is close to 11 in size at a tenth of the time.
    const [gz, br] = await Promise.all([
      gzipAsync(body, { level: 9 }),
      brotliAsync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })
    ])
    variants.gzip = { body: gz, etag: `"${hash}-gz"` }
    variants.br = { body: br, etag: `"${hash}-br"` }
  }
  return variants
}

/**
 * A cache entry is valid for one version string: the content version of the database, plus anything
 * else the body depends on (the current UTC day for uptime bars). Renders of the same key and version
 * that arrive together share one promise, so a burst of requests renders once.
 */
export class PublicCache {
  readonly #entries = new Map<string, CachedResponse>()
  readonly #pending = new Map<string, Promise<CachedResponse>>()
  readonly #maxEntries: number
  readonly #now: () => number

  constructor (maxEntries = 2000, now: () => number = Date.now) {
    this.#maxEntries = maxEntries
    this.#now = now
  }

  async get (key: string, version: string, render: () => Promise<RenderedBody> | RenderedBody): Promise<CachedResponse> {
    const cached = this.#entries.get(key)
    if (cached !== undefined && cached.version === version) {
      // Least recently used goes first: a hit moves its key to the end of the Map's insertion order.
      this.#entries.delete(key)
      this.#entries.set(key, cached)
      return cached
    }
    const pendingKey = `${key}\n${version}`
    let pending = this.#pending.get(pendingKey)
    if (pending === undefined) {
      pending = (async () => {
        const rendered = await render()
        const body = typeof rendered.body === 'string' ? Buffer.from(rendered.body) : rendered.body
        const variants = await variantsOf(body)
        const entry: CachedResponse = {
          version,
          contentType: rendered.contentType,
          lastModified: this.#lastModified(this.#entries.get(key)),
          variants
        }
        // Least recently used first out: a Map iterates in insertion order, and a render or a hit re-inserts its key.
        this.#entries.delete(key)
        if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string)
        this.#entries.set(key, entry)
        return entry
      })().finally(() => this.#pending.delete(pendingKey))
      this.#pending.set(pendingKey, pending)
    }
    return await pending
  }

  /**
   * Last-Modified has whole seconds: a body replaced within the second of the one before would keep its
   * date, and a client revalidating with If-Modified-Since would get a 304 for the old body. A new entry is
   * therefore always at least a second later than the one it replaces.
   */
  #lastModified (previous: CachedResponse | undefined): string {
    const now = this.#now()
    const at = previous === undefined ? now : Math.max(now, Date.parse(previous.lastModified) + 1000)
    return new Date(at).toUTCString()
  }

  get size (): number {
    return this.#entries.size
  }

  clear (): void {
    this.#entries.clear()
  }
}

function etagMatches (header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)
}

/** Sends a cached response in the best encoding the client takes, or 304 when it already has it. */
export function sendCached (request: FastifyRequest, reply: FastifyReply, entry: CachedResponse, cache: CacheHeaders): FastifyReply {
  const encoding = chooseEncoding(request.headers['accept-encoding'])
  const chosen = entry.variants[encoding]
  const variant = chosen ?? entry.variants.identity
  reply
    .header('etag', variant.etag)
    .header('last-modified', entry.lastModified)
    .header('vary', 'Accept-Encoding')
    .header('cache-control', `public, max-age=${cache.maxAge}, stale-while-revalidate=${cache.stale}, stale-if-error=${cache.stale}`)
  const ifNoneMatch = request.headers['if-none-match']
  const ifModifiedSince = request.headers['if-modified-since']
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110, 13.2.2).
  const notModified = ifNoneMatch !== undefined
    ? etagMatches(ifNoneMatch, variant.etag)
    : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(entry.lastModified)
  if (notModified) return reply.code(304).send()
  if (chosen !== undefined && encoding !== 'identity') reply.header('content-encoding', encoding)
  return reply.type(entry.contentType).send(variant.body)
}
