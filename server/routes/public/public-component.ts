// The component that a public address names (/components/:id/...): found, or a 404 for an unknown, deleted or malformed id.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Component } from '../../domain/model.js'
import { type ErrorPage, sendErrorPage } from './error-page.js'

/** Any text is accepted here so that a malformed id gets the same 404 as an unknown one. */
export const ComponentParams = Type.Object({ id: Type.String() })

// The id as written by Herald's own links only: "007", "+7", "7.0" or "1e3" name nothing, so each
// component has one address and one cache key.
const idPattern = /^[1-9][0-9]{0,14}$/

const componentNotFound: ErrorPage = {
  statusCode: 404,
  heading: 'Component not found',
  message: 'No component has this number. It may have been removed; the status page lists the current ones.'
}

/** The component with this id if it exists and is not deleted. */
export function publicComponent (app: FastifyInstance, id: string): Component | undefined {
  return idPattern.test(id) ? app.herald.stores.components.get(Number(id)) : undefined
}

export async function sendComponentNotFound (app: FastifyInstance, reply: FastifyReply): Promise<FastifyReply> {
  return await sendErrorPage(app, reply, componentNotFound)
}

/**
 * Feeds and badges are meant to be read by widgets on other sites: any origin may read them. They are
 * public and carry no credentials, so "*" gives nothing away.
 */
export function allowAnyOrigin (reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*')
}
