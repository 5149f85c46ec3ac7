// Rendered public responses kept in memory per content version, compressed once, served with ETags and 304s.
import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlib, gzip } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CacheHeaders } from '../config.js'
import { type Encoding, chooseEncoding } from './encoding.js'
import { parseHttpDate } from './http-date.js'

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
  /** The body as rendered, and each compressed one made so far (compressVariant). */
  variants: Partial<Record<Encoding, Variant>> & { identity: Variant }
  /** Whether the body is sent compressed to a client that takes it: large enough, and not compressed already. */
  compressible: boolean
}

type Compressed = Exclude<Encoding, 'identity'>

// Below this, compression saves less than the headers it costs.
const compressFrom = 1024

// PNG, JPEG and WebP are compressed already: gzip or Brotli would cost time and save nothing.
const compressedAlready = /^image\/(png|jpeg|webp)$/

const etagSuffixes: Record<Compressed, string> = { br: '-br', gzip: '-gz' }

async function compress (body: Buffer, encoding: Compressed): Promise<Buffer> {
  // Brotli quality 6 is close to 11 in size at a tenth of the time.
  return encoding === 'br'
    ? await brotliAsync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : await gzipAsync(body, { level: 9 })
}

/**
 * The compressions of an entry under way: requests that want the same one together share it. Kept with the
 * entry, which the cache may let go of while one runs (a later version): then the collector takes both.
 */
const compressing = new WeakMap<CachedResponse, Partial<Record<Compressed, Promise<void>>>>()

/**
 * Whether the entry can be sent in `encoding` as it is: identity always, and so is a body that is not
 * compressed at all; else once compressVariant has made that encoding.
 */
export function variantReady (entry: CachedResponse, encoding: Encoding): boolean {
  return encoding === 'identity' || !entry.compressible || entry.variants[encoding] !== undefined
}

/**
 * Makes the entry's body in `encoding`, off the event loop, once. Each encoding is made the first time a
 * client takes it, not with every render: a version that no client asks gzip of (every browser takes
 * Brotli) costs no gzip, and a page re-rendered for each posted update is not compressed twice for
 * readers who may never come. The ETag of each is known before, from the hash of the body.
 */
export async function compressVariant (entry: CachedResponse, encoding: Encoding): Promise<void> {
  if (encoding === 'identity' || variantReady(entry, encoding)) return
  const pending = compressing.get(entry) ?? {}
  compressing.set(entry, pending)
  pending[encoding] ??= (async () => {
    const { body, etag } = entry.variants.identity
    try {
      entry.variants[encoding] = { body: await compress(body, encoding), etag: `${etag.slice(0, -1)}${etagSuffixes[encoding]}"` }
    } finally {
      delete pending[encoding]
    }
  })()
  await pending[encoding]
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
  /** The key at the end of the Map's order: the one most recently used. */
  #newest: string | undefined

  constructor (maxEntries = 2000, now: () => number = Date.now) {
    this.#maxEntries = maxEntries
    this.#now = now
  }

  /** The entry of this key and version when it is rendered already: the hot path, without a promise. */
  peek (key: string, version: string): CachedResponse | undefined {
    const cached = this.#entries.get(key)
    if (cached === undefined || cached.version !== version) return undefined
    // Least recently used goes first: a hit moves its key to the end of the Map's insertion order (unless
    // it is there already, as it is while one page takes all the traffic).
    if (this.#newest !== key) {
      this.#entries.delete(key)
      this.#entries.set(key, cached)
      this.#newest = key
    }
    return cached
  }

  async get (key: string, version: string, render: () => Promise<RenderedBody> | RenderedBody): Promise<CachedResponse> {
    const cached = this.peek(key, version)
    if (cached !== undefined) return cached
    const pendingKey = `${key}\n${version}`
    let pending = this.#pending.get(pendingKey)
    if (pending === undefined) {
      pending = (async () => {
        const rendered = await render()
        const body = typeof rendered.body === 'string' ? Buffer.from(rendered.body) : rendered.body
        const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27)
        const entry: CachedResponse = {
          version,
          contentType: rendered.contentType,
          lastModified: this.#lastModified(this.#entries.get(key)),
          variants: { identity: { body, etag: `"${hash}"` } },
          compressible: body.length >= compressFrom && !compressedAlready.test(rendered.contentType)
        }
        // Least recently used first out: a Map iterates in insertion order, and a render or a hit re-inserts its key.
        this.#entries.delete(key)
        if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string)
        this.#entries.set(key, entry)
        this.#newest = key
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
    this.#newest = undefined
  }
}

function etagMatches (header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)
}

/**
 * Whether If-Modified-Since allows a 304 (RFC 9110, 13.1.3): only an HTTP-date counts, and only one that
 * is not in the future. Anything else ("2100", "99999", a date to come) is ignored and the body is sent:
 * a date a client made up could otherwise keep every later version from it. Last-Modified itself may be
 * a second or so ahead of the clock (see PublicCache), so a date up to it is not "in the future".
 */
function unmodifiedSince (header: string | undefined, lastModified: string, now: number): boolean {
  if (header === undefined) return false
  const since = parseHttpDate(header, now)
  const modified = Date.parse(lastModified)
  if (since === undefined || since > Math.max(now, modified)) return false
  return since >= modified
}

export interface CachedAnswer {
  status: 200 | 304
  headers: Record<string, string>
  /** Absent for a 304. */
  body?: Buffer
}

/**
 * The answer to a request for a cached response in `encoding` (the caller's chooseEncoding, made ready with
 * compressVariant), or 304 when the client already has it. A body not worth compressing goes as it is.
 * One function for both ways a response leaves (Fastify's reply, the front door).
 */
export function cachedAnswer (request: IncomingHttpHeaders, entry: CachedResponse, encoding: Encoding, cache: CacheHeaders, now: number = Date.now()): CachedAnswer {
  const sent = entry.compressible ? encoding : 'identity'
  const variant = entry.variants[sent]
  // A caller that skipped compressVariant: sending the identity body under a compressed ETag would be worse.
  if (variant === undefined) throw new Error(`the ${sent} body of this entry is not made yet`)
  const headers: Record<string, string> = {
    etag: variant.etag,
    'last-modified': entry.lastModified,
    vary: 'Accept-Encoding',
    'cache-control': `public, max-age=${cache.maxAge}, stale-while-revalidate=${cache.stale}, stale-if-error=${cache.stale}`
  }
  const ifNoneMatch = request['if-none-match']
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110, 13.2.2).
  const notModified = ifNoneMatch !== undefined
    ? etagMatches(ifNoneMatch, variant.etag)
    : unmodifiedSince(request['if-modified-since'], entry.lastModified, now)
  if (notModified) return { status: 304, headers }
  if (sent !== 'identity') headers['content-encoding'] = sent
  headers['content-type'] = entry.contentType
  return { status: 200, headers, body: variant.body }
}

/** Sends a cached response through Fastify's reply, in the encoding the client takes best (compressed first when it has not been yet). */
export async function sendCached (request: FastifyRequest, reply: FastifyReply, entry: CachedResponse, cache: CacheHeaders): Promise<FastifyReply> {
  const encoding = chooseEncoding(request.headers['accept-encoding'])
  await compressVariant(entry, encoding)
  const answer = cachedAnswer(request.headers, entry, encoding, cache)
  return reply.code(answer.status).headers(answer.headers).send(answer.body)
}
