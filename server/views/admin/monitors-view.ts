// View models of the admin's monitors: the list with state and sparkline, one monitor's page, and the dashboard's monitors, certificates and warnings.
import type { Component } from '../../domain/model.js'
import {
  type CertificateFacts, type CertificateWarning, type Monitor, type MonitorDefinition, type MonitorEvent, type MonitorKind,
  type MonitorRun, type ShownMonitorState, monitorStates
} from '../../domain/monitors.js'
import { daysLeft } from '../../domain/certificate-warnings.js'
import { dayMs } from '../../domain/time.js'
import { tlsTargetText } from '../../domain/tls-target.js'
import { componentStatusLabels } from '../../domain/statuses.js'
import { formatDateTime, formatPercent } from '../format.js'
import { sparklineSvg } from '../sparkline.js'
import type { OptionView } from './form-view.js'
import { adminIncidentHref } from './incident-page-view.js'

export const shownStates: readonly ShownMonitorState[] = [...monitorStates, 'paused']

export const monitorStateLabels: Record<ShownMonitorState, string> = {
  pending: 'Pending',
  up: 'Up',
  degraded: 'Degraded',
  down: 'Down',
  paused: 'Paused'
}

export const monitorKindLabels: Record<MonitorKind, string> = {
  http: 'HTTP',
  tcp: 'TCP',
  dns: 'DNS',
  tls: 'TLS certificate',
  heartbeat: 'Heartbeat'
}

export const incidentModeLabels: Record<Monitor['incidentMode'], string> = {
  off: 'Off: the component status only',
  draft: 'Draft: a draft incident for an admin to publish',
  publish: 'Publish: a public incident, resolved on recovery'
}

/** What the list and the dashboard show of a monitor's state: paused whatever its stored state. */
export function shownState (monitor: Pick<Monitor, 'paused' | 'state'>): ShownMonitorState {
  return monitor.paused ? 'paused' : monitor.state
}

export interface StateBadgeView {
  state: ShownMonitorState
  label: string
  className: string
}

export function stateBadge (state: ShownMonitorState): StateBadgeView {
  return { state, label: monitorStateLabels[state], className: `monitor-state monitor-state-${state}` }
}

/** How a certificate's days left look: expired or under 7 red, under 14 amber, else green, each with its word. */
export interface CertificateDaysView {
  /** Whole days left, negative once expired. */
  days: number
  text: string
  level: 'expired' | 'urgent' | 'soon' | 'ok'
  levelLabel: string
  className: string
}

export function certificateDays (expiresAt: string, now: Date): CertificateDaysView {
  const left = Date.parse(expiresAt) - now.getTime()
  // The days the warnings, the notices, the token API and cert-check count: one rule for all of them.
  const days = daysLeft(expiresAt, now)
  const level = left <= 0 ? 'expired' : days < 7 ? 'urgent' : days < 14 ? 'soon' : 'ok'
  const ago = Math.floor(-left / dayMs)
  const text = left > 0
    ? `${days} day${days === 1 ? '' : 's'} left`
    : ago === 0 ? 'expired today' : `expired ${ago} day${ago === 1 ? '' : 's'} ago`
  const levelLabel = { expired: 'Expired', urgent: 'Renew now', soon: 'Renew soon', ok: 'OK' }[level]
  return { days, text, level, levelLabel, className: `cert-days cert-${level}` }
}

/** "just now", "4 minutes ago", "3 hours ago", "2 days ago": the words static/local-time.js keeps current. */
export function ageText (iso: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - Date.parse(iso)) / 60_000)
  const plural = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'} ago`
  if (minutes < 1) return 'just now'
  if (minutes < 60) return plural(minutes, 'minute')
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return plural(hours, 'hour')
  return plural(Math.floor(hours / 24), 'day')
}

/**
 * What a monitor watches, in one line for the admin pages (its kind has a column of its own): "GET https://…",
 * "db.internal:5432", "example.com AAAA = 192.0.2.1", a push with its period. The incidents' words say it
 * shorter, with the kind (domain/monitor-incidents.ts monitorTarget).
 */
