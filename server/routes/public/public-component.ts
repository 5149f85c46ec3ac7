// The component that a public address names (/components/:id/...): found, or a 404 for an unknown, deleted or malformed id.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { type ErrorPage, NotPublic, sendErrorPage } from '../../plugins/error-page.js'

/**
 * Any text is accepted here so that a malformed id gets the same 404 as an unknown one. Routes read it with
 * parseId: "007", "+7", "7.0" or "1e3" name nothing, so each component has one address and one cache key.
 */
export const ComponentParams = Type.Object({ id: Type.String() })

const componentNotFound: ErrorPage = {
  statusCode: 404,
  heading: 'Component not found',
  message: 'No component has this number. It may have been removed; the status page lists the current ones.'
}

/** Inside a public render: what a read found for the component (undefined: none, or deleted), else NotPublic (a 404). */
export function publicComponent<T> (found: T | undefined): T {
  if (found === undefined) throw new NotPublic(componentNotFound)
  return found
}

export async function sendComponentNotFound (app: FastifyInstance, reply: FastifyReply): Promise<FastifyReply> {
  return await sendErrorPage(app, reply, componentNotFound)
}
