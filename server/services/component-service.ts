// The write paths of components: create one, change its fields or set its status by hand.
import type { Component } from '../domain/model.js'
import type { ComponentStatus } from '../domain/statuses.js'
import { type ServiceContext, nowIso, write } from './context.js'
import { NotFoundError } from './errors.js'

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
    const { components, statusHistory, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const current = this.get(id)
      const groupId = patch.group === undefined
        ? undefined
        : patch.group === null ? null : components.ensureGroup(patch.group, at)
      components.update(current, { name: patch.name, description: patch.description, groupId, position: patch.position }, at)
      if (patch.status !== undefined && patch.status !== current.status) {
        components.setStatus(id, patch.status, at)
        statusHistory.insert({ componentId: id, updateId: null, oldStatus: current.status, newStatus: patch.status, changedAt: at })
      }
      audit.record({ at, actor, action: 'component.edit', incidentId: null, detail: { id, changes: patch } })
    })
    return this.get(id)
  }
}
