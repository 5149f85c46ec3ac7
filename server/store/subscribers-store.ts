// Repository of subscribers and the components each chose: their targets, states, tokens' hashes and delivery health.
import type { Db } from '../db/open-database.js'
import {
  type Subscriber, type SubscriberKind, type SubscriberSource, type SubscriberState, subscriberKinds, subscriberStates
} from '../domain/subscribers.js'

interface SubscriberRow {
  id: number
  kind: SubscriberKind
  target: string
  contact_email: string | null
  state: SubscriberState
  all_components: number
  component_ids: string
  signing_secret: string | null
  link_version: number
  source: SubscriberSource
  created_at: string
  confirmed_at: string | null
  updated_at: string
  failing_since: string | null
  last_delivery_at: string | null
  last_error: string | null
}

function toSubscriber (row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    kind: row.kind,
    target: row.target,
    contactEmail: row.contact_email,
    state: row.state,
    allComponents: row.all_components === 1,
    componentIds: JSON.parse(row.component_ids) as number[],
    signingSecret: row.signing_secret,
    linkVersion: row.link_version,
    source: row.source,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    updatedAt: row.updated_at,
    failingSince: row.failing_since,
    lastDeliveryAt: row.last_delivery_at,
    lastError: row.last_error
  }
}

// The chosen components come along as a JSON array, in id order, so a row maps in one query.
const columns = `s.id, s.kind, s.target, s.contact_email, s.state, s.all_components,
  (SELECT json_group_array(component_id) FROM (SELECT component_id FROM subscriber_components sc
     WHERE sc.subscriber_id = s.id ORDER BY component_id)) AS component_ids,
  s.signing_secret, s.link_version, s.source, s.created_at, s.confirmed_at, s.updated_at, s.failing_since,
  s.last_delivery_at, s.last_error`

export interface NewSubscriber {
  kind: SubscriberKind
  target: string
  targetKey: string
  contactEmail: string | null
  state: SubscriberState
  source: SubscriberSource
  signingSecret: string | null
  confirmTokenHash: string | null
  confirmExpiresAt: string | null
  /** null: every component; else the chosen ones. */
  componentIds: readonly number[] | null
  at: string
}

export interface SubscriberFilter {
  kind?: SubscriberKind | undefined
  state?: SubscriberState | undefined
}

export interface SubscriberPage {
  subscribers: Subscriber[]
  total: number
}

export type SubscriberCounts = Record<SubscriberKind, Record<SubscriberState, number>>

export class SubscribersStore {
  readonly #nextId
  readonly #insert
  readonly #get
  readonly #byTargetKey
  readonly #byConfirmTokenHash
  readonly #list
  readonly #count
  readonly #all
  readonly #counts
  readonly #clearComponents
  readonly #addComponent
  readonly #setAllComponents
  readonly #setState
  readonly #confirm
  readonly #replaceConfirmToken
  readonly #setSigningSecret
  readonly #setContactEmail
  readonly #remove
  readonly #prune
  readonly #recordSuccess
  readonly #recordFailure
  readonly #quarantine
  readonly #markBounced
  readonly #reenable
  readonly #maxId

