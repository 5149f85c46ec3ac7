// GET /history and /history/:page: every incident by month, newest first, 25 a page, with a search by reference or words of the name.
import fastifyRateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { yieldToRequests } from '../../cache/yield-to-requests.js'
import { isolateBidi, normalizeSearch } from '../../domain/text.js'
import { type ErrorPage, NotPublic, RenderRefused, pageNotFound, sendErrorPage } from '../../plugins/error-page.js'
import { publicLayout } from '../../plugins/view.js'
import { historyHref, historyPageCount, historyPageSize, historyPageView } from '../../views/history-page-view.js'
import { clockRateLimitStore } from '../../http/window-counter.js'

const maxQueryLength = 200

const pageNumber = '^[1-9][0-9]{0,5}$'

const HistoryQuery = Type.Object({
  page: Type.Optional(Type.String({ pattern: pageNumber })),
  q: Type.Optional(Type.String({ maxLength: maxQueryLength }))
})

const badQuery: ErrorPage = {
  statusCode: 400,
  heading: 'Bad request',
  message: `The page must be a whole number from 1 to 999999, and a search at most ${maxQueryLength} characters.`
}

const pageNotThere: ErrorPage = {
  statusCode: 404,
  heading: 'Page not found',
  message: 'The incident history has fewer pages than that.'
}

/**
 * Searches that are not cached yet, per client address: a person searching makes a few a minute, and a
 * search someone made before is answered from the cache without counting. A script making up new ones
 * is held to this, so that it costs a render every two seconds at most.
 */
export const searchLimits = { max: 30, windowMs: 60_000 } as const

const tooManySearches: ErrorPage = {
  statusCode: 429,
  heading: 'Too many searches',
  message: 'Your network address has made many new searches in a short time. Wait a minute, then search again; the status page and the incident pages are not affected.'
}

export default async function historyPageRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { clock } = app.herald
  // On Herald's clock, so that tests move time rather than wait for the window to pass.
  await app.register(fastifyRateLimit, { global: false, store: clockRateLimitStore(clock) })
  const searchLimit = app.createRateLimit({ max: searchLimits.max, timeWindow: searchLimits.windowMs })

  async function serveHistory (request: FastifyRequest, reply: FastifyReply, page: number, q: string): Promise<FastifyReply> {
    const { config, services } = app.herald
    const search = q !== ''
    // Counted only when the search must be rendered: servePublic calls this on a miss, never for a cached body.
    const admit = async (): Promise<void> => {
      const limit = await searchLimit(request)
      if (!limit.isAllowed && limit.isExceeded) throw new RenderRefused(tooManySearches, limit.ttlInSeconds)
    }
    // /history?page=2 and /history/2 share one key: the same body, rendered once.
    return await app.servePublic(request, reply, { key: historyHref(page, q), search, ...(search ? { admit } : {}) }, async () => {
      // The count and the page in one read: another process's write cannot fall between them.
      const { incidents, total } = services.reads.public.history(historyPageSize, (page - 1) * historyPageSize, q)
      // The page past the end is a 404, thrown from render so it is never stored as a page.
      if (page > 1 && page > historyPageCount(total)) throw new NotPublic(pageNotThere)
      // A search on five years of history reads for some 3 ms: the requests waiting go before the rest.
      await yieldToRequests()
      const view = historyPageView({ incidents, total, page, query: q })
      const title = q === '' ? (page > 1 ? `Incident history, page ${page}` : 'Incident history') : `Search: ${isolateBidi(q)}`
      const html = await app.view('history.hbs', { head: { title, canonical: `${config.publicUrl}${historyHref(page, q)}` }, ...view }, { layout: publicLayout })
      return { contentType: 'text/html; charset=utf-8', body: html }
    })
  }

  app.get('/history', {
    schema: { querystring: HistoryQuery },
    // A person typed this address: a wrong value gets an HTML page that says what is wrong, not JSON.
    attachValidation: true
  }, async (request, reply) => {
    if (request.validationError !== undefined) return await sendErrorPage(app, reply, badQuery)
    const query = request.query
    return await serveHistory(request, reply, Number(query.page ?? '1'), normalizeSearch(query.q ?? ''))
  })

  // The pages as paths, which the links use: a static mirror has a file for each (history/2/index.html).
  app.get('/history/:page', {
    schema: { params: Type.Object({ page: Type.String({ pattern: pageNumber }) }), querystring: Type.Object({}) },
    attachValidation: true
  }, async (request, reply) => {
    if (request.validationError !== undefined) return await sendErrorPage(app, reply, pageNotFound)
    return await serveHistory(request, reply, Number(request.params.page), '')
  })
}
