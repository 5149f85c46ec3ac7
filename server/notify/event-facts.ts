// The facts of one notification, read once and shared by every message built from it (email, webhook, chat).
import { incidentPath, updateAnchor } from '../domain/links.js'
import { markdownToText, renderMarkdown } from '../domain/markdown.js'
import { type ComponentStatus, type Impact, type UpdateStatus, componentStatusLabels, updateStatusLabels } from '../domain/statuses.js'
import type { Notification } from '../domain/subscribers.js'
import type { Services } from '../services/services.js'
import { type ApiComponent, type ApiIncident, apiContext, apiIncident, apiMaintenance } from '../views/api-v2-view.js'
import { pageOverallStatus } from '../views/current-status.js'

export interface EventFacts {
  notification: Notification
  page: {
    /** As /api/v2's page.id. */
    id: string
    name: string
    /** PUBLIC_URL */
    url: string
    /** The overall status after the event: none | minor | major | critical, and its description. */
    statusIndicator: Impact
    statusDescription: string
  }
  /** Incident and maintenance events. */
  incident: null | {
    reference: string
    name: string
    impact: Impact
    maintenance: boolean
    /** The incident page. */
    url: string
    /** Exactly as /api/v2 shows it, incident_updates newest first (a maintenance with its scheduled_for and scheduled_until). */
    api: ApiIncident
  }
  /** Incident and maintenance events: the update told. */
  update: null | {
    id: number
    status: UpdateStatus
    /** "Identified", "In progress", ... */
    statusLabel: string
    /** Markdown as typed, rendered and sanitized as on the page, and as plain text. */
    body: string
    html: string
    text: string
    displayAt: string
    /** The update's anchor on the incident page. */
    url: string
  }
  /** The components concerned, with their status after the event (an update's changes, or the one component changed). */
  components: Array<{ id: number, name: string, status: ComponentStatus, statusLabel: string }>
  /** Component events: as Statuspage's component_update and component. */
  componentChange: null | {
    componentUpdate: { id: string, component_id: string, component_type: 'Component', old_status: ComponentStatus, new_status: ComponentStatus, created_at: string }
    component: ApiComponent
  }
}

/** The page a notification is sent from: SITE_NAME and PUBLIC_URL (the configuration's, which the services do not hold). */
export interface EventSite {
  siteName: string
  publicUrl: string
}

/**
 * The facts of notification `notificationId`, of one snapshot of the database: undefined when it is gone, or
 * when what it tells is (the incident, the update or the component deleted since), so nothing is sent.
 * The page's status and the incident's timeline are as of this read: a message sent late tells the update
 * it was made for, beside the page as it is now (as Statuspage's late webhooks do).
 */
export function loadEventFacts (services: Services, notificationId: number, site: EventSite): EventFacts | undefined {
  const facts = services.reads.notifications.notification(notificationId)
  if (facts === undefined) return undefined
  const { notification } = facts
  const context = apiContext({
    siteName: site.siteName,
    publicUrl: site.publicUrl,
    // An empty page has never changed: it is as new as this read, as /api/v2 says.
    updatedAt: facts.page.lastChange ?? services.context.clock().toISOString(),
    components: facts.page.components,
    groups: facts.page.groups
  })
  const overall = pageOverallStatus(facts.status)
  const page: EventFacts['page'] = {
    id: context.page.id,
    name: site.siteName,
    url: site.publicUrl,
    statusIndicator: overall.indicator,
    statusDescription: overall.description
  }
  if (facts.event === 'component') {
    const { component } = facts
    const api = context.componentsById.get(component.id)
    // Read in the same snapshot as the list the context was made from: this would be a bug.
    if (api === undefined) throw new Error(`component ${component.id} is not on the page`)
    const newStatus = notification.newStatus ?? component.status
    return {
      notification,
      page,
      incident: null,
      update: null,
      components: [{ id: component.id, name: component.name, status: newStatus, statusLabel: componentStatusLabels[newStatus] }],
      componentChange: {
        componentUpdate: {
          // One notification per change: its id names the change, as Statuspage's component_update.id does.
          id: String(notification.id),
          component_id: api.id,
          component_type: 'Component',
          // A component that was just made has no earlier status: Statuspage says operational then.
          old_status: notification.oldStatus ?? 'operational',
          new_status: newStatus,
          created_at: notification.createdAt
        },
        component: api
      }
    }
  }
  const { incident, update } = facts
  const incidentUrl = `${site.publicUrl}${incidentPath(incident.reference)}`
  const changed = new Map(update.affectedComponents.map((change) => [change.componentId, change.newStatus]))
  const current = new Map(facts.page.components.map((entry) => [entry.id, entry]))
  // The incident's components after this update (the notification's list), each with the status this update
  // gave it, or else its status now; a component deleted since is left out, as /api/v2 leaves it out.
  const concerned = notification.componentIds.length > 0 ? notification.componentIds : incident.components.map((entry) => entry.id)
  const components = concerned.flatMap((id) => {
    const entry = current.get(id)
    if (entry === undefined) return []
    const status = changed.get(id) ?? entry.status
    return [{ id, name: entry.name, status, statusLabel: componentStatusLabels[status] }]
  })
  return {
    notification,
    page,
    incident: {
      reference: incident.reference,
      name: incident.name,
      impact: incident.impact,
      maintenance: incident.maintenance !== null,
      url: incidentUrl,
      // A maintenance as scheduled-maintenances.json shows it: its window too (scheduled_for, scheduled_until).
      api: incident.maintenance === null ? apiIncident(context, incident, facts.listed) : apiMaintenance(context, incident, facts.listed)
    },
    update: {
      id: update.id,
      status: update.status,
      statusLabel: updateStatusLabels[update.status],
      body: update.body,
      html: renderMarkdown(update.body),
      text: markdownToText(update.body),
      displayAt: update.displayAt,
      url: `${incidentUrl}#${updateAnchor(update.id)}`
    },
    components,
    componentChange: null
  }
}
