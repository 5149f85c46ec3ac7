// Repository of install-wide settings: named text values such as the session secret.
import type { Db } from '../db/open-database.js'

export class SettingsStore {
  readonly #get
  readonly #set
  readonly #insertIfMissing
  readonly #remove

  constructor (db: Db) {
    this.#get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?')
    this.#set = db.prepare<[string, string]>('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value')
    this.#insertIfMissing = db.prepare<[string, string]>('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
    this.#remove = db.prepare<[string]>('DELETE FROM settings WHERE name = ?')
  }

  get (name: string): string | undefined {
    return this.#get.get(name)?.value
  }

  set (name: string, value: string): void {
    this.#set.run(name, value)
  }

  /** The stored value, or `value` stored now; two processes starting together agree on one. */
  getOrCreate (name: string, value: () => string): string {
    this.#insertIfMissing.run(name, value())
    return this.get(name) as string
  }

  remove (name: string): void {
    this.#remove.run(name)
  }
}
