// Read-only queries about the page as a whole: when anything on it last changed, and the groups with their times.
import type { Db } from '../db/open-database.js'

/** A component group as the public API shows it: its name and when the group itself was made and changed. */
export interface GroupTimes {
  id: number
  name: string
  createdAt: string
  updatedAt: string
}

export class PageStore {
  readonly #lastChange
  readonly #groups

  constructor (db: Db) {
    // Times are stored as UTC ISO strings of one length, so the greatest string is the latest time.
    // A deleted component counts: its deletion is a change of the page.
    this.#lastChange = db.prepare<[], { at: string | null }>(
      `SELECT MAX(at) AS at FROM (
         SELECT MAX(updated_at) AS at FROM components
         UNION ALL SELECT MAX(updated_at) FROM component_groups
         UNION ALL SELECT MAX(updated_at) FROM incidents
         UNION ALL SELECT MAX(updated_at) FROM updates)`)
    this.#groups = db.prepare<[], { id: number, name: string, created_at: string, updated_at: string }>(
      'SELECT id, name, created_at, updated_at FROM component_groups ORDER BY id')
  }

  /** The time of the latest change to a component, a group, an incident or an update; undefined on an empty page. */
  lastChange (): string | undefined {
    return this.#lastChange.get()?.at ?? undefined
  }

  groups (): GroupTimes[] {
    return this.#groups.all().map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at }))
  }
}
