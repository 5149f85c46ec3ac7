// View models of an incident and its updates, shared by the status page, the incident page, the history and the admin pages.
import { incidentPath, updateAnchor } from '../domain/links.js'
import { renderMarkdown } from '../domain/markdown.js'
import type { AffectedComponent, Incident, IncidentUpdate, IncidentWithUpdates } from '../domain/model.js'
import { isClosedStatus } from '../domain/statuses.js'
import {
  componentStatusClass,
  componentStatusLabel,
  formatDateTime,
  formatDuration,
  impactClass,
  impactLabel,
  incidentStatusClass,
  incidentStatusLabel,
  utcDay
} from './format.js'

export interface ComponentChangeView {
  name: string
  oldLabel: string
  oldClass: string
  newLabel: string
  newClass: string
}

export interface UpdateView {
  id: number
  /** The fragment the feed and the incident page link to. */
  anchor: string
  statusLabel: string
  statusClass: string
  /** Sanitized HTML from renderMarkdown: the only field a template may output unescaped. */
  bodyHtml: string
  at: string
  changes: ComponentChangeView[]
}

/** A maintenance's planned window, in UTC words. */
export interface MaintenanceWindowView {
  scheduledFor: string
  scheduledUntil: string
  /** "26 Nov 2026, 02:00 – 04:00 UTC", or both dates when it spans days. */
  text: string
  /** The two ends of `text`: "26 Nov 2026, 02:00" and "04:00 UTC", or two whole times when it spans days. */
  startText: string
  endText: string
}

export interface IncidentSummaryView {
  reference: string
  name: string
  href: string
  /** Set on a maintenance, which shows its window instead of an impact. */
  maintenance: MaintenanceWindowView | null
  impactLabel: string
  impactClass: string
  statusLabel: string
  statusClass: string
  resolved: boolean
  startedAt: string
  resolvedAt: string | null
  /** "2 h 40 min" once resolved. */
  duration: string | null
}

export interface IncidentView extends IncidentSummaryView {
  components: string[]
  /** Newest first. */
  updates: UpdateView[]
}

function changeView (change: AffectedComponent): ComponentChangeView {
  return {
    name: change.name,
    oldLabel: componentStatusLabel(change.oldStatus),
    oldClass: componentStatusClass(change.oldStatus),
    newLabel: componentStatusLabel(change.newStatus),
    newClass: componentStatusClass(change.newStatus)
  }
}

export function updateView (update: IncidentUpdate): UpdateView {
  return {
    id: update.id,
    anchor: updateAnchor(update.id),
    statusLabel: incidentStatusLabel(update.status),
    statusClass: incidentStatusClass(update.status),
    bodyHtml: renderMarkdown(update.body),
    at: update.displayAt,
    changes: update.affectedComponents.map(changeView)
  }
}

/** The ends of a window: "26 Nov 2026, 02:00" and "04:00 UTC" within one day, two whole times across days. */
function windowEnds (scheduledFor: string, scheduledUntil: string): [string, string] {
  if (utcDay(scheduledFor) === utcDay(scheduledUntil)) {
    return [formatDateTime(scheduledFor).replace(/ UTC$/, ''), formatDateTime(scheduledUntil).slice(-9)]
  }
  return [formatDateTime(scheduledFor), formatDateTime(scheduledUntil)]
}

/** "26 Nov 2026, 02:00 – 04:00 UTC" within one day; "26 Nov 2026, 22:00 UTC – 27 Nov 2026, 02:00 UTC" across days. */
export function windowText (scheduledFor: string, scheduledUntil: string): string {
  return windowEnds(scheduledFor, scheduledUntil).join(' – ')
}

function maintenanceWindowView (scheduledFor: string, scheduledUntil: string): MaintenanceWindowView {
  const [startText, endText] = windowEnds(scheduledFor, scheduledUntil)
  return { scheduledFor, scheduledUntil, text: `${startText} – ${endText}`, startText, endText }
}

export function incidentSummary (incident: Incident): IncidentSummaryView {
  const resolved = isClosedStatus(incident.status) && incident.resolvedAt !== null
  const window = incident.maintenance
  return {
    reference: incident.reference,
    name: incident.name,
    href: incidentPath(incident.reference),
    maintenance: window === null ? null : maintenanceWindowView(window.scheduledFor, window.scheduledUntil),
    impactLabel: impactLabel(incident.impact),
    impactClass: impactClass(incident.impact),
    statusLabel: incidentStatusLabel(incident.status),
    statusClass: incidentStatusClass(incident.status),
    resolved,
    startedAt: incident.startedAt,
    resolvedAt: resolved ? incident.resolvedAt : null,
    // A cancelled maintenance never ran: it has no duration, its status says what happened.
    duration: resolved && incident.resolvedAt !== null && incident.status !== 'cancelled'
      ? formatDuration((Date.parse(incident.resolvedAt) - Date.parse(incident.startedAt)) / 1000)
      : null
  }
}

export function incidentView (incident: IncidentWithUpdates): IncidentView {
  return {
    ...incidentSummary(incident),
    components: incident.components.map((component) => component.name),
    updates: incident.updates.map(updateView)
  }
}
