// The admin UI's error handler: an ended session, a refused form token or a failure gets an HTML page, not raw JSON.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isDiskFull } from '../../db/disk-full.js'
import { diskFullMessage, sendJsonError, statusOf } from '../../plugins/errors.js'
import { safeNext, signInPath } from './access.js'
import { renderAdmin } from './render.js'

/** The admin endpoints a script reads: their errors stay JSON (the parent handler's answer). */
const jsonRoutes = new Set(['/admin/preview', '/admin/incidents/reference-check'])

/**
 * A client that asked for JSON and not for a page (`Accept: application/json`, as a script's fetch sends
 * it): it gets the JSON error, as under /api/. A browser's navigation asks for text/html first.
 */
function asksForJson (request: FastifyRequest): boolean {
  const accept = request.headers.accept
  return typeof accept === 'string' && /\bapplication\/json\b/i.test(accept) && !/\btext\/html\b/i.test(accept)
}

/**
 * The admin page the form was sent from, to come back to after signing in: the Referer when it is
 * an /admin page of this site (as the request or the public URL names it), else the dashboard.
 * Never the action's own URL, which has no page.
 */
function pageSentFrom (request: FastifyRequest, publicUrl: string): string {
  const referer = request.headers.referer
  if (typeof referer !== 'string' || !URL.canParse(referer)) return '/admin'
  const url = new URL(referer)
  const ours = url.host === request.host || url.host === new URL(publicUrl).host
  return ours ? safeNext(url.pathname + url.search) : '/admin'
}

/** A message as a sentence: the framework's own end without a full stop. */
function sentence (message: string): string {
  const text = message.trim()
  return /[.!?]$/.test(text) ? text : `${text}.`
}

interface ErrorPage { heading: string, message: string, hint: string | null, link: { href: string, label: string } }

function pageOf (request: FastifyRequest, error: FastifyError, statusCode: number, publicUrl: string): ErrorPage {
  const from = pageSentFrom(request, publicUrl)
  const signIn = { href: `${signInPath}?next=${encodeURIComponent(from)}`, label: 'Sign in again' }
  // Back in the browser, the form still holds what was typed; a fresh sign-in shows the page empty.
  const asked = request.method === 'GET' || request.method === 'HEAD'
  const typed = 'What you typed is still in the form if you go back in your browser'
  const hint = asked ? null : `${typed}.`
  const csrf = typeof error.code === 'string' && error.code.startsWith('FST_CSRF_')
  if (statusCode === 401 || (csrf && request.user === null)) {
    return { heading: 'Your session has ended', message: 'Your session has ended: sign in again. Nothing was saved.', hint: asked ? null : `${typed}: copy it before you sign in.`, link: signIn }
  }
  if (csrf) {
    // Signed in, but the form came from an earlier session (signed out and in again since it was loaded).
    return {
      heading: 'This form is out of date',
      message: 'This form was loaded before you last signed in, so it was refused. Nothing was saved.',
      hint: asked ? null : `${typed}: copy it, then open the page again.`,
      link: { href: from, label: 'Open the page again' }
    }
  }
  const back = { href: from, label: 'Back' }
  if (isDiskFull(error)) return { heading: 'Out of disk space', message: diskFullMessage, hint, link: back }
  if (statusCode === 403) {
    return { heading: 'Not allowed', message: `${sentence(error.message)} Nothing was changed.`, hint: null, link: back }
  }
  if (statusCode === 413) {
    return { heading: 'Too much to send', message: 'What you sent is larger than Herald accepts from a form. Nothing was saved.', hint, link: back }
  }
  if (statusCode < 500 && asked) {
    // A page asked for with a query or path it does not take (a mistyped or hand-made link): nothing was sent to save.
    return { heading: 'This address was refused', message: `${sentence(error.message)} Check the link you followed.`, hint: null, link: back }
  }
  if (statusCode < 500) {
    // What the framework refused before a route ran (a body that is not a form, a broken encoding).
    return { heading: 'This request was refused', message: `${sentence(error.message)} Nothing was saved.`, hint, link: back }
  }
  return {
    heading: 'Something went wrong',
    message: 'Something went wrong on our side: the change may not have been saved. Open the page again to check.',
    hint: null,
    link: { href: from, label: 'Open the page again' }
  }
}

async function renderError (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, statusCode: number, page: ErrorPage): Promise<FastifyReply> {
  return await renderAdmin(app, request, reply, { template: 'error', title: page.heading, statusCode, data: { statusCode, ...page } })
}

/** Sets the handler on the admin context; what it does not answer as a page goes on to the app's handler (JSON). */
export function setAdminErrorHandler (app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const route = request.routeOptions.url
    const statusCode = statusOf(error)
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed')
    if ((route !== undefined && jsonRoutes.has(route)) || asksForJson(request)) return sendJsonError(reply, statusCode, error.message)
    const page = pageOf(request, error, statusCode, app.herald.config.publicUrl)
    try {
      return await renderError(app, request, reply, statusCode, page)
    } catch (renderFailure) {
      request.log.error({ err: renderFailure }, 'the admin error page failed')
      throw error
    }
  })
}
