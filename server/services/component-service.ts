// The write paths of components: create one, change its fields or set its status by hand, reorder, delete.
import type { Component } from '../domain/model.js'
import type { ComponentStatus } from '../domain/statuses.js'
import { nameKey } from '../domain/text.js'
import { type ServiceContext, nowIso, write } from './context.js'
import { ConflictError, NotFoundError } from './errors.js'
import { recordComponentChange } from './notifications.js'

export interface NewComponentInput {
  name: string
  description?: string
  group?: string
  position?: number
}

export interface ComponentPatch {
  name?: string
  description?: string
  /** A group name; null takes the component out of its group. */
  group?: string | null
  position?: number
  status?: ComponentStatus
}

export type Direction = 'up' | 'down'

/** One place in an ordered list of the page: a group (with its components) or a component. */
type Slot = { kind: 'group', id: number } | { kind: 'component', id: number }

/** The page's top level in page order: groups that show (they have components) and components outside any group. */
function topLevelSlots (components: Component[]): Slot[] {
  const slots: Slot[] = []
  const seenGroups = new Set<number>()
  for (const component of components) {
    if (component.groupId === null) {
      slots.push({ kind: 'component', id: component.id })
    } else if (!seenGroups.has(component.groupId)) {
      seenGroups.add(component.groupId)
      slots.push({ kind: 'group', id: component.groupId })
    }
  }
  return slots
}

/** The slots with the one at `index` swapped with its neighbour; unchanged at either end. */
function swapped (slots: Slot[], index: number, direction: Direction): Slot[] {
  const other = direction === 'up' ? index - 1 : index + 1
  if (index < 0 || other < 0 || other >= slots.length) return slots
  const result = [...slots]
  ;[result[index], result[other]] = [result[other] as Slot, result[index] as Slot]
  return result
}

export class ComponentService {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  list (): Component[] {
    return this.#context.stores.components.list()
  }

  get (id: number): Component {
    const component = this.#context.stores.components.get(id)
    if (component === undefined) throw new NotFoundError(`no component with id ${id}`)
    return component
  }

  create (input: NewComponentInput, actor: string): Component {
    const context = this.#context
    const { components, audit } = context.stores
    const at = nowIso(context)
    const id = write(context, () => {
      const groupId = input.group === undefined ? null : components.ensureGroup(input.group, at)
      this.#checkNameFree(input.name, groupId, null)
      const id = components.insert({
        name: input.name,
        description: input.description ?? '',
        groupId,
        position: input.position ?? components.nextPosition(),
        at
      })
      audit.record({ at, actor, action: 'component.create', incidentId: null, detail: { id, name: input.name, group: input.group ?? null } })
      return id
    })
    return this.get(id)
  }

