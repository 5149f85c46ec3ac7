// Repository of API tokens, stored as hashes.
import type { Db } from '../db/open-database.js'
import type { ApiToken } from '../domain/accounts.js'

interface TokenRow { id: number, name: string, created_at: string, last_used_at: string | null }

function toToken (row: TokenRow): ApiToken {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at }
}

export class TokensStore {
  readonly #insert
  readonly #list
  readonly #byHash
  readonly #byName
  readonly #remove
  readonly #touch

  constructor (db: Db) {
    this.#insert = db.prepare<[string, string, string]>('INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?, ?, ?)')
    this.#list = db.prepare<[], TokenRow>('SELECT id, name, created_at, last_used_at FROM api_tokens ORDER BY name')
    this.#byHash = db.prepare<[string], TokenRow>('SELECT id, name, created_at, last_used_at FROM api_tokens WHERE token_hash = ?')
    this.#byName = db.prepare<[string], TokenRow>('SELECT id, name, created_at, last_used_at FROM api_tokens WHERE name = ?')
    this.#remove = db.prepare<[string]>('DELETE FROM api_tokens WHERE name = ?')
    this.#touch = db.prepare<[string, number]>('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
  }

  insert (name: string, tokenHash: string, at: string): void {
    this.#insert.run(name, tokenHash, at)
  }

  list (): ApiToken[] {
    return this.#list.all().map(toToken)
  }

  byHash (tokenHash: string): ApiToken | undefined {
    const row = this.#byHash.get(tokenHash)
    return row === undefined ? undefined : toToken(row)
  }

  byName (name: string): ApiToken | undefined {
    const row = this.#byName.get(name)
    return row === undefined ? undefined : toToken(row)
  }

  /** Returns whether a token of that name existed. */
  remove (name: string): boolean {
    return this.#remove.run(name).changes > 0
  }

  touch (id: number, at: string): void {
    this.#touch.run(at, id)
  }
}
