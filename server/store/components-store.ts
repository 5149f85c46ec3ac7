// Repository of components and their groups: prepared statements and row mapping.
import type { Db } from '../db/open-database.js'
import type { Component, ComponentGroup } from '../domain/model.js'
import type { ComponentStatus } from '../domain/statuses.js'

interface ComponentRow {
  id: number
  name: string
  description: string
  group_id: number | null
  group_name: string | null
  position: number
  status: ComponentStatus
  created_at: string
  updated_at: string
}

function toComponent (row: ComponentRow): Component {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    groupId: row.group_id,
    groupName: row.group_name,
    position: row.position,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

const selectComponent = `
  SELECT c.id, c.name, c.description, c.group_id, g.name AS group_name, c.position, c.status, c.created_at, c.updated_at
  FROM components c LEFT JOIN component_groups g ON g.id = c.group_id`

// Page order: ungrouped components and groups interleave by position; inside a group, by position.
const pageOrder = 'ORDER BY COALESCE(g.position, c.position), COALESCE(g.id, 0), c.position, c.id'

export interface NewComponent {
  name: string
  description: string
  groupId: number | null
  position: number
  at: string
}

export interface ComponentChanges {
  name?: string
  description?: string
  groupId?: number | null
  position?: number
}

export class ComponentsStore {
  readonly #list
  readonly #get
  readonly #insert
  readonly #update
  readonly #setStatus
  readonly #setMonitorStatus
  readonly #monitorStatus
  readonly #groupByName
  readonly #insertGroup
  readonly #listGroups
  readonly #nextPosition
  readonly #softDelete
  readonly #setPosition
  readonly #setGroupPosition
  readonly #incidentCount

  constructor (db: Db) {
    this.#list = db.prepare<[], ComponentRow>(`${selectComponent} WHERE c.deleted_at IS NULL ${pageOrder}`)
    this.#get = db.prepare<[number], ComponentRow>(`${selectComponent} WHERE c.id = ? AND c.deleted_at IS NULL`)
    this.#insert = db.prepare<[string, string, number | null, number, string, string]>(
      'INSERT INTO components (name, description, group_id, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
    this.#update = db.prepare<[string, string, number | null, number, string, number]>(
      'UPDATE components SET name = ?, description = ?, group_id = ?, position = ?, updated_at = ? WHERE id = ?')
    // Any change of status but a monitor's own clears what a monitor set: a recovery then leaves it as it is.
    this.#setStatus = db.prepare<[ComponentStatus, string, number]>('UPDATE components SET status = ?, monitor_status = NULL, updated_at = ? WHERE id = ?')
    this.#setMonitorStatus = db.prepare<[ComponentStatus | null, number]>('UPDATE components SET monitor_status = ? WHERE id = ?')
    this.#monitorStatus = db.prepare<[number], { monitor_status: ComponentStatus | null }>('SELECT monitor_status FROM components WHERE id = ?')
    this.#groupByName = db.prepare<[string], { id: number, name: string, position: number }>(
      'SELECT id, name, position FROM component_groups WHERE name = ?')
    this.#insertGroup = db.prepare<[string, number, string, string]>(
      'INSERT INTO component_groups (name, position, created_at, updated_at) VALUES (?, ?, ?, ?)')
    this.#listGroups = db.prepare<[], ComponentGroup>(`SELECT id, name, position, created_at AS createdAt, updated_at AS updatedAt
       FROM component_groups ORDER BY position, id`)
    this.#nextPosition = db.prepare<[], { next: number }>(
      `SELECT COALESCE(MAX(p), 0) + 1 AS next FROM (
         SELECT position AS p FROM components WHERE deleted_at IS NULL UNION ALL SELECT position FROM component_groups)`)
    this.#softDelete = db.prepare<[string, string, number]>(
      'UPDATE components SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
    this.#setPosition = db.prepare<[number, string, number]>('UPDATE components SET position = ?, updated_at = ? WHERE id = ?')
    this.#setGroupPosition = db.prepare<[number, string, number]>('UPDATE component_groups SET position = ?, updated_at = ? WHERE id = ?')
    this.#incidentCount = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM incident_components WHERE component_id = ?')
  }

  list (): Component[] {
    return this.#list.all().map(toComponent)
  }

  get (id: number): Component | undefined {
    const row = this.#get.get(id)
    return row === undefined ? undefined : toComponent(row)
  }

  listGroups (): ComponentGroup[] {
    return this.#listGroups.all()
  }

  /** The next free position at the end of the page. */
  nextPosition (): number {
    return this.#nextPosition.get()?.next ?? 1
  }

  /** The id of the group with this name, created at the end of the page when it does not exist. */
  ensureGroup (name: string, at: string): number {
    const existing = this.#groupByName.get(name)
    if (existing !== undefined) return existing.id
    return Number(this.#insertGroup.run(name, this.nextPosition(), at, at).lastInsertRowid)
  }

  insert (component: NewComponent): number {
    const { name, description, groupId, position, at } = component
    return Number(this.#insert.run(name, description, groupId, position, at, at).lastInsertRowid)
  }

  update (current: Component, changes: ComponentChanges, at: string): void {
    this.#update.run(
      changes.name ?? current.name,
      changes.description ?? current.description,
      changes.groupId === undefined ? current.groupId : changes.groupId,
      changes.position ?? current.position,
      at,
      current.id)
  }

  /** Sets the status and forgets the one a monitor set (see setMonitorStatus). */
  setStatus (id: number, status: ComponentStatus, at: string): void {
    this.#setStatus.run(status, at, id)
  }

  /**
   * After setStatus, for a change a monitor made: remembers the status it set (null for operational), so that
   * its recovery puts the component back only while nobody changed it since.
   */
  setMonitorStatus (id: number, status: ComponentStatus | null): void {
    this.#setMonitorStatus.run(status, id)
  }

  /** The status a monitor set that is still shown, or null (none, or a person or an update changed it since). */
  monitorStatus (id: number): ComponentStatus | null {
    return this.#monitorStatus.get(id)?.monitor_status ?? null
  }

  /** Hides a component from lists and lookups; its row stays, so past incidents keep its name and history. */
  softDelete (id: number, at: string): void {
    this.#softDelete.run(at, at, id)
  }

  setPosition (id: number, position: number, at: string): void {
    this.#setPosition.run(position, at, id)
  }

  setGroupPosition (groupId: number, position: number, at: string): void {
    this.#setGroupPosition.run(position, at, groupId)
  }

  /** How many incidents have touched the component (they keep showing it after it is deleted). */
  incidentCount (id: number): number {
    return this.#incidentCount.get(id)?.n ?? 0
  }
}
