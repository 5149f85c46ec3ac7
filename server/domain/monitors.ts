// The shapes and bounds of monitors (DESIGN.md): kinds, states, settings per kind, a check's outcome, a certificate's facts.
import type { ComponentStatus, Impact, IncidentStatus } from './statuses.js'

export const monitorKinds = ['http', 'tcp', 'dns', 'tls', 'heartbeat'] as const
export type MonitorKind = typeof monitorKinds[number]

/** What a monitor's state is; `paused` is shown for a paused one whatever its stored state. */
export const monitorStates = ['pending', 'up', 'degraded', 'down'] as const
export type MonitorState = typeof monitorStates[number]
export type ShownMonitorState = MonitorState | 'paused'

/** The verdict of one check run. */
export const runResults = ['up', 'degraded', 'down'] as const
export type RunResult = typeof runResults[number]

export const incidentModes = ['off', 'draft', 'publish'] as const
export type IncidentMode = typeof incidentModes[number]

export const downStatuses = ['partial_outage', 'major_outage'] as const satisfies readonly ComponentStatus[]
export type DownStatus = typeof downStatuses[number]
export const degradedStatuses = ['degraded_performance', 'partial_outage', 'major_outage'] as const satisfies readonly ComponentStatus[]
export type DegradedStatus = typeof degradedStatuses[number]

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
export type HttpMethod = typeof httpMethods[number]

export const dnsRecordTypes = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT'] as const
export type DnsRecordType = typeof dnsRecordTypes[number]

/** The bounds and defaults of issue 15, in one place. */
export const monitorLimits = {
  defaultIntervalS: 60,
  minIntervalS: 10,
  /** A TLS check asks for a handshake, which costs the target more: at most every 5 minutes. */
  minTlsIntervalS: 300,
  maxIntervalS: 86_400,
  defaultTimeoutMs: 10_000,
  minTimeoutMs: 100,
  maxTimeoutMs: 120_000,
  defaultFailureThreshold: 3,
  defaultSuccessThreshold: 2,
  maxThreshold: 100,
  maxRedirects: 10,
  defaultCertWarningDays: [14, 7] as readonly number[],
  /** Runs (and state changes) older than this are pruned. */
  runRetentionDays: 90,
  /** Checks in flight at once, across all monitors. */
  maxConcurrentChecks: 10,
  /** A heartbeat's grace after its period, unless set. */
  defaultHeartbeatGraceS: 60
} as const

export interface HttpSettings {
  url: string
  method: HttpMethod
  /** Sent as given (names as typed); never logged, since they may carry credentials for the target. */
  headers: Record<string, string>
  body: string | null
  /** The accepted status codes, inclusive: 200-299 unless set. */
  expectedStatus: { min: number, max: number }
  /** The body must contain this text (case-sensitive); null: not checked. */
  keyword: string | null
  /** The body is JSON and the value at this path (`$.status`, `$.checks[0].ok`) must equal `equals`; null: not checked. */
  jsonPath: { path: string, equals: string } | null
  followRedirects: boolean
}

export interface TcpSettings {
  host: string
  port: number
}

export interface DnsSettings {
  /** The name to resolve. */
  name: string
  recordType: DnsRecordType
  /** One of the answers must equal this (addresses compared as addresses, names without the final dot); null: any answer. */
  expected: string | null
}

export interface TlsSettings {
  host: string
  port: number
  /** The name the certificate must be valid for (SNI too); the host unless set. */
  servername: string | null
}

export interface HeartbeatSettings {
  /** Seconds after the period before a missing call counts as a failure. */
  graceS: number
}

export type MonitorSettings =
  | { kind: 'http', settings: HttpSettings }
  | { kind: 'tcp', settings: TcpSettings }
  | { kind: 'dns', settings: DnsSettings }
  | { kind: 'tls', settings: TlsSettings }
  | { kind: 'heartbeat', settings: HeartbeatSettings }

/** What a person (form, API, YAML) decides about a monitor, checked. */
export type MonitorDefinition = MonitorSettings & {
  name: string
  intervalS: number
  timeoutMs: number
  failureThreshold: number
  successThreshold: number
  latencyLimitMs: number | null
  componentId: number | null
  downStatus: DownStatus
  degradedStatus: DegradedStatus
  incidentMode: IncidentMode
  /** Whole days, largest first, no repeats. */
  certWarningDays: number[]
  paused: boolean
}

/** The certificate a check saw. */
export interface CertificateFacts {
  /** SHA-256 fingerprint, as node's X509Certificate.fingerprint256 gives it. */
  fingerprint: string
  subject: string
  issuer: string
  /** The DNS names and IP addresses it is valid for (subjectAltName, else the common name). */
  names: string[]
  validFrom: string
  expiresAt: string
}

/** What one check found, before thresholds: network I/O only, no database. */
export interface CheckOutcome {
  /** Whether every condition held (latency aside: the latency limit makes an ok run degraded, see runResultOf). */
  ok: boolean
  latencyMs: number
  /** HTTP: the last response's status. */
  statusCode: number | null
  /** Why it failed, one line for a person ("connect ECONNREFUSED 127.0.0.1:9", "status 500, expected 200-299"). */
  error: string | null
  /** https and tls: the leaf certificate, also when the check failed because of it. */
  certificate: CertificateFacts | null
}

/** Persisted state and last run of a monitor, beside its definition. */
export interface MonitorStatus {
  state: MonitorState
  stateSince: string
  /** Failed (down) runs in a row, and succeeded (up or degraded) runs in a row. */
  failures: number
  successes: number
  lastRunAt: string | null
  lastResult: RunResult | null
  lastLatencyMs: number | null
  lastError: string | null
  certificate: CertificateFacts | null
  incidentId: number | null
  draftId: number | null
}

export type Monitor = MonitorDefinition & MonitorStatus & {
  id: number
  /** Heartbeats: whether a secret is set (it is shown once, never again). */
  hasHeartbeatSecret: boolean
  createdAt: string
  updatedAt: string
}

export interface MonitorRun {
  id: number
  monitorId: number
  at: string
  result: RunResult
  latencyMs: number | null
  statusCode: number | null
  error: string | null
  inMaintenance: boolean
}

export interface MonitorEvent {
  id: number
  monitorId: number
  at: string
  oldState: ShownMonitorState
  newState: ShownMonitorState
  reason: string
}

export interface CertificateWarning {
  id: number
  monitorId: number
  fingerprint: string
  /** The threshold crossed (14, 7, ...). */
  days: number
  expiresAt: string
  createdAt: string
  emailedAt: string | null
  dismissedAt: string | null
}

/** An incident not yet public. */
export interface IncidentDraft {
  id: number
  name: string
  body: string
  status: Exclude<IncidentStatus, 'resolved' | 'postmortem'>
  impact: Impact | null
  /** Component id to the status the incident gives it when published. */
  components: Record<string, ComponentStatus>
  monitorId: number | null
  note: string | null
  createdBy: string
  createdAt: string
  updatedAt: string
}

/** The run's verdict: a failed check is down; an ok one slower than the limit is degraded. */
export function runResultOf (outcome: CheckOutcome, latencyLimitMs: number | null): RunResult {
  if (!outcome.ok) return 'down'
  return latencyLimitMs !== null && outcome.latencyMs > latencyLimitMs ? 'degraded' : 'up'
}

/** The audit log's actor for what a monitor did. */
export function monitorActor (name: string): string {
  return `monitor:${name}`
}
