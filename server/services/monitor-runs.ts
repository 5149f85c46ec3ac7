// Records what a monitor saw (a check's outcome, a heartbeat call, a missed heartbeat) in ONE write each, with all it changes.
import { daysLeft, warningThreshold } from '../domain/certificate-warnings.js'
import { askedStatus, automationDecision } from '../domain/monitor-automation.js'
import { downAgainText, downIncidentText, monitorTarget, recoveryText } from '../domain/monitor-incidents.js'
import { nextState, streakOf } from '../domain/monitor-state.js'
import { type CertificateWarning, type CheckOutcome, type Monitor, type MonitorRun, type RunResult, monitorActor, monitorLimits, runResultOf } from '../domain/monitors.js'
import { dayMs } from '../domain/time.js'
import type { ComponentService } from './component-service.js'
import { type ServiceContext, nowIso, read, signalAfterCommit, write } from './context.js'
import type { DraftService } from './draft-service.js'
import { ConflictError, NotFoundError, ServiceError } from './errors.js'
import type { IncidentService } from './incident-service.js'

/** What one recorded run did. */
export interface RecordedRun {
  /** The monitor after the run. */
  monitor: Monitor
  run: Omit<MonitorRun, 'id'>
  /** Whether the state changed, and why. */
  changed: boolean
  reason: string | null
}

/** A certificate warning not mailed yet, with what the admins' mail says about its monitor. */
export type UnsentWarning = CertificateWarning & { monitorName: string, target: string, issuer: string | null, names: string[] }

/** What a heartbeat call did: `unknown` and `limited` wrote nothing, nor did `paused`. */
export type HeartbeatAnswer = 'recorded' | 'unknown' | 'paused' | 'limited'

/** What a run brings, whatever made it (a check, a heartbeat call, a missed heartbeat). */
interface RunFacts {
  ok: boolean
  latencyMs: number | null
  statusCode: number | null
  error: string | null
  certificate: CheckOutcome['certificate']
}

/** At most one heartbeat call is recorded per monitor in this time: a job calling in a loop writes once a second. */
export const heartbeatSpacingMs = 1_000

/**
 * When a heartbeat monitor counts a call as missed: its period plus its grace after the last call or missed
 * period (its last run), or after it was created or resumed (the state's time, later than any run before
 * the pause); null for a paused one or another kind.
 */
export function heartbeatDeadline (monitor: Monitor): string | null {
  if (monitor.kind !== 'heartbeat' || monitor.paused) return null
  const since = monitor.lastRunAt !== null && monitor.lastRunAt > monitor.stateSince ? monitor.lastRunAt : monitor.stateSince
  return new Date(Date.parse(since) + (monitor.intervalS + monitor.settings.graceS) * 1000).toISOString()
}

/** Where the recording service reaches the services a monitor's change goes through, as a person's does. */
export interface MonitorRunsDependencies {
  components: ComponentService
  incidents: IncidentService
  drafts: DraftService
}

export class MonitorRuns {
  readonly #context: ServiceContext
  readonly #services: MonitorRunsDependencies

  constructor (context: ServiceContext, services: MonitorRunsDependencies) {
    this.#context = context
    this.#services = services
  }

