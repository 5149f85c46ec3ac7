// The admins' write paths of monitors (create, change, pause, resume, remove, a heartbeat's secret, apply a file) and their lookups.
import { createHash, randomBytes } from 'node:crypto'
import {
  type ComponentLookup, type ComponentReference, type MonitorInput, changedFields, checkedMonitor, monitorInputOf,
  sharedMonitorFields, targetFields
} from '../domain/monitor-input.js'
import type { Component } from '../domain/model.js'
import type { CertificateWarning, Monitor, MonitorDefinition, MonitorEvent, MonitorRun } from '../domain/monitors.js'
import { nameKey } from '../domain/text.js'
import { type ServiceContext, nowIso, read, signalAfterCommit, write } from './context.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'

// Monitors are not on the public page: their writes leave the content version (a run that moves a component is public, elsewhere).
const adminOnly = { public: false } as const

/** What `herald monitors apply` did (or, on a dry run, would do). */
export interface ApplyReport {
  created: string[]
  /** Each changed monitor with the fields that changed, as the file names them. */
  updated: Array<{ name: string, fields: string[] }>
  unchanged: string[]
  /** With prune: the monitors the file does not name. */
  removed: string[]
  /** The secrets of the heartbeats that got one, shown this once (none on a dry run). */
  heartbeatSecrets: Array<{ name: string, secret: string }>
}

export interface ApplyOptions {
  /** Remove the monitors the file does not name. */
  prune: boolean
  /** Report without writing. */
  dryRun: boolean
}

/** A monitor with its definition in the external shape, and its component's name: what the token API shows. */
export interface DescribedMonitor {
  monitor: Monitor
  input: MonitorInput
  componentName: string | null
}

/** A refusal of one entry of an applied list: which entry, and the path of the field within it (for a file's line). */
export class ApplyInputError extends InvalidInputError {
  constructor (message: string, readonly index: number, readonly path: ReadonlyArray<string | number>, field: string) {
    super(message, { field })
  }
}

/** The SHA-256 (hex) under which a heartbeat's secret is stored and looked up. */
export function heartbeatSecretHash (secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

function newSecret (): string {
  return randomBytes(32).toString('base64url')
}

// SQLite's NOCASE, which the name column has, folds ASCII letters only: the same rule finds two entries of one name in a file.
function nameMatchKey (name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase())
}

/** Whether what the monitor watches changed (its kind, or a field that names its target): its verdict so far is void. */
function targetChanged (fields: readonly string[]): boolean {
  return fields.includes('kind') || fields.some((field) => targetFields.includes(field))
}

/** What the admin's writes ask of the monitors' recording: a component as its monitors now ask (MonitorRuns). */
export interface ComponentSettling {
  settleComponent: (componentId: number | null, actor: string) => unknown
}

export class MonitorService {
  readonly #context: ServiceContext
  readonly #settling: ComponentSettling

  constructor (context: ServiceContext, settling: ComponentSettling) {
    this.#context = context
    this.#settling = settling
  }

