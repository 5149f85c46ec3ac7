// The shapes of Herald's records as the rest of the code sees them (never raw rows).
import type { ComponentStatus, Impact, IncidentStatus } from './statuses.js'

export interface ComponentGroup {
  id: number
  name: string
  position: number
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

export interface Incident {
  id: number
  reference: string
  name: string
  impact: Impact
  status: IncidentStatus
  createdAt: string
  updatedAt: string
  startedAt: string
  monitoringAt: string | null
  resolvedAt: string | null
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
  status: IncidentStatus
  body: string
  notify: boolean
  displayAt: string
  createdAt: string
  updatedAt: string
  affectedComponents: AffectedComponent[]
}

export interface IncidentWithUpdates extends Incident {
  /** Newest first. */
  updates: IncidentUpdate[]
  /** Every component the incident has touched, in page order. */
  components: Array<{ id: number, name: string }>
}

/** One entry of a component's status history, the input of uptime. */
export interface StatusChange {
  componentId: number
  oldStatus: ComponentStatus
  newStatus: ComponentStatus
  changedAt: string
}
