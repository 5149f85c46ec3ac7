// The page roll-up: one indicator and Statuspage's words for it, from component statuses and open incidents.
import type { ComponentStatus, Impact } from './statuses.js'

export type Indicator = 'none' | 'minor' | 'major' | 'critical'

export interface OverallStatus {
  indicator: Indicator
  description: string
  /** True when something is under maintenance and nothing worse is happening. */
  maintenance: boolean
}

const indicatorRank: Record<Indicator, number> = { none: 0, minor: 1, major: 2, critical: 3 }

/** Each component status on the indicator ladder; maintenance is none here, as nothing is broken. */
export const componentIndicator: Record<ComponentStatus, Indicator> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical'
}

const descriptions: Record<Indicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage'
}

/**
 * The worst of: each component's status (degraded = minor, partial outage = major, major outage =
 * critical) and each open incident's impact. Maintenance (a component under it, or a maintenance in
 * progress, even one that names no component) shows only when nothing worse is going on.
 */
export function overallStatus (
  componentStatuses: Iterable<ComponentStatus>,
  openIncidentImpacts: Iterable<Impact>,
  maintenanceInProgress = false
): OverallStatus {
  let indicator: Indicator = 'none'
  let underMaintenance = maintenanceInProgress
  const raise = (candidate: Indicator): void => {
    if (indicatorRank[candidate] > indicatorRank[indicator]) indicator = candidate
  }
  for (const status of componentStatuses) {
    if (status === 'under_maintenance') underMaintenance = true
    raise(componentIndicator[status])
  }
  for (const impact of openIncidentImpacts) raise(impact)
  if (indicator === 'none' && underMaintenance) {
    return { indicator, description: 'Service Under Maintenance', maintenance: true }
  }
  return { indicator, description: descriptions[indicator], maintenance: false }
}
