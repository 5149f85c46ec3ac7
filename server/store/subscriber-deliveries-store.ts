// Repository of the subscribers' outbox: notifications expanded into one delivery per subscriber, claimed, and their outcomes.
import type { Db } from '../db/open-database.js'
import { type NotificationEvent, type SubscriberDelivery, type SubscriberDeliveryState, eventKinds } from '../domain/subscribers.js'

interface DeliveryRow {
  id: number
  notification_id: number
  subscriber_id: number
  state: SubscriberDeliveryState
  attempts: number
  next_attempt_at: string | null
  last_error: string | null
  created_at: string
  updated_at: string
  sent_at: string | null
}

function toDelivery (row: DeliveryRow): SubscriberDelivery {
  return {
    id: row.id,
    notificationId: row.notification_id,
    subscriberId: row.subscriber_id,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at
  }
}

const columns = 'id, notification_id, subscriber_id, state, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at'

/** One batch of a notification's expansion. */
export interface Expansion {
  notificationId: number
  /** The subscriber ids looked at: (from, through]. */
  from: number
  through: number
  /** Deliveries created (a repeat of a batch after a crash creates none). */
  created: number
  /** The notification has been looked at up to its last subscriber. */
  complete: boolean
}

export interface SubscriberClaim {
  now: string
  /** When the claims lapse if the attempts never report back (the process died). */
  leaseUntil: string
  limit: number
  /** Deliveries this worker has in flight already. */
  inFlight: readonly number[]
}

export type DeliveryCounts = Record<SubscriberDeliveryState, number> & {
  /** Notifications not yet expanded into deliveries to every subscriber they concern. */
  unexpanded: number
}

// Older than this, what is done (sent, failed, skipped) is forgotten.
export const keepDeliveriesMs = 30 * 86_400_000

export class SubscriberDeliveriesStore {
  readonly #db: Db
  readonly #nextUnexpanded
  readonly #expand
  readonly #advance
  readonly #byId
  readonly #lapsed
  readonly #pending
  readonly #claim
  readonly #sent
  readonly #retry
  readonly #failed
  readonly #skipped
  readonly #skipPending
  readonly #nextDue
  readonly #pruneDeliveries
  readonly #pruneNotifications
  readonly #counts
  readonly #unexpanded

