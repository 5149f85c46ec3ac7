// The page's top level in page order: components outside any group, and groups with their members and worst status.
import type { Component } from './model.js'
import { type ComponentStatus, worstComponentStatus } from './statuses.js'

export interface GroupEntry {
  kind: 'group'
  id: number
  name: string
  /** In page order; never empty, as a group without components is not on the page. */
  members: Component[]
  /** The worst status among the members. */
  status: ComponentStatus
}

export type PageEntry = { kind: 'component', component: Component } | GroupEntry

/**
 * Components in page order (ComponentsStore.list) as the page shows them: a group at the place of its first
 * member. Page order already keeps a group's members together; a map guards against it ever not doing so.
 */
export function pageLayout (components: Component[]): PageEntry[] {
  const entries: PageEntry[] = []
  const groups = new Map<number, GroupEntry>()
  for (const component of components) {
    if (component.groupId === null) {
      entries.push({ kind: 'component', component })
      continue
    }
    let group = groups.get(component.groupId)
    if (group === undefined) {
      group = { kind: 'group', id: component.groupId, name: component.groupName ?? '', members: [], status: 'operational' }
      groups.set(component.groupId, group)
      entries.push(group)
    }
    group.members.push(component)
  }
  for (const group of groups.values()) group.status = worstComponentStatus(group.members.map((member) => member.status))
  return entries
}
