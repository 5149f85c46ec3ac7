// Repository of named counters: the public content version and the reference sequence.
import type { Db } from '../db/open-database.js'

export class CountersStore {
  readonly #db: Db
  readonly #get
  readonly #bump
  /** Values read by recent(), with when (performance.now()). */
  readonly #recent = new Map<string, { value: number, at: number }>()

  constructor (db: Db) {
    this.#db = db
    this.#get = db.prepare<[string], { value: number }>('SELECT value FROM counters WHERE name = ?')
    this.#bump = db.prepare<[string], { value: number }>('UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value')
  }

  get (name: string): number {
    return this.#get.get(name)?.value ?? 0
  }

  /**
   * The value as read at most `maxAgeMs` ago, for a path too hot for a read each time: in WAL mode a read
   * starts a read transaction, which takes locks on the shared-memory file (about 20 µs under load, the
   * largest cost of a cached public response). This process's bumps are seen at once, as bump forgets
   * the value; another connection's, within `maxAgeMs`. Inside a transaction it reads, so a value not
   * committed yet is never kept.
   */
  recent (name: string, maxAgeMs: number): number {
    if (this.#db.inTransaction) return this.get(name)
    const now = performance.now()
    const kept = this.#recent.get(name)
    if (kept !== undefined && now - kept.at < maxAgeMs) return kept.value
    const value = this.get(name)
    this.#recent.set(name, { value, at: now })
    return value
  }

  /** Adds one and returns the new value; inside a write transaction this is atomic. */
  bump (name: string): number {
    this.#recent.delete(name)
    const row = this.#bump.get(name)
    if (row === undefined) throw new Error(`no counter named ${name}`)
    return row.value
  }
}
