// GET and POST /subscribe: a visitor subscribes by email (double opt-in, the same answer for every address) or by a URL (tested first, then active).
import fastifyRateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Component } from '../../domain/model.js'
import { checkEmailAddress, checkSubscriberUrl } from '../../domain/subscriber-targets.js'
import { type SubscriberKind, subscriberKindLabels } from '../../domain/subscribers.js'
import { afterResponse, logMailOutcome } from '../../http/after-response.js'
import { formRefusal } from '../../http/form-refusal.js'
import { clockRateLimitStore } from '../../http/window-counter.js'
import { type ErrorPage, RenderRefused, sendRefused } from '../../plugins/error-page.js'
import { newSigningSecret } from '../../services/subscriber-service.js'
import { type SubscribeErrors, type SubscribeValues, defaultSubscribeValues, subscribeFormView } from '../../views/subscribe-view.js'
import { chosenComponents, keptValues, schemaErrors, subscribeForm } from './subscribe-form.js'
import { renderSubscriptionPage, sendSubscriptionHtml, subscriptionPageHtml, subscriptionScope } from './subscription-pages.js'

/**
 * Subscriptions per client address: a person subscribes once or twice, perhaps fixing a typo; a script
 * trying addresses (or making Herald post test messages to URLs) is held to one a minute.
 */
export const subscribeLimits = { max: 10, windowMs: 10 * 60_000 } as const

const tooManySubscriptions: ErrorPage = {
  statusCode: 429,
  heading: 'Too many subscriptions',
  message: 'Your network address has sent the subscription form many times in a short time. Wait ten minutes, then try again.'
}

