// What one subscriber notification is made of (the event, its incident or component, the page around it), read from one snapshot.
import type { Component, IncidentUpdate, IncidentWithUpdates } from '../domain/model.js'
import type { Notification } from '../domain/subscribers.js'
import { type ServiceContext, read } from './context.js'
import { type ApiV2Listed, type ApiV2PageFacts, type StatusFacts, apiV2Listed } from './public-reads.js'

interface CommonFacts {
  notification: Notification
  /** The page and its components as /api/v2 lists them, and the overall status, as of the read. */
  page: ApiV2PageFacts
  status: StatusFacts
}

/** An incident or maintenance event: the incident with its whole timeline (newest first), the update told, and what /api/v2 shows beside it. */
export interface UpdateFacts extends CommonFacts {
  event: 'update'
  incident: IncidentWithUpdates
  update: IncidentUpdate
  listed: ApiV2Listed
}

/** A component event: the component changed. */
export interface ComponentFacts extends CommonFacts {
  event: 'component'
  component: Component
}

/** The facts notify/event-facts.ts builds every message of a notification from. */
export type NotificationFacts = UpdateFacts | ComponentFacts

export class NotificationReads {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  /**
   * The notification and what its messages tell, of one snapshot; undefined when the notification is gone, or
   * what it tells is (an incident or update deleted since, a component deleted since).
   */
  notification (id: number): NotificationFacts | undefined {
    const { components, incidents, notifications, page } = this.#context.stores
    return read(this.#context, () => {
      const notification = notifications.get(id)
      if (notification === undefined) return undefined
      const pageFacts: ApiV2PageFacts = { lastChange: page.lastChange(), components: components.list(), groups: components.listGroups() }
      const status: StatusFacts = {
        components: pageFacts.components,
        openIncidents: incidents.open(),
        maintenanceInProgress: incidents.maintenances('active', 1).length > 0
      }
      // The table's checks: a component event names its component, an update event its incident and update.
      if (notification.event === 'component') {
        const component = components.get(notification.componentId as number)
        if (component === undefined) return undefined
        return { event: 'component', notification, page: pageFacts, status, component }
      }
      const incident = incidents.withTimeline(incidents.byId(notification.incidentId as number))
      const update = incident?.updates.find((candidate) => candidate.id === notification.updateId)
      if (incident === undefined || update === undefined) return undefined
      return { event: 'update', notification, page: pageFacts, status, incident, update, listed: apiV2Listed(this.#context.stores, [incident]) }
    })
  }
}
