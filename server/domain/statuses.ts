// The value sets of DESIGN.md and the words shown for them: component status, incident status, impact.

export const componentStatuses = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const
export type ComponentStatus = typeof componentStatuses[number]

export const incidentStatuses = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const
export type IncidentStatus = typeof incidentStatuses[number]

/**
 * A maintenance runs scheduled, then in progress, optionally verifying, then completed; or it is cancelled
 * before it starts (Herald's own: Statuspage has no such status, see api-v2-view.ts).
 */
export const maintenanceStatuses = ['scheduled', 'in_progress', 'verifying', 'completed', 'cancelled'] as const
export type MaintenanceStatus = typeof maintenanceStatuses[number]

/** The status an update carries: an incident's or a maintenance's. */
export type UpdateStatus = IncidentStatus | MaintenanceStatus

export const impacts = ['none', 'minor', 'major', 'critical'] as const
export type Impact = typeof impacts[number]

export const componentStatusLabels: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded Performance',
  partial_outage: 'Partial Outage',
  major_outage: 'Major Outage',
  under_maintenance: 'Under Maintenance'
}

export const incidentStatusLabels: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  postmortem: 'Postmortem'
}

export const maintenanceStatusLabels: Record<MaintenanceStatus, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In Progress',
  verifying: 'Verifying',
  completed: 'Completed',
  cancelled: 'Cancelled'
}

export const updateStatusLabels: Record<UpdateStatus, string> = { ...incidentStatusLabels, ...maintenanceStatusLabels }

/**
 * Where a maintenance's status may go next. Only one that has not started can be cancelled (once the work
 * has begun, it is completed, however it ended). A completed or cancelled maintenance is history: it takes
 * notes, not a new status.
 */
export const nextMaintenanceStatuses: Record<MaintenanceStatus, readonly MaintenanceStatus[]> = {
  scheduled: ['scheduled', 'in_progress', 'completed', 'cancelled'],
  in_progress: ['in_progress', 'verifying', 'completed'],
  verifying: ['verifying', 'in_progress', 'completed'],
  completed: ['completed'],
  cancelled: ['cancelled']
}

export const impactLabels: Record<Impact, string> = {
  none: 'None',
  minor: 'Minor',
  major: 'Major',
  critical: 'Critical'
}

/** An incident is closed once resolved (a postmortem is written after that); a maintenance once completed or cancelled. */
export function isClosedStatus (status: UpdateStatus): boolean {
  return status === 'resolved' || status === 'postmortem' || status === 'completed' || status === 'cancelled'
}

/** Severity order of component statuses for "worst of": maintenance ranks below any outage. */
export const componentStatusSeverity: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4
}

/**
 * The impact a component status implies (Statuspage's scale): degraded performance is minor, a partial
 * outage major, a major outage critical; maintenance is no impact. The page roll-up and an incident opened
 * without an impact both read it.
 */
export const componentImpact: Record<ComponentStatus, Impact> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical'
}

export function worstComponentStatus (statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational'
  for (const status of statuses) {
    if (componentStatusSeverity[status] > componentStatusSeverity[worst]) worst = status
  }
  return worst
}

/** A status worse than maintenance: an outage of some degree, degraded performance included. */
export function isOutage (status: ComponentStatus): boolean {
  return componentStatusSeverity[status] > componentStatusSeverity.under_maintenance
}

/**
 * The status a component shows once a maintenance starts over it: under maintenance, unless it is in an
 * outage, which stays shown (the worse real status wins), on the page, in /api/v2 and in the overall
 * status alike, as they all read the component's status. The one rule; the maintenance service applies it.
 */
export function statusUnderMaintenance (current: ComponentStatus): ComponentStatus {
  return isOutage(current) ? current : 'under_maintenance'
}