export default async function subscribeRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { clock, config, services } = app.herald
  await subscriptionScope(app)
  // On Herald's clock, so that tests move time rather than wait for the window to pass.
  await app.register(fastifyRateLimit, { global: false, store: clockRateLimitStore(clock) })
  const subscribeLimit = app.createRateLimit({ max: subscribeLimits.max, timeWindow: subscribeLimits.windowMs })

  const components = (): Component[] => services.reads.public.status().components

  async function formPage (reply: FastifyReply, values: SubscribeValues, errors: SubscribeErrors, statusCode = 200): Promise<FastifyReply> {
    const view = subscribeFormView({ kinds: app.subscribers.kinds, components: components(), values, errors })
    return await renderSubscriptionPage(app, reply, 'subscribe', 'Subscribe to updates', { ...view }, statusCode)
  }

  async function subscribeEmail (request: FastifyRequest, reply: FastifyReply, values: SubscribeValues, chosen: number[] | 'all'): Promise<FastifyReply> {
    const mailer = app.subscribers.mailer
    const address = checkEmailAddress(values.email.trim())
    if (!address.ok) return await formPage(reply, values, { email: address.reason }, 400)
    if (mailer === null) return await formPage(reply, values, { kind: 'Choose one of the ways offered.' }, 400)
    const result = services.subscribers.subscribe({ kind: 'email', target: address.value, components: chosen, source: 'visitor' })
    if (result.outcome === 'confirm') {
      const names = chosen === 'all' ? [] : components().filter((component) => chosen.includes(component.id)).map((component) => component.name)
      const confirmUrl = `${config.publicUrl}/subscriptions/confirm/${result.confirmToken}`
      // Once the answer has left: the visitor waits no longer for a new address than for a known one.
      afterResponse(reply, request.log, async () => { logMailOutcome(request.log, await mailer.sendConfirmation(address.value, { confirmUrl, components: names }), 'a confirmation mail') })
    } else {
      const { manage } = services.subscribers.links(result.subscriber)
      afterResponse(reply, request.log, async () => { logMailOutcome(request.log, await mailer.sendAlreadySubscribed(address.value, { manageUrl: manage }), 'an already-subscribed mail') })
    }
    // The very same page whatever the address was: nothing tells a new one from one already subscribed.
    return await renderSubscriptionPage(app, reply, 'subscribe-sent', 'Check your inbox', { email: true })
  }

  async function subscribeUrl (reply: FastifyReply, kind: Exclude<SubscriberKind, 'email'>, values: SubscribeValues, chosen: number[] | 'all'): Promise<FastifyReply> {
    const { subscriptions } = config
    const url = checkSubscriberUrl(kind, values.url.trim(), { allowHttp: subscriptions.allowHttpUrls })
    const contact = values.contactEmail.trim() === '' ? null : checkEmailAddress(values.contactEmail.trim())
    const errors: SubscribeErrors = {}
    if (!url.ok) errors.url = url.reason
    if (contact !== null && !contact.ok) errors.contactEmail = contact.reason
    if (!url.ok || (contact !== null && !contact.ok)) return await formPage(reply, values, errors, 400)
    // The test message is signed with the secret the subscription will keep, so a receiver that checks
    // signatures accepts it, and the secret shown below is the one that verified it.
    const secret = kind === 'webhook' ? newSigningSecret() : null
    const test = await app.subscribers.testDelivery(kind, url.value, secret)
    if (!test.ok) return await formPage(reply, values, { url: `The test message was not delivered: ${test.reason}. Nothing was saved.` }, 400)
    const result = services.subscribers.subscribe({
      kind,
      target: url.value,
      ...(contact === null ? {} : { contactEmail: contact.value }),
      components: chosen,
      source: 'visitor',
      ...(secret === null ? {} : { signingSecret: secret })
    })
    if (result.outcome !== 'subscribed') throw new Error('a URL subscription is active at once')
    const links = services.subscribers.links(result.subscriber)
    return await renderSubscriptionPage(app, reply, 'subscribe-sent', 'Subscribed', {
      email: false,
      kindLabel: subscriberKindLabels[kind],
      webhook: kind === 'webhook',
      signingSecret: result.signingSecret,
      manageUrl: links.manage
    }, 201)
  }

  // The blank form is the same for every visitor: rendered once per content version (the components, the branding), so
  // that a flood of GET /subscribe costs a counter lookup rather than a render (2,330 req/s when each was rendered,
  // against 15,000 for / from the public cache; 16,700-18,100 kept: wrk -t2 -c32 -d5s on the demo data).
  let blank: { version: string, html: string } | undefined
  app.get('/subscribe', { schema: { querystring: Type.Object({}) }, attachValidation: true }, async (_request, reply) => {
    // The version the public cache and the error pages key their renders on.
    const version = app.publicVersion(false)
    if (blank?.version !== version) {
      const view = subscribeFormView({ kinds: app.subscribers.kinds, components: components(), values: defaultSubscribeValues(app.subscribers.kinds), errors: {} })
      blank = { version, html: await subscriptionPageHtml(app, 'subscribe', 'Subscribe to updates', { ...view }) }
    }
    return sendSubscriptionHtml(reply, blank.html)
  })

  app.post('/subscribe', { schema: { querystring: Type.Object({}), body: subscribeForm }, attachValidation: true }, async (request, reply) => {
    const limit = await subscribeLimit(request)
    if (!limit.isAllowed && limit.isExceeded) return await sendRefused(app, reply, new RenderRefused(tooManySubscriptions, limit.ttlInSeconds))
    const kinds = app.subscribers.kinds
    const values = keptValues(request.body, kinds)
    if (request.validationError !== undefined) return await formPage(reply, values, schemaErrors(request.validationError.validation), 400)
    if (!kinds.includes(request.body.kind as SubscriberKind)) return await formPage(reply, values, { kind: 'Choose one of the ways offered.' }, 400)
    const chosen = chosenComponents(values, components())
    if (!chosen.ok) return await formPage(reply, values, { components: chosen.error }, 400)
    try {
      return values.kind === 'email'
        ? await subscribeEmail(request, reply, values, chosen.components)
        : await subscribeUrl(reply, values.kind, values, chosen.components)
    } catch (error) {
      // A refusal of the service (a component deleted meanwhile, an address it will not take): beside its field.
      const refused = formRefusal(error, ['email', 'url', 'contactEmail', 'components'])
      return await formPage(reply, values, { [refused.field]: refused.message }, refused.statusCode)
    }
  })
}
