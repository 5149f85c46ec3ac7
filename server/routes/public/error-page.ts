// HTML error pages (400, 404) in the public layout, for people who reach a wrong address.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { publicLayout } from '../../plugins/view.js'

export interface ErrorPage {
  statusCode: 400 | 404
  heading: string
  message: string
}

export const pageNotFound: ErrorPage = {
  statusCode: 404,
  heading: 'Page not found',
  message: 'There is nothing at this address. It may have moved, or the link may be mistyped.'
}

/**
 * Thrown by a public render when the address names nothing (an unknown incident, component or page):
 * servePublic answers with this page, and nothing is cached, so a record made later is served at once.
 */
export class NotPublic extends Error {
  readonly page: ErrorPage

  constructor (page: ErrorPage) {
    super(page.heading)
    this.page = page
  }
}

/**
 * Not served through the public cache: a 4xx must not answer 304 to a conditional request
 * (RFC 9110, 13.2.1), and the template is small enough to render each time.
 */
export async function sendErrorPage (app: FastifyInstance, reply: FastifyReply, page: ErrorPage): Promise<FastifyReply> {
  const html = await app.view('error.hbs', { head: { title: page.heading }, ...page }, { layout: publicLayout })
  // An answer marked no-store before (under /admin) stays so.
  const cacheControl = reply.getHeader('cache-control') === 'no-store' ? 'no-store' : 'no-cache'
  return reply.code(page.statusCode).type('text/html; charset=utf-8').header('cache-control', cacheControl).send(html)
}
