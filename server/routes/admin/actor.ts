// Who an admin route's change is recorded as in the audit log: 'user:<name>', as the audit log's actor column says.
import type { FastifyRequest } from 'fastify'

/** The signed-in user as an audit actor; only called behind requireUser, so a user is there. */
export function actorOf (request: FastifyRequest): string {
  if (request.user === null) throw new Error('actorOf needs a signed-in user (use requireUser)')
  return `user:${request.user.name}`
}
