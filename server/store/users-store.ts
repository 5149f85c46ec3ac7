// Repository of users: name, role and password hash.
import type { Db } from '../db/open-database.js'
import type { Role, User } from '../domain/accounts.js'

interface UserRow { id: number, name: string, role: Role, created_at: string, updated_at: string }

function toUser (row: UserRow): User {
  return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, updatedAt: row.updated_at }
}

const userColumns = 'id, name, role, created_at, updated_at'

export class UsersStore {
  readonly #insert
  readonly #byId
  readonly #byName
  readonly #passwordHash
  readonly #list
  readonly #count
  readonly #setPassword
  readonly #remove

  constructor (db: Db) {
    this.#insert = db.prepare<[string, string, Role, string, string]>(
      'INSERT INTO users (name, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    this.#byId = db.prepare<[number], UserRow>(`SELECT ${userColumns} FROM users WHERE id = ?`)
    this.#byName = db.prepare<[string], UserRow>(`SELECT ${userColumns} FROM users WHERE name = ?`)
    this.#passwordHash = db.prepare<[number], { password_hash: string }>('SELECT password_hash FROM users WHERE id = ?')
    this.#list = db.prepare<[], UserRow>(`SELECT ${userColumns} FROM users ORDER BY name`)
    this.#count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users')
    this.#setPassword = db.prepare<[string, string, number]>('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?')
    this.#remove = db.prepare<[number]>('DELETE FROM users WHERE id = ?')
  }

  insert (name: string, passwordHash: string, role: Role, at: string): number {
    return Number(this.#insert.run(name, passwordHash, role, at, at).lastInsertRowid)
  }

  byId (id: number): User | undefined {
    const row = this.#byId.get(id)
    return row === undefined ? undefined : toUser(row)
  }

  byName (name: string): User | undefined {
    const row = this.#byName.get(name)
    return row === undefined ? undefined : toUser(row)
  }

  passwordHash (id: number): string | undefined {
    return this.#passwordHash.get(id)?.password_hash
  }

  list (): User[] {
    return this.#list.all().map(toUser)
  }

  count (): number {
    return this.#count.get()?.n ?? 0
  }

  setPassword (id: number, passwordHash: string, at: string): void {
    this.#setPassword.run(passwordHash, at, id)
  }

  remove (id: number): void {
    this.#remove.run(id)
  }
}
