// The overall status as every public view shows it (page, badge, API, dashboard), read from the stores in one place.
import { type OverallStatus, overallStatus } from '../domain/overall-status.js'
import type { Stores } from '../store/stores.js'

export function currentOverallStatus (stores: Stores): OverallStatus {
  const { components, incidents } = stores
  return overallStatus(
    components.list().map((component) => component.status),
    incidents.open().map((incident) => incident.impact),
    incidents.maintenances('active', 1).length > 0
  )
}
