// Repository of the audit log: who did what, when, to which incident.
import type { Db } from '../db/open-database.js'

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  incidentId: number | null
  detail: Record<string, unknown>
}

interface AuditRow {
  id: number
  at: string
  actor: string
  action: string
  incident_id: number | null
  detail: string
}

export class AuditStore {
  readonly #insert
  readonly #list

  constructor (db: Db) {
    this.#insert = db.prepare<[string, string, string, number | null, string]>(
      'INSERT INTO audit_log (at, actor, action, incident_id, detail) VALUES (?, ?, ?, ?, ?)')
    this.#list = db.prepare<[number], AuditRow>(
      'SELECT id, at, actor, action, incident_id, detail FROM audit_log ORDER BY id DESC LIMIT ?')
  }

  record (entry: Omit<AuditEntry, 'id'>): void {
    this.#insert.run(entry.at, entry.actor, entry.action, entry.incidentId, JSON.stringify(entry.detail))
  }

  /** The newest entries first. */
  list (limit = 100): AuditEntry[] {
    return this.#list.all(limit).map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      incidentId: row.incident_id,
      detail: JSON.parse(row.detail) as Record<string, unknown>
    }))
  }
}
