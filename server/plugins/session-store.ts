// The admin UI's @fastify/session store over the sessions table: signed-in sessions survive restarts, expire by Herald's clock, end on sign-out.
import type { SessionStore } from '@fastify/session'
import type { Session } from 'fastify'
import type { Clock } from '../domain/time.js'
import type { SessionsStore } from '../store/sessions-store.js'

declare module 'fastify' {
  /** What a signed-in session holds; a session without a user is never stored. */
  interface Session {
    userId?: number
    /** When the user signed in: a password changed since then ends the session. */
    signedInAt?: string
  }
}

/** A session ends after this long without a request... */
export const sessionIdleMs = 12 * 60 * 60 * 1000
/** ...and after this long in any case, so a stolen cookie does not live forever. */
export const sessionMaxAgeMs = 7 * 24 * 60 * 60 * 1000

/** At most this many expired sessions are removed at each sign-in. */
export const purgeBatch = 500

type Callback = (err?: unknown) => void

export class SqliteSessionStore implements SessionStore {
  readonly #sessions: SessionsStore
  readonly #clock: Clock

  constructor (sessions: SessionsStore, clock: Clock) {
    this.#sessions = sessions
    this.#clock = clock
  }

  get (sessionId: string, callback: (err: unknown, result?: Session | null) => void): void {
    try {
      const stored = this.#sessions.get(sessionId)
      const now = this.#clock().getTime()
      if (stored === undefined) return callback(null, null)
      if (Date.parse(stored.expiresAt) <= now || Date.parse(stored.createdAt) + sessionMaxAgeMs <= now) {
        this.#sessions.remove(sessionId)
        return callback(null, null)
      }
      callback(null, JSON.parse(stored.data) as Session)
    } catch (err) {
      callback(err)
    }
  }

  set (sessionId: string, session: Session, callback: Callback): void {
    try {
      // Only a signed-in session is kept: an anonymous one has nothing worth a row (the CSRF secret is
      // in a cookie), and anyone can start as many of those as they like.
      if (typeof session.userId !== 'number') return callback()
      const now = this.#clock()
      const existing = this.#sessions.get(sessionId)
      // A new session (a sign-in) sweeps a batch of the ones that expired without their cookie coming back:
      // more than sign-ins can add, and never a long hold on the database.
      if (existing === undefined) this.#sessions.removeExpired(now.toISOString(), purgeBatch)
      const createdAt = existing?.createdAt ?? now.toISOString()
      // The earlier of the two ends, so that the purge by expiry also finds the sessions past their maximum age.
      const expiresAt = Math.min(now.getTime() + sessionIdleMs, Date.parse(createdAt) + sessionMaxAgeMs)
      this.#sessions.save(sessionId, {
        userId: session.userId,
        data: JSON.stringify(session),
        createdAt,
        expiresAt: new Date(expiresAt).toISOString()
      })
      callback()
    } catch (err) {
      callback(err)
    }
  }

  destroy (sessionId: string, callback: Callback): void {
    try {
      this.#sessions.remove(sessionId)
      callback()
    } catch (err) {
      callback(err)
    }
  }
}
