// The overall status as every public view shows it (page, badge, API, dashboard), from lists a view already read or from the stores.
import type { Component, Incident } from '../domain/model.js'
import { type OverallStatus, overallStatus } from '../domain/overall-status.js'
import type { Stores } from '../store/stores.js'

export interface PageStatusInput {
  components: Array<Pick<Component, 'status'>>
  openIncidents: Array<Pick<Incident, 'impact'>>
  /** A maintenance is in progress, even one that names no component. */
  maintenanceInProgress: boolean
}

/** The roll-up of lists a view has already read, so that the banner and the body come from one read. */
export function pageOverallStatus ({ components, openIncidents, maintenanceInProgress }: PageStatusInput): OverallStatus {
  return overallStatus(
    components.map((component) => component.status),
    openIncidents.map((incident) => incident.impact),
    maintenanceInProgress
  )
}

/** The roll-up read from the stores, for bodies that show nothing else (badge, status.json, dashboard). */
export function currentOverallStatus (stores: Stores): OverallStatus {
  const { components, incidents } = stores
  return pageOverallStatus({
    components: components.list(),
    openIncidents: incidents.open(),
    maintenanceInProgress: incidents.maintenances('active', 1).length > 0
  })
}
