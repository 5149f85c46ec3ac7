// Repository of incidents, their updates and the components they affect.
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/open-database.js'
import type { AffectedComponent, Incident, IncidentUpdate, IncidentWithLatest, IncidentWithUpdates, MaintenanceWindow } from '../domain/model.js'
import type { ComponentIncident } from '../domain/uptime.js'
import type { ComponentStatus, Impact, UpdateStatus } from '../domain/statuses.js'
import { foldForSearch } from '../domain/text.js'

interface IncidentRow {
  id: number
  reference: string
  name: string
  impact: Impact
  status: UpdateStatus
  created_at: string
  updated_at: string
  started_at: string
  monitoring_at: string | null
  resolved_at: string | null
  scheduled_for: string | null
  scheduled_until: string | null
  auto_start: number | null
  auto_complete: number | null
  cancelled_at: string | null
}

interface UpdateRow {
  id: number
  incident_id: number
  status: UpdateStatus
  body: string
  notify: number
  display_at: string
  created_at: string
  updated_at: string
  post_text: string | null
}

interface AffectedRow {
  update_id: number
  component_id: number
  name: string
  old_status: ComponentStatus
  new_status: ComponentStatus
}

function toIncident (row: IncidentRow): Incident {
  return {
    id: row.id,
    reference: row.reference,
    name: row.name,
    impact: row.impact,
    // Stored completed, with when it was cancelled (see 011-maintenance-cancel-and-references.sql).
    status: row.cancelled_at === null ? row.status : 'cancelled',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    monitoringAt: row.monitoring_at,
    resolvedAt: row.resolved_at,
    maintenance: row.scheduled_for === null || row.scheduled_until === null
      ? null
      : { scheduledFor: row.scheduled_for, scheduledUntil: row.scheduled_until, autoStart: row.auto_start === 1, autoComplete: row.auto_complete === 1 }
  }
}

function toUpdate (row: UpdateRow, affectedComponents: AffectedComponent[]): IncidentUpdate {
  return {
    id: row.id,
    incidentId: row.incident_id,
    status: row.status,
    body: row.body,
    notify: row.notify === 1,
    displayAt: row.display_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    affectedComponents,
    postText: row.post_text
  }
}

function windowColumns (window: MaintenanceWindow | null): [string | null, string | null, number | null, number | null] {
  if (window === null) return [null, null, null, null]
  return [window.scheduledFor, window.scheduledUntil, window.autoStart ? 1 : 0, window.autoComplete ? 1 : 0]
}

const maxSearchWords = 10

// SQLite's LIKE ignores case for ASCII letters only: a word with others ("Ärger") is compared with the
// name folded by this function instead (slower, so only then).
const foldFunction = 'herald_search_fold'

function isAscii (word: string): boolean {
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) > 127) return false
  return true
}
const incidentColumns = `id, reference, name, impact, status, created_at, updated_at, started_at, monitoring_at, resolved_at,
  scheduled_for, scheduled_until, auto_start, auto_complete, cancelled_at`
const updateColumns = 'id, incident_id, status, body, notify, display_at, created_at, updated_at, post_text'

export interface NewIncident {
  reference: string
  name: string
  impact: Impact
  status: UpdateStatus
  startedAt: string
  at: string
  /** Given for a maintenance. */
  maintenance?: MaintenanceWindow
}

export type MaintenanceList = 'upcoming' | 'active' | 'completed' | 'all'

export interface NewUpdate {
  incidentId: number
  status: UpdateStatus
  body: string
  notify: boolean
  displayAt: string
  /** The custom post text; null: generated. */
  postText: string | null
  at: string
}

export interface IncidentPage {
  incidents: Incident[]
  total: number
}