  constructor (db: Db) {
    this.#db = db
    this.#nextUnexpanded = db.prepare<[], { id: number, event: NotificationEvent, expanded_through: number, last_subscriber_id: number }>(
      `SELECT id, event, expanded_through, last_subscriber_id FROM notifications
       WHERE expanded_through < last_subscriber_id ORDER BY id LIMIT 1`)
    // Who is told: active, of a kind the event goes to, and for every component or one the event concerns
    // (an event that names no component concerns everyone). OR IGNORE: a batch done again after a crash
    // between its insert and the cursor's move (impossible in one transaction, but cheap to rule out) adds nothing.
    // Pending rows are due at once: next_attempt_at is their creation time, so the due index orders them.
    this.#expand = db.prepare<[{ at: string, from: number, through: number, notification: number, kinds: string }]>(
      `INSERT OR IGNORE INTO subscriber_deliveries (notification_id, subscriber_id, state, next_attempt_at, created_at, updated_at)
       SELECT n.id, s.id, 'pending', :at, :at, :at
       FROM notifications n JOIN subscribers s ON s.id > :from AND s.id <= :through
       WHERE n.id = :notification
         AND s.state = 'active'
         AND s.kind IN (SELECT value FROM json_each(:kinds))
         AND (s.all_components = 1
           OR json_array_length(n.component_ids) = 0
           OR EXISTS (SELECT 1 FROM subscriber_components sc
                      WHERE sc.subscriber_id = s.id AND sc.component_id IN (SELECT value FROM json_each(n.component_ids))))
       ORDER BY s.id`)
    this.#advance = db.prepare<[number, number]>('UPDATE notifications SET expanded_through = ? WHERE id = ?')
    this.#byId = db.prepare<[number], DeliveryRow>(`SELECT ${columns} FROM subscriber_deliveries WHERE id = ?`)
    // Both due queries read the due index in time order and stop at the limit. A delivery waits while an
    // earlier one of the same subscriber is pending or in flight: a subscriber gets its messages in order.
    const waitsForEarlier = `EXISTS (SELECT 1 FROM subscriber_deliveries e
      WHERE e.subscriber_id = d.subscriber_id AND e.id < d.id AND e.state IN ('pending', 'sending'))`
    this.#lapsed = db.prepare<[string, string, number], DeliveryRow>(
      `SELECT ${columns} FROM subscriber_deliveries d
       WHERE d.state = 'sending' AND d.next_attempt_at <= ? AND d.id NOT IN (SELECT value FROM json_each(?))
         AND NOT ${waitsForEarlier}
       ORDER BY d.next_attempt_at, d.id LIMIT ?`)
    this.#pending = db.prepare<[string, string, number], DeliveryRow>(
      `SELECT ${columns} FROM subscriber_deliveries d
       WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND d.id NOT IN (SELECT value FROM json_each(?))
         AND NOT ${waitsForEarlier}
       ORDER BY d.next_attempt_at, d.id LIMIT ?`)
    this.#claim = db.prepare<[string, string, number]>(
      `UPDATE subscriber_deliveries SET state = 'sending', attempts = attempts + 1, next_attempt_at = ?, updated_at = ?
       WHERE id = ?`)
    this.#sent = db.prepare<[string, string, number]>(
      `UPDATE subscriber_deliveries SET state = 'sent', next_attempt_at = NULL, last_error = NULL, sent_at = ?, updated_at = ?
       WHERE id = ? AND state = 'sending'`)
    this.#retry = db.prepare<[string, string, string, number]>(
      `UPDATE subscriber_deliveries SET state = 'pending', last_error = ?, next_attempt_at = ?, updated_at = ?
       WHERE id = ? AND state = 'sending'`)
    this.#failed = db.prepare<[string, string, number]>(
      `UPDATE subscriber_deliveries SET state = 'failed', last_error = ?, next_attempt_at = NULL, updated_at = ?
       WHERE id = ? AND state = 'sending'`)
    this.#skipped = db.prepare<[string, string, number]>(
      `UPDATE subscriber_deliveries SET state = 'skipped', last_error = ?, next_attempt_at = NULL, updated_at = ?
       WHERE id = ? AND state = 'sending'`)
    this.#skipPending = db.prepare<[string, string, number]>(
      `UPDATE subscriber_deliveries SET state = 'skipped', last_error = ?, next_attempt_at = NULL, updated_at = ?
       WHERE subscriber_id = ? AND state = 'pending'`)
    this.#nextDue = db.prepare<[string, string], { at: string | null }>(
      `SELECT MIN(at) AS at FROM (
         SELECT MIN(next_attempt_at) AS at FROM subscriber_deliveries WHERE state = 'pending' AND next_attempt_at > ?
         UNION ALL
         SELECT MIN(next_attempt_at) FROM subscriber_deliveries WHERE state = 'sending' AND next_attempt_at > ?)`)
    this.#pruneDeliveries = db.prepare<[string]>(
      `DELETE FROM subscriber_deliveries
       WHERE state IN ('sent', 'failed', 'skipped') AND updated_at < ?`)
    // A notification is kept while it is being expanded or has deliveries left (their facts are read from it).
    this.#pruneNotifications = db.prepare<[string]>(
      `DELETE FROM notifications
       WHERE created_at < ? AND expanded_through >= last_subscriber_id
         AND NOT EXISTS (SELECT 1 FROM subscriber_deliveries d WHERE d.notification_id = notifications.id)`)
    this.#counts = db.prepare<[], { state: SubscriberDeliveryState, count: number }>(
      'SELECT state, COUNT(*) AS count FROM subscriber_deliveries GROUP BY state')
    this.#unexpanded = db.prepare<[], { count: number }>(
      'SELECT COUNT(*) AS count FROM notifications WHERE expanded_through < last_subscriber_id')
  }

  /**
   * Expands the oldest notification not yet expanded by one batch of subscriber ids, in one transaction
   * (the deliveries and the cursor move together, so a crash repeats or skips nothing). Notifications are
   * expanded one after the other, oldest first: a subscriber's deliveries are created in the order of the
   * events. Undefined when every notification is expanded.
   */
  expandNext (batch: number, now: string): Expansion | undefined {
    return this.#db.transaction(() => {
      const notification = this.#nextUnexpanded.get()
      if (notification === undefined) return undefined
      const from = notification.expanded_through
      const through = Math.min(notification.last_subscriber_id, from + batch)
      const created = this.#expand.run({
        at: now,
        from,
        through,
        notification: notification.id,
        kinds: JSON.stringify(eventKinds(notification.event))
      }).changes
      this.#advance.run(through, notification.id)
      return { notificationId: notification.id, from, through, created, complete: through >= notification.last_subscriber_id }
    }).immediate()
  }

  get (id: number): SubscriberDelivery | undefined {
    const row = this.#byId.get(id)
    return row === undefined ? undefined : toDelivery(row)
  }

  /**
   * In one IMMEDIATE transaction: up to `limit` due deliveries (a lapsed claim first: its attempt's outcome
   * is unknown, it goes out again with the same id), each the earliest waiting of its subscriber, marked
   * `sending` with one more attempt and a lease.
   */
  claimDue (claim: SubscriberClaim): SubscriberDelivery[] {
    if (claim.limit <= 0) return []
    return this.#db.transaction(() => {
      const inFlight = JSON.stringify(claim.inFlight)
      const rows = this.#lapsed.all(claim.now, inFlight, claim.limit)
      if (rows.length < claim.limit) rows.push(...this.#pending.all(claim.now, inFlight, claim.limit - rows.length))
      return rows.map((row) => {
        this.#claim.run(claim.leaseUntil, claim.now, row.id)
        return toDelivery({ ...row, state: 'sending', attempts: row.attempts + 1, next_attempt_at: claim.leaseUntil, updated_at: claim.now })
      })
    }).immediate()
  }

  /** Each outcome only lands on a delivery still `sending` (skipped meanwhile, or already recorded: nothing changes). */
  markSent (id: number, at: string): boolean {
    return this.#sent.run(at, at, id).changes === 1
  }

  markRetry (id: number, error: string, notBefore: string, at: string): boolean {
    return this.#retry.run(error, notBefore, at, id).changes === 1
  }

  markFailed (id: number, error: string, at: string): boolean {
    return this.#failed.run(error, at, id).changes === 1
  }

  /** A claimed delivery not sent after all (its subscriber is no longer active, its kind has no channel). */
  markSkipped (id: number, reason: string, at: string): boolean {
    return this.#skipped.run(reason, at, id).changes === 1
  }

  /** A subscriber no longer sent to (quarantined, bounced): what waits for it is skipped; the number skipped. */
  skipPendingOf (subscriberId: number, reason: string, at: string): number {
    return this.#skipPending.run(reason, at, subscriberId).changes
  }

  /** The earliest time after `now` at which a delivery comes due (a retry, a lapsing claim). */
  nextDueAfter (now: string): string | undefined {
    return this.#nextDue.get(now, now)?.at ?? undefined
  }

  /** Forgets deliveries done before `before`, and the notifications left with none; the numbers removed. */
  prune (before: string): { deliveries: number, notifications: number } {
    return this.#db.transaction(() => ({
      deliveries: this.#pruneDeliveries.run(before).changes,
      notifications: this.#pruneNotifications.run(before).changes
    })).immediate()
  }

  /** Deliveries by state, and the notifications still being expanded: the admin page's view of the outbox. */
  counts (): DeliveryCounts {
    const counts: DeliveryCounts = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0, unexpanded: this.#unexpanded.get()?.count ?? 0 }
    for (const row of this.#counts.all()) counts[row.state] = row.count
    return counts
  }
}
