// Repository of monitors with their persisted state, their check runs, their state changes and their certificate warnings.
import type { Db } from '../db/open-database.js'
import type {
  CertificateFacts, CertificateWarning, DegradedStatus, DownStatus, IncidentMode, Monitor, MonitorDefinition, MonitorEvent,
  MonitorKind, MonitorRun, MonitorSettings, MonitorState, MonitorStatus, RunResult, ShownMonitorState
} from '../domain/monitors.js'

interface MonitorRow {
  id: number
  name: string
  kind: MonitorKind
  settings: string
  interval_s: number
  timeout_ms: number
  failure_threshold: number
  success_threshold: number
  latency_limit_ms: number | null
  component_id: number | null
  down_status: DownStatus
  degraded_status: DegradedStatus
  incident_mode: IncidentMode
  cert_warning_days: string
  paused: number
  heartbeat_hash: string | null
  state: MonitorState
  state_since: string
  failures: number
  successes: number
  last_run_at: string | null
  last_result: RunResult | null
  last_latency_ms: number | null
  last_error: string | null
  cert_fingerprint: string | null
  cert_subject: string | null
  cert_issuer: string | null
  cert_names: string | null
  cert_valid_from: string | null
  cert_expires_at: string | null
  incident_id: number | null
  draft_id: number | null
  created_at: string
  updated_at: string
}

function certificateOf (row: MonitorRow): CertificateFacts | null {
  if (row.cert_fingerprint === null) return null
  // setCertificate writes every column of a certificate, or none.
  return {
    fingerprint: row.cert_fingerprint,
    subject: row.cert_subject as string,
    issuer: row.cert_issuer as string,
    names: JSON.parse(row.cert_names as string) as string[],
    validFrom: row.cert_valid_from as string,
    expiresAt: row.cert_expires_at as string
  }
}