export function watchedText (monitor: MonitorDefinition): string {
  switch (monitor.kind) {
    case 'http': return `${monitor.settings.method} ${monitor.settings.url}`
    // host:port as every address with a port is written: an IPv6 host in brackets ("[2001:db8::1]:5432").
    case 'tcp': return tlsTargetText(monitor.settings)
    case 'dns': return `${monitor.settings.name} ${monitor.settings.recordType}${monitor.settings.expected === null ? '' : ` = ${monitor.settings.expected}`}`
    case 'tls': return `${tlsTargetText(monitor.settings)}${monitor.settings.servername === null ? '' : ` (name ${monitor.settings.servername})`}`
    case 'heartbeat': return `a call every ${monitor.intervalS} s, ${monitor.settings.graceS} s grace`
  }
}

function componentName (componentId: number | null, components: readonly Component[]): string | null {
  return componentId === null ? null : components.find((component) => component.id === componentId)?.name ?? null
}

export interface TimeView {
  at: string
  ago: string
  exact: string
}

function timeView (iso: string | null, now: Date): TimeView | null {
  return iso === null ? null : { at: iso, ago: ageText(iso, now), exact: formatDateTime(iso) }
}

export interface MonitorRowView {
  id: number
  href: string
  name: string
  kindLabel: string
  target: string
  /** The target cut after each / ? & and =, where the list may wrap it (a <wbr> each), rather than inside a word. */
  targetParts: string[]
  state: StateBadgeView
  since: TimeView
  lastRun: TimeView | null
  latency: string | null
  /** SVG the server drew from numbers only (views/sparkline.ts). */
  sparkline: string
  certificate: CertificateDaysView | null
  component: string | null
}

/** The sparkline's runs: the list gives the newest first, the drawing reads oldest first. */
function sparklineOf (runs: readonly MonitorRun[]): string {
  return sparklineSvg([...runs].reverse().map((run) => ({ result: run.result, latencyMs: run.latencyMs })))
}

export function monitorRow (monitor: Monitor, recentRuns: readonly MonitorRun[], components: readonly Component[], now: Date): MonitorRowView {
  return {
    id: monitor.id,
    href: `/admin/monitors/${monitor.id}`,
    name: monitor.name,
    kindLabel: monitorKindLabels[monitor.kind],
    target: watchedText(monitor),
    targetParts: wrapParts(watchedText(monitor)),
    state: stateBadge(shownState(monitor)),
    since: timeView(monitor.stateSince, now) as TimeView,
    lastRun: timeView(monitor.lastRunAt, now),
    latency: monitor.lastLatencyMs === null ? null : `${monitor.lastLatencyMs} ms`,
    sparkline: sparklineOf(recentRuns),
    certificate: monitor.certificate === null ? null : certificateDays(monitor.certificate.expiresAt, now),
    component: componentName(monitor.componentId, components)
  }
}

export interface MonitorsPageInput {
  monitors: readonly Monitor[]
  /** The last runs of a monitor, newest first. */
  runsOf: (id: number) => readonly MonitorRun[]
  components: readonly Component[]
  filter: ShownMonitorState | null
  now: Date
}

export interface MonitorsPageView {
  rows: MonitorRowView[]
  total: number
  filtered: boolean
  stateOptions: OptionView[]
  filterLabel: string | null
}

export function monitorsPageView (input: MonitorsPageInput): MonitorsPageView {
  const chosen = input.monitors.filter((monitor) => input.filter === null || shownState(monitor) === input.filter)
  return {
    rows: chosen.map((monitor) => monitorRow(monitor, input.runsOf(monitor.id), input.components, input.now)),
    total: input.monitors.length,
    filtered: input.filter !== null,
    stateOptions: [
      { value: '', label: 'Any state', selected: input.filter === null },
      ...shownStates.map((state) => ({ value: state, label: monitorStateLabels[state], selected: state === input.filter }))
    ],
    filterLabel: input.filter === null ? null : monitorStateLabels[input.filter]
  }
}

export interface DefinitionFact {
  term: string
  value: string
  /** The value cut where a long URL may wrap (wrapParts). */
  parts: string[]
}

/** A text cut after each / ? & and =: the page puts a <wbr> there, so a long URL wraps after a slash rather than inside a word. */
export function wrapParts (text: string): string[] {
  return text.split(/(?<=[/?&=])/)
}

