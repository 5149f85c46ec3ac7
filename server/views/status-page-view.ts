// View model of the status page: overall banner, open incidents, components by group with uptime, past 14 days.
import type { Component, IncidentWithUpdates, StatusChange } from '../domain/model.js'
import { pageLayout } from '../domain/page-layout.js'
import { componentUptime } from '../domain/uptime.js'
import { pageOverallStatus } from './current-status.js'
import { componentStatusClass, componentStatusLabel, indicatorClass, utcDay } from './format.js'
import { type IncidentSummaryView, type IncidentView, type UpdateView, incidentSummary, incidentView, updateView } from './incident-view.js'
import { type UptimeBarView, type UptimeCellView, uptimeBarView, uptimeLegend } from './uptime-view.js'
import { dayMs, utcDayStart } from '../domain/time.js'
import type { StatusPageFacts } from '../services/public-reads.js'

export const uptimeDays = 90
const pastIncidentDays = 14

export interface ComponentRowView {
  id: number
  name: string
  description: string
  statusLabel: string
  statusClass: string
  uptime: UptimeBarView
}

export interface ComponentBlockView {
  /** Null for components outside any group. */
  group: { name: string, statusLabel: string, statusClass: string } | null
  components: ComponentRowView[]
}

export interface PastIncidentView extends IncidentSummaryView {
  latest: UpdateView | null
}

export interface PastDayView {
  /** YYYY-MM-DD, UTC. */
  day: string
  incidents: PastIncidentView[]
}

export interface StatusPageView {
  overall: { description: string, className: string }
  openIncidents: IncidentView[]
  /** In progress or verifying: shown as a banner of their own. */
  activeMaintenances: IncidentView[]
  /** Scheduled, soonest first. */
  upcomingMaintenances: IncidentView[]
  componentBlocks: ComponentBlockView[]
  uptimeDays: number
  legend: UptimeCellView[]
  pastDays: PastDayView[]
}

/** The facts of one read (PublicReads.statusPage) and the moment the page is of. */
export interface StatusPageInput extends StatusPageFacts {
  now: Date
}

/** The past-incidents window [from, to): from midnight UTC `pastIncidentDays - 1` days ago to the end of today. */
export function pastIncidentsWindow (now: Date): { from: string, to: string } {
  return {
    from: new Date(utcDayStart(now, pastIncidentDays - 1)).toISOString(),
    to: new Date(utcDayStart(now, -1)).toISOString()
  }
}

function componentBlocks (components: Component[], changes: StatusChange[], now: Date): ComponentBlockView[] {
  const changesByComponent = new Map<number, StatusChange[]>()
  for (const change of changes) {
    const list = changesByComponent.get(change.componentId) ?? []
    list.push(change)
    changesByComponent.set(change.componentId, list)
  }
  const row = (component: Component): ComponentRowView => ({
    id: component.id,
    name: component.name,
    description: component.description,
    statusLabel: componentStatusLabel(component.status),
    statusClass: componentStatusClass(component.status),
    uptime: uptimeBarView(componentUptime({
      createdAt: component.createdAt,
      currentStatus: component.status,
      changes: changesByComponent.get(component.id) ?? [],
      now,
      days: uptimeDays
    }))
  })
  const blocks: ComponentBlockView[] = []
  for (const entry of pageLayout(components)) {
    if (entry.kind === 'group') {
      const group = { name: entry.name, statusLabel: componentStatusLabel(entry.status), statusClass: componentStatusClass(entry.status) }
      blocks.push({ group, components: entry.members.map(row) })
      continue
    }
    // Consecutive ungrouped components share one block, so the page reads as one list between groups.
    const previous = blocks.at(-1)
    if (previous !== undefined && previous.group === null) previous.components.push(row(entry.component))
    else blocks.push({ group: null, components: [row(entry.component)] })
  }
  return blocks
}

function pastDays (incidents: IncidentWithUpdates[], now: Date): PastDayView[] {
  const byDay = new Map<string, PastIncidentView[]>()
  for (const incident of incidents) {
    const day = utcDay(incident.startedAt)
    const list = byDay.get(day) ?? []
    const latest = incident.updates[0]
    list.push({ ...incidentSummary(incident), latest: latest === undefined ? null : updateView(latest) })
    byDay.set(day, list)
  }
  const start = Date.parse(pastIncidentsWindow(now).from)
  const days: PastDayView[] = []
  for (let i = pastIncidentDays - 1; i >= 0; i--) {
    const day = utcDay(new Date(start + i * dayMs))
    days.push({ day, incidents: byDay.get(day) ?? [] })
  }
  return days
}

export function statusPageView (input: StatusPageInput): StatusPageView {
  const { now, components } = input
  const overall = pageOverallStatus({ components, openIncidents: input.openIncidents, maintenanceInProgress: input.activeMaintenances.length > 0 })
  return {
    overall: { description: overall.description, className: indicatorClass(overall.indicator, overall.maintenance) },
    openIncidents: input.openIncidents.map(incidentView),
    activeMaintenances: input.activeMaintenances.map(incidentView),
    upcomingMaintenances: input.upcomingMaintenances.map(incidentView),
    componentBlocks: componentBlocks(components, input.changes, now),
    uptimeDays,
    legend: uptimeLegend,
    pastDays: pastDays(input.recentIncidents, now)
  }
}
