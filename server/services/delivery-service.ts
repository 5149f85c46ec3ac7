// The social deliveries: which channels are on, each update's (and postmortem's) deliveries, retrying a failed one, recording a sent post.
import type { Delivery, SentPost } from '../domain/deliveries.js'
import type { ChannelName } from '../domain/post-text.js'
import { type ServiceContext, nowIso, signalAfterCommit, write } from './context.js'
import { ConflictError, NotFoundError } from './errors.js'

export class DeliveryService {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  /** The channels updates are cross-posted to; empty when cross-posting is off. */
  channels (): ChannelName[] {
    return (this.#context.social?.limits ?? []).map((limit) => limit.channel)
  }

  /** The deliveries of an incident's updates, by update id; each update's in channel order (its postmortem's: forPostmortem). */
  forIncident (reference: string): Map<number, Delivery[]> {
    const { incidents, deliveries } = this.#context.stores
    const incident = incidents.byReference(reference)
    if (incident === undefined) throw new NotFoundError(`no incident with reference ${reference}`)
    const byUpdate = new Map<number, Delivery[]>()
    for (const delivery of deliveries.ofIncident(incident.id)) {
      if (delivery.updateId === null) continue
      const list = byUpdate.get(delivery.updateId) ?? []
      list.push(delivery)
      byUpdate.set(delivery.updateId, list)
    }
    return byUpdate
  }

  /** The deliveries of an incident's postmortem, in channel order (none when it was never posted). */
  forPostmortem (reference: string): Delivery[] {
    const { incidents, deliveries } = this.#context.stores
    const incident = incidents.byReference(reference)
    if (incident === undefined) throw new NotFoundError(`no incident with reference ${reference}`)
    return deliveries.ofIncident(incident.id).filter((delivery) => delivery.updateId === null)
  }

  get (id: number): Delivery {
    const delivery = this.#context.stores.deliveries.get(id)
    if (delivery === undefined) throw new NotFoundError(`no delivery ${id}`)
    return delivery
  }

  /**
   * Sends a failed delivery again (after the cause was fixed: a credential, the channel's outage). It
   * goes back to pending with a fresh count of attempts; the worker is woken once this commits.
   */
  retry (id: number, actor: string): Delivery {
    const context = this.#context
    const { deliveries, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const delivery = this.get(id)
      if (delivery.state !== 'failed') throw new ConflictError(`delivery ${id} is ${delivery.state}: only a failed delivery can be retried`)
      deliveries.requeue(id, at)
      audit.record({
        at,
        actor,
        action: 'delivery.retry',
        incidentId: delivery.incidentId,
        detail: { deliveryId: id, updateId: delivery.updateId, channel: delivery.channel, attempts: delivery.attempts, error: delivery.lastError }
      })
      signalAfterCommit(context, 'deliveriesDue')
    })
    return this.get(id)
  }

  /**
   * The outbox worker's record of a post a channel took: the delivery is sent, with the post's id, which
   * the next post of its thread answers and the public API shows (tweet_id). A write like any other, so
   * the content version moves in the same transaction and no cached body goes on without the post. False
   * when the delivery was no longer `sending` (its claim lapsed and another attempt took it over).
   */
  recordSent (id: number, post: SentPost): boolean {
    const context = this.#context
    const at = nowIso(context)
    return write(context, () => context.stores.deliveries.markSent(id, post.remoteId, post.remoteUrl, post.note, at))
  }
}