/** The monitor's definition in words, for its page. */
export function definitionFacts (monitor: Monitor, components: readonly Component[]): DefinitionFact[] {
  const facts: Array<Omit<DefinitionFact, 'parts'>> = [
    { term: 'Kind', value: monitorKindLabels[monitor.kind] },
    { term: 'Watches', value: watchedText(monitor) }
  ]
  if (monitor.kind === 'http') {
    const s = monitor.settings
    const headers = Object.keys(s.headers)
    facts.push({ term: 'Expected status', value: s.expectedStatus.min === s.expectedStatus.max ? String(s.expectedStatus.min) : `${s.expectedStatus.min}-${s.expectedStatus.max}` })
    if (headers.length > 0) facts.push({ term: 'Headers', value: headers.join(', ') })
    if (s.keyword !== null) facts.push({ term: 'Keyword', value: s.keyword })
    if (s.jsonPath !== null) facts.push({ term: 'JSON path', value: `${s.jsonPath.path} equals ${s.jsonPath.equals}` })
    facts.push({ term: 'Redirects', value: s.followRedirects ? 'followed (up to 10)' : 'not followed' })
  }
  facts.push({ term: monitor.kind === 'heartbeat' ? 'Period' : 'Interval', value: `${monitor.intervalS} s` })
  if (monitor.kind !== 'heartbeat') facts.push({ term: 'Timeout', value: `${monitor.timeoutMs} ms` })
  facts.push(
    { term: 'Thresholds', value: `down after ${monitor.failureThreshold} failure${monitor.failureThreshold === 1 ? '' : 's'} in a row, up after ${monitor.successThreshold} success${monitor.successThreshold === 1 ? '' : 'es'}` },
    { term: 'Latency limit', value: monitor.latencyLimitMs === null ? 'none (never degraded)' : `${monitor.latencyLimitMs} ms` }
  )
  const component = componentName(monitor.componentId, components)
  facts.push({
    term: 'Component',
    value: component === null
      ? 'none'
      : `${component}: ${componentStatusLabels[monitor.downStatus]} when down, ${componentStatusLabels[monitor.degradedStatus]} when degraded`
  })
  facts.push({ term: 'Incidents', value: incidentModeLabels[monitor.incidentMode] })
  if (monitor.kind === 'http' || monitor.kind === 'tls') {
    facts.push({ term: 'Certificate warnings', value: monitor.certWarningDays.length === 0 ? 'none' : `at ${monitor.certWarningDays.join(', ')} days left` })
  }
  return facts.map((fact) => ({ ...fact, parts: wrapParts(fact.value) }))
}

export interface RunRowView {
  at: string
  resultLabel: string
  resultClass: string
  latency: string | null
  statusCode: number | null
  error: string | null
  inMaintenance: boolean
}

export interface EventRowView {
  at: string
  from: StateBadgeView
  to: StateBadgeView
  reason: string
}

export interface CertificateView {
  subject: string
  issuer: string
  names: string[]
  validFrom: string
  expiresAt: string
  days: CertificateDaysView
}

function certificateView (facts: CertificateFacts, now: Date): CertificateView {
  return { subject: facts.subject, issuer: facts.issuer, names: facts.names, validFrom: facts.validFrom, expiresAt: facts.expiresAt, days: certificateDays(facts.expiresAt, now) }
}

export interface Availability {
  up: number
  total: number
}

function availabilityText (availability: Availability): string {
  return availability.total === 0 ? 'no runs' : `${formatPercent((availability.up / availability.total) * 100)} of ${availability.total} run${availability.total === 1 ? '' : 's'}`
}

export interface MonitorPageInput {
  monitor: Monitor
  /** The incident this monitor keeps open, and its draft not yet published, when there are. */
  incident?: { reference: string, name: string } | null
  draft?: { id: number, name: string } | null
  components: readonly Component[]
  runs: readonly MonitorRun[]
  events: readonly MonitorEvent[]
  availability: { day: Availability, month: Availability }
  now: Date
}

export interface MonitorPageView {
  monitor: {
    id: number
    href: string
    name: string
    kind: MonitorKind
    paused: boolean
    isHeartbeat: boolean
    /** Whether Run now is offered: not for a heartbeat (it waits for calls) nor a paused monitor (resume it first). */
    runnable: boolean
    hasHeartbeatSecret: boolean
  }
  state: StateBadgeView
  since: TimeView
  /** Why it is in its state: the last state change's reason. */
  reason: string | null
  incident: { href: string, reference: string, name: string } | null
  draft: { href: string, name: string } | null
  lastRun: TimeView | null
  lastError: string | null
  facts: DefinitionFact[]
  availability: { day: string, month: string }
  certificate: CertificateView | null
  sparkline: string
  runs: RunRowView[]
  events: EventRowView[]
}

