// The reads and the one write the demo needs that the services do not offer: counting what is there, and clearing it for --force.
import type { Db } from '../db/open-database.js'

export class DemoStore {
  readonly #count
  readonly #clear

  constructor (db: Db) {
    // Every kind: incidents and maintenances, scheduled ones included (the public lists leave those out).
    this.#count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM incidents')
    // Children first: status changes point at components without a cascade; deleting incidents
    // cascades to their updates, component links and deliveries, and unlinks their audit entries.
    this.#clear = [
      'DELETE FROM component_status_changes',
      'DELETE FROM incidents',
      'DELETE FROM components',
      'DELETE FROM component_groups'
    ].map((sql) => db.prepare(sql))
  }

  /** How many incidents and maintenances the database holds, of any status. */
  countIncidents (): number {
    return this.#count.get()?.n ?? 0
  }

  /** Removes every incident, maintenance and component, with their history; tokens, users, templates and the audit log stay. */
  clearIncidentsAndComponents (): void {
    for (const statement of this.#clear) statement.run()
  }
}
