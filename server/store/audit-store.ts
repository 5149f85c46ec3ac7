// Repository of the audit log: who did what, when, to which incident; listed newest first, filtered by actor and incident.
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/open-database.js'
import type { AuditEntry, AuditFilter, AuditPage } from '../domain/audit.js'

interface AuditRow {
  id: number
  at: string
  actor: string
  action: string
  incident_id: number | null
  detail: string
}

type FilterParams = { actor?: string, reference?: string }

function toEntry (row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    incidentId: row.incident_id,
    detail: JSON.parse(row.detail) as Record<string, unknown>
  }
}

// One statement per combination of filters rather than `(? IS NULL OR …)`, so that SQLite can use
// the incident index when filtering by incident.
type FilterKey = 'none' | 'actor' | 'reference' | 'both'

function filterKey (filter: AuditFilter): FilterKey {
  if (filter.actor !== undefined && filter.reference !== undefined) return 'both'
  if (filter.actor !== undefined) return 'actor'
  return filter.reference !== undefined ? 'reference' : 'none'
}

const whereOf: Record<FilterKey, string> = {
  none: '',
  actor: 'WHERE a.actor = @actor',
  reference: 'WHERE a.incident_id = (SELECT id FROM incidents WHERE reference = @reference)',
  both: 'WHERE a.actor = @actor AND a.incident_id = (SELECT id FROM incidents WHERE reference = @reference)'
}

export class AuditStore {
  readonly #insert
  readonly #list
  readonly #get
  readonly #actors
  readonly #pages = new Map<FilterKey, { rows: Statement<[FilterParams & { limit: number, offset: number }], AuditRow & { reference: string | null }>, count: Statement<[FilterParams], { n: number }> }>()

  constructor (db: Db) {
    this.#insert = db.prepare<[string, string, string, number | null, string]>(
      'INSERT INTO audit_log (at, actor, action, incident_id, detail) VALUES (?, ?, ?, ?, ?)')
    this.#list = db.prepare<[number], AuditRow>(
      'SELECT id, at, actor, action, incident_id, detail FROM audit_log ORDER BY id DESC LIMIT ?')
    this.#get = db.prepare<[number], AuditRow>('SELECT id, at, actor, action, incident_id, detail FROM audit_log WHERE id = ?')
    this.#actors = db.prepare<[], { actor: string }>('SELECT DISTINCT actor FROM audit_log ORDER BY actor')
    for (const key of Object.keys(whereOf) as FilterKey[]) {
      this.#pages.set(key, {
        rows: db.prepare(
          `SELECT a.id, a.at, a.actor, a.action, a.incident_id, a.detail, i.reference
           FROM audit_log a LEFT JOIN incidents i ON i.id = a.incident_id
           ${whereOf[key]} ORDER BY a.id DESC LIMIT @limit OFFSET @offset`),
        count: db.prepare(`SELECT COUNT(*) AS n FROM audit_log a ${whereOf[key]}`)
      })
    }
  }

  /** Adds an entry; returns its id (a page may show that entry later, after what it names is gone). */
  record (entry: Omit<AuditEntry, 'id'>): number {
    return Number(this.#insert.run(entry.at, entry.actor, entry.action, entry.incidentId, JSON.stringify(entry.detail)).lastInsertRowid)
  }

  get (id: number): AuditEntry | undefined {
    const row = this.#get.get(id)
    return row === undefined ? undefined : toEntry(row)
  }

  /** The newest entries first. */
  list (limit = 100): AuditEntry[] {
    return this.#list.all(limit).map(toEntry)
  }

  /** One page of the entries that match the filter, newest first, and how many match in all. */
  page (filter: AuditFilter, limit: number, offset: number): AuditPage {
    const statements = this.#pages.get(filterKey(filter))
    if (statements === undefined) throw new Error('no statement for this filter')
    // better-sqlite3 wants exactly the named parameters the statement uses.
    const params: FilterParams = {}
    if (filter.actor !== undefined) params.actor = filter.actor
    if (filter.reference !== undefined) params.reference = filter.reference
    return {
      entries: statements.rows.all({ ...params, limit, offset }).map((row) => ({ ...toEntry(row), reference: row.reference })),
      total: statements.count.get(params)?.n ?? 0
    }
  }

  /** Everyone who appears in the log, for the filter's choices. */
  actors (): string[] {
    return this.#actors.all().map((row) => row.actor)
  }
}
