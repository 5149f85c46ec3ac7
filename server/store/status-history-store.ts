// Repository of component status changes: the history that uptime is computed from.
import type { Db } from '../db/open-database.js'
import type { StatusChange } from '../domain/model.js'
import type { ComponentStatus } from '../domain/statuses.js'

interface ChangeRow {
  component_id: number
  old_status: ComponentStatus
  new_status: ComponentStatus
  changed_at: string
}

function toChange (row: ChangeRow): StatusChange {
  return { componentId: row.component_id, oldStatus: row.old_status, newStatus: row.new_status, changedAt: row.changed_at }
}

export interface NewStatusChange {
  componentId: number
  updateId: number | null
  oldStatus: ComponentStatus
  newStatus: ComponentStatus
  changedAt: string
}

export class StatusHistoryStore {
  readonly #insert
  readonly #since
  readonly #beforeMaintenance

  constructor (db: Db) {
    this.#insert = db.prepare<[number, number | null, ComponentStatus, ComponentStatus, string]>(
      `INSERT INTO component_status_changes (component_id, update_id, old_status, new_status, changed_at)
       VALUES (?, ?, ?, ?, ?)`)
    this.#since = db.prepare<[string], ChangeRow>(
      `SELECT component_id, old_status, new_status, changed_at FROM component_status_changes
       WHERE changed_at >= ? ORDER BY changed_at, id`)
    this.#beforeMaintenance = db.prepare<[number, number], { old_status: ComponentStatus }>(
      `SELECT s.old_status FROM component_status_changes s JOIN updates u ON u.id = s.update_id
       WHERE s.component_id = ? AND u.incident_id = ? AND s.new_status = 'under_maintenance' ORDER BY s.id LIMIT 1`)
  }

  /** The status a component had before an incident (a maintenance) first put it under maintenance, if it did. */
  statusBeforeMaintenance (componentId: number, incidentId: number): ComponentStatus | undefined {
    return this.#beforeMaintenance.get(componentId, incidentId)?.old_status
  }

  insert (change: NewStatusChange): void {
    this.#insert.run(change.componentId, change.updateId, change.oldStatus, change.newStatus, change.changedAt)
  }

  /**
   * Every change at or after `from`, oldest first. The status a component had at `from` is the
   * old status of its first change here, or its current status when it has none.
   */
  since (from: string): StatusChange[] {
    return this.#since.all(from).map(toChange)
  }
}
