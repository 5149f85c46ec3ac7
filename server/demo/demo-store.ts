// The two writes the demo needs that the services do not offer: back-dating a start, and clearing for --force.
import type { Db } from '../db/open-database.js'

export class DemoStore {
  readonly #setStartedAt
  readonly #clear

  constructor (db: Db) {
    this.#setStartedAt = db.prepare<[string, number]>('UPDATE incidents SET started_at = ? WHERE id = ?')
    // Children first: status changes point at components without a cascade; deleting incidents
    // cascades to their updates, component links and deliveries, and unlinks their audit entries.
    this.#clear = [
      'DELETE FROM component_status_changes',
      'DELETE FROM incidents',
      'DELETE FROM components',
      'DELETE FROM component_groups'
    ].map((sql) => db.prepare(sql))
  }

  /**
   * An incident's start may come before its first update (TM202916 went down at 08:30 and was first
   * posted about at 09:00), but opening an incident starts it at its first update's time.
   */
  setStartedAt (incidentId: number, startedAt: string): void {
    this.#setStartedAt.run(startedAt, incidentId)
  }

  /** Removes every incident and component, with their history; tokens, users and the audit log stay. */
  clearIncidentsAndComponents (): void {
    for (const statement of this.#clear) statement.run()
  }
}
