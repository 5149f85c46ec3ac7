// Uptime of a component over a window of whole UTC days, from its status history.
//
// The formula (documented in the README): over the time the component was observed in the window
// (from the later of the window start and the component's first known time, up to now),
//   uptime % = 100 × (1 − (major_outage + 0.3 × partial_outage) / observed)
// Degraded performance and maintenance are shown but do not count as downtime, as on Statuspage.
// Days before the component existed have no data and count for nothing; a component known for under a
// day has no percent at all: a minute of outage in its first ten minutes would read "0.16 % uptime".
import { memoize } from './memoize.js'
import type { StatusChange } from './model.js'
import { type ComponentStatus, worstComponentStatus } from './statuses.js'
import { dayMs, utcDay, utcDayStart } from './time.js'

export type NonOperationalStatus = Exclude<ComponentStatus, 'operational'>

export interface UptimeDay {
  /** YYYY-MM-DD, UTC. */
  date: string
  /** The worst status the component had that day; null when it did not exist yet. */
  worst: ComponentStatus | null
  seconds: Record<NonOperationalStatus, number>
  /** Percent for that day; null when it did not exist yet. */
  uptime: number | null
  /** How long the component was known that day (the whole day, less the part before it existed or after now). */
  observedSeconds: number
}

export interface ComponentUptime {
  /** Oldest first; the last is today. */
  days: UptimeDay[]
  /** Over the whole window; null while the component has under `minimumHistoryMs` of history. */
  percent: number | null
  seconds: Record<NonOperationalStatus, number>
}

/** An incident or maintenance that touched a component, as a day of its uptime bar lists it. */
export interface ComponentIncident {
  componentId: number
  reference: string
  name: string
  startedAt: string
  /** Null while it is open. */
  resolvedAt: string | null
}

/**
 * For one component's incidents (oldest first): the incidents that ran on a UTC day, up to `now`. Their times
 * are read once here, not once a day: a page asks 90 days of each of its components (3,600 asks for 40).
 */
export function incidentDays<T extends Pick<ComponentIncident, 'startedAt' | 'resolvedAt'>> (incidents: T[], now: Date): (date: string) => T[] {
  const spans = incidents.map((incident) => ({
    incident,
    start: Date.parse(incident.startedAt),
    end: incident.resolvedAt === null ? now.getTime() : Date.parse(incident.resolvedAt)
  }))
  return (date) => {
    const dayStart = Date.parse(`${date}T00:00:00.000Z`)
    const dayEnd = dayStart + dayMs
    const ran: T[] = []
    for (const { incident, start, end } of spans) {
      // One that ended at midnight did not run the next day; one resolved the moment it opened ran on its day.
      if (start < dayEnd && (end > dayStart || start >= dayStart)) ran.push(incident)
    }
    return ran
  }
}

export interface UptimeInput {
  createdAt: string
  currentStatus: ComponentStatus
  /** This component's changes, oldest first (changes before the window set the starting status). */
  changes: StatusChange[]
  now: Date
  days?: number
}

const partialOutageWeight = 0.3

/** Under this much history a percent says more about chance than about the component: none is shown. */
const minimumHistoryMs = dayMs

// Every component of a page is over the same 90 days: each day's name is made once, not once a component.
const dayName = memoize((dayStart: number) => utcDay(new Date(dayStart)), 1000)

function noSeconds (): Record<NonOperationalStatus, number> {
  return { degraded_performance: 0, partial_outage: 0, major_outage: 0, under_maintenance: 0 }
}

function uptimePercent (observedMs: number, seconds: Record<NonOperationalStatus, number>): number | null {
  if (observedMs <= 0) return null
  const downMs = (seconds.major_outage + partialOutageWeight * seconds.partial_outage) * 1000
  return Math.max(0, 100 * (1 - downMs / observedMs))
}

/** The start of the first day of a window of `days` UTC days ending today. */
export function uptimeWindowStart (now: Date, days = 90): string {
  return new Date(utcDayStart(now, days - 1)).toISOString()
}

export function componentUptime (input: UptimeInput): ComponentUptime {
  const { changes, now } = input
  const days = input.days ?? 90
  const nowMs = now.getTime()
  const windowStartMs = Date.parse(uptimeWindowStart(now, days))
  const firstKnownMs = Math.min(Date.parse(input.createdAt), ...changes.slice(0, 1).map((c) => Date.parse(c.changedAt)))
  const observedStartMs = Math.max(windowStartMs, firstKnownMs)

  // The status periods as [from, to, status], clipped to the observed part of the window.
  const periods: Array<[number, number, ComponentStatus]> = []
  let status: ComponentStatus = changes[0]?.oldStatus ?? input.currentStatus
  let from = observedStartMs
  for (const change of changes) {
    const at = Math.min(Date.parse(change.changedAt), nowMs)
    if (at > from) periods.push([from, at, status])
    from = Math.max(from, at)
    status = change.newStatus
  }
  if (nowMs > from) periods.push([from, nowMs, status])

  const total = noSeconds()
  const result: UptimeDay[] = []
  // Periods are in time order and do not overlap: each day looks only at those from the first that ends
  // after it starts, so the whole window is one walk over the periods, not days × periods.
  let first = 0
  for (let i = 0; i < days; i++) {
    const dayStart = windowStartMs + i * dayMs
    const dayEnd = Math.min(dayStart + dayMs, nowMs)
    const date = dayName(dayStart)
    const observedMs = dayEnd - Math.max(dayStart, observedStartMs)
    if (observedMs <= 0) {
      result.push({ date, worst: null, seconds: noSeconds(), uptime: null, observedSeconds: 0 })
      continue
    }
    const seconds = noSeconds()
    const seen: ComponentStatus[] = []
    while (first < periods.length && (periods[first] as [number, number, ComponentStatus])[1] <= dayStart) first++
    for (let p = first; p < periods.length; p++) {
      const [start, end, periodStatus] = periods[p] as [number, number, ComponentStatus]
      if (start >= dayEnd) break
      const overlap = Math.min(end, dayEnd) - Math.max(start, dayStart)
      if (overlap <= 0) continue
      seen.push(periodStatus)
      if (periodStatus !== 'operational') {
        seconds[periodStatus] += overlap / 1000
        total[periodStatus] += overlap / 1000
      }
    }
    result.push({ date, worst: worstComponentStatus(seen), seconds, uptime: uptimePercent(observedMs, seconds), observedSeconds: observedMs / 1000 })
  }
  const young = nowMs - firstKnownMs < minimumHistoryMs
  return {
    days: result,
    percent: young ? null : uptimePercent(nowMs - observedStartMs, total),
    seconds: total
  }
}

/**
 * The percent over the last `days` of an uptime (the 30 days a phone shows of the 90), by the same formula;
 * null when the whole uptime has none (too young) or nothing was observed in those days.
 */
export function recentPercent (uptime: ComponentUptime, days: number): number | null {
  if (uptime.percent === null) return null
  const recent = uptime.days.slice(-days)
  const seconds = noSeconds()
  let observedSeconds = 0
  for (const day of recent) {
    observedSeconds += day.observedSeconds
    for (const status of Object.keys(seconds) as NonOperationalStatus[]) seconds[status] += day.seconds[status]
  }
  return uptimePercent(observedSeconds * 1000, seconds)
}
