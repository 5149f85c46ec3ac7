// One place that turns errors into answers: an HTML page for a browser, JSON under /api/; a 4xx says what is wrong, a 5xx gives no details.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isDiskFull } from '../db/disk-full.js'
import { isApiPath } from '../domain/links.js'
import { type ErrorPage, sendErrorPage } from './error-page.js'

/**
 * What a person or a script is told when a write found the disk full (isDiskFull): it is not their
 * mistake, and SQLite rolled the transaction back, so nothing committed before is lost.
 */
export const diskFullMessage = 'The server has run out of disk space, so this change was not saved; everything saved before is kept. ' +
  'Try again once space has been freed.'

/** The status an error is answered with: 400 for a failed schema, 503 for a full disk, its own 4xx/5xx, else 500. */
export function statusOf (error: FastifyError): number {
  if (error.validation !== undefined) return 400
  if (isDiskFull(error)) return 503
  const code = error.statusCode
  return typeof code === 'number' && code >= 400 && code < 600 ? code : 500
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  503: 'Service Unavailable'
}

const serverError = 'Something went wrong on our side.'

/**
 * The JSON error body every API answer uses: a 4xx with its message (and the input field it is about,
 * when it names one), a 5xx without details.
 */
export function sendJsonError (reply: FastifyReply, statusCode: number, message: string, field?: string): FastifyReply {
  if (statusCode >= 500) return reply.code(statusCode).send({ statusCode, error: 'Internal Server Error', message: serverError })
  const error = reasons[statusCode] ?? 'Error'
  return reply.code(statusCode).send({ statusCode, error, message, ...(field === undefined ? {} : { field }) })
}

/**
 * The input field an error is about, when it says: a service's refusal (services/errors.ts) or a body
 * that failed its schema (routes/api/validation-messages.ts) carries it as `field`.
 */
function fieldOf (error: FastifyError): string | undefined {
  const field: unknown = (error as { field?: unknown }).field
  return typeof field === 'string' ? field : undefined
}

const diskFullPage: ErrorPage = { statusCode: 503, heading: 'Out of disk space', message: diskFullMessage }

/** The page a person sees: the status, and for a 4xx what the framework said was wrong with the request. */
function pageFor (statusCode: number, error: FastifyError): ErrorPage {
  if (isDiskFull(error)) return diskFullPage
  if (statusCode >= 500) return { statusCode, heading: 'Something went wrong', message: `${serverError} Try again in a moment.` }
  // A path that would leave the folder (/static/../), refused by the static files: nothing is there.
  if (statusCode === 403) return { statusCode, heading: 'Not allowed', message: 'There is nothing for you at this address.' }
  return { statusCode, heading: reasons[statusCode] ?? 'Bad request', message: error.message }
}

export default fp(async function errorsPlugin (app: FastifyInstance) {
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const statusCode = statusOf(error)
    if (statusCode >= 500) request.log.error({ err: error }, isDiskFull(error) ? 'request failed: the disk is full' : 'request failed')
    if (isApiPath(request.url)) {
      if (isDiskFull(error)) return reply.code(503).send({ statusCode: 503, error: reasons[503], message: diskFullMessage })
      return sendJsonError(reply, statusCode, error.message, fieldOf(error))
    }
    return await sendErrorPage(app, reply, pageFor(statusCode, error))
  })
}, { name: 'herald-errors' })
