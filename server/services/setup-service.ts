// First run: a one-time setup token, stored hashed with its expiry, that lets whoever holds it create the first admin within the hour.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { User } from '../domain/accounts.js'
import { type ServiceContext, nowIso } from './context.js'
import { NotFoundError } from './errors.js'
import { UserService } from './user-service.js'

/** The settings entry holding the SHA-256 of the current setup token and when it expires (StoredSetupToken as JSON). */
const setupTokenSetting = 'setup_token_hash'

/**
 * How long a setup link works. A link is printed to a terminal (and so to scrollback, screen recordings,
 * CI logs); an hour is enough to open it, and `herald setup-link` gives a new one after.
 */
export const setupLinkLifetimeMs = 60 * 60 * 1000
export const setupLinkLifetimeText = '1 hour'

interface StoredSetupToken { hash: string, expiresAt: string }

/** The stored token, or undefined for none or one in another form (an older Herald's, without expiry: it no longer works). */
function parseStored (value: string | undefined): StoredSetupToken | undefined {
  if (value === undefined) return undefined
  try {
    const parsed = JSON.parse(value) as Partial<StoredSetupToken> | null
    if (typeof parsed?.hash !== 'string' || typeof parsed.expiresAt !== 'string') return undefined
    return { hash: parsed.hash, expiresAt: parsed.expiresAt }
  } catch {
    return undefined
  }
}

// Who the audit log says created the first admin: nobody was signed in yet.
const setupActor = 'setup'

function hashToken (token: string): Buffer {
  return createHash('sha256').update(token).digest()
}

export class SetupService {
  readonly #context: ServiceContext
  readonly #users: UserService

  constructor (context: ServiceContext) {
    this.#context = context
    this.#users = new UserService(context)
  }

  /** Whether the install still waits for its first user. */
  pending (): boolean {
    return this.#context.stores.users.count() === 0
  }

  /**
   * A new setup token, valid for setupLinkLifetimeMs, while there is no user, or undefined. Each call
   * replaces the previous token (only its hash is kept, so an old one cannot be shown again): the link
   * printed last is the one that works.
   */
  issue (): string | undefined {
    if (!this.pending()) return undefined
    const token = randomBytes(32).toString('base64url')
    const expiresAt = new Date(this.#context.clock().getTime() + setupLinkLifetimeMs).toISOString()
    const stored: StoredSetupToken = { hash: hashToken(token).toString('hex'), expiresAt }
    this.#context.stores.settings.set(setupTokenSetting, JSON.stringify(stored))
    return token
  }

  /** Whether `token` opens the setup page: there is no user yet, it is the current token, and it has not expired. */
  accepts (token: unknown): boolean {
    if (typeof token !== 'string' || token === '' || !this.pending()) return false
    const stored = parseStored(this.#context.stores.settings.get(setupTokenSetting))
    if (stored === undefined || nowIso(this.#context) >= stored.expiresAt) return false
    const expected = Buffer.from(stored.hash, 'hex')
    const actual = hashToken(token)
    return expected.length === actual.length && timingSafeEqual(expected, actual)
  }

  /**
   * Creates the first admin and uses up the token, in one transaction that checks again that no
   * user exists, so two people racing with the same link cannot both become admin.
   */
  async createFirstAdmin (token: string, name: string, password: string): Promise<User> {
    if (!this.accepts(token)) throw new NotFoundError('the setup link is not valid (any more)')
    const { settings } = this.#context.stores
    return await this.#users.create(name, password, 'admin', setupActor, () => {
      if (!this.accepts(token)) throw new NotFoundError('the setup link is not valid (any more)')
      settings.remove(setupTokenSetting)
    })
  }
}
