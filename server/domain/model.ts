// The shapes of Herald's records as the rest of the code sees them (never raw rows).
import type { ComponentStatus, Impact, UpdateStatus } from './statuses.js'

export interface ComponentGroup {
  id: number
  name: string
  position: number
  /** When the group row itself was made and last changed (the API v2 shows them). */
  createdAt: string
  updatedAt: string
}

export interface Component {
  id: number
  name: string
  description: string
  groupId: number | null
  groupName: string | null
  position: number
  status: ComponentStatus
  createdAt: string
  updatedAt: string
}

/** What makes an incident a maintenance: its planned window and whether the clock runs it. */
export interface MaintenanceWindow {
  scheduledFor: string
  scheduledUntil: string
  /** Start at scheduledFor by itself (components under maintenance, an update posted). */
  autoStart: boolean
  /** Complete at scheduledUntil by itself (components back to their earlier statuses, an update posted). */
  autoComplete: boolean
}

export interface Incident {
  id: number
  reference: string
  name: string
  impact: Impact
  /** An incident status, or a maintenance status when `maintenance` is set. */
  status: UpdateStatus
  createdAt: string
  updatedAt: string
  startedAt: string
  monitoringAt: string | null
  /** When it was resolved, or, for a maintenance, completed. */
  resolvedAt: string | null
  /** Set on a maintenance, null on an incident. */
  maintenance: MaintenanceWindow | null
}

/** A component status change an update made, as shown beside that update. */
export interface AffectedComponent {
  componentId: number
  name: string
  oldStatus: ComponentStatus
  newStatus: ComponentStatus
}

export interface IncidentUpdate {
  id: number
  incidentId: number
  status: UpdateStatus
  body: string
  notify: boolean
  displayAt: string
  createdAt: string
  updatedAt: string
  affectedComponents: AffectedComponent[]
  /** The text cross-posted instead of the generated one; null when it is generated. */
  postText: string | null
}

export interface IncidentWithUpdates extends Incident {
  /** Newest first. */
  updates: IncidentUpdate[]
  /** Every component the incident has touched, in page order. */
  components: Array<{ id: number, name: string }>
}

/** An incident with only its latest update, as a list of past incidents shows it. */
export interface IncidentWithLatest extends Incident {
  /** The newest by display time, as `IncidentWithUpdates.updates[0]`; null when it has none. */
  latest: IncidentUpdate | null
}

/** One entry of a component's status history, the input of uptime. */
export interface StatusChange {
  componentId: number
  oldStatus: ComponentStatus
  newStatus: ComponentStatus
  changedAt: string
}
