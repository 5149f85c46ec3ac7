// Rendered public responses kept in memory per content version, served with strong ETags and 304s.
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

export interface RenderedBody {
  body: string | Buffer
  contentType: string
}

interface CachedResponse {
  version: string
  body: Buffer
  contentType: string
  etag: string
  lastModified: string
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

  constructor (maxEntries = 2000) {
    this.#maxEntries = maxEntries
  }

  async get (key: string, version: string, render: () => Promise<RenderedBody> | RenderedBody): Promise<CachedResponse> {
    const cached = this.#entries.get(key)
    if (cached !== undefined && cached.version === version) return cached
    const pendingKey = `${key}\n${version}`
    let pending = this.#pending.get(pendingKey)
    if (pending === undefined) {
      pending = (async () => {
        const rendered = await render()
        const body = typeof rendered.body === 'string' ? Buffer.from(rendered.body) : rendered.body
        const entry: CachedResponse = {
          version,
          body,
          contentType: rendered.contentType,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
          lastModified: new Date().toUTCString()
        }
        if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string)
        this.#entries.set(key, entry)
        return entry
      })().finally(() => this.#pending.delete(pendingKey))
      this.#pending.set(pendingKey, pending)
    }
    return await pending
  }

  clear (): void {
    this.#entries.clear()
  }
}

function etagMatches (header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)
}

/** Sends a cached response, or 304 when the client's conditional headers say it already has it. */
export function sendCached (request: FastifyRequest, reply: FastifyReply, entry: CachedResponse): FastifyReply {
  reply.header('etag', entry.etag).header('last-modified', entry.lastModified)
  const ifNoneMatch = request.headers['if-none-match']
  const ifModifiedSince = request.headers['if-modified-since']
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110, 13.2.2).
  const notModified = ifNoneMatch !== undefined
    ? etagMatches(ifNoneMatch, entry.etag)
    : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(entry.lastModified)
  if (notModified) return reply.code(304).send()
  return reply.type(entry.contentType).send(entry.body)
}
