// Repository of admin sessions, keyed by the hash of the session id.
import { createHash } from 'node:crypto'
import type { Db } from '../db/open-database.js'

export interface StoredSession {
  userId: number | null
  data: string
  createdAt: string
  expiresAt: string
}

interface SessionRow { user_id: number | null, data: string, created_at: string, expires_at: string }

function hashId (sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex')
}

export class SessionsStore {
  readonly #get
  readonly #upsert
  readonly #remove
  readonly #removeForUser
  readonly #removeExpired

  constructor (db: Db) {
    this.#get = db.prepare<[string], SessionRow>('SELECT user_id, data, created_at, expires_at FROM sessions WHERE id_hash = ?')
    this.#upsert = db.prepare<[string, number | null, string, string, string]>(
      `INSERT INTO sessions (id_hash, user_id, data, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id_hash) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at`)
    this.#remove = db.prepare<[string]>('DELETE FROM sessions WHERE id_hash = ?')
    this.#removeForUser = db.prepare<[number]>('DELETE FROM sessions WHERE user_id = ?')
    // Oldest first, a batch at a time (sessions_expiry index): one purge never holds the write lock long.
    this.#removeExpired = db.prepare<[string, number]>(
      `DELETE FROM sessions WHERE id_hash IN (
         SELECT id_hash FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`)
  }

  get (sessionId: string): StoredSession | undefined {
    const row = this.#get.get(hashId(sessionId))
    return row === undefined ? undefined : { userId: row.user_id, data: row.data, createdAt: row.created_at, expiresAt: row.expires_at }
  }

  /** Saves a session; its creation time is kept from the first save. */
  save (sessionId: string, session: StoredSession): void {
    this.#upsert.run(hashId(sessionId), session.userId, session.data, session.createdAt, session.expiresAt)
  }

  remove (sessionId: string): void {
    this.#remove.run(hashId(sessionId))
  }

  /** Ends every session of a user: on password change or removal. */
  removeForUser (userId: number): void {
    this.#removeForUser.run(userId)
  }

  /** Removes up to `limit` sessions that expired by `now`; returns how many. */
  removeExpired (now: string, limit: number): number {
    return this.#removeExpired.run(now, limit).changes
  }
}