  constructor (db: Db) {
    // Ids are never given twice (SQLite's own rowids reuse the highest after it is deleted): a departed
    // subscriber's links are signed over its id and must never name a newcomer, and a notification's
    // last_subscriber_id must never take in one who subscribed after it. The high mark is a counter,
    // created at the first subscriber, and moves in the transaction of the insert.
    this.#nextId = db.prepare<[], { value: number }>(
      `INSERT INTO counters (name, value) VALUES ('subscriber_id', (SELECT COALESCE(MAX(id), 0) + 1 FROM subscribers))
       ON CONFLICT (name) DO UPDATE SET value = MAX(counters.value + 1, excluded.value) RETURNING value`)
    this.#insert = db.prepare<[number, SubscriberKind, string, string, string | null, SubscriberState, number, string | null, string | null, string | null, SubscriberSource, string, string | null, string]>(
      `INSERT INTO subscribers (id, kind, target, target_key, contact_email, state, all_components, confirm_token_hash,
         confirm_expires_at, signing_secret, source, created_at, confirmed_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#get = db.prepare<[number], SubscriberRow>(`SELECT ${columns} FROM subscribers s WHERE s.id = ?`)
    this.#byTargetKey = db.prepare<[SubscriberKind, string], SubscriberRow>(
      `SELECT ${columns} FROM subscribers s WHERE s.kind = ? AND s.target_key = ?`)
    this.#byConfirmTokenHash = db.prepare<[string], SubscriberRow & { confirm_expires_at: string | null }>(
      `SELECT ${columns}, s.confirm_expires_at FROM subscribers s WHERE s.confirm_token_hash = ?`)
    const where = '(@kind IS NULL OR s.kind = @kind) AND (@state IS NULL OR s.state = @state)'
    this.#list = db.prepare<[{ kind: string | null, state: string | null, limit: number, offset: number }], SubscriberRow>(
      `SELECT ${columns} FROM subscribers s WHERE ${where} ORDER BY s.id DESC LIMIT @limit OFFSET @offset`)
    this.#count = db.prepare<[{ kind: string | null, state: string | null }], { n: number }>(
      `SELECT COUNT(*) AS n FROM subscribers s WHERE ${where}`)
    this.#all = db.prepare<[], SubscriberRow>(`SELECT ${columns} FROM subscribers s ORDER BY s.id`)
    this.#counts = db.prepare<[], { kind: SubscriberKind, state: SubscriberState, n: number }>(
      'SELECT kind, state, COUNT(*) AS n FROM subscribers GROUP BY kind, state')
    this.#clearComponents = db.prepare<[number]>('DELETE FROM subscriber_components WHERE subscriber_id = ?')
    this.#addComponent = db.prepare<[number, number]>(
      'INSERT OR IGNORE INTO subscriber_components (subscriber_id, component_id) VALUES (?, ?)')
    this.#setAllComponents = db.prepare<[number, string, number]>('UPDATE subscribers SET all_components = ?, updated_at = ? WHERE id = ?')
    this.#setState = db.prepare<[SubscriberState, string, number]>('UPDATE subscribers SET state = ?, updated_at = ? WHERE id = ?')
    this.#confirm = db.prepare<[string, string, number]>(
      `UPDATE subscribers SET state = 'active', confirm_token_hash = NULL, confirm_expires_at = NULL, confirmed_at = ?,
         updated_at = ?
       WHERE id = ? AND state = 'unconfirmed'`)
    this.#replaceConfirmToken = db.prepare<[string, string, string, number]>(
      'UPDATE subscribers SET confirm_token_hash = ?, confirm_expires_at = ?, updated_at = ? WHERE id = ?')
    this.#setSigningSecret = db.prepare<[string | null, string, number]>('UPDATE subscribers SET signing_secret = ?, updated_at = ? WHERE id = ?')
    this.#setContactEmail = db.prepare<[string | null, string, number]>('UPDATE subscribers SET contact_email = ?, updated_at = ? WHERE id = ?')
    this.#remove = db.prepare<[number]>('DELETE FROM subscribers WHERE id = ?')
    this.#prune = db.prepare<[string]>(
      "DELETE FROM subscribers WHERE state = 'unconfirmed' AND confirm_expires_at IS NOT NULL AND confirm_expires_at <= ?")
    this.#recordSuccess = db.prepare<[string, string, number]>(
      'UPDATE subscribers SET failing_since = NULL, last_delivery_at = ?, last_error = NULL, updated_at = ? WHERE id = ?')
    this.#recordFailure = db.prepare<[string, string, string, number]>(
      'UPDATE subscribers SET failing_since = COALESCE(failing_since, ?), last_error = ?, updated_at = ? WHERE id = ?')
    this.#quarantine = db.prepare<[string, number]>(
      "UPDATE subscribers SET state = 'quarantined', updated_at = ? WHERE id = ? AND state = 'active'")
    this.#markBounced = db.prepare<[string, number]>(
      "UPDATE subscribers SET state = 'bounced', updated_at = ? WHERE id = ? AND state = 'active'")
    this.#reenable = db.prepare<[string, number]>(
      `UPDATE subscribers SET state = 'active', failing_since = NULL, updated_at = ?
       WHERE id = ? AND state IN ('quarantined', 'bounced')`)
    this.#maxId = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM subscribers')
  }

  /** Inside a write: adds a subscriber, under an id never given before, with its components; returns its id. */
  insert (subscriber: NewSubscriber): number {
    const { kind, target, targetKey, contactEmail, state, source, signingSecret, confirmTokenHash, confirmExpiresAt, componentIds, at } = subscriber
    const id = (this.#nextId.get() as { value: number }).value
    this.#insert.run(
      id, kind, target, targetKey, contactEmail, state, componentIds === null ? 1 : 0, confirmTokenHash, confirmExpiresAt,
      signingSecret, source, at, state === 'active' ? at : null, at
    )
    for (const componentId of componentIds ?? []) this.#addComponent.run(id, componentId)
    return id
  }

  get (id: number): Subscriber | undefined {
    const row = this.#get.get(id)
    return row === undefined ? undefined : toSubscriber(row)
  }

  byTargetKey (kind: SubscriberKind, targetKey: string): Subscriber | undefined {
    const row = this.#byTargetKey.get(kind, targetKey)
    return row === undefined ? undefined : toSubscriber(row)
  }

  /** The subscriber a confirmation token's hash belongs to, with when the token expires. */
  byConfirmTokenHash (hash: string): { subscriber: Subscriber, expiresAt: string | null } | undefined {
    const row = this.#byConfirmTokenHash.get(hash)
    return row === undefined ? undefined : { subscriber: toSubscriber(row), expiresAt: row.confirm_expires_at }
  }

  /** One page of the subscribers that match, newest first, and how many match in all. */
  list (filter: SubscriberFilter, limit: number, offset: number): SubscriberPage {
    const params = { kind: filter.kind ?? null, state: filter.state ?? null }
    return {
      subscribers: this.#list.all({ ...params, limit, offset }).map(toSubscriber),
      // COUNT(*) always returns one row.
      total: (this.#count.get(params) as { n: number }).n
    }
  }

  /** Every subscriber, oldest first (the export). */
  all (): Subscriber[] {
    return this.#all.all().map(toSubscriber)
  }

  /** How many subscribers of each kind are in each state, zeros included. */
  counts (): SubscriberCounts {
    const counts = Object.fromEntries(subscriberKinds.map((kind) => [kind, Object.fromEntries(subscriberStates.map((state) => [state, 0]))])) as SubscriberCounts
    for (const { kind, state, n } of this.#counts.all()) counts[kind][state] = n
    return counts
  }

  /** null: every component; else exactly the given ones. */
  setComponents (id: number, componentIds: readonly number[] | null, at: string): void {
    this.#clearComponents.run(id)
    for (const componentId of componentIds ?? []) this.#addComponent.run(id, componentId)
    this.#setAllComponents.run(componentIds === null ? 1 : 0, at, id)
  }

  setState (id: number, state: SubscriberState, at: string): void {
    this.#setState.run(state, at, id)
  }

  /** An unconfirmed subscriber becomes active and its token is forgotten; false when it was not unconfirmed. */
  confirm (id: number, at: string): boolean {
    return this.#confirm.run(at, at, id).changes === 1
  }

  replaceConfirmToken (id: number, hash: string, expiresAt: string, at: string): void {
    this.#replaceConfirmToken.run(hash, expiresAt, at, id)
  }

  setSigningSecret (id: number, secret: string | null, at: string): void {
    this.#setSigningSecret.run(secret, at, id)
  }

  setContactEmail (id: number, contactEmail: string | null, at: string): void {
    this.#setContactEmail.run(contactEmail, at, id)
  }

  /** Deletes a subscriber (its components and deliveries go with it); false when there was none. */
  remove (id: number): boolean {
    return this.#remove.run(id).changes === 1
  }

  /** Forgets the unconfirmed subscriptions whose token expired by `now`; returns how many. */
  pruneUnconfirmed (now: string): number {
    return this.#prune.run(now).changes
  }

  /** A delivery reached it: the run of failures, if any, is over. */
  recordSuccess (id: number, at: string): void {
    this.#recordSuccess.run(at, at, id)
  }

  /** A delivery failed: the run of failures starts now unless one is under way. */
  recordFailure (id: number, error: string, at: string): void {
    this.#recordFailure.run(at, error, at, id)
  }

  /** An active webhook or chat stops being sent to; false when it was not active. */
  quarantine (id: number, at: string): boolean {
    return this.#quarantine.run(at, id).changes === 1
  }

  /** An active address refused for good stops being sent to; false when it was not active. */
  markBounced (id: number, at: string): boolean {
    return this.#markBounced.run(at, id).changes === 1
  }

  /** A quarantined or bounced subscriber is sent to again, with a clean slate; false when it was neither. */
  reenable (id: number, at: string): boolean {
    return this.#reenable.run(at, id).changes === 1
  }

  /** The highest subscriber id (0 when there is none): who subscribes later is not told of what is queued now. */
  maxId (): number {
    // An aggregate always returns one row.
    return (this.#maxId.get() as { id: number | null }).id ?? 0
  }
}