  /** Every monitor, paused ones included (the scheduler passes them by). */
  list (): Monitor[] {
    return read(this.#context, () => this.#context.stores.monitors.all())
  }

  get (id: number): Monitor {
    const monitor = this.find(id)
    if (monitor === undefined) throw new NotFoundError(`no monitor with id ${id}`)
    return monitor
  }

  find (id: number): Monitor | undefined {
    return this.#context.stores.monitors.byId(id)
  }

  /**
   * Records a check's outcome (`at`: when it started) with everything it changes, in one write: the run, the
   * state and its counters, the state change and its reason, the certificate and its warning, and, when the
   * state changed, the component and the incident or draft (public writes nested in this one). Null when the
   * monitor was removed or paused while its check ran: nothing is recorded.
   */
  record (monitorId: number, outcome: CheckOutcome, at = nowIso(this.#context)): RecordedRun | null {
    return this.#record(monitorId, outcome, at, () => true)
  }

  /**
   * A heartbeat call (`ok` false: the job reported its own failure), found by the hash of its secret. Cheap
   * for what writes nothing: an unknown secret, a paused monitor, or a call within a second of the last run.
   */
  heartbeat (secretHash: string, ok: boolean): HeartbeatAnswer {
    const context = this.#context
    const { monitors } = context.stores
    const found = monitors.byHeartbeatHash(secretHash)
    if (found === undefined || found.kind !== 'heartbeat') return 'unknown'
    if (found.paused) return 'paused'
    const now = nowIso(context)
    const spaced = (monitor: Monitor): boolean => monitor.lastRunAt === null || Date.parse(now) - Date.parse(monitor.lastRunAt) >= heartbeatSpacingMs
    if (!spaced(found)) return 'limited'
    const facts: RunFacts = { ok, latencyMs: null, statusCode: null, error: ok ? null : 'the job reported a failure', certificate: null }
    // Checked again inside the write: two calls at once record one run.
    const recorded = this.#record(found.id, facts, now, spaced)
    return recorded === null ? 'limited' : 'recorded'
  }

  /**
   * A heartbeat's period and grace passed without a call: a down run, "no heartbeat since …". Null (nothing
   * written) when a call came in meanwhile, or the monitor was paused or removed.
   */
  missedHeartbeat (monitorId: number): RecordedRun | null {
    const context = this.#context
    const now = nowIso(context)
    let since = ''
    const due = (monitor: Monitor): boolean => {
      const deadline = heartbeatDeadline(monitor)
      if (deadline === null || deadline > now) return false
      since = monitor.lastRunAt !== null && monitor.lastRunAt > monitor.stateSince ? monitor.lastRunAt : monitor.stateSince
      return true
    }
    return this.#record(monitorId, () => ({ ok: false, latencyMs: null, statusCode: null, error: `no heartbeat since ${since}`, certificate: null }), now, due)
  }

  /** Removes runs and state changes older than the retention (90 days); worker bookkeeping, public pages show neither. */
  prune (): { runs: number, events: number } {
    const context = this.#context
    const before = new Date(context.clock().getTime() - monitorLimits.runRetentionDays * dayMs).toISOString()
    return write(context, () => context.stores.monitors.prune(before), { public: false })
  }

  /** The certificate warnings not mailed yet, oldest first, with their monitor's name, target and certificate. */
  unsentWarnings (): UnsentWarning[] {
    const { monitors } = this.#context.stores
    return read(this.#context, () => monitors.unsentWarnings().map((warning) => {
      // A warning goes with its monitor (ON DELETE CASCADE): read in one snapshot, its monitor is there.
      const monitor = monitors.byId(warning.monitorId) as Monitor
      const same = monitor.certificate?.fingerprint === warning.fingerprint ? monitor.certificate : null
      return { ...warning, monitorName: monitor.name, target: monitorTarget(monitor), issuer: same?.issuer ?? null, names: same?.names ?? [] }
    }))
  }

  /** A warning was mailed: worker bookkeeping, nothing public changes (straight to the store, as the outbox's attempts). */
  markWarningEmailed (id: number): void {
    this.#context.stores.monitors.markEmailed(id, nowIso(this.#context))
  }

  /** Refuses to run a heartbeat now: it has nothing to check, it waits for calls. */
  checkRunnable (monitor: Monitor): void {
    if (monitor.kind === 'heartbeat') throw new ConflictError(`${monitor.name} is a heartbeat: it is not run, it waits for calls to its URL`)
  }

