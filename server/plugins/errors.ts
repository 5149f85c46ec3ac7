// One place that turns errors into answers: 4xx with a message that says what is wrong, 5xx without details.
import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** The status an error is answered with: 400 for a failed schema, its own 4xx/5xx, else 500. */
export function statusOf (error: FastifyError): number {
  if (error.validation !== undefined) return 400
  const code = error.statusCode
  return typeof code === 'number' && code >= 400 && code < 600 ? code : 500
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type'
}

export default fp(async function errorsPlugin (app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = statusOf(error)
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed')
      return reply.code(statusCode).send({ statusCode, error: 'Internal Server Error', message: 'Something went wrong on our side.' })
    }
    return reply.code(statusCode).send({ statusCode, error: reasons[statusCode] ?? 'Error', message: error.message })
  })
}, { name: 'herald-errors' })
