// Read-only queries about the page as a whole: when anything on it last changed, and digests of what each page shows.
import type { Db } from '../db/open-database.js'

/** An incident (or maintenance) and a digest of everything its own page shows but component names. */
export interface IncidentDigest {
  reference: string
  /** Whether the history lists it (a maintenance not started yet is not listed). */
  inHistory: boolean
  digest: string
}

export class PageStore {
  readonly #lastChange
  readonly #incidentDigests
  readonly #componentsDigest

  constructor (db: Db) {
    // Times are stored as UTC ISO strings of one length, so the greatest string is the latest time.
    // A deleted component counts: its deletion is a change of the page.
    this.#lastChange = db.prepare<[], { at: string | null }>(
      `SELECT MAX(at) AS at FROM (
         SELECT MAX(updated_at) AS at FROM components
         UNION ALL SELECT MAX(updated_at) FROM component_groups
         UNION ALL SELECT MAX(updated_at) FROM incidents
         UNION ALL SELECT MAX(updated_at) FROM updates)`)
    // Every column of the incident, and each update's id and last edit: a new update, an edited text, a
    // changed status or window all change it. Status changes are written with their update and never change.
    // In the history's order and with its filter (IncidentsStore.page), so the pages can be cut from it.
    this.#incidentDigests = db.prepare<[], { reference: string, in_history: number, digest: string }>(
      `SELECT i.reference, i.status <> 'scheduled' AS in_history,
         json_array(i.id, i.kind, i.name, i.impact, i.status, i.updated_at, i.started_at, i.monitoring_at, i.resolved_at,
           i.scheduled_for, i.scheduled_until, i.auto_start, i.auto_complete,
           (SELECT json_group_array(json_array(u.id, u.updated_at)) FROM updates u WHERE u.incident_id = i.id),
           (SELECT json_group_array(ic.component_id) FROM incident_components ic WHERE ic.incident_id = i.id)) AS digest
       FROM incidents i ORDER BY i.started_at DESC, i.id DESC`)
    // Names, order and groups: what an incident page shows of the components it names.
    this.#componentsDigest = db.prepare<[], { digest: string }>(
      `SELECT json_array(
         (SELECT json_group_array(json_array(id, name, group_id, position, deleted_at)) FROM components),
         (SELECT json_group_array(json_array(id, name, position)) FROM component_groups)) AS digest`)
  }

  /** The time of the latest change to a component, a group, an incident or an update; undefined on an empty page. */
  lastChange (): string | undefined {
    return this.#lastChange.get()?.at ?? undefined
  }

  /** Every incident and maintenance, newest first as the history lists them, each with the digest of its page. */
  incidentDigests (): IncidentDigest[] {
    return this.#incidentDigests.all().map((row) => ({ reference: row.reference, inHistory: row.in_history === 1, digest: row.digest }))
  }

  /** A digest of every component's name, group and place: when it changes, every incident page may have. */
  componentsDigest (): string {
    return this.#componentsDigest.get()?.digest ?? ''
  }
}
