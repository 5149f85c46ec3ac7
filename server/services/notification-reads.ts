// What one subscriber notification is made of (the event, its incident or component, the page around it), read from one snapshot.
import type { Component, IncidentUpdate, IncidentWithUpdates } from '../domain/model.js'
import type { ComponentStatus } from '../domain/statuses.js'
import type { Notification, NotificationEvent } from '../domain/subscribers.js'
import { type ServiceContext, read } from './context.js'
import { type ApiV2Listed, type ApiV2PageFacts, type StatusFacts, apiV2Listed } from './public-reads.js'

/** The facts notify/event-facts.ts builds every message of a notification from. */
export interface NotificationFacts {
  notification: Notification
  /** The page and its components as /api/v2 lists them, and the overall status, as of the read. */
  page: ApiV2PageFacts
  status: StatusFacts
  /** Incident and maintenance events: the incident with its whole timeline (newest first), the update told, and what /api/v2 shows beside it. */
  incident: IncidentWithUpdates | null
  update: IncidentUpdate | null
  listed: ApiV2Listed
  /** Component events: the component changed. */
  component: Component | null
}

// TEMPORARY until h1's notifications store is merged (stores.notifications.get): the row, mapped as the domain type says.
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

export class NotificationReads {
  readonly #context: ServiceContext
  #byId: ((id: number) => NotificationRow | undefined) | undefined

  constructor (context: ServiceContext) {
    this.#context = context
  }

  /**
   * The notification and what its messages tell, of one snapshot; undefined when the notification is gone, or
   * what it tells is (an incident or update deleted since, a component deleted since).
   */
  notification (id: number): NotificationFacts | undefined {
    const { components, incidents, page } = this.#context.stores
    return read(this.#context, () => {
      const notification = this.#notification(id)
      if (notification === undefined) return undefined
      const pageFacts: ApiV2PageFacts = { lastChange: page.lastChange(), components: components.list(), groups: components.listGroups() }
      const status: StatusFacts = {
        components: pageFacts.components,
        openIncidents: incidents.open(),
        maintenanceInProgress: incidents.maintenances('active', 1).length > 0
      }
      if (notification.event === 'component') {
        const component = components.get(notification.componentId ?? 0)
        if (component === undefined) return undefined
        return { notification, page: pageFacts, status, incident: null, update: null, listed: apiV2Listed(this.#context.stores, []), component }
      }
      const incident = incidents.withTimeline(incidents.byId(notification.incidentId ?? 0))
      const update = incident?.updates.find((candidate) => candidate.id === notification.updateId)
      if (incident === undefined || update === undefined) return undefined
      return { notification, page: pageFacts, status, incident, update, listed: apiV2Listed(this.#context.stores, [incident]), component: null }
    })
  }

  #notification (id: number): Notification | undefined {
    if (this.#byId === undefined) {
      const statement = this.#context.stores.db.prepare<[number], NotificationRow>(
        `SELECT id, event, incident_id, update_id, component_id, old_status, new_status, component_ids,
                last_subscriber_id, expanded_through, created_at
           FROM notifications WHERE id = ?`)
      this.#byId = (key) => statement.get(key)
    }
    const row = this.#byId(id)
    if (row === undefined) return undefined
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
}
