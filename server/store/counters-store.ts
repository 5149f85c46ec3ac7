// Repository of named counters: the public content version and the reference sequence.
import type { Db } from '../db/open-database.js'

export class CountersStore {
  readonly #get
  readonly #bump

  constructor (db: Db) {
    this.#get = db.prepare<[string], { value: number }>('SELECT value FROM counters WHERE name = ?')
    this.#bump = db.prepare<[string], { value: number }>('UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value')
  }

  get (name: string): number {
    return this.#get.get(name)?.value ?? 0
  }

  /** Adds one and returns the new value; inside a write transaction this is atomic. */
  bump (name: string): number {
    const row = this.#bump.get(name)
    if (row === undefined) throw new Error(`no counter named ${name}`)
    return row.value
  }
}
