// Repository of the social outbox: one delivery per update (or postmortem) and channel, and updates' custom post texts.
import { randomUUID } from 'node:crypto'
import type { Db } from '../db/open-database.js'
import type { Delivery, DeliveryState } from '../domain/deliveries.js'
import type { ChannelName } from '../domain/post-text.js'

interface DeliveryRow {
  id: number
  update_id: number | null
  incident_id: number
  channel: ChannelName
  state: DeliveryState
  text: string
  link: string
  idempotency_key: string
  reply_to_id: string | null
  attempts: number
  uncertain: number
  next_attempt_at: string | null
  remote_id: string | null
  remote_url: string | null
  last_error: string | null
  created_at: string
  updated_at: string
  sent_at: string | null
}

function toDelivery (row: DeliveryRow): Delivery {
  return {
    id: row.id,
    updateId: row.update_id,
    incidentId: row.incident_id,
    channel: row.channel,
    state: row.state,
    text: row.text,
    link: row.link,
    idempotencyKey: row.idempotency_key,
    replyToId: row.reply_to_id,
    attempts: row.attempts,
    uncertain: row.uncertain === 1,
    nextAttemptAt: row.next_attempt_at,
    remoteId: row.remote_id,
    remoteUrl: row.remote_url,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at
  }
}

const columns = `id, update_id, incident_id, channel, state, text, link, idempotency_key, reply_to_id, attempts, uncertain,
  next_attempt_at, remote_id, remote_url, last_error, created_at, updated_at, sent_at`

export interface NewDelivery {
  /** null: the post of the incident's postmortem. */
  updateId: number | null
  incidentId: number
  channel: ChannelName
  state: 'pending' | 'skipped'
  text: string
  link: string
  at: string
}

export interface Claim {
  /** The channels this worker sends to. */
  channels: readonly ChannelName[]
  now: string
  /** When the claim lapses if the attempt never reports back (the process died). */
  leaseUntil: string
  /** Deliveries this worker has in flight already. */
  inFlight: readonly number[]
}

export interface Retry {
  error: string
  notBefore: string
  /** The attempt may have reached the channel. */
  uncertain: boolean
}

export class DeliveriesStore {
  readonly #db: Db
  readonly #insert
  readonly #byId
  readonly #ofIncident
  readonly #due
  readonly #previous
  readonly #claim
  readonly #sent
  readonly #retry
  readonly #failed
  readonly #requeue
  readonly #nextDue
  readonly #retireChannel
  readonly #refreshText
  readonly #sentRemoteIds
  readonly #postmortemChannels
  readonly #skipPostmortem