  #record (monitorId: number, given: RunFacts | (() => RunFacts), at: string, still: (monitor: Monitor) => boolean): RecordedRun | null {
    const context = this.#context
    const { monitors, incidents } = context.stores
    return write(context, () => {
      const monitor = monitors.byId(monitorId)
      if (monitor === undefined || monitor.paused || !still(monitor)) return null
      const facts = typeof given === 'function' ? given() : given
      const result: RunResult = facts.latencyMs === null
        ? (facts.ok ? 'up' : 'down')
        : runResultOf({ ...facts, latencyMs: facts.latencyMs }, monitor.latencyLimitMs)
      const run: Omit<MonitorRun, 'id'> = {
        monitorId,
        at,
        result,
        latencyMs: facts.latencyMs,
        statusCode: facts.statusCode,
        error: facts.error,
        inMaintenance: monitor.componentId !== null && incidents.heldByMaintenance(monitor.componentId)
      }
      // Judged before this run is stored: the streak reads the runs before it (only between up and degraded).
      const earlier = (): RunResult[] => monitors.recentRuns(monitorId, Math.max(monitor.failureThreshold, monitor.successThreshold)).map((earlierRun) => earlierRun.result)
      const step = nextState(monitor, monitor, { result, streak: () => streakOf(result, earlier()), error: facts.error, latencyMs: facts.latencyMs })
      monitors.insertRun(run)
      const status = {
        state: step.state,
        stateSince: step.changed ? at : monitor.stateSince,
        failures: step.failures,
        successes: step.successes,
        lastRunAt: at,
        lastResult: result,
        lastLatencyMs: facts.latencyMs,
        lastError: facts.error
      }
      monitors.saveStatus(monitorId, status)
      if (facts.certificate !== null) this.#certificate(monitor, facts.certificate, at)
      // Most runs change no state: the monitor as now stored is the one read with what this run saved (a run
      // every few seconds per monitor, so it is not read and mapped again).
      if (!step.changed) return { monitor: { ...monitor, ...status, certificate: facts.certificate ?? monitor.certificate }, run, changed: false, reason: step.reason }
      const after = monitors.byId(monitorId) as Monitor
      const notes: string[] = []
      // A refused incident or draft (a rule of the incidents' own) must not lose the run: its nested write
      // is rolled back alone, and the state change says what went wrong.
      try {
        this.#incident(monitor, after, facts.error, at)
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error
        notes.push(`its ${after.incidentMode === 'draft' ? 'draft' : 'incident'} could not be written: ${error.message}`)
      }
      const held = this.#component(after.componentId, monitorActor(after.name), { monitor: after.name, reason: step.reason })
      if (held !== null) notes.push(held)
      const reason = notes.length === 0 ? step.reason as string : `${step.reason as string} (${notes.join('; ')})`
      monitors.insertEvent({ monitorId, at, oldState: monitor.state, newState: step.state, reason })
      return { monitor: monitors.byId(monitorId) as Monitor, run, changed: true, reason: step.reason }
    }, { public: false })
  }

  /** The certificate seen: its facts kept, and a warning for the smallest threshold its days left crossed. */
  #certificate (monitor: Monitor, certificate: NonNullable<CheckOutcome['certificate']>, at: string): void {
    const context = this.#context
    const { monitors } = context.stores
    const known = monitor.certificate
    if (known === null || known.fingerprint !== certificate.fingerprint || known.expiresAt !== certificate.expiresAt) {
      monitors.setCertificate(monitor.id, certificate)
    }
    const days = warningThreshold(daysLeft(certificate.expiresAt, context.clock()), monitor.certWarningDays)
    if (days === null) return
    const added = monitors.addWarning({ monitorId: monitor.id, fingerprint: certificate.fingerprint, days, expiresAt: certificate.expiresAt, createdAt: at })
    if (added) signalAfterCommit(context, 'certificateWarningsDue')
  }

  /**
   * The component after a change of state: the worst its unpaused monitors ask for, when a monitor may set it.
   * Returns why it was left as it is, for the state change's reason, or null.
   */
  #component (componentId: number | null, actor: string, detail: Record<string, unknown>): string | null {
    const context = this.#context
    const { components, monitors, incidents } = context.stores
    if (componentId === null) return null
    const component = components.get(componentId)
    if (component === undefined) return null
    const decision = automationDecision({
      status: component.status,
      monitorStatus: components.monitorStatus(component.id),
      heldByIncident: incidents.heldByOpenIncident(component.id),
      inMaintenance: incidents.heldByMaintenance(component.id)
    }, askedStatus(monitors.ofComponent(component.id)))
    if (decision.apply) {
      this.#services.components.setByMonitor(component.id, decision.status, actor, detail)
      return null
    }
    switch (decision.why) {
      case 'incident': return `${component.name} left as it is: an open incident names it`
      case 'maintenance': return `${component.name} left as it is: a maintenance in progress names it`
      case 'set-by-hand': return `${component.name} left as it is: its status was set by hand`
      default: return null
    }
  }

  /**
   * For the admin's monitor writes (pause, resume, removal, a change of component), inside their write: the
   * component as its unpaused monitors now ask, by the same rule as a change of state (a paused down monitor
   * no longer holds its component down, if a monitor set it and nobody changed it since). The audit names the
   * person. Returns why it was left as it is, or null.
   */
  settleComponent (componentId: number | null, actor: string): string | null {
    // Not a public write itself: the component's change, when there is one, is (ComponentService's own write).
    return write(this.#context, () => this.#component(componentId, actor, { reason: 'its monitors changed' }), { public: false })
  }

  /** The monitor's incident or draft, when it goes down or comes back. */
  #incident (before: Monitor, after: Monitor, error: string | null, at: string): void {
    if (after.incidentMode === 'off') return
    const { components, monitors, incidents } = this.#context.stores
    const actor = monitorActor(after.name)
    const wentDown = after.state === 'down'
    const recovered = before.state === 'down' && (after.state === 'up' || after.state === 'degraded')
    if (!wentDown && !recovered) return
    const component = after.componentId === null ? undefined : components.get(after.componentId)
    const affected = component === undefined ? {} : { [String(component.id)]: after.downStatus }
    if (after.incidentMode === 'draft') {
      const { drafts } = this.#services
      if (wentDown && after.draftId === null) {
        const text = downIncidentText(after, component?.name ?? null, error, at, 'draft')
        const draft = drafts.create({ ...text, components: affected }, actor, { monitorId: after.id })
        monitors.setDraft(after.id, draft.id)
      } else if (after.draftId !== null) {
        drafts.addNote(after.draftId, wentDown ? downAgainText(error, at) : recoveryText(after, at))
      }
      return
    }
    const open = after.incidentId === null ? undefined : incidents.byId(after.incidentId)
    const stillOpen = open !== undefined && open.resolvedAt === null
    if (wentDown && !stillOpen) {
      const text = downIncidentText(after, component?.name ?? null, error, at, 'public')
      const incident = this.#services.incidents.open({ ...text, components: affected }, actor)
      monitors.setIncident(after.id, incident.id)
    } else if (recovered && after.incidentId !== null) {
      if (stillOpen) this.#services.incidents.postUpdate(open.reference, { status: 'resolved', body: recoveryText(after, at) }, actor)
      monitors.setIncident(after.id, null)
    }
  }
}
