// A subscriber's own pages, reached by the links of their messages: confirm (GET shows, POST confirms), manage (components), and one-click unsubscribe (RFC 8058).
import fastifyRateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Component } from '../../domain/model.js'
import type { Subscriber } from '../../domain/subscribers.js'
import { clockRateLimitStore } from '../../http/window-counter.js'
import { type ErrorPage, RenderRefused, sendErrorPage, sendRefused } from '../../plugins/error-page.js'
import { NotFoundError } from '../../services/errors.js'
import { manageView } from '../../views/subscribe-view.js'
import { chosenComponents, idsOf, manageForm, tokenParams } from './subscribe-form.js'
import { renderSubscriptionPage, subscriptionBodyLimit, subscriptionScope } from './subscription-pages.js'

const confirmExpired: ErrorPage = {
  statusCode: 404,
  heading: 'This link has expired',
  message: 'This confirmation link has expired or has been used already. Subscribe again on the Subscribe to updates page to get a new one.'
}

const manageGone: ErrorPage = {
  statusCode: 404,
  heading: 'Not subscribed',
  message: 'This link belongs to no subscription: it was unsubscribed or removed. Subscribe again on the Subscribe to updates page.'
}

/**
 * Confirmations and changes of components per client address: a person makes a few. Tokens are 256 bits, so
 * this is not what keeps them from being guessed; it bounds the writes one address can make. The one-click
 * unsubscribe is not limited: a mail provider posts it from a few addresses for all its users, and it must
 * never be refused.
 */
export const linkActionLimits = { max: 30, windowMs: 10 * 60_000 } as const

const tooManyActions: ErrorPage = {
  statusCode: 429,
  heading: 'Too many requests',
  message: 'Your network address has confirmed or changed subscriptions many times in a short time. Wait ten minutes, then try again.'
}

/**
 * The one-click unsubscribe body of RFC 8058. Declared for the record, never required: a mail client's
 * POST must unsubscribe whatever it sends (an empty body, another form, multipart), and never get an error.
 */
const oneClickBody = Type.Object({ 'List-Unsubscribe': Type.Optional(Type.String({ maxLength: 64 })) })

/**
 * What a read or write by a link's token gives, or undefined when the token names nothing (NotFoundError);
 * anything else (the database failing) is thrown on, to be the 5xx it is rather than a page that says the link expired.
 */
function unlessNotFound<T> (act: () => T): T | undefined {
  try {
    return act()
  } catch (error) {
    if (error instanceof NotFoundError) return undefined
    throw error
  }
}

