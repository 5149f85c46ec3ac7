// Repository of postmortems: one row per incident, its draft and its published body.
import type { Db } from '../db/open-database.js'
import type { Postmortem } from '../domain/postmortems.js'

interface PostmortemRow {
  incident_id: number
  draft: string
  draft_updated_at: string
  body: string | null
  body_updated_at: string | null
  published_at: string | null
  created_at: string
  updated_at: string
}

function toPostmortem (row: PostmortemRow): Postmortem {
  return {
    incidentId: row.incident_id,
    draft: row.draft,
    draftUpdatedAt: row.draft_updated_at,
    body: row.body,
    bodyUpdatedAt: row.body_updated_at,
    publishedAt: row.published_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

const columns = 'incident_id, draft, draft_updated_at, body, body_updated_at, published_at, created_at, updated_at'

export class PostmortemsStore {
  readonly #get
  readonly #published
  readonly #save
  readonly #recentPublished
  readonly #recentPublishedOf

  constructor (db: Db) {
    this.#get = db.prepare<[number], PostmortemRow>(`SELECT ${columns} FROM postmortems WHERE incident_id = ?`)
    this.#published = db.prepare<[string], PostmortemRow>(
      `SELECT ${columns} FROM postmortems
       WHERE published_at IS NOT NULL AND incident_id IN (SELECT value FROM json_each(?))`)
    // Insert or replace the whole row: every write of the service sets each column from one Postmortem.
    this.#save = db.prepare<[number, string, string, string | null, string | null, string | null, string, string]>(
      `INSERT INTO postmortems (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (incident_id) DO UPDATE SET draft = excluded.draft, draft_updated_at = excluded.draft_updated_at,
         body = excluded.body, body_updated_at = excluded.body_updated_at, published_at = excluded.published_at,
         updated_at = excluded.updated_at`)
    this.#recentPublished = db.prepare<[number], PostmortemRow>(
      `SELECT ${columns} FROM postmortems WHERE published_at IS NOT NULL ORDER BY published_at DESC, incident_id DESC LIMIT ?`)
    this.#recentPublishedOf = db.prepare<[number, number], PostmortemRow>(
      `SELECT ${columns} FROM postmortems
       WHERE published_at IS NOT NULL
         AND incident_id IN (SELECT incident_id FROM incident_components WHERE component_id = ?)
       ORDER BY published_at DESC, incident_id DESC LIMIT ?`)
  }

  get (incidentId: number): Postmortem | undefined {
    const row = this.#get.get(incidentId)
    return row === undefined ? undefined : toPostmortem(row)
  }

  /** The published postmortems of these incidents, by incident id. */
  publishedOf (incidentIds: readonly number[]): Map<number, Postmortem> {
    if (incidentIds.length === 0) return new Map()
    return new Map(this.#published.all(JSON.stringify(incidentIds)).map((row) => [row.incident_id, toPostmortem(row)]))
  }

  /** The most recently published postmortems, newest first (the feeds). */
  recentPublished (limit: number): Postmortem[] {
    return this.#recentPublished.all(limit).map(toPostmortem)
  }

  /** The most recently published postmortems of the incidents that affected a component, newest first (its feeds). */
  recentPublishedOf (componentId: number, limit: number): Postmortem[] {
    return this.#recentPublishedOf.all(componentId, limit).map(toPostmortem)
  }

  save (postmortem: Postmortem): void {
    const p = postmortem
    this.#save.run(p.incidentId, p.draft, p.draftUpdatedAt, p.body, p.bodyUpdatedAt, p.publishedAt, p.createdAt, p.updatedAt)
  }
}