  constructor (db: Db) {
    this.#db = db
    this.#insert = db.prepare<[number | null, number, ChannelName, string, string, string, string, string, string]>(
      `INSERT INTO deliveries (update_id, incident_id, channel, state, text, link, idempotency_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#byId = db.prepare<[number], DeliveryRow>(`SELECT ${columns} FROM deliveries WHERE id = ?`)
    this.#ofIncident = db.prepare<[number], DeliveryRow>(
      `SELECT ${columns} FROM deliveries WHERE incident_id = ? ORDER BY update_id, channel`)
    // Due: pending and its time has come, or sending and its claim has lapsed (the process died); and
    // no earlier delivery of its thread still waiting, so a thread's posts go out in order.
    this.#due = db.prepare<[string, string, string, string], DeliveryRow>(
      `SELECT ${columns} FROM deliveries d
       WHERE d.channel IN (SELECT value FROM json_each(?))
         AND d.id NOT IN (SELECT value FROM json_each(?))
         AND ((d.state = 'pending' AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?))
           OR (d.state = 'sending' AND d.next_attempt_at <= ?))
         AND NOT EXISTS (SELECT 1 FROM deliveries e
                         WHERE e.incident_id = d.incident_id AND e.channel = d.channel AND e.id < d.id
                           AND e.state IN ('pending', 'sending'))
       ORDER BY d.id LIMIT 1`)
    this.#previous = db.prepare<[number, ChannelName, number], { state: DeliveryState, remote_id: string | null }>(
      `SELECT state, remote_id FROM deliveries
       WHERE incident_id = ? AND channel = ? AND id < ? AND state IN ('sent', 'failed')
       ORDER BY id DESC LIMIT 1`)
    this.#claim = db.prepare<[string | null, number, string, string, number]>(
      `UPDATE deliveries SET state = 'sending', reply_to_id = ?, attempts = attempts + 1, uncertain = ?,
         next_attempt_at = ?, updated_at = ?
       WHERE id = ?`)
    this.#sent = db.prepare<[string | null, string | null, string | null, string, string, number]>(
      `UPDATE deliveries SET state = 'sent', remote_id = ?, remote_url = ?, last_error = ?, next_attempt_at = NULL,
         sent_at = ?, updated_at = ?
       WHERE id = ? AND state = 'sending'`)
    this.#retry = db.prepare<[string, string, number, string, number]>(
      `UPDATE deliveries SET state = 'pending', last_error = ?, next_attempt_at = ?, uncertain = MAX(uncertain, ?),
         updated_at = ?
       WHERE id = ? AND state = 'sending'`)
    this.#failed = db.prepare<[string, string, number]>(
      `UPDATE deliveries SET state = 'failed', last_error = ?, next_attempt_at = NULL, updated_at = ?
       WHERE id = ? AND state = 'sending'`)
    this.#requeue = db.prepare<[string, number]>(
      `UPDATE deliveries SET state = 'pending', attempts = 0, last_error = NULL, next_attempt_at = NULL, updated_at = ?
       WHERE id = ? AND state = 'failed'`)
    this.#nextDue = db.prepare<[string, string], { at: string | null }>(
      `SELECT MIN(next_attempt_at) AS at FROM deliveries
       WHERE state IN ('pending', 'sending') AND next_attempt_at > ?
         AND channel IN (SELECT value FROM json_each(?))`)
    this.#retireChannel = db.prepare<[string, string]>(
      `UPDATE deliveries SET state = CASE state WHEN 'pending' THEN 'skipped' ELSE 'failed' END,
         last_error = CASE state WHEN 'pending' THEN 'the channel is no longer configured'
           ELSE 'the channel was turned off while this post was in flight: it may or may not have been posted' END,
         next_attempt_at = NULL, updated_at = ?
       WHERE state IN ('pending', 'sending') AND channel NOT IN (SELECT value FROM json_each(?))`)
    this.#refreshText = db.prepare<[string, string, number, ChannelName]>(
      `UPDATE deliveries SET text = ?, updated_at = ?
       WHERE update_id = ? AND channel = ? AND state = 'pending' AND attempts = 0`)
    this.#sentRemoteIds = db.prepare<[ChannelName, string], { update_id: number, remote_id: string }>(
      `SELECT update_id, remote_id FROM deliveries
       WHERE channel = ? AND state = 'sent' AND remote_id IS NOT NULL AND update_id IN (SELECT value FROM json_each(?))`)
    this.#postmortemChannels = db.prepare<[number], { channel: ChannelName }>(
      'SELECT channel FROM deliveries WHERE incident_id = ? AND update_id IS NULL')
    this.#skipPostmortem = db.prepare<[string, number]>(
      `UPDATE deliveries SET state = 'skipped', last_error = 'the postmortem was unpublished before it was posted',
         next_attempt_at = NULL, updated_at = ?
       WHERE incident_id = ? AND update_id IS NULL AND state = 'pending'`)
  }

  insert (delivery: NewDelivery): number {
    const { updateId, incidentId, channel, state, text, link, at } = delivery
    return Number(this.#insert.run(updateId, incidentId, channel, state, text, link, randomUUID(), at, at).lastInsertRowid)
  }

  get (id: number): Delivery | undefined {
    const row = this.#byId.get(id)
    return row === undefined ? undefined : toDelivery(row)
  }

  /** Every delivery of an incident's updates and postmortem, the postmortem's first, then oldest update first. */
  ofIncident (incidentId: number): Delivery[] {
    return this.#ofIncident.all(incidentId).map(toDelivery)
  }

  /**
   * In one IMMEDIATE transaction: finds the next due delivery, marks it `sending` with one more attempt
   * and a lease, and fixes the post it answers (the previous sent post of its thread, or none when
   * the previous one failed). A claim that finds `sending` resumes an attempt whose outcome is unknown.
   */
  claimNext (claim: Claim): Delivery | undefined {
    return this.#db.transaction(() => {
      const row = this.#due.get(JSON.stringify(claim.channels), JSON.stringify(claim.inFlight), claim.now, claim.now)
      if (row === undefined) return undefined
      let replyTo = row.reply_to_id
      if (row.attempts === 0 && replyTo === null) {
        const previous = this.#previous.get(row.incident_id, row.channel, row.id)
        replyTo = previous?.state === 'sent' ? previous.remote_id : null
      }
      const uncertain = row.uncertain === 1 || row.state === 'sending' ? 1 : 0
      this.#claim.run(replyTo, uncertain, claim.leaseUntil, claim.now, row.id)
      return toDelivery(this.#byId.get(row.id) as DeliveryRow)
    }).immediate()
  }

  /**
   * The earliest time after `now` at which a delivery of these channels comes due (a retry, a lapsing
   * claim). One due already is claimed at once, or waits for the earlier post of its thread.
   */
  nextDueAfter (channels: readonly ChannelName[], now: string): string | undefined {
    return this.#nextDue.get(now, JSON.stringify(channels))?.at ?? undefined
  }

  /** Each outcome only lands on a delivery still `sending`: a claim that lapsed and was taken over is not overwritten twice. */
  markSent (id: number, remoteId: string | null, remoteUrl: string | null, note: string | null, at: string): boolean {
    return this.#sent.run(remoteId, remoteUrl, note, at, at, id).changes === 1
  }

  markRetry (id: number, retry: Retry, at: string): boolean {
    return this.#retry.run(retry.error, retry.notBefore, retry.uncertain ? 1 : 0, at, id).changes === 1
  }

  markFailed (id: number, error: string, at: string): boolean {
    return this.#failed.run(error, at, id).changes === 1
  }

  /** A failed delivery back to pending with a fresh count of attempts; whether it was uncertain is kept. */
  requeue (id: number, at: string): boolean {
    return this.#requeue.run(at, id).changes === 1
  }

  /** Deliveries waiting for a channel that is no longer configured: skipped, or failed when one was in flight. */
  retireChannelsOtherThan (channels: readonly ChannelName[], at: string): number {
    return this.#retireChannel.run(at, JSON.stringify(channels)).changes
  }

  /** A new text for a delivery nothing was sent for yet (the update's body was fixed before it went out). */
  refreshText (updateId: number, channel: ChannelName, text: string, at: string): void {
    this.#refreshText.run(text, at, updateId, channel)
  }

  /** The channels the incident's postmortem was queued for already: it is posted once to each. */
  postmortemChannels (incidentId: number): Set<ChannelName> {
    return new Set(this.#postmortemChannels.all(incidentId).map((row) => row.channel))
  }

  /** The postmortem's posts not sent yet are not sent at all (it was unpublished); one in flight goes on. */
  skipPendingPostmortem (incidentId: number, at: string): void {
    this.#skipPostmortem.run(at, incidentId)
  }

  /** The ids of the posts sent to one channel for these updates, by update id (a post sent without an id is left out). */
  sentRemoteIds (channel: ChannelName, updateIds: readonly number[]): Map<number, string> {
    return new Map(this.#sentRemoteIds.all(channel, JSON.stringify(updateIds)).map((row) => [row.update_id, row.remote_id]))
  }
}
