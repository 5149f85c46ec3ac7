// Decorates the app with servePublic: every public GET answers from the cache of rendered bodies.
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { CacheHeaders } from '../config.js'
import { NotFoundCache } from '../cache/not-found-cache.js'
import { PublicCache, type RenderedBody, sendCached } from '../cache/public-cache.js'
import type { PublicFront, QueryNames } from '../cache/public-front.js'
import { RenderQueue } from '../cache/render-queue.js'
import { publicSecurityHeaders } from '../cache/security-headers.js'
import { isAdminPath } from '../domain/links.js'
import { dayMs, utcDay } from '../domain/time.js'
import { type ErrorPage, NotPublic, RenderRefused, sendErrorPage, sendRefused } from './error-page.js'

export interface PublicResponseOptions {
  /** Cache key: the URL path and the query that changes the body. */
  key: string
  /** The body shows something computed from today's date (uptime bars, "last 14 days"). */
  daily?: boolean
  /**
   * The key holds text the visitor chose (a history search): kept apart, so it cannot push the pages out,
   * and rendered one at a time, so that a flood of new searches cannot hold up the cached pages.
   */
  search?: boolean
  /** Called before a render, never for a cached body: throws RenderRefused when this one may not happen now. */
  admit?: () => Promise<void>
  /**
   * The address names its body by a hash of it (the branding's images and stylesheet), so it never changes:
   * browsers and caches in front may keep it for a year instead of CACHE_MAX_AGE.
   */
  immutable?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** `render` may throw NotPublic (error-page.ts) when the address names nothing: the answer is that error page. */
    servePublic: (request: FastifyRequest, reply: FastifyReply, options: PublicResponseOptions,
      render: () => Promise<RenderedBody> | RenderedBody) => Promise<FastifyReply>
    /** Headers that make a request (app.inject) render a public body afresh, past the cache: for the static mirror. */
    exportRequestHeaders: Record<string, string>
    /** Headers of the mirror's requests that go through the cache. */
    mirrorRequestHeaders: Record<string, string>
    /** The version a public body is rendered for: the content version, and the UTC day for a daily page. */
    publicVersion: (daily: boolean) => string
  }
}

/**
 * The mirror's own requests (app.inject) carry this header with a secret only this process knows: with
 * the secret alone, the body is rendered past the cache; with `:cached` after it, through the cache. Either
 * way the request is not logged (a pass makes hundreds that nobody made). No client can do either.
 */
const exportHeader = 'x-herald-export'

/** Whether a request is one of the mirror's own, by its export header. */
export function isExportRequest (headers: IncomingHttpHeaders, secret: string): boolean {
  const value = headers[exportHeader]
  return value === secret || value === `${secret}:cached`
}

/** How old the content version may be when another process has written: see CountersStore.recent. */
export const versionFreshMs = 1

/** How long an address that names its body by a hash may be kept (RFC 9111 advises no more than a year). */
const oneYearSeconds = 365 * 24 * 60 * 60

/** How many history searches are kept rendered, apart from the pages. */
export const searchCacheEntries = 100

/** How many addresses that named nothing are remembered, apart from the pages. */
export const notFoundCacheEntries = 1000

/** How many search renders may wait for their turn; more are refused at once rather than left waiting. */
export const maxSearchesWaiting = 64

const searchersWaitTooLong: ErrorPage = {
  statusCode: 503,
  heading: 'Too many searches right now',
  message: 'Too many searches are waiting to be answered. Try again in a few seconds; the status page and the incident pages are not affected.'
}

/**
 * Feeds, badges and the API v2 are meant to be read by widgets on other sites: any origin may read them.
 * They are public and carry no credentials, so "*" gives nothing away.
 */
export function allowAnyOrigin (reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*')
}

/**
 * The query parameters a route reads: those its querystring schema names. Any other is ignored by the
 * route (the schemas allow them), so the front door ignores it too; null for a route with no such schema.
 */
function queryNamesOf (request: FastifyRequest): QueryNames {
  const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined
  return schema === undefined ? null : Object.keys(schema.properties ?? {})
}

export interface PublicCachePluginOptions {
  /** The server's front door, taught here the addresses it may answer itself. */
  front: PublicFront
  /** The secret of the mirror's requests (exportHeader). */
  exportSecret: string
}

