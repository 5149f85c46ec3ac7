// Repository of component status changes: the history that uptime is computed from.
import type { Db } from '../db/open-database.js'
import type { StatusChange } from '../domain/model.js'
import { type ComponentStatus, componentStatuses } from '../domain/statuses.js'

interface ChangeRow {
  component_id: number
  old_status: ComponentStatus
  new_status: ComponentStatus
  changed_at: string
}

// One string per status: SQLite gives every row its own copies, and the status page holds the thousands of
// changes of 90 days (two statuses each) while it is built, through the collections that come meanwhile.
const statusText = new Map<string, ComponentStatus>(componentStatuses.map((status) => [status, status]))

function toChange (row: ChangeRow): StatusChange {
  return {
    componentId: row.component_id,
    oldStatus: statusText.get(row.old_status) ?? row.old_status,
    newStatus: statusText.get(row.new_status) ?? row.new_status,
    changedAt: row.changed_at
  }
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
    // The component's latest change, in the order the changes were written (a back-dated update keeps
    // its place), and whether a maintenance's update made it.
    this.#beforeMaintenance = db.prepare<[number], { old_status: ComponentStatus, new_status: ComponentStatus, kind: string | null }>(
      `SELECT s.old_status, s.new_status, i.kind FROM component_status_changes s
       LEFT JOIN updates u ON u.id = s.update_id LEFT JOIN incidents i ON i.id = u.incident_id
       WHERE s.component_id = ? ORDER BY s.id DESC LIMIT 1`)
  }

  /**
   * The status a component under maintenance goes back to: the one it had when a maintenance put it
   * there, which is its latest change (an incident during the work changes it, a later maintenance
   * starting records what that incident left). Undefined when its latest change was not a maintenance
   * putting it under maintenance (set by hand): it stays as it is.
   */
  statusBeforeMaintenance (componentId: number): ComponentStatus | undefined {
    const latest = this.#beforeMaintenance.get(componentId)
    return latest?.new_status === 'under_maintenance' && latest.kind === 'maintenance' ? latest.old_status : undefined
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
