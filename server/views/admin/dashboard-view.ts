// View model of the admin dashboard: the status as the public sees it, open incidents with a quick update form, maintenance under way and upcoming.
import type { Component, IncidentWithUpdates } from '../../domain/model.js'
import { nudgeLimits, overdueMinutes } from '../../domain/nudge.js'
import { pageOverallStatus } from '../current-status.js'
import { componentStatusClass, componentStatusLabel, indicatorClass } from '../format.js'
import { type IncidentSummaryView, type UpdateView, incidentSummary, updateView } from '../incident-view.js'
import type { CrossPostingView } from './cross-posting-view.js'
import { type FieldErrors, type OptionView, incidentStatusOptions } from './form-view.js'
import { adminIncidentHref } from './incident-page-view.js'
import { type MaintenanceSummaryView, maintenanceSummary } from './maintenance-list-view.js'

export interface QuickUpdateView {
  statusOptions: OptionView[]
  body: string
  notify: boolean
  errors: FieldErrors
  /** Shown again after an error: the form starts unfolded. */
  open: boolean
}

export interface OpenIncidentView extends IncidentSummaryView {
  adminHref: string
  latest: UpdateView | null
  components: string[]
  quick: QuickUpdateView
  /** "Last update 72 min ago" when nothing was posted for longer than the nudge's time; null otherwise. */
  nudge: string | null
}

export interface NudgeFormView {
  /** The setting now, in minutes. */
  minutes: number
  /** What was typed, shown again with its error. */
  value: string
  error: string | null
  min: number
  max: number
}

export interface DashboardView {
  status: { description: string, className: string }
  openIncidents: OpenIncidentView[]
  /** Components that are not operational, in page order. */
  troubled: Array<{ name: string, statusLabel: string, statusClass: string }>
  componentCount: number
  crossPosting: CrossPostingView
  /** The "upcoming work": maintenance running now, and the next planned (soonest first). */
  maintenance: { active: MaintenanceSummaryView[], upcoming: MaintenanceSummaryView[] }
  nudge: NudgeFormView
}

export interface DashboardInput {
  components: Component[]
  openIncidents: IncidentWithUpdates[]
  activeMaintenances: IncidentWithUpdates[]
  upcomingMaintenances: IncidentWithUpdates[]
  crossPosting: CrossPostingView
  /** A quick update form shown again with what was typed and its errors. */
  failedQuick: { reference: string, status: string, body: string, notify: boolean, errors: FieldErrors } | null
  nudgeAfterMinutes: number
  now: Date
  /** The nudge's form shown again with what was typed and its error. */
  failedNudge?: { value: string, error: string } | null
}

/** When the operator last said something about the incident: its latest update's posting time. */
function lastPostedAt (incident: IncidentWithUpdates): string {
  return incident.updates.reduce((latest, update) => update.createdAt > latest ? update.createdAt : latest, incident.createdAt)
}

export function dashboardView (input: DashboardInput): DashboardView {
  const { components, openIncidents, failedQuick } = input
  const overall = pageOverallStatus({ components, openIncidents, maintenanceInProgress: input.activeMaintenances.length > 0 })
  return {
    status: { description: overall.description, className: indicatorClass(overall.indicator, overall.maintenance) },
    openIncidents: openIncidents.map((incident) => {
      const latest = incident.updates[0]
      const failed = failedQuick !== null && failedQuick.reference.toLowerCase() === incident.reference.toLowerCase() ? failedQuick : null
      return {
        ...incidentSummary(incident),
        adminHref: adminIncidentHref(incident.reference),
        latest: latest === undefined ? null : updateView(latest),
        components: incident.components.map((component) => component.name),
        quick: {
          statusOptions: incidentStatusOptions(failed?.status ?? incident.status),
          body: failed?.body ?? '',
          notify: failed?.notify ?? true,
          errors: failed?.errors ?? {},
          open: failed !== null
        },
        nudge: nudgeText(overdueMinutes(lastPostedAt(incident), input.now, input.nudgeAfterMinutes))
      }
    }),
    troubled: components
      .filter((component) => component.status !== 'operational')
      .map((component) => ({ name: component.name, statusLabel: componentStatusLabel(component.status), statusClass: componentStatusClass(component.status) })),
    componentCount: components.length,
    crossPosting: input.crossPosting,
    maintenance: { active: input.activeMaintenances.map(maintenanceSummary), upcoming: input.upcomingMaintenances.map(maintenanceSummary) },
    nudge: {
      minutes: input.nudgeAfterMinutes,
      value: input.failedNudge?.value ?? String(input.nudgeAfterMinutes),
      error: input.failedNudge?.error ?? null,
      min: nudgeLimits.min,
      max: nudgeLimits.max
    }
  }
}

function nudgeText (minutes: number | null): string | null {
  return minutes === null ? null : `Last update ${minutes} min ago`
}
