// CSRF protection of the admin forms, registered in the admin scope by index.ts: the secret in a signed cookie, so that an anonymous page view writes nothing, and tokens bound to the session once signed in.
import fastifyCsrf from '@fastify/csrf-protection'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createHmac } from 'node:crypto'

const csrfCookieName = 'herald_csrf'

/**
 * What a token is good for. Signed in: this session only, so a form loaded before signing out and in
 * again is refused, and a secret cookie planted from a neighbouring subdomain is worth nothing without
 * the session id. Anonymous: the sign-in form, for anyone holding the cookie.
 */
function bindingOf (request: FastifyRequest): string {
  return request.user === null ? 'anonymous' : `session:${request.session.sessionId}`
}

export interface CsrfOptions {
  /** The install's session secret: signs the cookie and keys the tokens. */
  secret: string
  /** Whether the cookie may travel over https only (PUBLIC_URL is https). */
  secure: boolean
}

/**
 * Registers @fastify/csrf-protection with its secret in a signed cookie. Tokens are checked against
 * `bindingOf` after the user is loaded (a preHandler), and made with it by `reply.generateCsrf()`.
 */
export async function registerCsrf (app: FastifyInstance, options: CsrfOptions): Promise<void> {
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: csrfCookieName,
    cookieOpts: { path: '/admin', httpOnly: true, sameSite: 'lax', secure: options.secure, signed: true },
    csrfOpts: { userInfo: true, hmacKey: createHmac('sha256', options.secret).update('herald csrf tokens').digest() },
    getUserInfo: bindingOf
  })
  // The pages ask for a token without knowing what it is bound to: each reply's generateCsrf adds it.
  app.addHook('onRequest', async (request, reply) => {
    const generate = reply.generateCsrf
    reply.generateCsrf = (cookieOptions) => generate.call(reply, { ...cookieOptions, userInfo: bindingOf(request) })
  })
}
