// The one write the demo needs that the services do not offer: clearing incidents and components for --force.
import type { Db } from '../db/open-database.js'

export class DemoStore {
  readonly #clear

  constructor (db: Db) {
    // Children first: status changes point at components without a cascade; deleting incidents
    // cascades to their updates, component links and deliveries, and unlinks their audit entries.
    this.#clear = [
      'DELETE FROM component_status_changes',
      'DELETE FROM incidents',
      'DELETE FROM components',
      'DELETE FROM component_groups'
    ].map((sql) => db.prepare(sql))
  }

  /** Removes every incident and component, with their history; tokens, users and the audit log stay. */
  clearIncidentsAndComponents (): void {
    for (const statement of this.#clear) statement.run()
  }
}
