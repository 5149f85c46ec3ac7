// View model of the status page: overall banner, what is happening now, components by group with uptime, past 14 days.
import type { Component, Incident, IncidentUpdate, IncidentWithLatest, IncidentWithUpdates, StatusChange } from '../domain/model.js'
import { inNoticeOrder } from '../domain/notice-order.js'
import { pageLayout } from '../domain/page-layout.js'
import { type ComponentIncident, componentUptime } from '../domain/uptime.js'
import { pageOverallStatus } from './current-status.js'
import { componentStatusClass, componentStatusLabel, indicatorClass, utcDay } from './format.js'
import { type IncidentSummaryView, type IncidentView, type UpdateView, incidentSummary, incidentView, updateView } from './incident-view.js'
import { type LegendEntryView, type UptimeBarView, recentUptimeDays, uptimeBarView, uptimeLegend } from './uptime-view.js'
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
  /**
   * The rows' views, each built when the iteration reaches it, once: the uptime bars are most of the page's
   * work (3,600 days for 40 components), which the route does a few rows at a time, letting requests in between.
   */
  rows: Iterable<ComponentRowView>
}

export interface PastIncidentView extends IncidentSummaryView {
  latest: UpdateView | null
}

export interface PastDayView {
  /** YYYY-MM-DD, UTC. */
  day: string
  incidents: PastIncidentView[]
}

/** An open incident or a maintenance in progress, as a card at the top of the page. */
export interface NoticeView extends IncidentView {
  /** impact-critical … for an incident, maintenance-card for a maintenance. */
  cardClass: string
  /** "Maintenance in progress" over a maintenance's name; null on an incident. */
  eyebrow: string | null
  /** When its latest update was posted (shown as "Updated 4 minutes ago"); null without updates. */
  updatedAt: string | null
}

export interface StatusPageView {
  /** lastChange: when anything on the page last changed (the banner's "Last updated"), null on a page that never has. */
  overall: { description: string, className: string, lastChange: string | null }
  /** Open incidents and maintenances in progress, in notice order (domain/notice-order.ts). */
  notices: NoticeView[]
  /** Scheduled, soonest first. */
  upcomingMaintenances: IncidentView[]
  componentBlocks: ComponentBlockView[]
  uptimeDays: number
  /** The days a phone shows of each bar. */
  recentUptimeDays: number
  legend: LegendEntryView[]
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

/** The items of a list by their componentId, in the list's order. */
function byComponent<T extends { componentId: number }> (items: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>()
  for (const item of items) {
    const list = map.get(item.componentId) ?? []
    list.push(item)
    map.set(item.componentId, list)
  }
  return map
}

/** A component's items, taken out of the map. */
function take<T> (map: Map<number, T[]>, componentId: number): T[] {
  const items = map.get(componentId) ?? []
  map.delete(componentId)
  return items
}

function componentRow (component: Component, changes: StatusChange[], incidents: ComponentIncident[], now: Date): ComponentRowView {
  return {
    id: component.id,
    name: component.name,
    description: component.description,
    statusLabel: componentStatusLabel(component.status),
    statusClass: componentStatusClass(component.status),
    uptime: uptimeBarView(componentUptime({ createdAt: component.createdAt, currentStatus: component.status, changes, now, days: uptimeDays }), incidents, now)
  }
}

function componentBlocks (components: Component[], changes: StatusChange[], incidents: ComponentIncident[], now: Date): ComponentBlockView[] {
  const changesByComponent = byComponent(changes)
  const incidentsByComponent = byComponent(incidents)
  // Each row takes its component's facts out of the maps as it is built, so that a render holds less and less
  // of what it read: what it still holds when the young generation is collected (several times a render under
  // load) is copied, then moved to the old generation, which keeps it long after the page is done.
  function * rows (members: Component[]): Generator<ComponentRowView> {
    for (const member of members) yield componentRow(member, take(changesByComponent, member.id), take(incidentsByComponent, member.id), now)
  }
  const blocks: Array<{ group: ComponentBlockView['group'], members: Component[] }> = []
  for (const entry of pageLayout(components)) {
    if (entry.kind === 'group') {
      blocks.push({ group: { name: entry.name, statusLabel: componentStatusLabel(entry.status), statusClass: componentStatusClass(entry.status) }, members: entry.members })
      continue
    }
    // Consecutive ungrouped components share one block, so the page reads as one list between groups.
    const previous = blocks.at(-1)
    if (previous !== undefined && previous.group === null) previous.members.push(entry.component)
    else blocks.push({ group: null, members: [entry.component] })
  }
  return blocks.map(({ group, members }) => ({ group, rows: rows(members) }))
}

function pastIncident (incident: Incident, latest: IncidentUpdate | null): PastIncidentView {
  return { ...incidentSummary(incident), latest: latest === null ? null : updateView(latest) }
}

/**
 * The last 14 UTC days, today first. A resolved incident is listed under the day it started; what is open
 * now (the notices, in their order) is listed under today whatever day it started, so that today never
 * says "No incidents reported." under incidents still running.
 */
function pastDays (resolved: IncidentWithLatest[], open: IncidentWithUpdates[], now: Date): PastDayView[] {
  const byDay = new Map<string, PastIncidentView[]>()
  byDay.set(utcDay(now), open.map((incident) => pastIncident(incident, incident.updates[0] ?? null)))
  for (const incident of resolved) {
    const day = utcDay(incident.startedAt)
    const list = byDay.get(day) ?? []
    list.push(pastIncident(incident, incident.latest))
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

function noticeView (incident: IncidentWithUpdates): NoticeView {
  const view = incidentView(incident)
  return {
    ...view,
    cardClass: incident.maintenance === null ? view.impactClass : 'maintenance-card',
    eyebrow: incident.maintenance === null ? null : 'Maintenance in progress',
    updatedAt: incident.updates[0]?.displayAt ?? null
  }
}

export function statusPageView (input: StatusPageInput): StatusPageView {
  const { now, components } = input
  const overall = pageOverallStatus({ components, openIncidents: input.openIncidents, maintenanceInProgress: input.activeMaintenances.length > 0 })
  const notices = inNoticeOrder(input.openIncidents, input.activeMaintenances)
  return {
    overall: { description: overall.description, className: indicatorClass(overall.indicator, overall.maintenance), lastChange: input.lastChange ?? null },
    notices: notices.map(noticeView),
    upcomingMaintenances: input.upcomingMaintenances.map(incidentView),
    componentBlocks: componentBlocks(components, input.changes, input.uptimeIncidents, now),
    uptimeDays,
    recentUptimeDays,
    legend: uptimeLegend,
    pastDays: pastDays(input.recentIncidents, notices, now)
  }
}