export default async function subscriptionsRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald
  await subscriptionScope(app)
  const subscribers = services.subscribers
  // On Herald's clock, as the subscribe form's limit.
  await app.register(fastifyRateLimit, { global: false, store: clockRateLimitStore(app.herald.clock) })
  const linkActionLimit = app.createRateLimit({ max: linkActionLimits.max, timeWindow: linkActionLimits.windowMs })
  /** True when this address has made too many confirmations and changes: the 429 page is sent. */
  async function refusedTooMany (request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const limit = await linkActionLimit(request)
    if (limit.isAllowed || !limit.isExceeded) return false
    await sendRefused(app, reply, new RenderRefused(tooManyActions, limit.ttlInSeconds))
    return true
  }

  const components = (): Component[] => services.reads.public.status().components

  /** The subscriber a manage or unsubscribe link names; undefined for a link that names none (any more). */
  const byLink = (token: string): Subscriber | undefined => unlessNotFound(() => subscribers.byLinkToken(token))

  // Confirmation: the GET only shows a button, because link scanners and mail previews follow GETs.
  app.get('/subscriptions/confirm/:token', { schema: { params: tokenParams, querystring: Type.Object({}) }, attachValidation: true }, async (request, reply) => {
    if (request.validationError !== undefined) return await sendErrorPage(app, reply, confirmExpired)
    if (unlessNotFound(() => subscribers.confirmationFor(request.params.token)) === undefined) return await sendErrorPage(app, reply, confirmExpired)
    return await renderSubscriptionPage(app, reply, 'subscription-confirm', 'Confirm your subscription', { token: request.params.token })
  })

  app.post('/subscriptions/confirm/:token', { schema: { params: tokenParams, querystring: Type.Object({}), body: Type.Object({}) }, attachValidation: true }, async (request, reply) => {
    if (await refusedTooMany(request, reply)) return reply
    if (request.validationError?.validationContext === 'params') return await sendErrorPage(app, reply, confirmExpired)
    const subscriber = unlessNotFound(() => subscribers.confirm(request.params.token))
    if (subscriber === undefined) return await sendErrorPage(app, reply, confirmExpired)
    return await renderSubscriptionPage(app, reply, 'subscription-message', 'You’re subscribed', {
      heading: 'You’re subscribed',
      message: 'Updates will be sent to your address. Every message has a link to change what you get or to unsubscribe.',
      manageUrl: subscribers.links(subscriber).manage
    })
  })

  async function managePage (reply: FastifyReply, token: string, subscriber: Subscriber, extra: { saved?: boolean, error?: string, chosen?: number[] } = {}, statusCode = 200): Promise<FastifyReply> {
    const view = manageView(subscriber, components(), extra.chosen)
    return await renderSubscriptionPage(app, reply, 'subscription-manage', 'Your subscription', { ...view, token, saved: extra.saved === true, error: extra.error ?? null }, statusCode)
  }

  // Static segments (confirm/, unsubscribe/) win over this parameter in Fastify's router.
  app.get('/subscriptions/:token', { schema: { params: tokenParams, querystring: Type.Object({}) }, attachValidation: true }, async (request, reply) => {
    const subscriber = request.validationError === undefined ? byLink(request.params.token) : undefined
    if (subscriber === undefined) return await sendErrorPage(app, reply, manageGone)
    return await managePage(reply, request.params.token, subscriber)
  })

  app.post('/subscriptions/:token', { schema: { params: tokenParams, querystring: Type.Object({}), body: manageForm }, attachValidation: true }, async (request, reply) => {
    if (await refusedTooMany(request, reply)) return reply
    const token = request.params.token
    const subscriber = request.validationError?.validationContext === 'params' ? undefined : byLink(token)
    if (subscriber === undefined) return await sendErrorPage(app, reply, manageGone)
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>
    const values = { scope: body.scope === 'some' ? 'some' as const : 'all' as const, components: idsOf(body.components) }
    if (request.validationError !== undefined) return await managePage(reply, token, subscriber, { error: 'Choose components from the list.', chosen: values.components }, 400)
    const chosen = chosenComponents(values, components())
    if (!chosen.ok) return await managePage(reply, token, subscriber, { error: chosen.error, chosen: values.components }, 400)
    // Unsubscribed in another tab since the page was read: gone now.
    const saved = unlessNotFound(() => subscribers.setComponents(token, chosen.components))
    if (saved === undefined) return await sendErrorPage(app, reply, manageGone)
    return await managePage(reply, token, saved, { saved: true })
  })

  // One-click unsubscribe in a scope of its own, which takes any body: a mail client may post the RFC 8058 form,
  // an empty body or multipart, and it must unsubscribe and answer 200 whatever it sent.
  await app.register(async function oneClick (scope) {
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: subscriptionBodyLimit }, (_request, _body, done) => { done(null, {}) })
    const oneClickApp = scope.withTypeProvider<TypeBoxTypeProvider>()

    oneClickApp.get('/subscriptions/unsubscribe/:token', { schema: { params: tokenParams, querystring: Type.Object({}) }, attachValidation: true }, async (request, reply) => {
      const subscriber = request.validationError === undefined ? byLink(request.params.token) : undefined
      if (subscriber === undefined) return await notSubscribed(reply)
      return await renderSubscriptionPage(app, reply, 'subscription-unsubscribe', 'Unsubscribe', { token: request.params.token, ...manageView(subscriber, components()) })
    })

    oneClickApp.post('/subscriptions/unsubscribe/:token', { schema: { params: tokenParams, querystring: Type.Object({}), body: oneClickBody }, attachValidation: true }, async (request, reply) => {
      // A body that is not the RFC 8058 form is no reason to refuse: the token in the address is what counts.
      if (request.validationError?.validationContext === 'params') return await notSubscribed(reply)
      // A link that is no link (NotFoundError) is answered as one whose subscription has ended: 200 either way.
      const removed = unlessNotFound(() => subscribers.unsubscribe(request.params.token)) ?? false
      if (!removed) return await notSubscribed(reply)
      return await renderSubscriptionPage(app, reply, 'subscription-message', 'Unsubscribed', {
        heading: 'You’re unsubscribed',
        message: 'Nothing more will be sent to you. You can subscribe again at any time.'
      })
    })
  })

  /** 200, not 404: unsubscribing twice (a mail client retrying, a second click) is not an error. */
  async function notSubscribed (reply: FastifyReply): Promise<FastifyReply> {
    return await renderSubscriptionPage(app, reply, 'subscription-message', 'Not subscribed', {
      heading: 'Not subscribed',
      message: 'This link belongs to no subscription: it is unsubscribed already. Nothing more will be sent to it.'
    })
  }
}
