// The write paths of incidents: open one, post an update (queuing its social deliveries), rename it, fix an update's text, delete a test one; the nudge's time.
import type { Incident, IncidentUpdate, IncidentWithUpdates } from '../domain/model.js'
import { isNudgeMinutes, nudgeLimits } from '../domain/nudge.js'
import { isValidReference } from '../domain/references.js'
import { type ComponentStatus, type Impact, type IncidentStatus, componentImpact, worstComponentStatus } from '../domain/statuses.js'
import { type ServiceContext, nowIso, read, write } from './context.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'
import {
  channelTexts, checkDisplayAt, checkPostText, checkedDisplayAt, checkReference, checkedComponentId, checkedTime, insertRecord, nextReference, writeUpdate
} from './update-writer.js'

/** Component id to the status the update gives it. */
export type ComponentStatusChanges = Record<string, ComponentStatus>

export interface OpenIncidentInput {
  name: string
  body: string
  status?: IncidentStatus
  impact?: Impact
  reference?: string
  components?: ComponentStatusChanges
  notify?: boolean
  displayAt?: string
  /** When it went wrong, if before the first update was posted (down at 08:30, first word at 09:00). */
  startedAt?: string
  /** Posted to the social channels instead of the generated text; null or absent: generated. */
  postText?: string | null
}

export interface PostUpdateInput {
  body: string
  status: IncidentStatus
  components?: ComponentStatusChanges
  notify?: boolean
  displayAt?: string
  /** Posted to the social channels instead of the generated text; null or absent: generated. */
  postText?: string | null
}

export interface IncidentChanges {
  name?: string
  impact?: Impact
}

const nudgeSetting = 'nudge_after_minutes'

/** The nudge's time as stored, or the default (never set, or a value no longer in bounds). */
export function nudgeAfterOf (context: ServiceContext): number {
  const minutes = Number(context.stores.settings.get(nudgeSetting))
  return isNudgeMinutes(minutes) ? minutes : nudgeLimits.default
}

/** What deleting an incident does beyond the incident itself. */
export interface IncidentRemoval {
  reference: string
  name: string
  updates: number
  /** Deliveries not sent yet (pending, or failed and waiting for a retry): cancelled with it. */
  pending: number
  /** Deliveries a worker is sending now: deletion waits for them. */
  sending: number
  /** The posts already on the channels, oldest first: they stay there until removed by hand. */
  sentPosts: SentPostLink[]
}

export interface SentPostLink {
  channel: string
  /** The post's id on the channel, as it answered (null when it gave none). */
  remoteId: string | null
  /** The post's address, as the channel gave it (null when it gave none). */
  url: string | null
}

function removalOf (context: ServiceContext, incident: Incident): IncidentRemoval {
  const { incidents, deliveries } = context.stores
  const all = deliveries.ofIncident(incident.id)
  return {
    reference: incident.reference,
    name: incident.name,
    updates: incidents.withTimeline(incident)?.updates.length ?? 0,
    pending: all.filter((delivery) => delivery.state === 'pending' || delivery.state === 'failed').length,
    sending: all.filter((delivery) => delivery.state === 'sending').length,
    sentPosts: all.filter((delivery) => delivery.state === 'sent')
      .map((delivery) => ({ channel: delivery.channel, remoteId: delivery.remoteId, url: delivery.remoteUrl }))
  }
}

export class IncidentService {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  get (reference: string): IncidentWithUpdates {
    const { incidents } = this.#context.stores
    const incident = incidents.byReference(reference)
    if (incident === undefined) throw new NotFoundError(`no incident with reference ${reference}`)
    return incidents.withUpdates([incident])[0] as IncidentWithUpdates
  }

  /** The incident or maintenance (they share references) with this reference, without its updates; undefined when there is none. */
  find (reference: string): Incident | undefined {
    return isValidReference(reference) ? this.#context.stores.incidents.byReference(reference) : undefined
  }

