// Users of the admin UI: created with a checked password, hashed with scrypt, verified at sign-in.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { type PasswordHashing, type Role, type User, passwordHashingFloor, roles } from '../domain/accounts.js'
import { passwordProblem } from '../domain/password-policy.js'
import { type ServiceContext, nowIso } from './context.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'

// Room for N=2^15, r=8 (32 MiB) and a raised cost later; scrypt refuses to use more than maxmem.
const maxmem = 64 * 1024 * 1024
const keyLength = 32
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/

export const userNameLimits = { min: 2, max: 64 } as const

/** Undefined when the name is acceptable; otherwise a sentence saying why not. */
export function userNameProblem (name: string): string | undefined {
  if (namePattern.test(name)) return undefined
  return 'Use 2 to 64 letters, digits, dots, dashes or underscores, starting with a letter or a digit.'
}

export type UserField = 'name' | 'role' | 'password'
const fieldWords: Record<UserField, string> = { name: 'user name', role: 'role', password: 'password' }

/** Input refused for one field: the message names the field (for the command line), `problem` is the sentence for a form. */
export class UserInputError extends InvalidInputError {
  override readonly field: UserField
  readonly problem: string

  constructor (field: UserField, problem: string) {
    super(`${fieldWords[field]} refused: ${problem}`)
    this.field = field
    this.problem = problem
  }
}

function checkPassword (password: string, userName: string): void {
  const problem = passwordProblem(password, userName)
  if (problem !== undefined) throw new UserInputError('password', problem)
}

async function deriveKey (password: string, salt: Buffer, params: PasswordHashing): Promise<Buffer> {
  return await new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...params, maxmem }, (err, key) => {
      if (err !== null) reject(err)
      else resolve(key)
    })
  })
}

/** `scrypt$N$r$p$salt$key`, so the cost can be raised later without breaking stored hashes. */
async function hashPassword (password: string, cost: PasswordHashing): Promise<string> {
  const salt = randomBytes(16)
  const key = await deriveKey(password, salt, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

async function verifyPassword (password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await deriveKey(password, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

export class UserService {
  readonly #context: ServiceContext
  readonly #cost: PasswordHashing
  // Compared against when the user does not exist, so that sign-in takes as long either way: hashed at the
  // same cost as the users' passwords, once, when first needed.
  #decoy: Promise<string> | undefined

  constructor (context: ServiceContext) {
    this.#context = context
    this.#cost = context.passwordHashing ?? passwordHashingFloor
  }

  async #decoyHash (): Promise<string> {
    this.#decoy ??= hashPassword(randomBytes(16).toString('hex'), this.#cost)
    return await this.#decoy
  }

  list (): User[] {
    return this.#context.stores.users.list()
  }

  count (): number {
    return this.#context.stores.users.count()
  }

  get (id: number): User | undefined {
    return this.#context.stores.users.byId(id)
  }

  byName (name: string): User | undefined {
    return this.#context.stores.users.byName(name)
  }

  /**
   * Creates a user. `guard` runs inside the transaction before the insert and may throw to refuse
   * it: the first-run setup uses it to check, atomically, that no user exists yet.
   */
  async create (name: string, password: string, role: Role, actor: string, guard?: () => void): Promise<User> {
    const nameProblem = userNameProblem(name)
    if (nameProblem !== undefined) throw new UserInputError('name', nameProblem)
    if (!roles.includes(role)) throw new UserInputError('role', `Choose ${roles.join(' or ')}.`)
    checkPassword(password, name)
    // Hashed before the transaction: tens of milliseconds that must not hold the write lock.
    const passwordHash = await hashPassword(password, this.#cost)
    const { db, users, audit } = this.#context.stores
    const at = nowIso(this.#context)
    const id = db.transaction(() => {
      guard?.()
      if (users.byName(name) !== undefined) throw new ConflictError(`a user named ${name} already exists`)
      const id = users.insert(name, passwordHash, role, at)
      audit.record({ at, actor, action: 'user.create', incidentId: null, detail: { name, role } })
      return id
    }).immediate()
    return users.byId(id) as User
  }

  /** The user when the name and password match; undefined otherwise, in about the same time. */
  async authenticate (name: string, password: string): Promise<User | undefined> {
    const { users } = this.#context.stores
    const user = users.byName(name)
    const stored = user === undefined ? undefined : users.passwordHash(user.id)
    const ok = await verifyPassword(password, stored ?? await this.#decoyHash())
    return ok && user !== undefined ? user : undefined
  }

  /** Sets a new password and ends the user's sessions. */
  async changePassword (name: string, password: string, actor: string): Promise<void> {
    const { db, users, sessions, audit } = this.#context.stores
    const user = users.byName(name)
    if (user === undefined) throw new NotFoundError(`no user named ${name}`)
    checkPassword(password, user.name)
    const passwordHash = await hashPassword(password, this.#cost)
    const at = nowIso(this.#context)
    db.transaction(() => {
      users.setPassword(user.id, passwordHash, at)
      sessions.removeForUser(user.id)
      audit.record({ at, actor, action: 'user.password', incidentId: null, detail: { name: user.name } })
    }).immediate()
  }

  /** Removes a user and ends their sessions (the sessions table cascades); the last admin cannot be removed. */
  remove (name: string, actor: string): void {
    const { db, users, audit } = this.#context.stores
    const at = nowIso(this.#context)
    db.transaction(() => {
      const user = users.byName(name)
      if (user === undefined) throw new NotFoundError(`no user named ${name}`)
      if (user.role === 'admin' && users.list().filter((u) => u.role === 'admin').length === 1) {
        throw new ConflictError(`${user.name} is the last admin; add another admin first`)
      }
      users.remove(user.id)
      audit.record({ at, actor, action: 'user.remove', incidentId: null, detail: { name: user.name } })
    }).immediate()
  }
}
