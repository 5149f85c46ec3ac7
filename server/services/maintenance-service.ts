// The write paths of scheduled maintenance: announce one, post its updates, move its window, and run it by the clock.
import type { Incident, MaintenanceWindow } from '../domain/model.js'
import { isValidReference } from '../domain/references.js'
import { type ComponentStatus, type MaintenanceStatus, nextMaintenanceStatuses } from '../domain/statuses.js'
import type { IncidentWithPostTexts } from './incident-service.js'
import { type ServiceContext, afterCommit, nowIso, write } from './context.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'
import { checkPostText, nextReference, writeUpdate } from './update-writer.js'

export interface ScheduleMaintenanceInput {
  name: string
  /** The announcement, posted as the first update (status `scheduled`). */
  body: string
  scheduledFor: string
  scheduledUntil: string
  /** The components the work affects: under maintenance while it runs. */
  components?: number[]
  reference?: string
  /** Start by itself at scheduledFor; true by default. */
  autoStart?: boolean
  /** Complete by itself at scheduledUntil; true by default. */
  autoComplete?: boolean
  /** Cross-post the announcement and the automatic updates; true by default. */
  notify?: boolean
  postText?: string | null
}

export interface MaintenanceUpdateInput {
  body: string
  /** The maintenance's new status; its current one when absent (a note). */
  status?: MaintenanceStatus
  notify?: boolean
  displayAt?: string
  postText?: string | null
}

export interface MaintenanceChanges {
  name?: string
  scheduledFor?: string
  scheduledUntil?: string
  autoStart?: boolean
  autoComplete?: boolean
}

/** Statuspage's words for the updates its clock posts, so readers of both see the same thing. */
export const automaticBodies = {
  start: 'Scheduled maintenance is currently in progress. We will provide updates as necessary.',
  complete: 'The scheduled maintenance has been completed.'
} as const

/** Who the audit log names for the transitions the clock makes. */
export const clockActor = 'clock'

function isoTime (text: string, field: string): string {
  const time = new Date(text)
  if (Number.isNaN(time.getTime()) || !dayExists(text)) throw new InvalidInputError(`${field} is not a time that exists`)
  return time.toISOString()
}

// Date rolls 2021-02-30 over into March instead of refusing it: the day is checked against its month.
function dayExists (text: string): boolean {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(text)
  if (date === null) return true
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])]
  const check = new Date(Date.UTC(year, month - 1, day))
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day
}

export class MaintenanceService {
  readonly #context: ServiceContext
  readonly #get: (reference: string) => IncidentWithPostTexts

  /** `get` is the incident service's: a maintenance is read like any incident, with its post texts. */
  constructor (context: ServiceContext, get: (reference: string) => IncidentWithPostTexts) {
    this.#context = context
    this.#get = get
  }

  get (reference: string): IncidentWithPostTexts {
    // Looked up here first, so that an unknown reference is "no maintenance", not "no incident".
    this.#maintenance(reference)
    return this.#get(reference)
  }

  /** Announces a maintenance: its window, its components (untouched until it starts) and a first update. */
  schedule (input: ScheduleMaintenanceInput, actor: string): IncidentWithPostTexts {
    const context = this.#context
    const { incidents, audit } = context.stores
    const at = nowIso(context)
    const scheduledFor = isoTime(input.scheduledFor, 'scheduled_for')
    const scheduledUntil = isoTime(input.scheduledUntil, 'scheduled_until')
    if (scheduledUntil <= scheduledFor) throw new InvalidInputError('scheduled_until must be after scheduled_for')
    if (scheduledUntil <= at) throw new InvalidInputError('scheduled_until is in the past: a maintenance is announced before it ends')
    const components = this.#checkComponents(input.components ?? [])
    checkPostText(input.postText)
    if (input.reference !== undefined && !isValidReference(input.reference)) {
      throw new InvalidInputError('reference must be 2 to 32 letters and digits')
    }
    const window = { scheduledFor, scheduledUntil, autoStart: input.autoStart ?? true, autoComplete: input.autoComplete ?? true }
    const reference = write(context, () => {
      const reference = input.reference ?? nextReference(context)
      if (incidents.referenceTaken(reference)) throw new ConflictError(`an incident with reference ${reference} already exists`)
      const id = incidents.insert({ reference, name: input.name, impact: 'none', status: 'scheduled', startedAt: scheduledFor, at, maintenance: window })
      const maintenance = incidents.byId(id) as Incident
      for (const componentId of components) incidents.linkComponent(id, componentId)
      writeUpdate(context, maintenance, { body: input.body, status: 'scheduled', notify: input.notify, displayAt: at, postText: input.postText }, [], at)
      audit.record({ at, actor, action: 'maintenance.schedule', incidentId: id, detail: { reference, name: input.name, ...window, components } })
      this.#rearm()
      return reference
    })
    return this.get(reference)
  }

