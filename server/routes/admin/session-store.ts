// The @fastify/session store over SQLite: sessions survive restarts, expire by Herald's clock, end on sign-out.
import type { SessionStore } from '@fastify/session'
import type { Session } from 'fastify'
import type { Clock } from '../../services/context.js'
import type { SessionsStore } from '../../store/sessions-store.js'

/** A session ends after this long without a request... */
export const sessionIdleMs = 12 * 60 * 60 * 1000
/** ...and after this long in any case, so a stolen cookie does not live forever. */
export const sessionMaxAgeMs = 7 * 24 * 60 * 60 * 1000

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
      const now = this.#clock()
      const existing = this.#sessions.get(sessionId)
      // A new session (a sign-in) sweeps the ones that expired without their cookie coming back.
      if (existing === undefined) this.#sessions.removeExpired(now.toISOString())
      this.#sessions.save(sessionId, {
        userId: typeof session.userId === 'number' ? session.userId : null,
        data: JSON.stringify(session),
        createdAt: existing?.createdAt ?? now.toISOString(),
        expiresAt: new Date(now.getTime() + sessionIdleMs).toISOString()
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
