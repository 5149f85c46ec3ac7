// The value sets of DESIGN.md and the words shown for them: component status, incident status, impact.

export const componentStatuses = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const
export type ComponentStatus = typeof componentStatuses[number]

export const incidentStatuses = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const
export type IncidentStatus = typeof incidentStatuses[number]

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

export const impactLabels: Record<Impact, string> = {
  none: 'None',
  minor: 'Minor',
  major: 'Major',
  critical: 'Critical'
}

/** An incident is closed once resolved; a postmortem is written after that. */
export function isClosedStatus (status: IncidentStatus): boolean {
  return status === 'resolved' || status === 'postmortem'
}

/** Severity order of component statuses for "worst of": maintenance ranks below any outage. */
export const componentStatusSeverity: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4
}

export function worstComponentStatus (statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational'
  for (const status of statuses) {
    if (componentStatusSeverity[status] > componentStatusSeverity[worst]) worst = status
  }
  return worst
}
