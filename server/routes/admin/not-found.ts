// The admin UI's answer for an incident, update, component or template that does not exist: a 404 page with a way back.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { renderAdmin } from './render.js'

export interface NotFoundPage { heading: string, message: string, back: { href: string, label: string }, section?: string }

export async function renderNotFound (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, page: NotFoundPage): Promise<FastifyReply> {
  return await renderAdmin(app, request, reply, {
    template: 'not-found',
    title: page.heading,
    statusCode: 404,
    ...(page.section === undefined ? {} : { section: page.section }),
    data: { heading: page.heading, message: page.message, back: page.back }
  })
}