  /**
   * Inside a write that paused, resumed, removed, relinked or retargeted monitors: the components they left
   * or joined show what their monitors now ask, in this write, whichever process runs the checks (a paused
   * down monitor no longer holds its component down).
   */
  #settle (componentIds: ReadonlyArray<number | null>, actor: string): void {
    for (const id of new Set(componentIds)) this.#settling.settleComponent(id, actor)
  }

  /** Every monitor, by name. */
  list (): Monitor[] {
    return read(this.#context, () => this.#context.stores.monitors.all())
  }

  /** Every monitor with its latest runs (newest first), as of one moment: the admin's list and its sparklines. */
  listWithRuns (limit: number): { monitors: Monitor[], runs: Map<number, MonitorRun[]> } {
    return read(this.#context, () => {
      const { monitors } = this.#context.stores
      const all = monitors.all()
      return { monitors: all, runs: new Map(all.map((monitor) => [monitor.id, monitors.recentRuns(monitor.id, limit)])) }
    })
  }

  get (id: number): Monitor {
    const monitor = this.#context.stores.monitors.byId(id)
    if (monitor === undefined) throw new NotFoundError(`no monitor with id ${id}`)
    return monitor
  }

  /** The monitor of a name, whatever its case; undefined when none. */
  byName (name: string): Monitor | undefined {
    return this.#context.stores.monitors.byName(name)
  }

  /** A new monitor; a heartbeat's secret is returned this once (only its hash is kept). */
  create (input: unknown, actor: string): { monitor: Monitor, heartbeatSecret: string | null } {
    const context = this.#context
    const { monitors, audit } = context.stores
    const at = nowIso(context)
    const { id, secret } = write(context, () => {
      const definition = this.#checked(input)
      this.#checkNameFree(definition.name, null)
      const secret = definition.kind === 'heartbeat' ? newSecret() : null
      const id = monitors.insert(definition, secret === null ? null : heartbeatSecretHash(secret), at)
      audit.record({ at, actor, action: 'monitor.create', incidentId: null, detail: { id, name: definition.name, kind: definition.kind } })
      signalAfterCommit(context, 'monitorsChanged')
      return { id, secret }
    }, adminOnly)
    return { monitor: this.get(id), heartbeatSecret: secret }
  }

  /** Replaces the definition (as PUT): what the input leaves out takes its default. */
  update (id: number, input: unknown, actor: string): Monitor {
    const context = this.#context
    const at = nowIso(context)
    write(context, () => {
      const current = this.get(id)
      const definition = this.#checked(input)
      this.#checkNameFree(definition.name, id)
      const fields = this.#replace(current, definition, actor, at)
      if (fields.length > 0) {
        context.stores.audit.record({ at, actor, action: 'monitor.update', incidentId: null, detail: { id, name: definition.name, fields } })
        signalAfterCommit(context, 'monitorsChanged')
      }
    }, adminOnly)
    return this.get(id)
  }

  /**
   * Changes the fields given and keeps the others (as PATCH); `null` sets a field back to its default. A
   * change of kind keeps only the fields every kind has: the old kind's settings mean nothing to the new one.
   */
  patch (id: number, changes: Record<string, unknown>, actor: string): Monitor {
    const current = this.get(id)
    const shown = this.#inputOf(current) as unknown as Record<string, unknown>
    const kindChanges = changes.kind !== undefined && changes.kind !== current.kind
    const kept = kindChanges
      ? Object.fromEntries(Object.entries(shown).filter(([key]) => sharedMonitorFields.includes(key)))
      : shown
    const merged: Record<string, unknown> = { ...kept }
    // One way of naming the component at a time: the one the change gives wins.
    if ('component' in changes || 'component_id' in changes) {
      delete merged.component
      delete merged.component_id
    }
    for (const [key, value] of Object.entries(changes)) {
      if (value === null && key !== 'component' && key !== 'component_id') delete merged[key]
      else merged[key] = value
    }
    return this.update(id, merged, actor)
  }

  remove (id: number, actor: string): void {
    const context = this.#context
    const at = nowIso(context)
    write(context, () => {
      const current = this.get(id)
      context.stores.monitors.remove(id)
      this.#settle([current.componentId], actor)
      context.stores.audit.record({ at, actor, action: 'monitor.remove', incidentId: null, detail: { id, name: current.name } })
      signalAfterCommit(context, 'monitorsChanged')
    }, adminOnly)
  }

  /** Stops its checks (a heartbeat's calls are not judged); its state is kept for the record, shown as paused. */
  pause (id: number, actor: string): Monitor {
    return this.#setPaused(id, true, actor)
  }

  /** Starts it again with no verdict: pending, its counters at 0, so a run of failures from before counts for nothing. */
  resume (id: number, actor: string): Monitor {
    return this.#setPaused(id, false, actor)
  }

  /** A heartbeat's new secret, shown this once; the old one stops working. */
  newHeartbeatSecret (id: number, actor: string): string {
    const context = this.#context
    const at = nowIso(context)
    return write(context, () => {
      const current = this.get(id)
      if (current.kind !== 'heartbeat') throw new ConflictError(`monitor "${current.name}" is a ${current.kind} monitor: only a heartbeat has a secret`, { field: 'kind' })
      const secret = newSecret()
      context.stores.monitors.setHeartbeatHash(id, heartbeatSecretHash(secret), at)
      // The secret itself never reaches the audit log.
      context.stores.audit.record({ at, actor, action: 'monitor.secret', incidentId: null, detail: { id, name: current.name } })
      signalAfterCommit(context, 'monitorsChanged')
      return secret
    }, adminOnly)
  }

  /**
   * Makes the monitors what the list says, matched by name whatever its case, in one write: creates the new,
   * changes those that differ, leaves the same alone (so applying twice changes nothing the second time), and
   * with `prune` removes those the list does not name. A refused entry refuses the whole list (ApplyInputError).
   */
  apply (inputs: readonly unknown[], actor: string, options: ApplyOptions): ApplyReport {
    const context = this.#context
    const at = nowIso(context)
    const run = (): ApplyReport => {
      const { monitors, audit } = context.stores
      const definitions = this.#checkedList(inputs)
      const report: ApplyReport = { created: [], updated: [], unchanged: [], removed: [], heartbeatSecrets: [] }
      const named = new Set<number>()
      for (const definition of definitions) {
        const current = monitors.byName(definition.name)
        if (current === undefined) {
          report.created.push(definition.name)
          if (options.dryRun) continue
          const secret = definition.kind === 'heartbeat' ? newSecret() : null
          monitors.insert(definition, secret === null ? null : heartbeatSecretHash(secret), at)
          if (secret !== null) report.heartbeatSecrets.push({ name: definition.name, secret })
          continue
        }
        named.add(current.id)
        const fields = changedFields(current, definition)
        if (fields.length === 0) {
          report.unchanged.push(current.name)
          continue
        }
        report.updated.push({ name: definition.name, fields })
        if (options.dryRun) continue
        this.#replace(current, definition, actor, at)
        // A monitor that became a heartbeat needs a secret to be called with: given, and shown, now.
        if (definition.kind === 'heartbeat' && !current.hasHeartbeatSecret) {
          const secret = newSecret()
          monitors.setHeartbeatHash(current.id, heartbeatSecretHash(secret), at)
          report.heartbeatSecrets.push({ name: definition.name, secret })
        }
      }
      if (options.prune) {
        for (const monitor of monitors.all()) {
          if (named.has(monitor.id) || report.created.some((name) => nameMatchKey(name) === nameMatchKey(monitor.name))) continue
          report.removed.push(monitor.name)
          if (!options.dryRun) monitors.remove(monitor.id)
        }
      }
      const changed = report.created.length + report.updated.length + report.removed.length > 0
      if (changed && !options.dryRun) {
        audit.record({
          at,
          actor,
          action: 'monitor.apply',
          incidentId: null,
          detail: { created: report.created, updated: report.updated, removed: report.removed }
        })
        signalAfterCommit(context, 'monitorsChanged')
      }
      return report
    }
    return options.dryRun ? read(context, run) : write(context, run, adminOnly)
  }

  /** Every monitor in the external shape, by name, without secrets: what `herald monitors export` prints. */
  exportAll (): MonitorInput[] {
    return read(this.#context, () => this.#context.stores.monitors.all().map((monitor) => this.#inputOf(monitor)))
  }

  /** Every monitor (or the one of this id) with its external shape and its component's name, of one snapshot. */
  described (): DescribedMonitor[]
  described (id: number): DescribedMonitor
  described (id?: number): DescribedMonitor[] | DescribedMonitor {
    return read(this.#context, () => {
      const components = this.#context.stores.components.list()
      const describe = (monitor: Monitor): DescribedMonitor => ({
        monitor,
        input: this.#inputOf(monitor),
        componentName: components.find((component) => component.id === monitor.componentId)?.name ?? null
      })
      return id === undefined ? this.#context.stores.monitors.all().map(describe) : describe(this.get(id))
    })
  }

  /** The latest runs, newest first. */
  runs (id: number, limit: number): MonitorRun[] {
    return read(this.#context, () => {
      this.get(id)
      return this.#context.stores.monitors.recentRuns(id, limit)
    })
  }

  /** The latest state changes, newest first. */
  events (id: number, limit: number): MonitorEvent[] {
    return read(this.#context, () => {
      this.get(id)
      return this.#context.stores.monitors.events(id, limit)
    })
  }

  /** Its runs since then not in maintenance, and how many of them were up (degraded counts as up): the admin page's availability. */
  availability (id: number, since: string): { up: number, total: number } {
    return read(this.#context, () => {
      this.get(id)
      return this.#context.stores.monitors.availability(id, since)
    })
  }

  /** The certificate warnings not dismissed, soonest expiry first. */
  openWarnings (): Array<CertificateWarning & { monitorName: string }> {
    return this.#context.stores.monitors.openWarnings()
  }

  /** Takes a warning off the dashboard (it was seen); it is never raised again for the same certificate and days. */
  dismissWarning (id: number, actor: string): void {
    const context = this.#context
    const at = nowIso(context)
    write(context, () => {
      if (!context.stores.monitors.dismissWarning(id, at)) throw new NotFoundError(`no open certificate warning with id ${id}`)
      context.stores.audit.record({ at, actor, action: 'monitor.dismiss-warning', incidentId: null, detail: { id } })
    }, adminOnly)
  }

  #setPaused (id: number, paused: boolean, actor: string): Monitor {
    const context = this.#context
    const { monitors, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const current = this.get(id)
      if (current.paused === paused) return
      monitors.setPaused(id, paused, at)
      this.#recordPause(current, paused, actor, at)
      this.#settle([current.componentId], actor)
      audit.record({ at, actor, action: paused ? 'monitor.pause' : 'monitor.resume', incidentId: null, detail: { id, name: current.name } })
      signalAfterCommit(context, 'monitorsChanged')
    }, adminOnly)
    return this.get(id)
  }

  /** The state change of a pause or a resume; a resume starts over, pending with counters at 0. */
  #recordPause (current: Monitor, paused: boolean, actor: string, at: string): void {
    const { monitors } = this.#context.stores
    if (paused) {
      monitors.insertEvent({ monitorId: current.id, at, oldState: current.state, newState: 'paused', reason: `paused by ${actor}` })
      return
    }
    monitors.saveStatus(current.id, { ...current, state: 'pending', stateSince: at, failures: 0, successes: 0 })
    monitors.insertEvent({ monitorId: current.id, at, oldState: 'paused', newState: 'pending', reason: `resumed by ${actor}` })
  }

  /** Inside a write: stores a new definition over a monitor; returns the fields that changed. */
  #replace (current: Monitor, definition: MonitorDefinition, actor: string, at: string): string[] {
    const { monitors } = this.#context.stores
    const fields = changedFields(current, definition)
    if (fields.length === 0) return fields
    monitors.update(current.id, definition, at)
    if (current.kind === 'heartbeat' && definition.kind !== 'heartbeat') monitors.setHeartbeatHash(current.id, null, at)
    // What it watched is no longer what it watches: the verdict, the last run and the certificate were about the old target.
    const retarget = targetChanged(fields)
    const cleared = { state: 'pending', stateSince: at, failures: 0, successes: 0, lastRunAt: null, lastResult: null, lastLatencyMs: null, lastError: null } as const
    if (retarget) {
      monitors.saveStatus(current.id, cleared)
      monitors.setCertificate(current.id, null)
    }
    const base = retarget ? { ...current, ...cleared } : current
    if (current.paused !== definition.paused) {
      this.#recordPause(base, definition.paused, actor, at)
    } else if (retarget && !definition.paused) {
      monitors.insertEvent({ monitorId: current.id, at, oldState: current.state, newState: 'pending', reason: `what it checks was changed by ${actor}` })
    }
    this.#settle([current.componentId, definition.componentId], actor)
    return fields
  }

  #checked (input: unknown): MonitorDefinition {
    const result = checkedMonitor(input, this.#componentLookup())
    if (!result.ok) throw new InvalidInputError(`${result.field}: ${result.message}`, { field: result.field })
    return result.definition
  }

  #checkedList (inputs: readonly unknown[]): MonitorDefinition[] {
    const lookup = this.#componentLookup()
    const seen = new Map<string, number>()
    return inputs.map((input, index) => {
      const result = checkedMonitor(input, lookup)
      if (!result.ok) throw new ApplyInputError(`monitor ${index + 1}: ${result.field}: ${result.message}`, index, result.path, result.field)
      const key = nameMatchKey(result.definition.name)
      const first = seen.get(key)
      if (first !== undefined) {
        throw new ApplyInputError(`monitor ${index + 1}: name: "${result.definition.name}" is also the name of monitor ${first + 1}`, index, ['name'], 'name')
      }
      seen.set(key, index)
      return result.definition
    })
  }

  #checkNameFree (name: string, id: number | null): void {
    const other = this.#context.stores.monitors.byName(name)
    if (other !== undefined && other.id !== id) throw new ConflictError(`name: a monitor named "${other.name}" already exists`, { field: 'name' })
  }

  /** Components by name as people type it (case and spacing aside), and by id. */
  #componentLookup (): ComponentLookup {
    const components = this.#context.stores.components.list()
    return {
      idOf: (name) => {
        const matches = components.filter((component) => nameKey(component.name) === nameKey(name))
        if (matches.length === 0) return null
        return matches.length > 1 ? 'ambiguous' : (matches[0] as { id: number }).id
      },
      exists: (id) => components.some((component) => component.id === id)
    }
  }

  #inputOf (monitor: Monitor): MonitorInput {
    const components = this.#context.stores.components.list()
    const reference = (id: number): ComponentReference => {
      // The column is a foreign key (ON DELETE SET NULL): the component is there.
      const component = components.find((candidate) => candidate.id === id) as Component
      const namesake = components.filter((other) => nameKey(other.name) === nameKey(component.name))
      return namesake.length === 1 ? { component: component.name } : { component_id: id }
    }
    return monitorInputOf(monitor, reference)
  }
}
