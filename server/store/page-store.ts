// Read-only queries about the page as a whole: when anything on it last changed.
import type { Db } from '../db/open-database.js'

export class PageStore {
  readonly #lastChange

  constructor (db: Db) {
    // Times are stored as UTC ISO strings of one length, so the greatest string is the latest time.
    // A deleted component counts: its deletion is a change of the page.
    this.#lastChange = db.prepare<[], { at: string | null }>(
      `SELECT MAX(at) AS at FROM (
         SELECT MAX(updated_at) AS at FROM components
         UNION ALL SELECT MAX(updated_at) FROM component_groups
         UNION ALL SELECT MAX(updated_at) FROM incidents
         UNION ALL SELECT MAX(updated_at) FROM updates)`)
  }

  /** The time of the latest change to a component, a group, an incident or an update; undefined on an empty page. */
  lastChange (): string | undefined {
    return this.#lastChange.get()?.at ?? undefined
  }
}
