// Repository of draft incidents (incident_drafts): prepared statements and row mapping.
import type { Db } from '../db/open-database.js'
import type { IncidentDraft } from '../domain/monitors.js'
import { type ComponentStatus, type Impact, componentStatuses } from '../domain/statuses.js'

interface DraftRow {
  id: number
  name: string
  body: string
  status: IncidentDraft['status']
  impact: Impact | null
  components: string
  monitor_id: number | null
  note: string | null
  created_by: string
  created_at: string
  updated_at: string
}

/** What a draft holds besides who made it and when. */
export interface DraftFields {
  name: string
  body: string
  status: IncidentDraft['status']
  impact: Impact | null
  components: Record<string, ComponentStatus>
}

export interface NewDraft extends DraftFields {
  monitorId: number | null
  note: string | null
  createdBy: string
  at: string
}

/** The stored object of component statuses; an entry that is no status or no id is passed over (the column checks the object only). */
function parseComponents (json: string): Record<string, ComponentStatus> {
  const parsed = JSON.parse(json) as Record<string, unknown>
  const result: Record<string, ComponentStatus> = {}
  for (const [id, status] of Object.entries(parsed)) {
    if (componentStatuses.includes(status as ComponentStatus) && /^[1-9][0-9]*$/.test(id)) result[id] = status as ComponentStatus
  }
  return result
}

function toDraft (row: DraftRow): IncidentDraft {
  return {
    id: row.id,
    name: row.name,
    body: row.body,
    status: row.status,
    impact: row.impact,
    components: parseComponents(row.components),
    monitorId: row.monitor_id,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

const columns = 'id, name, body, status, impact, components, monitor_id, note, created_by, created_at, updated_at'

export class DraftsStore {
  readonly #list
  readonly #get
  readonly #count
  readonly #insert
  readonly #update
  readonly #setNote
  readonly #remove

  constructor (db: Db) {
    this.#list = db.prepare<[], DraftRow>(`SELECT ${columns} FROM incident_drafts ORDER BY created_at DESC, id DESC`)
    this.#get = db.prepare<[number], DraftRow>(`SELECT ${columns} FROM incident_drafts WHERE id = ?`)
    this.#count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM incident_drafts')
    this.#insert = db.prepare<[string, string, string, Impact | null, string, number | null, string | null, string, string, string]>(
      `INSERT INTO incident_drafts (name, body, status, impact, components, monitor_id, note, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#update = db.prepare<[string, string, string, Impact | null, string, string, number]>(
      'UPDATE incident_drafts SET name = ?, body = ?, status = ?, impact = ?, components = ?, updated_at = ? WHERE id = ?')
    this.#setNote = db.prepare<[string | null, string, number]>('UPDATE incident_drafts SET note = ?, updated_at = ? WHERE id = ?')
    this.#remove = db.prepare<[number]>('DELETE FROM incident_drafts WHERE id = ?')
  }

  /** Every draft, newest first. */
  list (): IncidentDraft[] {
    return this.#list.all().map(toDraft)
  }

  get (id: number): IncidentDraft | undefined {
    const row = this.#get.get(id)
    return row === undefined ? undefined : toDraft(row)
  }

  count (): number {
    return (this.#count.get() as { n: number }).n
  }

  insert (draft: NewDraft): number {
    return Number(this.#insert.run(
      draft.name, draft.body, draft.status, draft.impact, JSON.stringify(draft.components),
      draft.monitorId, draft.note, draft.createdBy, draft.at, draft.at
    ).lastInsertRowid)
  }

  update (id: number, fields: DraftFields, at: string): void {
    this.#update.run(fields.name, fields.body, fields.status, fields.impact, JSON.stringify(fields.components), at, id)
  }

  setNote (id: number, note: string | null, at: string): void {
    this.#setNote.run(note, at, id)
  }

  /** True when a draft was deleted. */
  remove (id: number): boolean {
    return this.#remove.run(id).changes > 0
  }
}
