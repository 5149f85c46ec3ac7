// View models of maintenances in lists (the maintenance page's sections and the dashboard's upcoming work), windows in plain UTC.
import { incidentPath } from '../../domain/links.js'
import type { IncidentWithUpdates, MaintenanceWindow } from '../../domain/model.js'
import { type MaintenanceStatus, maintenanceStatusLabels } from '../../domain/statuses.js'
import { formatDateTime, incidentStatusClass } from '../format.js'
import { windowText } from '../incident-view.js'

export interface WindowView {
  /** ISO times, for <time datetime>. */
  start: string
  end: string
  /** "4 Feb 2020, 10:00 – 12:00 UTC": in UTC, as the forms take it, never rewritten into the reader's zone; worded as the public page words it. */
  text: string
}

export interface MaintenanceSummaryView {
  reference: string
  name: string
  adminHref: string
  publicHref: string
  statusLabel: string
  statusClass: string
  window: WindowView
  components: string[]
  /** What the clock will still do by itself, in words; null once completed. */
  clockText: string | null
  /** "Completed 4 Feb 2020, 12:00 UTC" once completed ("Cancelled ..." once cancelled). */
  completedText: string | null
}

export interface MaintenancesPageView {
  upcoming: MaintenanceSummaryView[]
  active: MaintenanceSummaryView[]
  completed: MaintenanceSummaryView[]
  /** Nothing in any list: the page invites to schedule one. */
  empty: boolean
}

export function adminMaintenanceHref (reference: string): string {
  return `/admin/maintenances/${encodeURIComponent(reference)}`
}

/** The window in one line: the day once when it starts and ends on the same UTC day. */
export function windowView (window: Pick<MaintenanceWindow, 'scheduledFor' | 'scheduledUntil'>): WindowView {
  const { scheduledFor: start, scheduledUntil: end } = window
  return { start, end, text: windowText(start, end) }
}

/** What the clock will still do by itself, in words: once started, only the completion is left. */
function clockText (status: MaintenanceStatus, window: Pick<MaintenanceWindow, 'autoStart' | 'autoComplete'>): string | null {
  if (status === 'completed' || status === 'cancelled') return null
  const end = window.autoComplete ? 'completes automatically at the window end' : 'is completed by hand (an update with the status Completed)'
  if (status !== 'scheduled') return `It ${end}.`
  return `It ${window.autoStart ? 'starts automatically at the window start' : 'is started by hand (an update with the status In Progress)'}, and ${end}.`
}

function maintenanceStatusClass (status: MaintenanceStatus): string {
  return `${incidentStatusClass(status)} maintenance-status`
}

export function maintenanceSummary (maintenance: IncidentWithUpdates): MaintenanceSummaryView {
  const window = maintenance.maintenance ?? { scheduledFor: maintenance.startedAt, scheduledUntil: maintenance.startedAt, autoStart: false, autoComplete: false }
  const status = maintenance.status as MaintenanceStatus
  return {
    reference: maintenance.reference,
    name: maintenance.name,
    adminHref: adminMaintenanceHref(maintenance.reference),
    publicHref: incidentPath(maintenance.reference),
    statusLabel: maintenanceStatusLabels[status] ?? status,
    statusClass: maintenanceStatusClass(status),
    window: windowView(window),
    components: maintenance.components.map((component) => component.name),
    clockText: clockText(status, window),
    completedText: (status === 'completed' || status === 'cancelled') && maintenance.resolvedAt !== null
      ? `${maintenanceStatusLabels[status]} ${formatDateTime(maintenance.resolvedAt)}`
      : null
  }
}

export interface MaintenancesPageInput {
  /** Soonest first. */
  upcoming: IncidentWithUpdates[]
  active: IncidentWithUpdates[]
  /** The recently completed ones, most recently completed first. */
  completed: IncidentWithUpdates[]
}

export function maintenancesPageView (input: MaintenancesPageInput): MaintenancesPageView {
  return {
    upcoming: input.upcoming.map(maintenanceSummary),
    active: input.active.map(maintenanceSummary),
    completed: input.completed.map(maintenanceSummary),
    empty: input.upcoming.length + input.active.length + input.completed.length === 0
  }
}
