// Small formatting rules shared by the public and the admin views: dates in UTC, durations, percents, status words and classes.
import type { Indicator } from '../domain/overall-status.js'
import {
  type ComponentStatus,
  type Impact,
  type UpdateStatus,
  componentStatusLabels,
  impactLabels,
  updateStatusLabels
} from '../domain/statuses.js'
import { utcDay } from '../domain/time.js'

// Fixed English names rather than Intl: the server's locale must not change what the page says.
const monthsShort = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const monthsLong = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

const pad = (n: number): string => String(n).padStart(2, '0')

/** "3 Feb 2020" from an ISO time or a YYYY-MM-DD day (read as UTC). */
export function formatDate (iso: string): string {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00.000Z` : iso)
  return `${date.getUTCDate()} ${monthsShort[date.getUTCMonth()]} ${date.getUTCFullYear()}`
}

/** "3 Feb 2020, 14:00 UTC". */
export function formatDateTime (iso: string): string {
  const date = new Date(iso)
  return `${formatDate(iso)}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`
}

/** "February 2020" from a YYYY-MM month, an ISO time or a day. */
export function formatMonth (iso: string): string {
  const [year, month] = iso.split('-')
  return `${monthsLong[Number(month) - 1]} ${year}`
}

export { utcDay }

/** The UTC month (YYYY-MM) of an ISO time. */
export function utcMonth (iso: string): string {
  return utcDay(iso).slice(0, 7)
}

/**
 * A duration in words people read at a glance: "45 s", "20 min", "1 h 30 min", "2 d 3 h".
 * Above a minute it is rounded to the minute, above a day to the hour.
 */
export function formatDuration (seconds: number): string {
  // Any time at all shows as at least a second, so a cell never reads "Major Outage 0 s".
  const total = seconds > 0 ? Math.max(1, Math.round(seconds)) : 0
  if (total < 60) return `${total} s`
  const minutes = Math.round(total / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
  const days = Math.floor(Math.round(total / 3600) / 24)
  const restHours = Math.round(total / 3600) % 24
  return restHours === 0 ? `${days} d` : `${days} d ${restHours} h`
}

/**
 * "99.95 %": truncated (not rounded) to two decimals so that any downtime shows below 100,
 * and "100 %" only when there was none.
 */
export function formatPercent (percent: number): string {
  if (percent >= 100) return '100 %'
  return `${(Math.floor(percent * 100) / 100).toFixed(2)} %`
}

/** CSS-safe class suffix of a value set member: "partial_outage" → "partial-outage". */
function classSuffix (value: string): string {
  return value.replace(/_/g, '-')
}

export function componentStatusLabel (status: ComponentStatus): string {
  return componentStatusLabels[status]
}

export function componentStatusClass (status: ComponentStatus): string {
  return `status-${classSuffix(status)}`
}

export function incidentStatusLabel (status: UpdateStatus): string {
  return updateStatusLabels[status]
}

/** The class of an incident or update status word: the value as stored, underscores kept (`incident-status-in_progress`), as pages and tests name it. */
export function incidentStatusClass (status: UpdateStatus): string {
  return `incident-status-${status}`
}

export function impactLabel (impact: Impact): string {
  return impactLabels[impact]
}

export function impactClass (impact: Impact): string {
  return `impact-${impact}`
}

/** The banner colour: maintenance gets its own, as nothing is broken. */
export function indicatorClass (indicator: Indicator, maintenance: boolean): string {
  return maintenance ? 'indicator-maintenance' : `indicator-${indicator}`
}

/**
 * A rule's reason as a visitor reads it beside a field: the services and the target rules say "the webhook URL must
 * start with https://" (a clause, as the token API's messages are); a form shows it as a sentence.
 */
export function asSentence (reason: string): string {
  const text = reason.trim()
  if (text === '') return text
  const capital = text.charAt(0).toUpperCase() + text.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}
