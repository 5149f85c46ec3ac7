// Uptime of a component over a window of whole UTC days, from its status history.
//
// The formula (documented in the README): over the time the component was observed in the window
// (from the later of the window start and the component's first known time, up to now),
//   uptime % = 100 × (1 − (major_outage + 0.3 × partial_outage) / observed)
// Degraded performance and maintenance are shown but do not count as downtime, as on Statuspage.
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
}

export interface ComponentUptime {
  /** Oldest first; the last is today. */
  days: UptimeDay[]
  percent: number | null
  seconds: Record<NonOperationalStatus, number>
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
      result.push({ date, worst: null, seconds: noSeconds(), uptime: null })
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
    result.push({ date, worst: worstComponentStatus(seen), seconds, uptime: uptimePercent(observedMs, seconds) })
  }
  return { days: result, percent: uptimePercent(nowMs - observedStartMs, total), seconds: total }
}
