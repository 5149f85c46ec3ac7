// Repository of notifications: one row per event to tell subscribers, written with the update or component change it tells.
import type { Db } from '../db/open-database.js'
import type { ComponentStatus } from '../domain/statuses.js'
import type { Notification, NotificationEvent } from '../domain/subscribers.js'

interface NotificationRow {
  id: number
  event: NotificationEvent
  incident_id: number | null
  update_id: number | null
  component_id: number | null
  old_status: ComponentStatus | null
  new_status: ComponentStatus | null
  component_ids: string
  last_subscriber_id: number
  expanded_through: number
  created_at: string
}

function toNotification (row: NotificationRow): Notification {
  return {
    id: row.id,
    event: row.event,
    incidentId: row.incident_id,
    updateId: row.update_id,
    componentId: row.component_id,
    oldStatus: row.old_status,
    newStatus: row.new_status,
    componentIds: JSON.parse(row.component_ids) as number[],
    lastSubscriberId: row.last_subscriber_id,
    expandedThrough: row.expanded_through,
    createdAt: row.created_at
  }
}

const columns = `id, event, incident_id, update_id, component_id, old_status, new_status, component_ids, last_subscriber_id,
  expanded_through, created_at`

export type NewNotification = Omit<Notification, 'id' | 'expandedThrough' | 'createdAt'> & { at: string }

export class NotificationsStore {
  readonly #insert
  readonly #get

  constructor (db: Db) {
    this.#insert = db.prepare<[NotificationEvent, number | null, number | null, number | null, string | null, string | null, string, number, string]>(
      `INSERT INTO notifications (event, incident_id, update_id, component_id, old_status, new_status, component_ids,
         last_subscriber_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#get = db.prepare<[number], NotificationRow>(`SELECT ${columns} FROM notifications WHERE id = ?`)
  }

  insert (notification: NewNotification): number {
    const { event, incidentId, updateId, componentId, oldStatus, newStatus, componentIds, lastSubscriberId, at } = notification
    return Number(this.#insert.run(
      event, incidentId, updateId, componentId, oldStatus, newStatus, JSON.stringify(componentIds), lastSubscriberId, at
    ).lastInsertRowid)
  }

  get (id: number): Notification | undefined {
    const row = this.#get.get(id)
    return row === undefined ? undefined : toNotification(row)
  }
}