  /** Changes fields; a status set by hand is recorded in the history without an update. */
  patch (id: number, patch: ComponentPatch, actor: string): Component {
    const context = this.#context
    const { components, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const current = this.get(id)
      const groupId = patch.group === undefined
        ? undefined
        : patch.group === null ? null : components.ensureGroup(patch.group, at)
      const name = patch.name ?? current.name
      const group = groupId === undefined ? current.groupId : groupId
      // Only a new name or a move is checked: a duplicate from before the rule can still be described or set.
      if (nameKey(name) !== nameKey(current.name) || group !== current.groupId) this.#checkNameFree(name, group, id)
      components.update(current, { name: patch.name, description: patch.description, groupId, position: patch.position }, at)
      if (patch.status !== undefined && patch.status !== current.status) {
        this.#setStatus(current, patch.status, at)
      }
      audit.record({ at, actor, action: 'component.edit', incidentId: null, detail: { id, changes: patch } })
    })
    return this.get(id)
  }

  /**
   * A monitor's change of a component's status (the caller has checked it may: domain/monitor-automation.ts),
   * recorded as a person's is (history for uptime, subscribers told, audit with the monitor as actor), and
   * remembered as the monitor's, so that its recovery may put it back. Public: the page shows it.
   */
  setByMonitor (id: number, status: ComponentStatus, actor: string, detail: Record<string, unknown>): void {
    const context = this.#context
    const { components, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const current = this.get(id)
      if (current.status === status) return
      this.#setStatus(current, status, at)
      components.setMonitorStatus(id, status === 'operational' ? null : status)
      audit.record({ at, actor, action: 'component.monitor', incidentId: null, detail: { id, name: current.name, from: current.status, to: status, ...detail } })
    })
  }

  /**
   * Sets every component of a group to operational in one write (one audit entry, one history entry per
   * component that changed, none for one already operational), as an admin does when an outage is over.
   * Open incidents touching them are left as they are: still open, with their status, until someone
   * resolves them (that update is what tells readers); their references are returned so the caller can
   * say so. Throws NotFoundError for a group with no components.
   */
  setGroupOperational (groupId: number, actor: string): { group: string, changed: Component[], openIncidents: string[] } {
    const context = this.#context
    const { components, incidents, audit } = context.stores
    const at = nowIso(context)
    return write(context, () => {
      const members = components.list().filter((component) => component.groupId === groupId)
      const group = members[0]?.groupName
      if (group === undefined || group === null) throw new NotFoundError(`no group with id ${groupId}`)
      const changed = members.filter((component) => component.status !== 'operational')
      const ids = new Set(members.map((component) => component.id))
      const openIncidents = incidents.open()
        .filter((incident) => incidents.componentsOf(incident.id).some((component) => ids.has(component.id)))
        .map((incident) => incident.reference)
      // Nothing to change is no write to record (the content version still moves: harmless).
      if (changed.length === 0) return { group, changed, openIncidents }
      for (const component of changed) {
        this.#setStatus(component, 'operational', at)
      }
      audit.record({
        at,
        actor,
        action: 'group.operational',
        incidentId: null,
        detail: { id: groupId, name: group, changes: changed.map(({ id, name, status }) => ({ id, name, from: status })), openIncidents }
      })
      return { group, changed, openIncidents }
    })
  }

  /** Moves a component one place up or down among its neighbours: inside its group, or on the page's top level. */
  move (id: number, direction: Direction, actor: string): Component {
    const context = this.#context
    const { components, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const component = this.get(id)
      const all = components.list()
      const slots: Slot[] = component.groupId === null
        ? topLevelSlots(all)
        : all.filter((c) => c.groupId === component.groupId).map((c) => ({ kind: 'component', id: c.id }))
      const index = slots.findIndex((slot) => slot.kind === 'component' && slot.id === id)
      this.#renumber(swapped(slots, index, direction), at)
      audit.record({ at, actor, action: 'component.move', incidentId: null, detail: { id, name: component.name, direction } })
    })
    return this.get(id)
  }

  /** Moves a group (with its components) one place up or down on the page's top level. */
  moveGroup (groupId: number, direction: Direction, actor: string): void {
    const context = this.#context
    const { components, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const slots = topLevelSlots(components.list())
      const index = slots.findIndex((slot) => slot.kind === 'group' && slot.id === groupId)
      // A group without components is not on the page: there is nothing to move.
      if (index === -1) throw new NotFoundError(`no group with id ${groupId}`)
      this.#renumber(swapped(slots, index, direction), at)
      const group = components.listGroups().find((g) => g.id === groupId)
      audit.record({ at, actor, action: 'group.move', incidentId: null, detail: { id: groupId, name: group?.name ?? null, direction } })
    })
  }

  /**
   * Deletes a component: it leaves the page, the lists and the forms, but its row and status history stay,
   * so past incidents still name it.
   */
  remove (id: number, actor: string): Component {
    const context = this.#context
    const { components, audit } = context.stores
    const at = nowIso(context)
    return write(context, () => {
      const component = this.get(id)
      components.softDelete(id, at)
      audit.record({ at, actor, action: 'component.delete', incidentId: null, detail: { id, name: component.name } })
      return component
    })
  }

  /**
   * Inside a write: refuses a name that another component of the group (or of the page's top level, for
   * none) already has, compared as nameKey does, so a reader never sees two "Sign-in" side by side. A
   * rule of the service, not a unique index: nameKey's NFC is not SQLite's, and duplicates made before
   * the rule stay as they were (only a new one, or a rename into one, is refused).
   */
  #checkNameFree (name: string, groupId: number | null, self: number | null): void {
    const key = nameKey(name)
    const taken = this.#context.stores.components.list()
      .find((other) => other.id !== self && other.groupId === groupId && nameKey(other.name) === key)
    if (taken === undefined) return
    const where = taken.groupName === null ? 'outside any group' : `in the group ${taken.groupName}`
    throw new ConflictError(`a component named ${taken.name} already exists ${where}`, { field: 'name', rule: 'name-taken' })
  }

  /** Gives the slots positions 1, 2, 3... in their order, so no two share a position (ties would order by id). */
  #renumber (slots: Slot[], at: string): void {
    const { components } = this.#context.stores
    slots.forEach((slot, index) => {
      if (slot.kind === 'group') components.setGroupPosition(slot.id, index + 1, at)
      else components.setPosition(slot.id, index + 1, at)
    })
  }

  /**
   * A status set without an update (by hand, by a group's "all operational", by a monitor), inside a write:
   * the history keeps it for uptime, and subscribers are told, as for an update's change.
   */
  #setStatus (current: Component, status: ComponentStatus, at: string): void {
    const context = this.#context
    context.stores.components.setStatus(current.id, status, at)
    context.stores.statusHistory.insert({ componentId: current.id, updateId: null, oldStatus: current.status, newStatus: status, changedAt: at })
    recordComponentChange(context, { componentId: current.id, oldStatus: current.status, newStatus: status }, at)
  }
}
