// API tokens: made at random, shown once, stored as a SHA-256 hash, checked on every API request.
import { createHash, randomBytes } from 'node:crypto'
import { isDiskFull } from '../db/disk-full.js'
import type { ApiToken } from '../domain/accounts.js'
import { type ServiceContext, nowIso } from './context.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'

const tokenPrefix = 'hrld_'
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

function hashToken (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export class TokenService {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  /** Creates a token and returns it: the only time it exists in plain text. */
  create (name: string, actor: string): string {
    if (!namePattern.test(name)) throw new InvalidInputError('token name must be 1 to 64 letters, digits, dots, dashes or underscores')
    const { db, tokens, audit } = this.#context.stores
    const token = tokenPrefix + randomBytes(32).toString('base64url')
    const at = nowIso(this.#context)
    db.transaction(() => {
      if (tokens.byName(name) !== undefined) throw new ConflictError(`a token named ${name} already exists`)
      tokens.insert(name, hashToken(token), at)
      audit.record({ at, actor, action: 'token.create', incidentId: null, detail: { name } })
    }).immediate()
    return token
  }

  list (): ApiToken[] {
    return this.#context.stores.tokens.list()
  }

  revoke (name: string, actor: string): void {
    const { db, tokens, audit } = this.#context.stores
    const at = nowIso(this.#context)
    db.transaction(() => {
      if (!tokens.remove(name)) throw new NotFoundError(`no token named ${name}`)
      audit.record({ at, actor, action: 'token.revoke', incidentId: null, detail: { name } })
    }).immediate()
  }

  /** The token's record when it is valid; records when it was last used (at most once a minute). */
  verify (token: string): ApiToken | undefined {
    if (!token.startsWith(tokenPrefix)) return undefined
    const { tokens } = this.#context.stores
    const found = tokens.byHash(hashToken(token))
    if (found === undefined) return undefined
    const now = this.#context.clock()
    if (found.lastUsedAt === null || now.getTime() - Date.parse(found.lastUsedAt) > 60_000) {
      try {
        tokens.touch(found.id, now.toISOString())
      } catch (error) {
        // Bookkeeping: with the disk full, the request itself is answered (a read), or refused by its own write.
        if (!isDiskFull(error)) throw error
      }
    }
    return found
  }
}
