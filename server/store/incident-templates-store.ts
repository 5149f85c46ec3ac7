// Repository of incident templates: prepared statements and row mapping.
import type { Db } from '../db/open-database.js'
import type { IncidentTemplate, TemplateFields } from '../domain/incident-templates.js'
import { type ComponentStatus, type Impact, type IncidentStatus, componentStatuses } from '../domain/statuses.js'

interface TemplateRow {
  id: number
  name: string
  title: string
  body: string
  created_at: string
  updated_at: string
  status: IncidentStatus | null
  impact: Impact | null
  component_statuses: string
}

/** The stored JSON object of component statuses, each entry kept only when it is a status (the column checks the object, not its values). */
function parseComponentStatuses (json: string): Record<number, ComponentStatus> {
  const parsed = JSON.parse(json) as Record<string, unknown>
  const result: Record<number, ComponentStatus> = {}
  for (const [id, status] of Object.entries(parsed)) {
    if (componentStatuses.includes(status as ComponentStatus) && /^[1-9][0-9]*$/.test(id)) result[Number(id)] = status as ComponentStatus
  }
  return result
}

function toTemplate (row: TemplateRow): IncidentTemplate {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    body: row.body,
    status: row.status,
    impact: row.impact,
    componentStatuses: parseComponentStatuses(row.component_statuses),
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

/** The presets as stored: absent ones as NULL and an empty object. */
function presetColumns (fields: TemplateFields): [IncidentStatus | null, Impact | null, string] {
  return [fields.status ?? null, fields.impact ?? null, JSON.stringify(fields.componentStatuses ?? {})]
}

const columns = 'id, name, title, body, created_at, updated_at, status, impact, component_statuses'

export class IncidentTemplatesStore {
  readonly #list
  readonly #get
  readonly #byName
  readonly #insert
  readonly #update
  readonly #remove

  constructor (db: Db) {
    this.#list = db.prepare<[], TemplateRow>(`SELECT ${columns} FROM incident_templates ORDER BY name COLLATE NOCASE, id`)
    this.#get = db.prepare<[number], TemplateRow>(`SELECT ${columns} FROM incident_templates WHERE id = ?`)
    this.#byName = db.prepare<[string], TemplateRow>(`SELECT ${columns} FROM incident_templates WHERE name = ?`)
    this.#insert = db.prepare<[string, string, string, IncidentStatus | null, Impact | null, string, string, string]>(
      `INSERT INTO incident_templates (name, title, body, status, impact, component_statuses, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#update = db.prepare<[string, string, string, IncidentStatus | null, Impact | null, string, string, number]>(
      'UPDATE incident_templates SET name = ?, title = ?, body = ?, status = ?, impact = ?, component_statuses = ?, updated_at = ? WHERE id = ?')
    this.#remove = db.prepare<[number]>('DELETE FROM incident_templates WHERE id = ?')
  }

  /** Every template, by name. */
  list (): IncidentTemplate[] {
    return this.#list.all().map(toTemplate)
  }

  get (id: number): IncidentTemplate | undefined {
    const row = this.#get.get(id)
    return row === undefined ? undefined : toTemplate(row)
  }

  /** The template with this name, compared without case. */
  byName (name: string): IncidentTemplate | undefined {
    const row = this.#byName.get(name)
    return row === undefined ? undefined : toTemplate(row)
  }

  insert (fields: TemplateFields, at: string): number {
    return Number(this.#insert.run(fields.name, fields.title, fields.body, ...presetColumns(fields), at, at).lastInsertRowid)
  }

  update (id: number, fields: TemplateFields, at: string): void {
    this.#update.run(fields.name, fields.title, fields.body, ...presetColumns(fields), at, id)
  }

  /** True when a template was deleted. */
  remove (id: number): boolean {
    return this.#remove.run(id).changes > 0
  }
}