export class IncidentsStore {
  readonly #db: Db
  readonly #byReference
  readonly #byId
  readonly #referenceTaken
  readonly #insert
  readonly #update
  readonly #remove
  readonly #open
  readonly #startedBetween
  readonly #page
  readonly #count
  /** By the shape of the search: how many ASCII words, then how many others ("2,1"). */
  readonly #searches = new Map<string, { rows: Statement<unknown[], IncidentRow>, count: Statement<unknown[], { n: number }> }>()
  readonly #insertUpdate
  readonly #updateById
  readonly #editUpdateBody
  readonly #linkComponent
  readonly #componentsOf
  readonly #recentUpdates
  readonly #recentUpdatesOf
  readonly #recentIncidents
  readonly #maintenances: Record<MaintenanceList, Statement<[number], IncidentRow>>
  readonly #dueToStart
  readonly #dueToComplete
  readonly #nextTransition
  readonly #timelineFacts
  readonly #heldByOther
  readonly #heldByOpen
  readonly #byIds
  readonly #updatesOf
  readonly #componentsOfMany
  readonly #latestOf
  readonly #affected
  readonly #touchingSince

  constructor (db: Db) {
    this.#db = db
    db.function(foldFunction, { deterministic: true }, (text: unknown) => typeof text === 'string' ? foldForSearch(text) : text)
    this.#byReference = db.prepare<[string], IncidentRow>(`SELECT ${incidentColumns} FROM incidents WHERE reference = ?`)
    this.#byId = db.prepare<[number], IncidentRow>(`SELECT ${incidentColumns} FROM incidents WHERE id = ?`)
    this.#referenceTaken = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM incidents WHERE reference = ?')
    this.#insert = db.prepare<[string, string, Impact, UpdateStatus, string, string, string, string, string | null, string | null, number | null, number | null]>(
      `INSERT INTO incidents (reference, name, impact, status, started_at, created_at, updated_at,
                              kind, scheduled_for, scheduled_until, auto_start, auto_complete)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#update = db.prepare<[string, Impact, UpdateStatus, string, string | null, string | null, string, string | null, string | null, number | null, number | null, string | null, number]>(
      `UPDATE incidents SET name = ?, impact = ?, status = ?, started_at = ?, monitoring_at = ?, resolved_at = ?, updated_at = ?,
       scheduled_for = ?, scheduled_until = ?, auto_start = ?, auto_complete = ?, cancelled_at = ?
       WHERE id = ?`)
    this.#remove = db.prepare<[number]>('DELETE FROM incidents WHERE id = ?')
    this.#open = db.prepare<[], IncidentRow>(
      `SELECT ${incidentColumns} FROM incidents WHERE resolved_at IS NULL AND kind = 'incident' ORDER BY started_at DESC, id DESC`)
    // A maintenance that has not started yet is not history: it shows as upcoming.
    this.#startedBetween = db.prepare<[string, string], IncidentRow>(
      `SELECT ${incidentColumns} FROM incidents WHERE started_at >= ? AND started_at < ? AND status <> 'scheduled'
       ORDER BY started_at DESC, id DESC`)
    this.#recentIncidents = db.prepare<[number], IncidentRow>(
      `SELECT ${incidentColumns} FROM incidents WHERE kind = 'incident' ORDER BY started_at DESC, id DESC LIMIT ?`)
    const maintenances = (where: string, order: string): Statement<[number], IncidentRow> => db.prepare<[number], IncidentRow>(
      `SELECT ${incidentColumns} FROM incidents WHERE kind = 'maintenance' ${where} ORDER BY ${order} LIMIT ?`)
    this.#maintenances = {
      // Soonest first: the next one is what a reader looks for.
      upcoming: maintenances("AND status = 'scheduled'", 'scheduled_for, id'),
      active: maintenances("AND status IN ('in_progress', 'verifying')", 'scheduled_for, id'),
      // Most recently completed first.
      completed: maintenances("AND status = 'completed'", 'resolved_at DESC, id DESC'),
      all: maintenances('', 'scheduled_for DESC, id DESC')
    }
    this.#dueToStart = db.prepare<[string], IncidentRow>(
      `SELECT ${incidentColumns} FROM incidents WHERE kind = 'maintenance' AND status = 'scheduled' AND auto_start = 1
       AND scheduled_for <= ? ORDER BY scheduled_for, id`)
    this.#dueToComplete = db.prepare<[string], IncidentRow>(
      `SELECT ${incidentColumns} FROM incidents WHERE kind = 'maintenance' AND status IN ('in_progress', 'verifying')
       AND auto_complete = 1 AND scheduled_until <= ? ORDER BY scheduled_until, id`)
    this.#nextTransition = db.prepare<[], { next: string | null }>(
      `SELECT MIN(t) AS next FROM (
         SELECT scheduled_for AS t FROM incidents WHERE kind = 'maintenance' AND status = 'scheduled' AND auto_start = 1
         UNION ALL
         SELECT scheduled_until FROM incidents WHERE kind = 'maintenance' AND status IN ('in_progress', 'verifying') AND auto_complete = 1)`)
    this.#timelineFacts = db.prepare<[{ id: number, now: string }], { first_notify: number | null, latest_shown: string | null }>(
      `SELECT (SELECT notify FROM updates WHERE incident_id = @id ORDER BY id LIMIT 1) AS first_notify,
              (SELECT MAX(display_at) FROM updates WHERE incident_id = @id AND display_at <= @now) AS latest_shown`)
    this.#heldByOther = db.prepare<[number, number], { one: number }>(
      `SELECT 1 AS one FROM incident_components ic JOIN incidents i ON i.id = ic.incident_id
       WHERE ic.component_id = ? AND i.id <> ? AND i.kind = 'maintenance' AND i.status IN ('in_progress', 'verifying') LIMIT 1`)
    this.#heldByOpen = db.prepare<[number], { one: number }>(
      `SELECT 1 AS one FROM incident_components ic JOIN incidents i ON i.id = ic.incident_id
       WHERE ic.component_id = ? AND i.kind = 'incident' AND i.resolved_at IS NULL LIMIT 1`)
    // Lists of ids travel as one JSON array: each statement is prepared once, whatever the number of ids.
    this.#byIds = db.prepare<[string], IncidentRow>(
      `SELECT ${incidentColumns} FROM incidents WHERE id IN (SELECT value FROM json_each(?))`)
    this.#updatesOf = db.prepare<[string], UpdateRow>(
      `SELECT ${updateColumns} FROM updates WHERE incident_id IN (SELECT value FROM json_each(?))
       ORDER BY display_at DESC, id DESC`)
    // Each incident's newest update by the order withUpdates lists them in: one step back along updates_incident each.
    this.#latestOf = db.prepare<[string], UpdateRow>(
      `SELECT ${updateColumns} FROM updates WHERE id IN (
         SELECT (SELECT id FROM updates WHERE incident_id = j.value ORDER BY display_at DESC, id DESC LIMIT 1) FROM json_each(?) j)`)
    this.#componentsOfMany = db.prepare<[string], { incident_id: number, id: number, name: string }>(
      `SELECT ic.incident_id, c.id, c.name FROM incident_components ic JOIN components c ON c.id = ic.component_id
       LEFT JOIN component_groups g ON g.id = c.group_id
       WHERE ic.incident_id IN (SELECT value FROM json_each(?))
       ORDER BY COALESCE(g.position, c.position), COALESCE(g.id, 0), c.position, c.id`)
    this.#affected = db.prepare<[string], AffectedRow>(
      `SELECT s.update_id, s.component_id, c.name, s.old_status, s.new_status
       FROM component_status_changes s JOIN components c ON c.id = s.component_id
       WHERE s.update_id IN (SELECT value FROM json_each(?)) ORDER BY s.id`)
    // The incidents and maintenances that may have touched a component since a time, each with each of its
    // components: those started since, those still open, and those whose updates changed a component since
    // (one that started before the window and ended in it). Each part is read through an index.
    this.#touchingSince = db.prepare<{ from: string }, { component_id: number, reference: string, name: string, started_at: string, resolved_at: string | null }>(
      `SELECT ic.component_id, i.reference, i.name, i.started_at, i.resolved_at
       FROM incidents i JOIN incident_components ic ON ic.incident_id = i.id
       WHERE i.status <> 'scheduled' AND i.id IN (
         SELECT id FROM incidents WHERE started_at >= @from
         UNION ALL SELECT id FROM incidents WHERE resolved_at IS NULL
         UNION ALL SELECT u.incident_id FROM component_status_changes s JOIN updates u ON u.id = s.update_id WHERE s.changed_at >= @from)
       ORDER BY i.started_at, i.id`)
    this.#page = db.prepare<[number, number], IncidentRow>(
      `SELECT ${incidentColumns} FROM incidents WHERE status <> 'scheduled' ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`)
    this.#count = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM incidents WHERE status <> 'scheduled'")
    this.#insertUpdate = db.prepare<[number, UpdateStatus, string, number, string, string | null, string, string]>(
      `INSERT INTO updates (incident_id, status, body, notify, display_at, post_text, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#updateById = db.prepare<[number], UpdateRow>(`SELECT ${updateColumns} FROM updates WHERE id = ?`)
    this.#editUpdateBody = db.prepare<[string, string, number]>('UPDATE updates SET body = ?, updated_at = ? WHERE id = ?')
    this.#linkComponent = db.prepare<[number, number]>(
      'INSERT OR IGNORE INTO incident_components (incident_id, component_id) VALUES (?, ?)')
    this.#componentsOf = db.prepare<[number], { id: number, name: string }>(
      `SELECT c.id, c.name FROM incident_components ic JOIN components c ON c.id = ic.component_id
       LEFT JOIN component_groups g ON g.id = c.group_id
       WHERE ic.incident_id = ? ORDER BY COALESCE(g.position, c.position), COALESCE(g.id, 0), c.position, c.id`)
    this.#recentUpdates = db.prepare<[number], UpdateRow>(
      `SELECT ${updateColumns} FROM updates ORDER BY display_at DESC, id DESC LIMIT ?`)
    this.#recentUpdatesOf = db.prepare<[number, number], UpdateRow>(
      `SELECT ${updateColumns} FROM updates
       WHERE incident_id IN (SELECT incident_id FROM incident_components WHERE component_id = ?)
       ORDER BY display_at DESC, id DESC LIMIT ?`)
  }

  byReference (reference: string): Incident | undefined {
    const row = this.#byReference.get(reference)
    return row === undefined ? undefined : toIncident(row)
  }

  byId (id: number): Incident | undefined {
    const row = this.#byId.get(id)
    return row === undefined ? undefined : toIncident(row)
  }

  referenceTaken (reference: string): boolean {
    return this.#referenceTaken.get(reference) !== undefined
  }

  insert (incident: NewIncident): number {
    const { reference, name, impact, status, startedAt, at, maintenance } = incident
    const window = windowColumns(maintenance ?? null)
    return Number(this.#insert.run(reference, name, impact, status, startedAt, at, at,
      maintenance === undefined ? 'incident' : 'maintenance', ...window).lastInsertRowid)
  }

  /**
   * Deletes an incident with its updates, component links and deliveries (ON DELETE CASCADE); the audit log
   * keeps its entries and the component history its status changes, without the link to the update.
   */
  remove (id: number): void {
    this.#remove.run(id)
  }

  save (incident: Incident): void {
    // A cancelled maintenance is stored completed, cancelled when it closed (its resolvedAt).
    const cancelled = incident.status === 'cancelled'
    this.#update.run(incident.name, incident.impact, cancelled ? 'completed' : incident.status, incident.startedAt, incident.monitoringAt,
      incident.resolvedAt, incident.updatedAt, ...windowColumns(incident.maintenance), cancelled ? incident.resolvedAt : null, incident.id)
  }

  /** The incidents not resolved yet, newest first; maintenances are listed by `maintenances`. */
  open (): Incident[] {
    return this.#open.all().map(toIncident)
  }

  /** The most recent incidents (not maintenances), newest first. */
  recentIncidents (limit: number): Incident[] {
    return this.#recentIncidents.all(limit).map(toIncident)
  }

  /** Upcoming (soonest first), active (in progress or verifying, soonest first), completed (latest first) or all maintenances (newest first). */
  maintenances (list: MaintenanceList, limit = 1000): Incident[] {
    return this.#maintenances[list].all(limit).map(toIncident)
  }

  /** Scheduled maintenances the clock should start at `now` (planned start passed), soonest first. */
  dueToStart (now: string): Incident[] {
    return this.#dueToStart.all(now).map(toIncident)
  }

  /** Running maintenances the clock should complete at `now` (planned end passed), soonest first. */
  dueToComplete (now: string): Incident[] {
    return this.#dueToComplete.all(now).map(toIncident)
  }

  /** The next planned start or end the clock performs, or null when none is planned. */
  nextTransitionAt (): string | null {
    return this.#nextTransition.get()?.next ?? null
  }

  /** Of an incident's updates: whether the first was cross-posted, and the latest time shown up to `now`. */
  timelineFacts (incidentId: number, now: string): { firstNotify: boolean, latestShownAt: string | null } {
    const row = this.#timelineFacts.get({ id: incidentId, now })
    return { firstNotify: row?.first_notify !== 0, latestShownAt: row?.latest_shown ?? null }
  }

  /** Whether a maintenance in progress holds the component (other than `except`, a maintenance asking about the others). */
  heldByMaintenance (componentId: number, except?: number): boolean {
    // Ids start at 1: 0 excepts none.
    return this.#heldByOther.get(componentId, except ?? 0) !== undefined
  }

  /** Whether an open incident (not a maintenance, not resolved) names the component. */
  heldByOpenIncident (componentId: number): boolean {
    return this.#heldByOpen.get(componentId) !== undefined
  }

  /** Incidents that started in [from, to), newest first. */
  startedBetween (from: string, to: string): Incident[] {
    return this.#startedBetween.all(from, to).map(toIncident)
  }

  /** Which components each incident or maintenance that may have run since `from` touched, oldest first. */
  touchingSince (from: string): ComponentIncident[] {
    // A row per incident and component: an incident's texts are kept once, whichever its components (the
    // status page holds them all while it is built), not once per row as SQLite gives them.
    const first = new Map<string, ComponentIncident>()
    return this.#touchingSince.all({ from }).map((row) => {
      const seen = first.get(row.reference)
      if (seen !== undefined) return { ...seen, componentId: row.component_id }
      const incident = { componentId: row.component_id, reference: row.reference, name: row.name, startedAt: row.started_at, resolvedAt: row.resolved_at }
      first.set(row.reference, incident)
      return incident
    })
  }

  /**
   * One page of the history (incidents and maintenances that have started) newest first, or of those whose
   * reference is the query or whose name has every word of it, in any order, in any case (NFC, lower case).
   */
  page (limit: number, offset: number, query?: string): IncidentPage {
    const folded = foldForSearch((query ?? '').trim())
    const words = folded.split(/\s+/).filter((word) => word !== '').slice(0, maxSearchWords)
    if (words.length === 0) {
      return { incidents: this.#page.all(limit, offset).map(toIncident), total: this.#count.get()?.n ?? 0 }
    }
    // ASCII words first: the order of the words does not matter, and so a few statements serve every search.
    const ascii = words.filter(isAscii)
    const others = words.filter((word) => !isAscii(word))
    const search = this.#search(ascii.length, others.length)
    const params = [folded, ...[...ascii, ...others].map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)]
    return {
      incidents: search.rows.all(...params, limit, offset).map(toIncident),
      total: search.count.get(...params)?.n ?? 0
    }
  }

  /**
   * One page of the admin's list of incidents (not maintenances): the open ones first, then the resolved,
   * each newest first; or of those whose reference is the query or that have every word of it in the name
   * or in the text of an update, in any order and any case.
   */
  adminPage (limit: number, offset: number, query: string): IncidentPage {
    const folded = foldForSearch(query.trim())
    const words = folded.split(/\s+/).filter((word) => word !== '').slice(0, maxSearchWords)
    const ascii = words.filter(isAscii)
    const others = words.filter((word) => !isAscii(word))
    const list = this.#adminList(ascii.length, others.length)
    // Each word twice: once for the name, once for the updates' text.
    const likes = [...ascii, ...others].flatMap((word) => {
      const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      return [like, like]
    })
    const params = words.length === 0 ? [] : [folded, ...likes]
    return {
      incidents: list.rows.all(...params, limit, offset).map(toIncident),
      total: list.count.get(...params)?.n ?? 0
    }
  }

  /** The admin list's statements for a number of ASCII words and of others (none: the whole list), prepared once each. */
  #adminList (asciiWords: number, otherWords: number): { rows: Statement<unknown[], IncidentRow>, count: Statement<unknown[], { n: number }> } {
    const shape = `admin:${asciiWords},${otherWords}`
    let list = this.#searches.get(shape)
    if (list === undefined) {
      // Each word in the name or in some update's text; a word with letters beyond ASCII compares folded texts.
      const word = (fold: boolean): string => {
        const [name, body] = fold ? [`${foldFunction}(name)`, `${foldFunction}(u.body)`] : ['name', 'u.body']
        return `(${name} LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM updates u WHERE u.incident_id = incidents.id AND ${body} LIKE ? ESCAPE '\\'))`
      }
      const likes = [...Array.from({ length: asciiWords }, () => word(false)), ...Array.from({ length: otherWords }, () => word(true))]
      const where = likes.length === 0 ? "WHERE kind = 'incident'" : `WHERE kind = 'incident' AND (reference = upper(?) OR (${likes.join(' AND ')}))`
      list = {
        rows: this.#db.prepare<unknown[], IncidentRow>(
          `SELECT ${incidentColumns} FROM incidents ${where} ORDER BY resolved_at IS NULL DESC, started_at DESC, id DESC LIMIT ? OFFSET ?`),
        count: this.#db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM incidents ${where}`)
      }
      this.#searches.set(shape, list)
    }
    return list
  }

  /** The search statements for a number of ASCII words and of others, prepared once each. */
  #search (asciiWords: number, otherWords: number): { rows: Statement<unknown[], IncidentRow>, count: Statement<unknown[], { n: number }> } {
    const shape = `${asciiWords},${otherWords}`
    let search = this.#searches.get(shape)
    if (search === undefined) {
      const likes = [
        ...Array.from({ length: asciiWords }, () => "name LIKE ? ESCAPE '\\'"),
        ...Array.from({ length: otherWords }, () => `${foldFunction}(name) LIKE ? ESCAPE '\\'`)
      ]
      // References are ASCII letters and digits, stored in upper case.
      const where = `WHERE status <> 'scheduled' AND (reference = upper(?) OR (${likes.join(' AND ')}))`
      search = {
        rows: this.#db.prepare<unknown[], IncidentRow>(`SELECT ${incidentColumns} FROM incidents ${where} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`),
        count: this.#db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM incidents ${where}`)
      }
      this.#searches.set(shape, search)
    }
    return search
  }

  insertUpdate (update: NewUpdate): number {
    const { incidentId, status, body, notify, displayAt, postText, at } = update
    return Number(this.#insertUpdate.run(incidentId, status, body, notify ? 1 : 0, displayAt, postText, at, at).lastInsertRowid)
  }

  update (id: number): IncidentUpdate | undefined {
    const row = this.#updateById.get(id)
    return row === undefined ? undefined : this.#toUpdates([row])[0]
  }

  editUpdateBody (id: number, body: string, at: string): void {
    this.#editUpdateBody.run(body, at, id)
  }

  linkComponent (incidentId: number, componentId: number): void {
    this.#linkComponent.run(incidentId, componentId)
  }

  componentsOf (incidentId: number): Array<{ id: number, name: string }> {
    return this.#componentsOf.all(incidentId)
  }

  /** One incident or maintenance (as byReference or byId found it) with its timeline; nothing found, nothing given. */
  withTimeline (incident: Incident | undefined): IncidentWithUpdates | undefined {
    return incident === undefined ? undefined : this.withUpdates([incident])[0]
  }

  /** The incidents with all their updates (newest first) and components, in one query per table. */
  withUpdates (incidents: Incident[]): IncidentWithUpdates[] {
    if (incidents.length === 0) return []
    const ids = JSON.stringify(incidents.map((incident) => incident.id))
    const updateRows = this.#updatesOf.all(ids)
    const components = new Map<number, Array<{ id: number, name: string }>>()
    for (const { incident_id: incidentId, id, name } of this.#componentsOfMany.all(ids)) {
      const list = components.get(incidentId) ?? []
      list.push({ id, name })
      components.set(incidentId, list)
    }
    const updatesByIncident = new Map<number, IncidentUpdate[]>()
    for (const update of this.#toUpdates(updateRows)) {
      const list = updatesByIncident.get(update.incidentId) ?? []
      list.push(update)
      updatesByIncident.set(update.incidentId, list)
    }
    return incidents.map((incident) => ({
      ...incident,
      updates: updatesByIncident.get(incident.id) ?? [],
      components: components.get(incident.id) ?? []
    }))
  }

  /** The incidents with only their latest update each (what `withUpdates` lists first), in one query. */
  withLatestUpdate (incidents: Incident[]): IncidentWithLatest[] {
    if (incidents.length === 0) return []
    const rows = this.#latestOf.all(JSON.stringify(incidents.map((incident) => incident.id)))
    const latest = new Map(this.#toUpdates(rows).map((update) => [update.incidentId, update]))
    return incidents.map((incident) => ({ ...incident, latest: latest.get(incident.id) ?? null }))
  }

  /** The most recent updates of all incidents, newest first, each with its incident. */
  recentUpdates (limit: number): Array<{ incident: Incident, update: IncidentUpdate }> {
    return this.#withIncidents(this.#recentUpdates.all(limit))
  }

  #withIncidents (rows: UpdateRow[]): Array<{ incident: Incident, update: IncidentUpdate }> {
    const incidents = new Map(this.#byIds.all(JSON.stringify([...new Set(rows.map((row) => row.incident_id))]))
      .map((row) => [row.id, toIncident(row)]))
    return this.#toUpdates(rows).map((update) => ({ incident: incidents.get(update.incidentId) as Incident, update }))
  }

  /** The most recent updates of the incidents and maintenances that affect a component, newest first. */
  recentUpdatesOf (componentId: number, limit: number): Array<{ incident: Incident, update: IncidentUpdate }> {
    return this.#withIncidents(this.#recentUpdatesOf.all(componentId, limit))
  }

  /** The updates of these rows, in their order, each with the component changes it made (one query for all). */
  #toUpdates (rows: UpdateRow[]): IncidentUpdate[] {
    if (rows.length === 0) return []
    const byUpdate = new Map<number, AffectedComponent[]>()
    for (const row of this.#affected.all(JSON.stringify(rows.map((update) => update.id)))) {
      const list = byUpdate.get(row.update_id) ?? []
      list.push({ componentId: row.component_id, name: row.name, oldStatus: row.old_status, newStatus: row.new_status })
      byUpdate.set(row.update_id, list)
    }
    return rows.map((row) => toUpdate(row, byUpdate.get(row.id) ?? []))
  }
}
