// View models of the components pages: the list in page order with its move buttons, the edit and delete pages.
import type { Component } from '../../domain/model.js'
import { componentStatusClass, componentStatusLabel } from '../format.js'
import { type FieldErrors, type OptionView, componentStatusOptions } from './form-view.js'

export interface ComponentValues {
  name: string
  description: string
  group: string
}

export interface ComponentRowView {
  id: number
  name: string
  description: string
  groupName: string | null
  statusLabel: string
  statusClass: string
  statusOptions: OptionView[]
  /** The quick status form's error, when it is shown again. */
  statusError: string | null
  canMoveUp: boolean
  canMoveDown: boolean
}

/** One entry of the page's top level: a component outside any group, or a group with its components. */
export interface ComponentSlotView {
  component: ComponentRowView | null
  /** allOperational: nothing for the "All operational" button to do. */
  group: { id: number, name: string, components: ComponentRowView[], canMoveUp: boolean, canMoveDown: boolean, allOperational: boolean } | null
}

export interface ComponentsPageView {
  slots: ComponentSlotView[]
  count: number
  groupNames: string[]
  create: { values: ComponentValues, errors: FieldErrors }
}

export interface ComponentsPageInput {
  /** In page order. */
  components: Component[]
  create: { values: ComponentValues, errors: FieldErrors }
  /** A quick status form shown again with its error. */
  failedStatus: { id: number, status: string, error: string } | null
}

export const emptyComponent: ComponentValues = { name: '', description: '', group: '' }

export function componentsPageView (input: ComponentsPageInput): ComponentsPageView {
  const { components, failedStatus } = input
  const row = (component: Component, index: number, siblings: number): ComponentRowView => {
    const failed = failedStatus?.id === component.id ? failedStatus : null
    return {
      id: component.id,
      name: component.name,
      description: component.description,
      groupName: component.groupName,
      statusLabel: componentStatusLabel(component.status),
      statusClass: componentStatusClass(component.status),
      statusOptions: componentStatusOptions(failed?.status ?? component.status),
      statusError: failed?.error ?? null,
      canMoveUp: index > 0,
      canMoveDown: index < siblings - 1
    }
  }
  // The top level in page order (the order ComponentService.move works on).
  const top: Array<{ component: Component } | { groupId: number, name: string, members: Component[] }> = []
  const groups = new Map<number, { groupId: number, name: string, members: Component[] }>()
  for (const component of components) {
    if (component.groupId === null) {
      top.push({ component })
      continue
    }
    let group = groups.get(component.groupId)
    if (group === undefined) {
      group = { groupId: component.groupId, name: component.groupName ?? '', members: [] }
      groups.set(component.groupId, group)
      top.push(group)
    }
    group.members.push(component)
  }
  return {
    slots: top.map((entry, index) => {
      const canMoveUp = index > 0
      const canMoveDown = index < top.length - 1
      if ('component' in entry) return { component: { ...row(entry.component, index, top.length), canMoveUp, canMoveDown }, group: null }
      return {
        component: null,
        group: {
          id: entry.groupId,
          name: entry.name,
          components: entry.members.map((member, i) => row(member, i, entry.members.length)),
          canMoveUp,
          canMoveDown,
          allOperational: entry.members.every((member) => member.status === 'operational')
        }
      }
    }),
    count: components.length,
    groupNames: [...groups.values()].map((group) => group.name),
    create: input.create
  }
}

export interface ComponentEditView {
  component: { id: number, name: string, statusLabel: string, statusClass: string }
  values: ComponentValues & { status: string }
  errors: FieldErrors
  statusOptions: OptionView[]
  groupNames: string[]
}

export function componentEditView (
  component: Component, all: Component[], values: ComponentValues & { status: string }, errors: FieldErrors
): ComponentEditView {
  return {
    component: { id: component.id, name: component.name, statusLabel: componentStatusLabel(component.status), statusClass: componentStatusClass(component.status) },
    values,
    errors,
    statusOptions: componentStatusOptions(values.status),
    groupNames: [...new Set(all.flatMap((c) => c.groupName === null ? [] : [c.groupName]))]
  }
}

export function componentValues (component: Component): ComponentValues & { status: string } {
  return { name: component.name, description: component.description, group: component.groupName ?? '', status: component.status }
}
