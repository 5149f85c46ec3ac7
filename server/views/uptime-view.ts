// View model of a component's 90-day uptime bar: one cell per UTC day with its words and incidents, the percents, and one summary for screen readers.
import { incidentPath } from '../domain/links.js'
import { memoize } from '../domain/memoize.js'
import { componentStatusSeverity } from '../domain/statuses.js'
import { type ComponentIncident, type ComponentUptime, type NonOperationalStatus, type UptimeDay, incidentDays, recentPercent } from '../domain/uptime.js'
import { componentStatusLabel, formatDate, formatDuration, formatPercent } from './format.js'

/**
 * The days a narrow screen (a phone) shows of the bar, as Statuspage does: the last 30 cells. The CSS hides
 * the others (`.bar li:nth-last-child(n+31)` in static/herald.css says the same number).
 */
export const recentUptimeDays = 30

/** What a day with something to tell shows on hover, tap and keyboard focus. */
export interface UptimeDayDetailsView {
  /** "3 Feb 2020". */
  date: string
  /** "Partial Outage 1 h 30 min, Degraded Performance 20 min", or "No downtime" on a day with an incident that changed nothing. */
  words: string
  /** That day's incidents and maintenances of this component, oldest first. */
  incidents: Array<{ href: string, name: string, reference: string }>
}

export interface UptimeCellView {
  /** A short CSS class (the bar has thousands of cells on a large page, so every byte counts). */
  c: string
  /** What the cell says in words: the hover tip of a quiet day. */
  t: string
  /**
   * Set on a day with something to tell (not all operational, or an incident): the only cells a keyboard
   * reaches and a screen reader lists. A quiet day is in the summary and a tip on hover, no more: 90 tab
   * stops and 90 list items a component would bury the days that matter.
   */
  d: UptimeDayDetailsView | null
}

export interface UptimeBarView {
  cells: UptimeCellView[]
  /** "99.95 % uptime", or "No data yet" for a component with under a day of history. */
  percentText: string
  /** The same over the last `recentUptimeDays` days, for the narrow bar. */
  recentPercentText: string
  days: number
  recentDays: number
  /** What a screen reader hears of the bar: "99.89 % uptime, 3 days with incidents". */
  summary: string
}

/** One colour of the legend with its words. */
export interface LegendEntryView {
  c: string
  t: string
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

/** What a day without downtime says: in its cell, and in the legend beside the colour of such days. */
const noDowntime = 'No downtime'

/** "Partial Outage 1 h 30 min, Degraded Performance 20 min", "No downtime" or "No data". */
function dayWords (day: UptimeDay): string {
  if (day.worst === null) return 'No data'
  // Most days of most bars are quiet: they make nothing (no list, no closure).
  let words = ''
  for (const status of nonOperational) {
    const seconds = day.seconds[status]
    if (seconds > 0) words += `${words === '' ? '' : ', '}${componentStatusLabel(status)} ${formatDuration(seconds)}`
  }
  return words === '' ? noDowntime : words
}

// A quiet day's text is the same on every bar of the page: written once a date.
const quietDayText = memoize((date: string) => `${dateLabel(date)}: ${noDowntime}`, 1000)

/** "3 Feb 2020: Partial Outage 1 h 30 min, Degraded Performance 20 min", "… No downtime" or "… No data". */
export function uptimeCellText (day: UptimeDay): string {
  const words = dayWords(day)
  return words === noDowntime ? quietDayText(day.date) : `${dateLabel(day.date)}: ${words}`
}

function percentText (percent: number | null): string {
  return percent === null ? 'No data yet' : `${formatPercent(percent)} uptime`
}

/** "3 days with incidents", "1 day with incidents", "no incidents". */
function daysWithIncidents (count: number): string {
  if (count === 0) return 'no incidents'
  return `${count} ${count === 1 ? 'day' : 'days'} with incidents`
}

/**
 * The bar of one component. `incidents` are that component's (oldest first); a day lists those that ran on
 * it. A maintenance is a planned incident, so its days count among the days with incidents too.
 */
export function uptimeBarView (uptime: ComponentUptime, incidents: ComponentIncident[], now: Date): UptimeBarView {
  const ranOn = incidentDays(incidents, now)
  const cells = uptime.days.map((day): UptimeCellView => {
    const ofDay = incidents.length === 0 ? [] : ranOn(day.date)
    const eventful = ofDay.length > 0 || (day.worst !== null && day.worst !== 'operational')
    return {
      c: cellClasses[day.worst ?? 'none'],
      t: uptimeCellText(day),
      d: eventful
        ? {
            date: dateLabel(day.date),
            words: dayWords(day),
            incidents: ofDay.map((incident) => ({ href: incidentPath(incident.reference), name: incident.name, reference: incident.reference }))
          }
        : null
    }
  })
  const text = percentText(uptime.percent)
  return {
    cells,
    percentText: text,
    recentPercentText: percentText(recentPercent(uptime, recentUptimeDays)),
    days: uptime.days.length,
    recentDays: Math.min(recentUptimeDays, uptime.days.length),
    summary: `${text}, ${daysWithIncidents(cells.filter((cell) => cell.d !== null).length)}`
  }
}

/** The legend under the bars: every colour (and pattern) with its words. */
export const uptimeLegend: LegendEntryView[] = [
  { c: cellClasses.operational, t: noDowntime },
  { c: cellClasses.under_maintenance, t: componentStatusLabel('under_maintenance') },
  { c: cellClasses.degraded_performance, t: componentStatusLabel('degraded_performance') },
  { c: cellClasses.partial_outage, t: componentStatusLabel('partial_outage') },
  { c: cellClasses.major_outage, t: componentStatusLabel('major_outage') },
  { c: cellClasses.none, t: 'No data' }
]
