// What every subscription page shares: per-visitor headers, the small form body they accept, the rate limit's page, rendering in the public layout.
import fastifyFormbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { publicLayout } from '../../plugins/view.js'

/**
 * The largest form body a subscription page takes: a URL of 2048 characters percent-encoded three times
 * over, an address and a few hundred component ids fit; a 10 MB body gets 413 before it is read.
 */
export const subscriptionBodyLimit = 16 * 1024

/**
 * These pages are per visitor (a token in the address, a secret shown once): never kept by a browser or a
 * proxy, never indexed, and the token never sent to another site in a Referer.
 */
export const perVisitorHeaders = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex'
} as const

/**
 * For the scope of the subscription routes: their headers on every answer (error pages included: sendErrorPage
 * keeps a no-store it finds), and urlencoded forms, small.
 */
export async function subscriptionScope (app: FastifyInstance): Promise<void> {
  // After the public cache's onRequest hook (registered on the root): these win over its Referrer-Policy.
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(perVisitorHeaders)
  })
  // Forms only, as the pages send them: a JSON or text body is 415, not a second way in with its own edge cases.
  app.removeContentTypeParser(['application/json', 'text/plain'])
  await app.register(fastifyFormbody, { bodyLimit: subscriptionBodyLimit })
}

/** A subscription page's HTML, in the public layout. */
export async function subscriptionPageHtml (app: FastifyInstance, template: string, title: string, data: Record<string, unknown>): Promise<string> {
  return await app.view(`${template}.hbs`, { head: { title }, ...data }, { layout: publicLayout })
}

export async function renderSubscriptionPage (app: FastifyInstance, reply: FastifyReply, template: string, title: string, data: Record<string, unknown>, statusCode = 200): Promise<FastifyReply> {
  return sendSubscriptionHtml(reply, await subscriptionPageHtml(app, template, title, data), statusCode)
}

export function sendSubscriptionHtml (reply: FastifyReply, html: string, statusCode = 200): FastifyReply {
  return reply.code(statusCode).type('text/html; charset=utf-8').send(html)
}