function toMonitor (row: MonitorRow): Monitor {
  // The kind and its settings were written together from one MonitorSettings (insert, update).
  const kindSettings = { kind: row.kind, settings: JSON.parse(row.settings) } as MonitorSettings
  return {
    ...kindSettings,
    id: row.id,
    name: row.name,
    intervalS: row.interval_s,
    timeoutMs: row.timeout_ms,
    failureThreshold: row.failure_threshold,
    successThreshold: row.success_threshold,
    latencyLimitMs: row.latency_limit_ms,
    componentId: row.component_id,
    downStatus: row.down_status,
    degradedStatus: row.degraded_status,
    incidentMode: row.incident_mode,
    certWarningDays: JSON.parse(row.cert_warning_days) as number[],
    paused: row.paused === 1,
    hasHeartbeatSecret: row.heartbeat_hash !== null,
    state: row.state,
    stateSince: row.state_since,
    failures: row.failures,
    successes: row.successes,
    lastRunAt: row.last_run_at,
    lastResult: row.last_result,
    lastLatencyMs: row.last_latency_ms,
    lastError: row.last_error,
    certificate: certificateOf(row),
    incidentId: row.incident_id,
    draftId: row.draft_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

interface RunRow {
  id: number
  monitor_id: number
  at: string
  result: RunResult
  latency_ms: number | null
  status_code: number | null
  error: string | null
  in_maintenance: number
}

function toRun (row: RunRow): MonitorRun {
  return {
    id: row.id,
    monitorId: row.monitor_id,
    at: row.at,
    result: row.result,
    latencyMs: row.latency_ms,
    statusCode: row.status_code,
    error: row.error,
    inMaintenance: row.in_maintenance === 1
  }
}

interface EventRow {
  id: number
  monitor_id: number
  at: string
  old_state: ShownMonitorState
  new_state: ShownMonitorState
  reason: string
}

function toEvent (row: EventRow): MonitorEvent {
  return { id: row.id, monitorId: row.monitor_id, at: row.at, oldState: row.old_state, newState: row.new_state, reason: row.reason }
}

interface WarningRow {
  id: number
  monitor_id: number
  fingerprint: string
  days: number
  expires_at: string
  created_at: string
  emailed_at: string | null
  dismissed_at: string | null
}

function toWarning (row: WarningRow): CertificateWarning {
  return {
    id: row.id,
    monitorId: row.monitor_id,
    fingerprint: row.fingerprint,
    days: row.days,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    emailedAt: row.emailed_at,
    dismissedAt: row.dismissed_at
  }
}

const columns = `id, name, kind, settings, interval_s, timeout_ms, failure_threshold, success_threshold, latency_limit_ms,
  component_id, down_status, degraded_status, incident_mode, cert_warning_days, paused, heartbeat_hash, state, state_since,
  failures, successes, last_run_at, last_result, last_latency_ms, last_error, cert_fingerprint, cert_subject, cert_issuer,
  cert_names, cert_valid_from, cert_expires_at, incident_id, draft_id, created_at, updated_at`

const runColumns = 'id, monitor_id, at, result, latency_ms, status_code, error, in_maintenance'
const warningColumns = 'w.id, w.monitor_id, w.fingerprint, w.days, w.expires_at, w.created_at, w.emailed_at, w.dismissed_at'

/** The definition's columns as named parameters, for insert and update alike: the row's own columns. */
type DefinitionParams = Pick<MonitorRow, 'name' | 'kind' | 'settings' | 'interval_s' | 'timeout_ms' | 'failure_threshold' | 'success_threshold' |
'latency_limit_ms' | 'component_id' | 'down_status' | 'degraded_status' | 'incident_mode' | 'cert_warning_days' | 'paused'>

function definitionParams (def: MonitorDefinition): DefinitionParams {
  return {
    name: def.name,
    kind: def.kind,
    settings: JSON.stringify(def.settings),
    interval_s: def.intervalS,
    timeout_ms: def.timeoutMs,
    failure_threshold: def.failureThreshold,
    success_threshold: def.successThreshold,
    latency_limit_ms: def.latencyLimitMs,
    component_id: def.componentId,
    down_status: def.downStatus,
    degraded_status: def.degradedStatus,
    incident_mode: def.incidentMode,
    cert_warning_days: JSON.stringify(def.certWarningDays),
    paused: def.paused ? 1 : 0
  }
}

type StatusParams = Pick<MonitorStatus, 'state' | 'stateSince' | 'failures' | 'successes' | 'lastRunAt' | 'lastResult' | 'lastLatencyMs' | 'lastError'>

/** Every statement on monitors, monitor_runs, monitor_events and certificate_warnings. */
export class MonitorsStore {
  readonly #all
  readonly #byId
  readonly #byName
  readonly #byHeartbeatHash
  readonly #ofComponent
  readonly #insert
  readonly #update
  readonly #remove
  readonly #setPaused
  readonly #setHeartbeatHash
  readonly #saveStatus
  readonly #setCertificate
  readonly #setIncident
  readonly #setDraft
  readonly #insertRun
  readonly #recentRuns
  readonly #availability
  readonly #insertEvent
  readonly #events
  readonly #pruneRuns
  readonly #pruneEvents
  readonly #addWarning
  readonly #unsentWarnings
  readonly #markEmailed
  readonly #openWarnings
  readonly #dismissWarning

  constructor (db: Db) {
    this.#all = db.prepare<[], MonitorRow>(`SELECT ${columns} FROM monitors ORDER BY name COLLATE NOCASE, id`)
    this.#byId = db.prepare<[number], MonitorRow>(`SELECT ${columns} FROM monitors WHERE id = ?`)
    // The column is COLLATE NOCASE: the comparison takes it, as the UNIQUE constraint does.
    this.#byName = db.prepare<[string], MonitorRow>(`SELECT ${columns} FROM monitors WHERE name = ?`)
    this.#byHeartbeatHash = db.prepare<[string], MonitorRow>(`SELECT ${columns} FROM monitors WHERE heartbeat_hash = ?`)
    this.#ofComponent = db.prepare<[number], MonitorRow>(`SELECT ${columns} FROM monitors WHERE component_id = ? ORDER BY id`)
    this.#insert = db.prepare<[DefinitionParams & { heartbeat_hash: string | null, at: string }]>(
      `INSERT INTO monitors (name, kind, settings, interval_s, timeout_ms, failure_threshold, success_threshold, latency_limit_ms,
         component_id, down_status, degraded_status, incident_mode, cert_warning_days, paused, heartbeat_hash, state, state_since,
         created_at, updated_at)
       VALUES (@name, @kind, @settings, @interval_s, @timeout_ms, @failure_threshold, @success_threshold, @latency_limit_ms,
         @component_id, @down_status, @degraded_status, @incident_mode, @cert_warning_days, @paused, @heartbeat_hash, 'pending', @at,
         @at, @at)`)
    this.#update = db.prepare<[DefinitionParams & { id: number, at: string }]>(
      `UPDATE monitors SET name = @name, kind = @kind, settings = @settings, interval_s = @interval_s, timeout_ms = @timeout_ms,
         failure_threshold = @failure_threshold, success_threshold = @success_threshold, latency_limit_ms = @latency_limit_ms,
         component_id = @component_id, down_status = @down_status, degraded_status = @degraded_status,
         incident_mode = @incident_mode, cert_warning_days = @cert_warning_days, paused = @paused, updated_at = @at
       WHERE id = @id`)
    this.#remove = db.prepare<[number]>('DELETE FROM monitors WHERE id = ?')
    this.#setPaused = db.prepare<[number, string, number]>('UPDATE monitors SET paused = ?, updated_at = ? WHERE id = ?')
    this.#setHeartbeatHash = db.prepare<[string | null, string, number]>('UPDATE monitors SET heartbeat_hash = ?, updated_at = ? WHERE id = ?')
    this.#saveStatus = db.prepare<[{ id: number, state: MonitorState, state_since: string, failures: number, successes: number, last_run_at: string | null, last_result: RunResult | null, last_latency_ms: number | null, last_error: string | null }]>(
      `UPDATE monitors SET state = @state, state_since = @state_since, failures = @failures, successes = @successes,
         last_run_at = @last_run_at, last_result = @last_result, last_latency_ms = @last_latency_ms, last_error = @last_error
       WHERE id = @id`)
    this.#setCertificate = db.prepare<[{ id: number, fingerprint: string | null, subject: string | null, issuer: string | null, names: string | null, valid_from: string | null, expires_at: string | null }]>(
      `UPDATE monitors SET cert_fingerprint = @fingerprint, cert_subject = @subject, cert_issuer = @issuer, cert_names = @names,
         cert_valid_from = @valid_from, cert_expires_at = @expires_at
       WHERE id = @id`)
    this.#setIncident = db.prepare<[number | null, number]>('UPDATE monitors SET incident_id = ? WHERE id = ?')
    this.#setDraft = db.prepare<[number | null, number]>('UPDATE monitors SET draft_id = ? WHERE id = ?')
    this.#insertRun = db.prepare<[number, string, RunResult, number | null, number | null, string | null, number]>(
      `INSERT INTO monitor_runs (monitor_id, at, result, latency_ms, status_code, error, in_maintenance)
       VALUES (?, ?, ?, ?, ?, ?, ?)`)
    this.#recentRuns = db.prepare<[number, number], RunRow>(
      `SELECT ${runColumns} FROM monitor_runs WHERE monitor_id = ? ORDER BY at DESC, id DESC LIMIT ?`)
    this.#availability = db.prepare<[number, string], { up: number | null, total: number }>(
      `SELECT SUM(result IN ('up', 'degraded')) AS up, COUNT(*) AS total FROM monitor_runs
       WHERE monitor_id = ? AND at >= ? AND in_maintenance = 0`)
    this.#insertEvent = db.prepare<[number, string, string, string, string]>(
      'INSERT INTO monitor_events (monitor_id, at, old_state, new_state, reason) VALUES (?, ?, ?, ?, ?)')
    this.#events = db.prepare<[number, number], EventRow>(
      `SELECT id, monitor_id, at, old_state, new_state, reason FROM monitor_events WHERE monitor_id = ?
       ORDER BY at DESC, id DESC LIMIT ?`)
    this.#pruneRuns = db.prepare<[string]>('DELETE FROM monitor_runs WHERE at < ?')
    this.#pruneEvents = db.prepare<[string]>('DELETE FROM monitor_events WHERE at < ?')
    this.#addWarning = db.prepare<[number, string, number, string, string]>(
      `INSERT INTO certificate_warnings (monitor_id, fingerprint, days, expires_at, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (monitor_id, fingerprint, days) DO NOTHING`)
    this.#unsentWarnings = db.prepare<[], WarningRow>(
      `SELECT ${warningColumns} FROM certificate_warnings w WHERE w.emailed_at IS NULL ORDER BY w.id`)
    this.#markEmailed = db.prepare<[string, number]>('UPDATE certificate_warnings SET emailed_at = ? WHERE id = ? AND emailed_at IS NULL')
    this.#openWarnings = db.prepare<[], WarningRow & { monitor_name: string }>(
      `SELECT ${warningColumns}, m.name AS monitor_name FROM certificate_warnings w JOIN monitors m ON m.id = w.monitor_id
       WHERE w.dismissed_at IS NULL ORDER BY w.expires_at, w.days, w.id`)
    this.#dismissWarning = db.prepare<[string, number]>(
      'UPDATE certificate_warnings SET dismissed_at = ? WHERE id = ? AND dismissed_at IS NULL')
  }

  /** Every monitor, by name (case aside). */
  all (): Monitor[] {
    return this.#all.all().map(toMonitor)
  }

  byId (id: number): Monitor | undefined {
    const row = this.#byId.get(id)
    return row === undefined ? undefined : toMonitor(row)
  }

  /** The monitor of this name, whatever its case (what `herald monitors apply` matches on). */
  byName (name: string): Monitor | undefined {
    const row = this.#byName.get(name)
    return row === undefined ? undefined : toMonitor(row)
  }

  /** The heartbeat whose secret hashes (SHA-256, hex) to this. */
  byHeartbeatHash (hash: string): Monitor | undefined {
    const row = this.#byHeartbeatHash.get(hash)
    return row === undefined ? undefined : toMonitor(row)
  }

  /** The monitors linked to a component. */
  ofComponent (componentId: number): Monitor[] {
    return this.#ofComponent.all(componentId).map(toMonitor)
  }

  /** Inside a write: adds a monitor, pending since `at`; returns its id. */
  insert (def: MonitorDefinition, heartbeatHash: string | null, at: string): number {
    const result = this.#insert.run({ ...definitionParams(def), heartbeat_hash: heartbeatHash, at })
    return Number(result.lastInsertRowid)
  }

  /** Inside a write: replaces the definition; the state and its counters are saveStatus's. */
  update (id: number, def: MonitorDefinition, at: string): void {
    this.#update.run({ ...definitionParams(def), id, at })
  }

  /** Inside a write: removes the monitor with its runs, events and warnings (ON DELETE CASCADE). */
  remove (id: number): void {
    this.#remove.run(id)
  }

  setPaused (id: number, paused: boolean, at: string): void {
    this.#setPaused.run(paused ? 1 : 0, at, id)
  }

  /** A heartbeat's new secret (its hash); null: none (no longer a heartbeat). */
  setHeartbeatHash (id: number, hash: string | null, at: string): void {
    this.#setHeartbeatHash.run(hash, at, id)
  }

  /** After a run or a pause/resume: the state, counters and last run. */
  saveStatus (id: number, s: StatusParams): void {
    this.#saveStatus.run({
      id,
      state: s.state,
      state_since: s.stateSince,
      failures: s.failures,
      successes: s.successes,
      last_run_at: s.lastRunAt,
      last_result: s.lastResult,
      last_latency_ms: s.lastLatencyMs,
      last_error: s.lastError
    })
  }

  /** The certificate last seen; null forgets it (the monitor no longer looks at one). */
  setCertificate (id: number, facts: CertificateFacts | null): void {
    this.#setCertificate.run({
      id,
      fingerprint: facts?.fingerprint ?? null,
      subject: facts?.subject ?? null,
      issuer: facts?.issuer ?? null,
      names: facts === null ? null : JSON.stringify(facts.names),
      valid_from: facts?.validFrom ?? null,
      expires_at: facts?.expiresAt ?? null
    })
  }

  setIncident (id: number, incidentId: number | null): void {
    this.#setIncident.run(incidentId, id)
  }

  setDraft (id: number, draftId: number | null): void {
    this.#setDraft.run(draftId, id)
  }

  insertRun (run: Omit<MonitorRun, 'id'>): void {
    this.#insertRun.run(run.monitorId, run.at, run.result, run.latencyMs, run.statusCode, run.error, run.inMaintenance ? 1 : 0)
  }

  /** The latest runs, newest first (the sparkline, the monitor's page). */
  recentRuns (monitorId: number, limit: number): MonitorRun[] {
    return this.#recentRuns.all(monitorId, limit).map(toRun)
  }

  /** Runs since `since` outside maintenance, and how many of them were up or degraded. */
  availability (monitorId: number, since: string): { up: number, total: number } {
    // An aggregate always returns one row; SUM over no rows is NULL.
    const row = this.#availability.get(monitorId, since) as { up: number | null, total: number }
    return { up: row.up ?? 0, total: row.total }
  }

  insertEvent (e: Omit<MonitorEvent, 'id'>): void {
    this.#insertEvent.run(e.monitorId, e.at, e.oldState, e.newState, e.reason)
  }

  /** The latest state changes, newest first. */
  events (monitorId: number, limit: number): MonitorEvent[] {
    return this.#events.all(monitorId, limit).map(toEvent)
  }

  /** Removes runs and state changes older than `before`. */
  prune (before: string): { runs: number, events: number } {
    return { runs: this.#pruneRuns.run(before).changes, events: this.#pruneEvents.run(before).changes }
  }

  /** Records a warning; false when this monitor was already warned for this certificate at this threshold. */
  addWarning (w: Omit<CertificateWarning, 'id' | 'emailedAt' | 'dismissedAt'>): boolean {
    return this.#addWarning.run(w.monitorId, w.fingerprint, w.days, w.expiresAt, w.createdAt).changes > 0
  }

  /** Warnings not mailed yet, oldest first. */
  unsentWarnings (): CertificateWarning[] {
    return this.#unsentWarnings.all().map(toWarning)
  }

  markEmailed (id: number, at: string): void {
    this.#markEmailed.run(at, id)
  }

  /** Warnings not dismissed, with their monitor's name, the certificate running out soonest first. */
  openWarnings (): Array<CertificateWarning & { monitorName: string }> {
    return this.#openWarnings.all().map((row) => ({ ...toWarning(row), monitorName: row.monitor_name }))
  }

  /** Dismisses a warning; false when there is none open with this id. */
  dismissWarning (id: number, at: string): boolean {
    return this.#dismissWarning.run(at, id).changes > 0
  }
}