  /**
   * The reference an incident opened now without one would get (see nextReference): what the form shows
   * before posting, and what posting uses unless another incident or maintenance is opened in between.
   */
  nextReference (): string {
    return nextReference(this.#context, 'preview')
  }

  /**
   * Opens an incident with its first update. Without an impact, the impact follows the worst
   * component status given (none when no component is affected), as Statuspage does.
   */
  open (input: OpenIncidentInput, actor: string): IncidentWithUpdates {
    const context = this.#context
    const { audit } = context.stores
    const at = nowIso(context)
    const displayAt = checkedDisplayAt(input.displayAt, at)
    const startedAt = input.startedAt === undefined ? displayAt : checkedTime(input.startedAt, 'started_at')
    if (startedAt > displayAt) throw new InvalidInputError('an incident cannot start after its first update', { field: 'started_at' })
    const status = input.status ?? 'investigating'
    const changes = this.#checkComponents(input.components)
    checkPostText(input.postText)
    checkReference(input.reference)
    const reference = write(context, () => {
      const impact = input.impact ?? componentImpact[worstComponentStatus(changes.map(([, s]) => s))]
      const incident = insertRecord(context, { reference: input.reference, name: input.name, impact, status, startedAt, at })
      writeUpdate(context, incident, { body: input.body, status, notify: input.notify, displayAt, postText: input.postText }, changes, at)
      audit.record({ at, actor, action: 'incident.open', incidentId: incident.id, detail: { reference: incident.reference, name: input.name, status, impact } })
      return incident.reference
    })
    return this.get(reference)
  }

  /** Adds an update; `resolved` without components puts every component of the incident back to operational. */
  postUpdate (reference: string, input: PostUpdateInput, actor: string): IncidentWithUpdates {
    const context = this.#context
    const { incidents, audit } = context.stores
    const at = nowIso(context)
    let changes = this.#checkComponents(input.components)
    checkPostText(input.postText)
    const displayAt = checkedDisplayAt(input.displayAt, at)
    write(context, () => {
      const incident = this.#incident(reference)
      checkDisplayAt(incident, displayAt)
      if (input.status === 'resolved' && input.components === undefined) {
        changes = incidents.componentsOf(incident.id).map(({ id }) => [id, 'operational'])
      }
      const updateId = writeUpdate(context, incident, { ...input, displayAt }, changes, at)
      audit.record({ at, actor, action: 'incident.update', incidentId: incident.id, detail: { reference: incident.reference, updateId, status: input.status } })
    })
    return this.get(reference)
  }

  edit (reference: string, changes: IncidentChanges, actor: string): IncidentWithUpdates {
    const context = this.#context
    const { incidents, audit } = context.stores
    const at = nowIso(context)
    write(context, () => {
      const incident = this.#incident(reference)
      incidents.save({ ...incident, name: changes.name ?? incident.name, impact: changes.impact ?? incident.impact, updatedAt: at })
      audit.record({
        at,
        actor,
        action: 'incident.edit',
        incidentId: incident.id,
        detail: { reference: incident.reference, before: { name: incident.name, impact: incident.impact }, after: changes }
      })
    })
    return this.get(reference)
  }

  /** After how many minutes without an update an open incident is flagged on the dashboard (nudgeLimits). */
  nudgeAfter (): number {
    return nudgeAfterOf(this.#context)
  }

  /** Sets the nudge's time (an admin's setting), audited; a 400 naming `minutes` outside nudgeLimits. */
  setNudgeAfter (minutes: number, actor: string): void {
    const context = this.#context
    if (!isNudgeMinutes(minutes)) {
      throw new InvalidInputError(`minutes must be a whole number from ${nudgeLimits.min} to ${nudgeLimits.max}`, { field: 'minutes' })
    }
    const at = nowIso(context)
    write(context, () => {
      const before = nudgeAfterOf(context)
      context.stores.settings.set(nudgeSetting, String(minutes))
      context.stores.audit.record({ at, actor, action: 'settings.nudge', incidentId: null, detail: { before, after: minutes } })
    })
  }

  /**
   * What deleting an incident would do, for the confirmation page: the posts already sent (which stay on
   * the channels: Herald cannot take them back) and the deliveries not sent yet (cancelled).
   */
  removal (reference: string): IncidentRemoval {
    const context = this.#context
    return read(context, () => removalOf(context, this.#incident(reference)))
  }

  /**
   * Deletes a test incident: its updates and deliveries go (pending ones are cancelled), the pages, feeds
   * and APIs no longer show it, and the audit log keeps its reference, name and the posts sent, so they can
   * be removed by hand. Refused while a post is being sent: its outcome would be lost.
   */
  remove (reference: string, actor: string): { removal: IncidentRemoval, auditId: number } {
    const context = this.#context
    const { incidents, audit } = context.stores
    const at = nowIso(context)
    return write(context, () => {
      const incident = this.#incident(reference)
      const removal = removalOf(context, incident)
      if (removal.sending > 0) {
        throw new ConflictError(`a post of ${incident.reference} is being sent right now: try again in a minute, then its link is listed too`)
      }
      incidents.remove(incident.id)
      const auditId = audit.record({
        at,
        actor,
        action: 'incident.delete',
        incidentId: null,
        detail: {
          reference: incident.reference,
          name: incident.name,
          status: incident.status,
          impact: incident.impact,
          startedAt: incident.startedAt,
          updates: removal.updates,
          cancelledDeliveries: removal.pending,
          sentPosts: removal.sentPosts
        }
      })
      return { removal, auditId }
    })
  }

  /**
   * Fixes the text of an update; its time stays, and the old text is kept in the audit log. A delivery
   * not attempted yet takes the fixed text; one attempted keeps its text, so that a resend is identical.
   */
  editUpdate (reference: string, updateId: number, body: string, actor: string): IncidentUpdate {
    const context = this.#context
    const { incidents, audit, deliveries } = context.stores
    const at = nowIso(context)
    return write(context, () => {
      const incident = incidents.byReference(reference)
      const update = incidents.update(updateId)
      if (incident === undefined || update === undefined || update.incidentId !== incident.id) {
        throw new NotFoundError(`no update ${updateId} on incident ${reference}`)
      }
      incidents.editUpdateBody(updateId, body, at)
      audit.record({ at, actor, action: 'update.edit', incidentId: incident.id, detail: { reference: incident.reference, updateId, before: update.body, after: body } })
      incidents.save({ ...incident, updatedAt: at })
      const { postText } = update
      for (const { channel, text } of channelTexts(context, incident, { id: updateId, status: update.status, body, postText })) {
        deliveries.refreshText(updateId, channel, text, at)
      }
      return incidents.update(updateId) as IncidentUpdate
    })
  }

  /** An incident (not a maintenance: those have their own statuses and service) by its reference. */
  #incident (reference: string): Incident {
    const incident = this.#context.stores.incidents.byReference(reference)
    if (incident === undefined) throw new NotFoundError(`no incident with reference ${reference}`)
    if (incident.maintenance !== null) throw new ConflictError(`${incident.reference} is a maintenance: post its updates as a maintenance`)
    return incident
  }

  #checkComponents (components: ComponentStatusChanges | undefined): Array<[number, ComponentStatus]> {
    return Object.entries(components ?? {}).map(([key, status]) => [checkedComponentId(this.#context, key), status])
  }
}
