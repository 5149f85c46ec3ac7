// The admin UI's cookies and sessions: the secret that signs them, kept in the database, and the session store over the sessions table.
import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import type { FastifyInstance } from 'fastify'
import { randomBytes } from 'node:crypto'
import { SqliteSessionStore, sessionIdleMs } from './session-store.js'

/**
 * Registers @fastify/cookie and @fastify/session on the admin UI's instance and returns the secret, which
 * signs the CSRF and known-device cookies too. Here rather than in routes/admin/: it wires repositories
 * (settings, sessions) into plugins, as the herald plugin does, and the admin routes read through services.
 */
export async function registerAdminSession (app: FastifyInstance, { secure }: { secure: boolean }): Promise<string> {
  const { clock, stores } = app.herald
  // Kept in the database, so sessions survive a restart and every process signs cookies alike.
  const secret = stores.settings.getOrCreate('session_secret', () => randomBytes(48).toString('base64url'))
  await app.register(fastifyCookie, { secret })
  await app.register(fastifySession, {
    secret,
    cookieName: 'herald_session',
    store: new SqliteSessionStore(stores.sessions, clock),
    // Nothing is stored until someone signs in: an anonymous page view writes nothing.
    saveUninitialized: false,
    rolling: true,
    cookie: { path: '/admin', httpOnly: true, sameSite: 'lax', secure, maxAge: sessionIdleMs }
  })
  return secret
}
