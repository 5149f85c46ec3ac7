// The write paths of scheduled maintenance: announce one, post its updates, move its window, and run it by the clock.
import type { Incident, IncidentWithUpdates, MaintenanceWindow } from '../domain/model.js'
import { isValidReference } from '../domain/references.js'
import { type ComponentStatus, type MaintenanceStatus, nextMaintenanceStatuses, statusUnderMaintenance } from '../domain/statuses.js'
import type { MaintenanceList } from '../store/incidents-store.js'
import { type ServiceContext, nowIso, read, signalAfterCommit, write } from './context.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'
import {
  checkDisplayAt, checkPostText, checkedDisplayAt, checkReference, checkedComponentId, checkedTime, insertRecord, nextReference, writeUpdate
} from './update-writer.js'

/** A maintenance as the service handles it: an incident whose window is set and whose status is a maintenance's. */
type Maintenance = Incident & { maintenance: MaintenanceWindow, status: MaintenanceStatus }

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

export class MaintenanceService {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  get (reference: string): IncidentWithUpdates {
    return this.#context.stores.incidents.withUpdates([this.#maintenance(reference)])[0] as IncidentWithUpdates
  }

  /** The maintenance with this reference and its updates; undefined when there is none (an incident's reference included). */
  find (reference: string): IncidentWithUpdates | undefined {
    const { incidents } = this.#context.stores
    if (!isValidReference(reference)) return undefined
    return read(this.#context, () => {
      const found = incidents.byReference(reference)
      return found?.maintenance === null ? undefined : incidents.withTimeline(found)
    })
  }

  /**
   * Upcoming (soonest first), active (in progress or verifying), completed (latest first) or all (newest first),
   * with their updates, from one snapshot (the admin list and the token API's).
   */
  list (which: MaintenanceList, limit?: number): IncidentWithUpdates[] {
    const { incidents } = this.#context.stores
    return read(this.#context, () => incidents.withUpdates(incidents.maintenances(which, limit)))
  }

  /** The reference a maintenance scheduled now without one would get (see nextReference): MAINTENANCE_PREFIX and its own sequence. */
  nextReference (): string {
    return nextReference(this.#context, 'preview', 'maintenance')
  }

  /** Announces a maintenance: its window, its components (untouched until it starts) and a first update. */
  schedule (input: ScheduleMaintenanceInput, actor: string): IncidentWithUpdates {
    const context = this.#context
    const { incidents, audit } = context.stores
    const at = nowIso(context)
    const scheduledFor = checkedTime(input.scheduledFor, 'scheduled_for')
    const scheduledUntil = checkedTime(input.scheduledUntil, 'scheduled_until')
    if (scheduledUntil <= scheduledFor) throw new InvalidInputError('scheduled_until must be after scheduled_for', { field: 'scheduled_until', rule: 'window-order' })
    if (scheduledUntil <= at) {
      throw new InvalidInputError('scheduled_until is in the past: a maintenance is announced before it ends', { field: 'scheduled_until', rule: 'window-past' })
    }
    const components = [...new Set((input.components ?? []).map((id) => checkedComponentId(context, id)))]
    checkPostText(input.postText)
    checkReference(input.reference)
    const window = { scheduledFor, scheduledUntil, autoStart: input.autoStart ?? true, autoComplete: input.autoComplete ?? true }
    const reference = write(context, () => {
      const maintenance = insertRecord(context, {
        reference: input.reference, name: input.name, impact: 'none', status: 'scheduled', startedAt: scheduledFor, at, maintenance: window
      })
      for (const componentId of components) incidents.linkComponent(maintenance.id, componentId)
      writeUpdate(context, maintenance, { body: input.body, status: 'scheduled', notify: input.notify, displayAt: at, postText: input.postText }, [], at)
      audit.record({
        at, actor, action: 'maintenance.schedule', incidentId: maintenance.id, detail: { reference: maintenance.reference, name: input.name, ...window, components }
      })
      this.#rearm()
      return maintenance.reference
    })
    return this.get(reference)
  }

  /**
   * Posts an update. Moving to `in_progress` from `scheduled` puts the components under maintenance (but
   * those in an outage, which keep showing it: statusUnderMaintenance);
   * moving to `completed` gives them back the statuses they had before it started. Moving to `cancelled`
   * (only from `scheduled`) calls it off: its components are untouched, the clock never starts it, and the
   * update is posted and cross-posted as any other.
   */
  postUpdate (reference: string, input: MaintenanceUpdateInput, actor: string): IncidentWithUpdates {
    const context = this.#context
    const at = nowIso(context)
    checkPostText(input.postText)
    const displayAt = checkedDisplayAt(input.displayAt, at)
    write(context, () => {
      const maintenance = this.#maintenance(reference)
      checkDisplayAt(maintenance, displayAt)
      this.#transition(maintenance, { ...input, status: input.status ?? maintenance.status, displayAt }, actor)
    })
    return this.get(reference)
  }

  /** Cancels a maintenance that has not started: an update with status `cancelled` (see postUpdate). */
  cancel (reference: string, input: Omit<MaintenanceUpdateInput, 'status'>, actor: string): IncidentWithUpdates {
    return this.postUpdate(reference, { ...input, status: 'cancelled' }, actor)
  }

  /** Renames it, moves its window or switches its automatic transitions; a completed or cancelled maintenance keeps its window. */
  reschedule (reference: string, changes: MaintenanceChanges, actor: string): IncidentWithUpdates {
    const context = this.#context
    const { incidents, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const maintenance = this.#maintenance(reference)
      const { maintenance: window, status } = maintenance
      // This refusal and the next one are about what the maintenance is now, not about one field: they name none.
      if ((status === 'completed' || status === 'cancelled') && (changes.scheduledFor !== undefined || changes.scheduledUntil !== undefined ||
        changes.autoStart !== undefined || changes.autoComplete !== undefined)) {
        throw new ConflictError(`maintenance ${maintenance.reference} is ${status}: its window can no longer change`)
      }
      // Once it has started, its start is a fact; its end may still move (the work runs late).
      const next = {
        scheduledFor: changes.scheduledFor === undefined ? window.scheduledFor : checkedTime(changes.scheduledFor, 'scheduled_for'),
        scheduledUntil: changes.scheduledUntil === undefined ? window.scheduledUntil : checkedTime(changes.scheduledUntil, 'scheduled_until'),
        autoStart: changes.autoStart ?? window.autoStart,
        autoComplete: changes.autoComplete ?? window.autoComplete
      }
      if (status !== 'scheduled' && next.scheduledFor !== window.scheduledFor) {
        throw new ConflictError(`maintenance ${maintenance.reference} has started: only its end can move`)
      }
      if (next.scheduledUntil <= next.scheduledFor) {
        // About the time that moved: the end, unless only the start did (moved past the end).
        const field = changes.scheduledUntil === undefined ? 'scheduled_for' : 'scheduled_until'
        throw new InvalidInputError('scheduled_until must be after scheduled_for', { field, rule: 'window-order' })
      }
      // As when announcing it: a new end already past would complete it at once, back-dated.
      if (next.scheduledUntil !== window.scheduledUntil && next.scheduledUntil <= at) {
        throw new InvalidInputError('scheduled_until is in the past: a maintenance can only be moved to end later than now', { field: 'scheduled_until', rule: 'window-past' })
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
        detail: { reference: maintenance.reference, before: { name: maintenance.name, ...window }, after: { name: changes.name ?? maintenance.name, ...next } }
      })
      this.#rearm()
    })
    return this.get(reference)
  }

  /**
   * Performs every transition the clock has made due: starts at the planned start, completes at the
   * planned end, each stamped with its planned time (see #automatic), so a restart after a missed
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
    const attempt = (reference: string, perform: (maintenance: Maintenance, window: MaintenanceWindow) => boolean): void => {
      try {
        write(context, () => {
          const maintenance = this.#maintenance(reference)
          if (perform(maintenance, maintenance.maintenance)) performed++
        })
      } catch (err) {
        failures.push(err)
      }
    }
    // Checked again inside each write: another process may have performed or moved it since the read.
    for (const { reference } of incidents.dueToStart(now)) {
      attempt(reference, (maintenance, window) => {
        if (maintenance.status !== 'scheduled' || !window.autoStart || window.scheduledFor > now) return false
        this.#transition(maintenance, { body: automaticBodies.start, status: 'in_progress', ...this.#automatic(maintenance, window.scheduledFor, now) }, clockActor)
        return true
      })
    }
    // Read after the starts: a maintenance whose whole window was missed has just started, and is due to complete.
    for (const { reference } of incidents.dueToComplete(now)) {
      attempt(reference, (maintenance, window) => {
        if (!window.autoComplete || window.scheduledUntil > now ||
          (maintenance.status !== 'in_progress' && maintenance.status !== 'verifying')) return false
        this.#transition(maintenance, { body: automaticBodies.complete, status: 'completed', ...this.#automatic(maintenance, window.scheduledUntil, now) }, clockActor)
        return true
      })
    }
    if (failures.length > 0) throw failures[0]
    return performed
  }

  /** The next time a transition is due by the clock, or null when none is planned. */
  nextDue (): string | null {
    return this.#context.stores.incidents.nextTransitionAt()
  }

  /** Inside a write: one update, with what its new status does to the components. */
  #transition (maintenance: Maintenance, input: MaintenanceUpdateInput & { status: MaintenanceStatus, displayAt: string }, actor: string): void {
    const context = this.#context
    const { audit } = context.stores
    const at = nowIso(context)
    const from = maintenance.status
    const to = input.status
    if (!nextMaintenanceStatuses[from].includes(to)) {
      throw new ConflictError(`maintenance ${maintenance.reference} is ${from}: it cannot become ${to}`, { field: 'status', rule: 'status-move' })
    }
    let changes: Array<[number, ComponentStatus]> = []
    let startedAt = maintenance.startedAt
    // Started, or cancelled before it started: either way it began, as history tells it, now.
    if (from === 'scheduled' && to !== 'scheduled') startedAt = input.displayAt
    if (from === 'scheduled' && to === 'in_progress') {
      // A component in an outage keeps showing it (no change is written, so completing restores nothing).
      const { components } = context.stores
      changes = this.#linkedComponents(maintenance).map((id) => [id, statusUnderMaintenance(components.get(id)?.status ?? 'operational')])
    } else if (from !== 'scheduled' && to === 'completed') {
      changes = this.#restoredStatuses(maintenance)
    }
    const updateId = writeUpdate(context, maintenance, input, changes, at, startedAt)
    // Cancelling is its own entry, so the log says plainly who called the work off.
    const action = to === 'cancelled' && from !== 'cancelled' ? 'maintenance.cancel' : 'maintenance.update'
    audit.record({ at, actor, action, incidentId: maintenance.id, detail: { reference: maintenance.reference, updateId, status: to } })
    if (from !== to) this.#rearm()
  }

  /**
   * The statuses the components go back to on completion: each one still under maintenance returns to
   * the status it had when a maintenance put it there, unless another maintenance running now holds it.
   * A component changed since (an incident during the work) keeps its current status.
   */
  #restoredStatuses (maintenance: Incident): Array<[number, ComponentStatus]> {
    const { components, incidents, statusHistory } = this.#context.stores
    const restored: Array<[number, ComponentStatus]> = []
    for (const id of this.#linkedComponents(maintenance)) {
      if (components.get(id)?.status !== 'under_maintenance' || incidents.heldByMaintenance(id, maintenance.id)) continue
      const before = statusHistory.statusBeforeMaintenance(id)
      if (before !== undefined) restored.push([id, before])
    }
    return restored
  }

  /** The maintenance's components that still exist. */
  #linkedComponents (maintenance: Incident): number[] {
    const { components, incidents } = this.#context.stores
    return incidents.componentsOf(maintenance.id).map(({ id }) => id).filter((id) => components.get(id) !== undefined)
  }

  /**
   * How an automatic update is posted: shown at its planned time, unless an update of the maintenance is
   * already shown later (announced after its start, started by hand after its end), then at that one's
   * time, so the timeline and the status history the uptime is computed from stay in order (an update
   * dated in the future does not count); cross-posted when the announcement was.
   */
  #automatic (maintenance: Incident, planned: string, now: string): { displayAt: string, notify: boolean } {
    const { firstNotify, latestShownAt } = this.#context.stores.incidents.timelineFacts(maintenance.id, now)
    return { displayAt: latestShownAt === null || latestShownAt <= planned ? planned : latestShownAt, notify: firstNotify }
  }

  #maintenance (reference: string): Maintenance {
    const found = this.#context.stores.incidents.byReference(reference)
    if (found === undefined || found.maintenance === null) throw new NotFoundError(`no maintenance with reference ${reference}`)
    return found as Maintenance
  }

  /** Inside a write: the maintenance clock re-arms once this commits, as the next due time may have moved. */
  #rearm (): void {
    signalAfterCommit(this.#context, 'maintenanceScheduleChanged')
  }
}
