// The facts of one notification, read once and shared by every message built from it (email, webhook, chat).
import type { ComponentStatus, Impact, UpdateStatus } from '../domain/statuses.js'
import type { Notification } from '../domain/subscribers.js'
import type { ApiComponent, ApiIncident } from '../views/api-v2-view.js'

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
    /** Exactly as /api/v2 shows it, incident_updates newest first. */
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
