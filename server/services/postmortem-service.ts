// The write paths of postmortems: save a draft, publish it (posting to the social channels when asked), unpublish it; and its lookup.
import type { Incident } from '../domain/model.js'
import { type Postmortem, canHavePostmortem } from '../domain/postmortems.js'
import { buildPostmortemPostText, postmortemLink } from '../domain/post-text.js'
import { type ServiceContext, nowIso, read, signalAfterCommit, write } from './context.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'
import { checkedTime } from './update-writer.js'

export interface PublishPostmortemInput {
  /** Saved as the draft, then published; absent: the saved draft is published. */
  body?: string | undefined
  /** When it was published: absent, now (or, when it is published already, the time it has); never in the future. */
  publishedAt?: string | undefined
  /** Post "a postmortem is out" to the social channels that are on (once per channel, however often it is published). */
  notify?: boolean | undefined
}

export interface IncidentPostmortem {
  incident: Incident
  /** null: none was ever written. */
  postmortem: Postmortem | null
}

export class PostmortemService {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  /** The incident and its postmortem (draft and published) of one snapshot; 404 for an unknown reference. */
  get (reference: string): IncidentPostmortem {
    return read(this.#context, () => {
      const incident = this.#incident(reference)
      return { incident, postmortem: this.#context.stores.postmortems.get(incident.id) ?? null }
    })
  }

  /** Saves the draft; what readers see (a published body, or nothing) does not change. */
  saveDraft (reference: string, draft: string, actor: string): IncidentPostmortem {
    const context = this.#context
    const at = nowIso(context)
    write(context, () => {
      const incident = this.#writable(reference)
      const current = context.stores.postmortems.get(incident.id)
      context.stores.postmortems.save({ ...(current ?? fresh(incident.id, at)), draft, draftUpdatedAt: at, updatedAt: at })
      context.stores.audit.record({ at, actor, action: 'postmortem.draft', incidentId: incident.id, detail: { reference: incident.reference, characters: [...draft].length } })
    })
    return this.get(reference)
  }

  /**
   * Publishes the draft (after saving `body` as the draft, when given): readers see it from now on, with its
   * published time; publishing again puts the edited draft out and keeps that time unless one is given. In
   * the same write: the incident's last change (the pages, /api/v2 and the mirror follow), the audit entry,
   * and with `notify` one post per channel that is on and has not had it yet.
   */
  publish (reference: string, input: PublishPostmortemInput, actor: string): IncidentPostmortem {
    const context = this.#context
    const { postmortems, incidents, audit } = context.stores
    const at = nowIso(context)
    const given = input.publishedAt === undefined ? undefined : checkedTime(input.publishedAt, 'published_at')
    if (given !== undefined && given > at) throw new InvalidInputError(`published_at ${given} is in the future`, { field: 'published_at' })
    write(context, () => {
      const incident = this.#writable(reference)
      const current = postmortems.get(incident.id)
      const draft = input.body ?? current?.draft
      if (draft === undefined) throw new ConflictError(`${incident.reference} has no postmortem draft to publish: write one first`, { field: 'body' })
      const resolvedAt = incident.resolvedAt as string
      if (given !== undefined && given < resolvedAt) {
        throw new InvalidInputError(`published_at is before ${incident.reference} was resolved (${resolvedAt})`, { field: 'published_at' })
      }
      const base = current ?? fresh(incident.id, at)
      const changed = base.body !== draft
      const publishedAt = given ?? base.publishedAt ?? at
      postmortems.save({
        ...base,
        draft,
        draftUpdatedAt: input.body === undefined || input.body === base.draft ? base.draftUpdatedAt : at,
        body: draft,
        bodyUpdatedAt: changed || base.bodyUpdatedAt === null ? at : base.bodyUpdatedAt,
        publishedAt,
        updatedAt: at
      })
      incidents.save({ ...incident, updatedAt: at })
      const posted = input.notify === true ? this.#queuePosts(incident, at) : []
      audit.record({
        at,
        actor,
        action: 'postmortem.publish',
        incidentId: incident.id,
        detail: { reference: incident.reference, publishedAt, republished: base.publishedAt !== null, posted, body: draft }
      })
    })
    return this.get(reference)
  }

  /** Takes the published body off the pages, the feeds and the API; the draft stays, to be published again. */
  unpublish (reference: string, actor: string): IncidentPostmortem {
    const context = this.#context
    const { postmortems, incidents, deliveries, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const incident = this.#incident(reference)
      const current = postmortems.get(incident.id)
      if (current === undefined || current.publishedAt === null) throw new ConflictError(`${incident.reference} has no published postmortem`)
      postmortems.save({ ...current, body: null, bodyUpdatedAt: null, publishedAt: null, updatedAt: at })
      incidents.save({ ...incident, updatedAt: at })
      deliveries.skipPendingPostmortem(incident.id, at)
      audit.record({ at, actor, action: 'postmortem.unpublish', incidentId: incident.id, detail: { reference: incident.reference, publishedAt: current.publishedAt } })
    })
    return this.get(reference)
  }

  /** Inside a write: one pending delivery per channel that is on and was not given this postmortem yet; the channels queued. */
  #queuePosts (incident: Incident, at: string): string[] {
    const context = this.#context
    const social = context.social
    if (social === undefined || social.limits.length === 0) return []
    const { deliveries } = context.stores
    const done = deliveries.postmortemChannels(incident.id)
    const link = postmortemLink(social.publicUrl, incident.reference)
    const queued: string[] = []
    for (const limit of social.limits) {
      if (done.has(limit.channel)) continue
      const text = buildPostmortemPostText({ reference: incident.reference, incidentName: incident.name, link }, limit)
      deliveries.insert({ updateId: null, incidentId: incident.id, channel: limit.channel, state: 'pending', text, link, at })
      queued.push(limit.channel)
    }
    if (queued.length > 0) signalAfterCommit(context, 'deliveriesDue')
    return queued
  }

  #incident (reference: string): Incident {
    const incident = this.#context.stores.incidents.byReference(reference)
    if (incident === undefined) throw new NotFoundError(`no incident with reference ${reference}`)
    return incident
  }

  /** An incident a postmortem can be written about: 409 for a maintenance or one not resolved (yet, or again). */
  #writable (reference: string): Incident {
    const incident = this.#incident(reference)
    if (incident.maintenance !== null) throw new ConflictError(`${incident.reference} is a maintenance: only an incident has a postmortem`)
    if (!canHavePostmortem(incident)) throw new ConflictError(`${incident.reference} is not resolved: a postmortem is written once the incident is resolved`)
    return incident
  }
}

function fresh (incidentId: number, at: string): Postmortem {
  return { incidentId, draft: '', draftUpdatedAt: at, body: null, bodyUpdatedAt: null, publishedAt: null, createdAt: at, updatedAt: at }
}
