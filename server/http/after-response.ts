// Work that starts once an answer has left (a confirmation mail): the request never waits for it, and how long it takes tells the client nothing.
import type { FastifyBaseLogger, FastifyReply } from 'fastify'

/**
 * Runs `task` when the response has been written ('finish'), or the client went away first ('close'):
 * once either way. Its failure is logged, never thrown: the answer is gone already.
 */
export function afterResponse (reply: FastifyReply, log: FastifyBaseLogger, task: () => Promise<void>): void {
  let started = false
  const start = (): void => {
    if (started) return
    started = true
    task().catch((error: unknown) => { log.error({ err: error }, 'work after the response failed') })
  }
  reply.raw.once('finish', start)
  reply.raw.once('close', start)
}

/** Logs a mailer's outcome that is not 'sent' (the mailer never throws); its error is free of secrets, and the address is not logged. */
export function logMailOutcome (log: FastifyBaseLogger, result: unknown, what: string): void {
  const { outcome, error } = (typeof result === 'object' && result !== null ? result : {}) as { outcome?: unknown, error?: unknown }
  if (outcome !== 'sent') log.warn({ outcome, error }, `${what} was not sent`)
}
