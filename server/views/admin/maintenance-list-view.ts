// View models of maintenances in lists (the maintenance page's sections and the dashboard's upcoming work), windows in plain UTC.
import type { IncidentWithUpdates, MaintenanceWindow } from '../../domain/model.js'
import { type MaintenanceStatus, maintenanceStatusLabels } from '../../domain/statuses.js'
import { formatDate, formatDateTime } from '../format.js'
import { incidentHref } from '../incident-view.js'

export interface WindowView {
  /** ISO times, for <time datetime>. */
  start: string
  end: string
  /** "4 Feb 2020, 10:00 – 12:00 UTC": in UTC, as the forms take it, never rewritten into the reader's zone. */
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
  /** "Starts and completes by itself", or null when the clock does neither. */
  clockNote: string | null
  /** "Completed 4 Feb 2020, 12:00 UTC" once completed. */
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

const pad = (n: number): string => String(n).padStart(2, '0')

function clockTime (iso: string): string {
  const date = new Date(iso)
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`
}

/** The window in one line: the day once when it starts and ends on the same UTC day. */
export function windowView (window: Pick<MaintenanceWindow, 'scheduledFor' | 'scheduledUntil'>): WindowView {
  const { scheduledFor: start, scheduledUntil: end } = window
  const sameDay = start.slice(0, 10) === end.slice(0, 10)
  const text = sameDay
    ? `${formatDate(start)}, ${clockTime(start)} – ${clockTime(end)} UTC`
    : `${formatDate(start)}, ${clockTime(start)} – ${formatDate(end)}, ${clockTime(end)} UTC`
  return { start, end, text }
}

/** What the clock will still do by itself, in words: once started, only the completion is left. */
export function clockNote (status: MaintenanceStatus, window: Pick<MaintenanceWindow, 'autoStart' | 'autoComplete'>): string | null {
  if (status === 'completed') return null
  if (status !== 'scheduled') return window.autoComplete ? 'Completes by itself' : null
  if (window.autoStart && window.autoComplete) return 'Starts and completes by itself'
  if (window.autoStart) return 'Starts by itself; completed by hand'
  if (window.autoComplete) return 'Started by hand; completes by itself'
  return null
}

export function maintenanceStatusClass (status: string): string {
  return `incident-status-${status} maintenance-status`
}

export function maintenanceSummary (maintenance: IncidentWithUpdates): MaintenanceSummaryView {
  const window = maintenance.maintenance ?? { scheduledFor: maintenance.startedAt, scheduledUntil: maintenance.startedAt, autoStart: false, autoComplete: false }
  const status = maintenance.status as MaintenanceStatus
  return {
    reference: maintenance.reference,
    name: maintenance.name,
    adminHref: adminMaintenanceHref(maintenance.reference),
    publicHref: incidentHref(maintenance.reference),
    statusLabel: maintenanceStatusLabels[status] ?? status,
    statusClass: maintenanceStatusClass(status),
    window: windowView(window),
    components: maintenance.components.map((component) => component.name),
    clockNote: clockNote(status, window),
    completedText: status === 'completed' && maintenance.resolvedAt !== null ? `Completed ${formatDateTime(maintenance.resolvedAt)}` : null
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
