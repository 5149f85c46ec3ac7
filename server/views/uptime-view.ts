// View model of a component's 90-day uptime bar: one cell per UTC day with its words, and the percent.
import { memoize } from '../domain/memoize.js'
import { componentStatusSeverity } from '../domain/statuses.js'
import type { ComponentUptime, NonOperationalStatus, UptimeDay } from '../domain/uptime.js'
import { componentStatusLabel, formatDate, formatDuration, formatPercent } from './format.js'

export interface UptimeCellView {
  /** A short CSS class (the bar has thousands of cells on a large page, so every byte counts). */
  c: string
  /** What the cell says in words, for screen readers and the hover tip. */
  t: string
}

export interface UptimeBarView {
  cells: UptimeCellView[]
  /** "99.95 % uptime", or "No data" for a component without any history in the window. */
  percentText: string
  days: number
}

const cellClasses = {
  none: 'nd',
  operational: 'op',
  degraded_performance: 'dg',
  partial_outage: 'po',
  major_outage: 'mo',
  under_maintenance: 'um'
} as const

// Worst first, so the words lead with what matters.
const nonOperational = (Object.keys(componentStatusSeverity) as Array<keyof typeof componentStatusSeverity>)
  .filter((status): status is NonOperationalStatus => status !== 'operational')
  .sort((a, b) => componentStatusSeverity[b] - componentStatusSeverity[a])

// The same 90 dates on every bar of the page: each written out once.
const dateLabel = memoize(formatDate, 1000)

/** "3 Feb 2020: Partial Outage 1 h 30 min, Degraded Performance 20 min", "… No downtime" or "… No data". */
export function uptimeCellText (day: UptimeDay): string {
  const date = dateLabel(day.date)
  if (day.worst === null) return `${date}: No data`
  const parts = nonOperational
    .filter((status) => day.seconds[status] > 0)
    .map((status) => `${componentStatusLabel(status)} ${formatDuration(day.seconds[status])}`)
  return `${date}: ${parts.length === 0 ? 'No downtime' : parts.join(', ')}`
}

export function uptimeBarView (uptime: ComponentUptime): UptimeBarView {
  return {
    cells: uptime.days.map((day) => ({ c: cellClasses[day.worst ?? 'none'], t: uptimeCellText(day) })),
    percentText: uptime.percent === null ? 'No data' : `${formatPercent(uptime.percent)} uptime`,
    days: uptime.days.length
  }
}

/** The legend under the bars: every colour with its words. */
export const uptimeLegend: UptimeCellView[] = [
  { c: cellClasses.operational, t: 'No downtime' },
  { c: cellClasses.under_maintenance, t: componentStatusLabel('under_maintenance') },
  { c: cellClasses.degraded_performance, t: componentStatusLabel('degraded_performance') },
  { c: cellClasses.partial_outage, t: componentStatusLabel('partial_outage') },
  { c: cellClasses.major_outage, t: componentStatusLabel('major_outage') },
  { c: cellClasses.none, t: 'No data' }
]