  /**
   * Posts an update. Moving to `in_progress` from `scheduled` puts the components under maintenance;
   * moving to `completed` gives them back the statuses they had before it started.
   */
  postUpdate (reference: string, input: MaintenanceUpdateInput, actor: string): IncidentWithPostTexts {
    const context = this.#context
    const at = nowIso(context)
    checkPostText(input.postText)
    const displayAt = input.displayAt === undefined ? at : isoTime(input.displayAt, 'display_at')
    write(context, () => {
      const maintenance = this.#maintenance(reference)
      const status = input.status ?? (maintenance.status as MaintenanceStatus)
      this.#transition(maintenance, { ...input, status, displayAt }, actor, at)
    })
    return this.get(reference)
  }

  /** Renames it, moves its window or switches its automatic transitions; a completed maintenance keeps its window. */
  reschedule (reference: string, changes: MaintenanceChanges, actor: string): IncidentWithPostTexts {
    const context = this.#context
    const { incidents, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const maintenance = this.#maintenance(reference)
      const window = maintenance.maintenance as NonNullable<Incident['maintenance']>
      const status = maintenance.status as MaintenanceStatus
      if (status === 'completed' && (changes.scheduledFor !== undefined || changes.scheduledUntil !== undefined ||
        changes.autoStart !== undefined || changes.autoComplete !== undefined)) {
        throw new ConflictError(`maintenance ${maintenance.reference} is completed: its window can no longer change`)
      }
      // Once it has started, its start is a fact; its end may still move (the work runs late).
      if (status !== 'scheduled' && changes.scheduledFor !== undefined && isoTime(changes.scheduledFor, 'scheduled_for') !== window.scheduledFor) {
        throw new ConflictError(`maintenance ${maintenance.reference} has started: only its end can move`)
      }
      const next = {
        scheduledFor: changes.scheduledFor === undefined ? window.scheduledFor : isoTime(changes.scheduledFor, 'scheduled_for'),
        scheduledUntil: changes.scheduledUntil === undefined ? window.scheduledUntil : isoTime(changes.scheduledUntil, 'scheduled_until'),
        autoStart: changes.autoStart ?? window.autoStart,
        autoComplete: changes.autoComplete ?? window.autoComplete
      }
      if (next.scheduledUntil <= next.scheduledFor) throw new InvalidInputError('scheduled_until must be after scheduled_for')
      // As when announcing it: a new end already past would complete it at once, back-dated.
      if (next.scheduledUntil !== window.scheduledUntil && next.scheduledUntil <= at) {
        throw new InvalidInputError('scheduled_until is in the past: a maintenance can only be moved to end later than now')
      }
      incidents.save({
        ...maintenance,
        name: changes.name ?? maintenance.name,
        startedAt: status === 'scheduled' ? next.scheduledFor : maintenance.startedAt,
        maintenance: next,
        updatedAt: at
      })
      audit.record({
        at,
        actor,
        action: 'maintenance.reschedule',
        incidentId: maintenance.id,
        detail: { reference: maintenance.reference, before: { name: maintenance.name, ...window }, after: changes }
      })
      this.#rearm()
    })
    return this.get(reference)
  }

  /**
   * Performs every transition the clock has made due: starts at the planned start, completes at the
   * planned end, each stamped with its planned time (see #automaticTime), so a restart after a missed
   * transition performs it once, as it would have been. Each runs in its own transaction and checks its
   * status again inside it, so two processes running this together perform each once. Returns how many
   * it performed; when one failed, the others are performed and then the first failure is thrown.
   */
  runDue (): number {
    const context = this.#context
    const { incidents } = context.stores
    const now = nowIso(context)
    let performed = 0
    const failures: unknown[] = []
    // One failing transition (a bug, a full disk) must not hold up the others: each is tried, then the
    // first failure is thrown for the caller to log and retry.
    const attempt = (reference: string, perform: (maintenance: Incident, window: MaintenanceWindow) => boolean): void => {
      try {
        write(context, () => {
          const maintenance = incidents.byReference(reference)
          if (maintenance?.maintenance == null) return
          if (perform(maintenance, maintenance.maintenance)) performed++
        })
      } catch (err) {
        failures.push(err)
      }
    }
    // Checked again inside each write: another process may have performed or moved it since the read.
    for (const { reference } of incidents.dueTransitions(now).start) {
      attempt(reference, (maintenance, window) => {
        if (maintenance.status !== 'scheduled' || !window.autoStart || window.scheduledFor > now) return false
        this.#transition(maintenance, {
          body: automaticBodies.start,
          status: 'in_progress',
          notify: this.#notifies(maintenance),
          displayAt: this.#automaticTime(maintenance, window.scheduledFor, now)
        }, clockActor, nowIso(context))
        return true
      })
    }
    // Read again: a maintenance whose whole window was missed has just started, and is due to complete.
    for (const { reference } of incidents.dueTransitions(now).complete) {
      attempt(reference, (maintenance, window) => {
        if (!window.autoComplete || window.scheduledUntil > now ||
          (maintenance.status !== 'in_progress' && maintenance.status !== 'verifying')) return false
        this.#transition(maintenance, {
          body: automaticBodies.complete,
          status: 'completed',
          notify: this.#notifies(maintenance),
          displayAt: this.#automaticTime(maintenance, window.scheduledUntil, now)
        }, clockActor, nowIso(context))
        return true
      })
    }
    if (failures.length > 0) throw failures[0]
    return performed
  }

  /** The next time a transition is due by the clock, or null when none is planned. */
  nextDue (): string | null {
    const { incidents } = this.#context.stores
    const times = [
      ...incidents.maintenances('upcoming').filter((m) => m.maintenance?.autoStart === true).map((m) => m.maintenance?.scheduledFor),
      ...incidents.maintenances('active').filter((m) => m.maintenance?.autoComplete === true).map((m) => m.maintenance?.scheduledUntil)
    ].filter((time): time is string => time !== undefined)
    return times.length === 0 ? null : times.reduce((a, b) => (a < b ? a : b))
  }

  /** Inside a write: one update, with what its new status does to the components. */
  #transition (maintenance: Incident, input: MaintenanceUpdateInput & { status: MaintenanceStatus, displayAt: string }, actor: string, at: string): void {
    const context = this.#context
    const { audit } = context.stores
    const from = maintenance.status as MaintenanceStatus
    const to = input.status
    if (!nextMaintenanceStatuses[from].includes(to)) {
      throw new ConflictError(`maintenance ${maintenance.reference} is ${from}: it cannot become ${to}`)
    }
    let changes: Array<[number, ComponentStatus]> = []
    let startedAt = maintenance.startedAt
    if (from === 'scheduled' && to === 'in_progress') {
      changes = this.#linkedComponents(maintenance).map((id) => [id, 'under_maintenance'])
      startedAt = input.displayAt
    } else if (from !== 'scheduled' && to === 'completed') {
      changes = this.#restoredStatuses(maintenance)
    }
    const updateId = writeUpdate(context, maintenance, input, changes, at, startedAt)
    audit.record({ at, actor, action: 'maintenance.update', incidentId: maintenance.id, detail: { reference: maintenance.reference, updateId, status: to } })
    if (from !== to) this.#rearm()
  }

  /**
   * The statuses the components go back to on completion: each one still under maintenance returns to
   * the status it had when this maintenance started, unless another maintenance running now holds it.
   * A component changed since (an incident during the work) keeps its current status.
   */
  #restoredStatuses (maintenance: Incident): Array<[number, ComponentStatus]> {
    const { components, incidents } = this.#context.stores
    const heldByOthers = new Set(incidents.maintenances('active')
      .filter((other) => other.id !== maintenance.id)
      .flatMap((other) => incidents.componentsOf(other.id).map(({ id }) => id)))
    const restored: Array<[number, ComponentStatus]> = []
    let started: Incident[] | undefined
    for (const id of this.#linkedComponents(maintenance)) {
      if (components.get(id)?.status !== 'under_maintenance' || heldByOthers.has(id)) continue
      started ??= incidents.maintenances('all').filter((other) => other.status !== 'scheduled')
      const before = this.#statusBefore(id, maintenance, started, new Set())
      if (before === undefined) continue
      restored.push([id, before === 'under_maintenance' ? 'operational' : before])
    }
    return restored
  }

  /**
   * The status a component had before a maintenance held it: recorded when its start put the component
   * under maintenance; otherwise the component was already held by an overlapping maintenance that
   * started earlier and, completing first, left it to this one, so that one's status before counts
   * (through any chain of overlaps). Undefined when no maintenance put it there (set by hand): it stays.
   */
  #statusBefore (componentId: number, maintenance: Incident, started: Incident[], seen: Set<number>): ComponentStatus | undefined {
    const { incidents, statusHistory } = this.#context.stores
    const own = statusHistory.statusBeforeMaintenance(componentId, maintenance.id)
    if (own !== undefined) return own
    seen.add(maintenance.id)
    const holders = started
      .filter((other) => !seen.has(other.id) && other.startedAt <= maintenance.startedAt &&
        (other.resolvedAt === null || other.resolvedAt >= maintenance.startedAt))
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id - a.id))
    for (const other of holders) {
      if (!incidents.componentsOf(other.id).some(({ id }) => id === componentId)) continue
      // A maintenance cancelled before it started held nothing.
      if (!(incidents.withUpdates([other])[0]?.updates.some((update) => update.status === 'in_progress') ?? false)) continue
      const before = this.#statusBefore(componentId, other, started, seen)
      if (before !== undefined) return before
    }
    return undefined
  }

  /** The maintenance's components that still exist. */
  #linkedComponents (maintenance: Incident): number[] {
    const { components, incidents } = this.#context.stores
    return incidents.componentsOf(maintenance.id).map(({ id }) => id).filter((id) => components.get(id) !== undefined)
  }

  /**
   * The time an automatic transition is shown at: its planned time, unless an update of the maintenance
   * is already shown later (announced after its start, started by hand after its end); then that one's
   * time, so the timeline and the status history the uptime is computed from stay in order. An update
   * dated in the future does not count.
   */
  #automaticTime (maintenance: Incident, planned: string, now: string): string {
    const latest = this.#context.stores.incidents.withUpdates([maintenance])[0]?.updates[0]?.displayAt
    return latest === undefined || latest > now || latest <= planned ? planned : latest
  }

  /** Automatic updates are cross-posted when the announcement was. */
  #notifies (maintenance: Incident): boolean {
    const { incidents } = this.#context.stores
    return incidents.withUpdates([maintenance])[0]?.updates.at(-1)?.notify ?? true
  }

  #maintenance (reference: string): Incident {
    const found = this.#context.stores.incidents.byReference(reference)
    if (found === undefined || found.maintenance === null) throw new NotFoundError(`no maintenance with reference ${reference}`)
    return found
  }

  #checkComponents (ids: number[]): number[] {
    const { components } = this.#context.stores
    for (const id of ids) {
      if (!Number.isSafeInteger(id) || components.get(id) === undefined) throw new InvalidInputError(`components: no component with id ${id}`)
    }
    return [...new Set(ids)]
  }

  /** Inside a write: the maintenance clock re-arms once this commits, as the next due time may have moved. */
  #rearm (): void {
    const clock = this.#context.maintenanceClock
    if (clock !== undefined) afterCommit(this.#context, () => clock.wake())
  }
}
