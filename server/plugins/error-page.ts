// HTML error pages (400, 404, 429, 503, ...) in the public layout, for people who reach a wrong address or ask too much.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { publicLayout } from './view.js'

export interface ErrorPage {
  statusCode: number
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
 * servePublic answers with this page, and remembers the answer for this content version only, so a
 * record made later is served at once.
 */
export class NotPublic extends Error {
  readonly page: ErrorPage

  constructor (page: ErrorPage) {
    super(page.heading)
    this.page = page
  }
}

/**
 * Thrown instead of starting a render that may not happen now (too many searches from one address):
 * servePublic answers with this page and Retry-After. The subscription forms answer their rate limits
 * with one too (sendRefused), so every "too many" of the public site is the same answer.
 */
export class RenderRefused extends Error {
  readonly page: ErrorPage
  readonly retryAfterSeconds: number

  constructor (page: ErrorPage, retryAfterSeconds: number) {
    super(page.heading)
    this.page = page
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds))
  }
}

// An error page shows nothing of the address or the data, only its own words and the layout (the site's name and
// branding): each is rendered once per app and content version (a change of branding is a write, which moves it),
// so a stream of wrong addresses costs no template work.
const renderedPages = new WeakMap<object, { version: string, pages: WeakMap<ErrorPage, string> }>()

async function errorPageHtml (app: FastifyInstance, page: ErrorPage): Promise<string> {
  const render = async (): Promise<string> => await app.view('error.hbs', { head: { title: page.heading }, ...page }, { layout: publicLayout })
  let version: string
  try {
    // Before the public cache plugin has decorated the app (a failure while it starts), there is one version.
    version = app.hasDecorator('publicVersion') ? app.publicVersion(false) : ''
  } catch {
    // The database cannot be read (the failure this page may be answering): drawn without it, kept nowhere.
    return await render()
  }
  let rendered = renderedPages.get(app.herald)
  if (rendered?.version !== version) {
    rendered = { version, pages: new WeakMap() }
    renderedPages.set(app.herald, rendered)
  }
  let html = rendered.pages.get(page)
  if (html === undefined) {
    html = await render()
    rendered.pages.set(page, html)
  }
  return html
}

/**
 * Not served through the public cache: a 4xx must not answer 304 to a conditional request
 * (RFC 9110, 13.2.1), and a CDN must not keep it.
 */
export async function sendErrorPage (app: FastifyInstance, reply: FastifyReply, page: ErrorPage): Promise<FastifyReply> {
  const html = await errorPageHtml(app, page)
  // An answer marked no-store before (under /admin) stays so.
  const cacheControl = reply.getHeader('cache-control') === 'no-store' ? 'no-store' : 'no-cache'
  return reply.code(page.statusCode).type('text/html; charset=utf-8').header('cache-control', cacheControl).send(html)
}

/** The answer to a render refused: its page, and when to try again. */
export async function sendRefused (app: FastifyInstance, reply: FastifyReply, refused: RenderRefused): Promise<FastifyReply> {
  reply.header('retry-after', String(refused.retryAfterSeconds))
  return await sendErrorPage(app, reply, refused.page)
}
