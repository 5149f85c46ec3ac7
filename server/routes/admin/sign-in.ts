// Signing in and out of the admin UI, with sign-in attempts limited per network address, per account and per known device.
import fastifyRateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AccountLimiter, accountKey, signInLimits, tryAgainIn } from '../../http/sign-in-limits.js'
import { safeNext } from './access.js'
import { type FieldErrors, checkForm, confirmationForm } from './forms.js'
import { deviceOf, knownFor, rememberDevice } from './known-device.js'
import { renderAdmin } from './render.js'
import { clockRateLimitStore } from '../../http/window-counter.js'

// `next` is any string: one that is not a safe address back (safeNext) is dropped, not an error the
// person signing in could do anything about.
const signInForm = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  next: Type.Optional(Type.String())
})

interface SignInValues { name: string, password: string, next?: string }

export default async function signInRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services, clock, config } = app.herald
  const secure = config.publicUrl.startsWith('https:')

  // Per address with @fastify/rate-limit (on Herald's clock); per account and per known device with a
  // counter of our own, because only failures count there and the plugin cannot take an attempt back.
  await app.register(fastifyRateLimit, { global: false, store: clockRateLimitStore(clock) })
  const addressLimit = app.createRateLimit({ max: signInLimits.perAddress.max, timeWindow: signInLimits.perAddress.windowMs })
  const accountLimit = new AccountLimiter(clock)

  async function signInPage (request: FastifyRequest, reply: FastifyReply, page: {
    next: string, name?: string, errors?: FieldErrors, statusCode?: number, signedOut?: boolean
  }): Promise<FastifyReply> {
    return await renderAdmin(app, request, reply, {
      template: 'sign-in',
      title: 'Sign in',
      ...(page.statusCode === undefined ? {} : { statusCode: page.statusCode }),
      data: {
        next: page.next,
        values: { name: page.name ?? '' },
        errors: page.errors ?? {},
        signedOut: page.signedOut === true,
        // Before the first user exists, nobody can sign in: say where the first admin comes from.
        noUsers: services.users.count() === 0
      }
    })
  }

  /** The id of this browser's known-device cookie when it is valid for the account named (names are unique without regard to case). */
  function knownDeviceFor (request: FastifyRequest, name: string): string | undefined {
    const device = deviceOf(request)
    if (device === undefined) return undefined
    const user = services.users.get(device.userId)
    return user !== undefined && knownFor(device, user) && accountKey(user.name) === accountKey(name) ? device.id : undefined
  }

  async function tooMany (request: FastifyRequest, reply: FastifyReply, next: string, name: string, retryAfterMs: number, message: string): Promise<FastifyReply> {
    reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)))
    return await signInPage(request, reply, { next, name, statusCode: 429, errors: { form: `${message}; ${tryAgainIn(retryAfterMs)}.` } })
  }

  app.get('/sign-in', {
    schema: { querystring: Type.Object({ next: Type.Optional(Type.String()), 'signed-out': Type.Optional(Type.String()) }) }
  }, async (request, reply) => {
    const query = request.query
    if (request.user !== null) return await reply.redirect(safeNext(query.next), 303)
    return await signInPage(request, reply, { next: safeNext(query.next), signedOut: query['signed-out'] !== undefined })
  })

  app.post('/sign-in', { schema: { body: signInForm }, attachValidation: true }, async (request, reply) => {
    const form = checkForm<SignInValues>(signInForm, request.body)
    const next = safeNext(form.values.next)
    const name = typeof form.values.name === 'string' ? form.values.name : ''

    const byAddress = await addressLimit(request)
    if (!byAddress.isAllowed && byAddress.isExceeded) {
      request.log.warn({ ip: request.ip }, 'sign-in refused: too many attempts from this address')
      return await tooMany(request, reply, next, name, byAddress.ttl, 'Too many sign-in attempts from your network address')
    }
    if (!form.ok) return await signInPage(request, reply, { next, name, statusCode: 400, errors: form.errors })

    // A browser that signed in to this account before is not held back by failures from elsewhere: an
    // attacker guessing from other devices cannot lock the owner out during an incident.
    const knownDevice = knownDeviceFor(request, form.values.name)
    const attempt = accountLimit.attempt(form.values.name, knownDevice)
    if (!attempt.allowed) {
      request.log.warn({ user: form.values.name, knownDevice: knownDevice !== undefined }, 'sign-in refused: too many failed attempts for this account')
      return await tooMany(request, reply, next, name, attempt.retryAfterMs, knownDevice !== undefined
        ? 'Too many failed sign-in attempts on this device'
        : 'Too many failed sign-in attempts for this account from devices it has not signed in on before (a browser you signed in with before still can)')
    }
    const user = await services.users.authenticate(form.values.name, form.values.password)
    if (user === undefined) {
      return await signInPage(request, reply, { next, name, statusCode: 401, errors: { form: 'The user name or the password is wrong.' } })
    }
    attempt.succeeded()
    // A new session id at sign-in, so an id planted before it (session fixation) is worth nothing.
    await request.session.regenerate()
    const now = clock()
    request.session.userId = user.id
    request.session.signedInAt = now.toISOString()
    rememberDevice(reply, user, now, secure)
    request.log.info({ user: user.name }, 'signed in')
    return await reply.redirect(next, 303)
  })

  app.post('/sign-out', { schema: { body: confirmationForm }, attachValidation: true }, async (request, reply) => {
    await request.session.destroy()
    return await reply.redirect('/admin/sign-in?signed-out=1', 303)
  })
}
