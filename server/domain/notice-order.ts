// The order of what is happening now at the top of the status page: what hurts readers most comes first.
import type { Incident } from './model.js'
import type { Impact } from './statuses.js'

/**
 * Critical, then major incidents; then maintenances in progress (planned, announced, and bounded by their
 * window); then minor incidents and those of no impact. Upcoming maintenances come after all of these, in
 * a section of their own. Within one rank the order given is kept: incidents newest first, maintenances in
 * the order of their windows.
 */
const incidentRank: Record<Impact, number> = { critical: 0, major: 1, minor: 3, none: 4 }
const maintenanceRank = 2

export function noticeRank (notice: Pick<Incident, 'impact' | 'maintenance'>): number {
  return notice.maintenance === null ? incidentRank[notice.impact] : maintenanceRank
}

/** Open incidents (newest first) and maintenances in progress (by window) as one list in notice order. */
export function inNoticeOrder<T extends Pick<Incident, 'impact' | 'maintenance'>> (openIncidents: T[], activeMaintenances: T[]): T[] {
  // Array.prototype.sort is stable: within a rank the given order stays.
  return [...openIncidents, ...activeMaintenances].sort((a, b) => noticeRank(a) - noticeRank(b))
}