export const runResultLabels: Record<MonitorRun['result'], string> = { up: 'Up', degraded: 'Degraded', down: 'Down' }

export function monitorPageView (input: MonitorPageInput): MonitorPageView {
  const { monitor, now } = input
  return {
    monitor: {
      id: monitor.id,
      href: `/admin/monitors/${monitor.id}`,
      name: monitor.name,
      kind: monitor.kind,
      paused: monitor.paused,
      isHeartbeat: monitor.kind === 'heartbeat',
      runnable: monitor.kind !== 'heartbeat' && !monitor.paused,
      hasHeartbeatSecret: monitor.hasHeartbeatSecret
    },
    state: stateBadge(shownState(monitor)),
    since: timeView(monitor.stateSince, now) as TimeView,
    reason: input.events[0]?.reason ?? null,
    incident: input.incident == null ? null : { href: adminIncidentHref(input.incident.reference), reference: input.incident.reference, name: input.incident.name },
    draft: input.draft == null ? null : { href: `/admin/drafts/${input.draft.id}`, name: input.draft.name },
    lastRun: timeView(monitor.lastRunAt, now),
    lastError: monitor.lastError,
    facts: definitionFacts(monitor, input.components),
    availability: { day: availabilityText(input.availability.day), month: availabilityText(input.availability.month) },
    certificate: monitor.certificate === null ? null : certificateView(monitor.certificate, now),
    sparkline: sparklineOf(input.runs.slice(0, 30)),
    runs: input.runs.map((run) => ({
      at: run.at,
      resultLabel: runResultLabels[run.result],
      resultClass: `monitor-state monitor-state-${run.result}`,
      latency: run.latencyMs === null ? null : `${run.latencyMs} ms`,
      statusCode: run.statusCode,
      error: run.error,
      inMaintenance: run.inMaintenance
    })),
    events: input.events.map((event) => ({ at: event.at, from: stateBadge(event.oldState), to: stateBadge(event.newState), reason: event.reason }))
  }
}

export interface DashboardMonitorsInput {
  monitors: readonly Monitor[]
  warnings: ReadonlyArray<CertificateWarning & { monitorName: string }>
  now: Date
}

export interface DashboardMonitorsView {
  /** Shown at all: there are monitors, certificates or warnings. */
  shown: boolean
  total: number
  counts: Array<StateBadgeView & { count: number, href: string }>
  certificates: Array<{ monitorId: number, href: string, name: string, expiresAt: string, subject: string, days: CertificateDaysView }>
  warnings: Array<{ id: number, monitorId: number, href: string, monitorName: string, days: number, expiresAt: string, left: CertificateDaysView }>
}

export function dashboardMonitorsView (input: DashboardMonitorsInput): DashboardMonitorsView {
  const counts = shownStates
    .map((state) => ({ ...stateBadge(state), count: input.monitors.filter((monitor) => shownState(monitor) === state).length, href: `/admin/monitors?state=${state}` }))
    .filter((entry) => entry.count > 0)
  // The monitors that have seen a certificate, soonest expiry first (the point of the list), by name within a day.
  const certificates = input.monitors
    .filter((monitor): monitor is Monitor & { certificate: CertificateFacts } => monitor.certificate !== null)
    .sort((a, b) => a.certificate.expiresAt.localeCompare(b.certificate.expiresAt))
    .map((monitor) => ({
      monitorId: monitor.id,
      href: `/admin/monitors/${monitor.id}`,
      name: monitor.name,
      expiresAt: monitor.certificate.expiresAt,
      subject: monitor.certificate.subject,
      days: certificateDays(monitor.certificate.expiresAt, input.now)
    }))
  const warnings = input.warnings.map((warning) => ({
    id: warning.id,
    monitorId: warning.monitorId,
    href: `/admin/monitors/${warning.monitorId}`,
    monitorName: warning.monitorName,
    days: warning.days,
    expiresAt: warning.expiresAt,
    left: certificateDays(warning.expiresAt, input.now)
  }))
  return {
    shown: input.monitors.length > 0 || certificates.length > 0 || warnings.length > 0,
    total: input.monitors.length,
    counts,
    certificates,
    warnings
  }
}
