// The overall status as every public view shows it (page, badge, API, dashboard), rolled up from the facts a read gave.
import type { Component, Incident } from '../domain/model.js'
import { type OverallStatus, overallStatus } from '../domain/overall-status.js'

export interface PageStatusInput {
  components: Array<Pick<Component, 'status'>>
  openIncidents: Array<Pick<Incident, 'impact'>>
  /** A maintenance is in progress, even one that names no component. */
  maintenanceInProgress: boolean
}

/** The roll-up of lists read in one snapshot, so that the banner and the body agree. */
export function pageOverallStatus ({ components, openIncidents, maintenanceInProgress }: PageStatusInput): OverallStatus {
  return overallStatus(
    components.map((component) => component.status),
    openIncidents.map((incident) => incident.impact),
    maintenanceInProgress
  )
}