export default fp<PublicCachePluginOptions>(async function publicCachePlugin (app, { front, exportSecret }) {
  const { services, clock, config } = app.herald
  const cache = new PublicCache()
  // Every distinct search would otherwise be a new entry, and a stream of them (a crawler, a script) would
  // evict the status page. A small cache of their own rather than none: it is the same code, so a search
  // keeps the same headers, including a Last-Modified that moves on when its body changes (a body rendered
  // afresh each time could repeat the date within a second and earn a wrong 304).
  const searches = new PublicCache(searchCacheEntries)
  const searchQueue = new RenderQueue(maxSearchesWaiting)
  // Apart from the pages too: anyone can make up wrong addresses faster than pages exist.
  const notFound = new NotFoundCache<ErrorPage>(notFoundCacheEntries)
  // The mirror renders the incident and history pages of the whole site, most of which nobody is reading:
  // through the cache, they would push out the pages people do read.
  app.decorate('exportRequestHeaders', { [exportHeader]: exportSecret })
  app.decorate('mirrorRequestHeaders', { [exportHeader]: `${exportSecret}:cached` })
  // This process's writes are seen by the very next request; another process's (the command line, a
  // second Herald) within a millisecond, which spares a read per request under load.
  // Asked by every public request, cached hits included: its strings are built again only when the content
  // version or the UTC day changes, not each time.
  const kept = { version: Number.NaN, text: '', daily: '', dayStart: 0, dayEnd: 0 }
  function currentVersion (daily: boolean): string {
    const version = services.reads.public.contentVersion(versionFreshMs)
    if (version !== kept.version) {
      kept.version = version
      kept.text = String(version)
      kept.daily = ''
    }
    if (!daily) return kept.text
    const now = clock().getTime()
    if (kept.daily === '' || now < kept.dayStart || now >= kept.dayEnd) {
      kept.dayStart = now - (now % dayMs)
      kept.dayEnd = kept.dayStart + dayMs
      kept.daily = `${kept.text}@${utcDay(new Date(now))}`
    }
    return kept.daily
  }
  app.decorate('publicVersion', currentVersion)
  front.configure({ version: currentVersion, cache: config.cache })
  app.addHook('preClose', async () => { front.close() })

  // Set before any route runs, so that every answer has them: pages, feeds, the API, badges (which set a
  // stricter CSP of their own), error pages, 5xx. servePublic reads them with the route's own headers for
  // the front door, which so sends the very same.
  const securityHeaders = publicSecurityHeaders(config.frameAncestors)
  const foreverCache: CacheHeaders = { ...config.cache, maxAge: oneYearSeconds }
  app.addHook('onRequest', (request, reply, done) => {
    // /admin has helmet's stricter headers, written on the raw response: these, sent with the reply, would win over them.
    if (!isAdminPath(request.url)) reply.headers(securityHeaders)
    done()
  })

  app.decorate('servePublic', async function servePublic (request, reply, options, render) {
    const exporting = request.headers[exportHeader] === exportSecret
    const daily = options.daily === true
    // The version before the render: a write during it makes what it found (or did not) out of date.
    const version = currentVersion(daily)
    try {
      if (exporting) {
        const rendered = await render()
        return reply.type(rendered.contentType).send(rendered.body)
      }
      const search = options.search === true
      const bodies = search ? searches : cache
      let entry = bodies.peek(options.key, version)
      if (entry === undefined) {
        const missing = notFound.get(options.key, version)
        if (missing !== undefined) return await sendErrorPage(app, reply, missing)
        await options.admit?.()
        if (search) {
          if (searchQueue.full) throw new RenderRefused(searchersWaitTooLong, 5)
          entry = await searchQueue.run(async () => await bodies.get(options.key, version, render))
        } else {
          entry = await bodies.get(options.key, version, render)
        }
      }
      // Read before sendCached adds its own: what the route set (CORS, a badge's CSP) goes with every answer.
      const headers = reply.getHeaders() as Record<string, string>
      const cacheHeaders = options.immutable === true ? foreverCache : config.cache
      front.remember(request.url, { bodies, key: options.key, daily, headers, cache: cacheHeaders }, queryNamesOf(request))
      return await sendCached(request, reply, entry, cacheHeaders)
    } catch (error) {
      // The lookup happens once, inside render: a miss is an error page, never a cached body, and it is
      // remembered for this version (an export render is not a visitor's, and changes nothing).
      if (error instanceof NotPublic) {
        if (!exporting) notFound.set(options.key, version, error.page)
        return await sendErrorPage(app, reply, error.page)
      }
      if (error instanceof RenderRefused) return await sendRefused(app, reply, error)
      throw error
    }
  })
}, { name: 'herald-public-cache', dependencies: ['herald'] })
