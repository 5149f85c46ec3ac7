// What every update of an incident or a maintenance writes in its transaction: the row, the status, component changes, the outbox.
import type { Incident } from '../domain/model.js'
import { type PostLimit, buildPostText, maxCustomPostText, updateLink } from '../domain/post-text.js'
import { defaultMaintenancePrefix, formatReference, isValidReference } from '../domain/references.js'
import { type ComponentStatus, type UpdateStatus, isClosedStatus } from '../domain/statuses.js'
import { isoTime } from '../domain/time.js'
import type { NewIncident } from '../store/incidents-store.js'
import { type ServiceContext, signalAfterCommit } from './context.js'
import { ConflictError, InvalidInputError } from './errors.js'
import { type ComponentChange, queueUpdateNotifications } from './notifications.js'

export interface UpdateToWrite {
  body: string
  status: UpdateStatus
  notify?: boolean | undefined
  displayAt: string
  /** Posted to the social channels instead of the generated text; null or absent: generated. */
  postText?: string | null | undefined
}

export function checkPostText (postText: string | null | undefined): void {
  // Counted in code points, as the JSON schemas count maxLength: an emoji is one character, not two.
  if (typeof postText === 'string' && [...postText].length > maxCustomPostText) {
    throw new InvalidInputError(`post text must be at most ${maxCustomPostText} characters`, { field: 'post_text' })
  }
}

export function checkReference (reference: string | undefined): void {
  if (reference !== undefined && !isValidReference(reference)) throw new InvalidInputError('reference must be 2 to 32 letters and digits', { field: 'reference' })
}

/** A time as stored (UTC, milliseconds), whatever offset it was typed with; a 400 naming the field when it is no real moment. */
export function checkedTime (text: string, field: string): string {
  const time = isoTime(text)
  if (time === null) throw new InvalidInputError(`${field} is not a time that exists`, { field })
  return time
}

/** How far ahead of the server's clock an update may be dated: a minute, for a sender's clock a little fast. */
export const displayAtLeewayMs = 60_000

/**
 * The time an update shows: now when none is given, else the given time (stored in UTC), never more than
 * a minute in the future: an update dated later (2030) would sit at the top of the history and the feeds
 * until then. The one rule for every way of posting an update (token API, admin forms, maintenances).
 */
export function checkedDisplayAt (typed: string | undefined, now: string): string {
  if (typed === undefined) return now
  const displayAt = checkedTime(typed, 'display_at')
  if (Date.parse(displayAt) - Date.parse(now) > displayAtLeewayMs) {
    throw new InvalidInputError(`display_at is in the future (${displayAt}, it is ${now} now): date an update now or earlier`, { field: 'display_at', rule: 'display-at-future' })
  }
  return displayAt
}

/** The id of a component that exists (not deleted); a 400 naming it otherwise. */
export function checkedComponentId (context: ServiceContext, key: string | number): number {
  const id = Number(key)
  if (!Number.isSafeInteger(id) || context.stores.components.get(id) === undefined) throw new InvalidInputError(`components: no component with id ${key}`, { field: 'components' })
  return id
}

/**
 * An update is shown after its incident started (or, for a maintenance announced before its window, was
 * announced): one back-dated before that would put a resolution before the start.
 */
export function checkDisplayAt (incident: Incident, displayAt: string): void {
  const earliest = incident.startedAt < incident.createdAt ? incident.startedAt : incident.createdAt
  if (displayAt < earliest) throw new InvalidInputError(`display_at is before ${incident.reference} started (${earliest})`, { field: 'display_at' })
}

/** What a record is, for its reference: incidents and maintenances each have their prefix and their sequence. */
export type RecordKind = 'incident' | 'maintenance'

const sequences: Record<RecordKind, string> = { incident: 'reference_sequence', maintenance: 'maintenance_reference_sequence' }

function prefixOf (context: ServiceContext, kind: RecordKind): string {
  return kind === 'incident' ? context.incidentPrefix : context.maintenancePrefix ?? defaultMaintenancePrefix
}

/**
 * The reference a record opened without one gets: its kind's configured prefix and the first number after
 * its kind's sequence that no incident or maintenance has (one given by hand may have taken it). The one
 * rule for both uses: with `take`, inside a write, each number tried is taken from the sequence, as opening
 * a record does, so no two records get the same one; without, nothing is written, for a form to show before
 * posting. Both try the same numbers from the same sequence, so what a form shows is what posting it
 * uses, unless another record is opened in between (it then gets the next free one).
 */
export function nextReference (context: ServiceContext, use: 'take' | 'preview', kind: RecordKind = 'incident'): string {
  const { counters, incidents } = context.stores
  const counter = sequences[kind]
  let sequence = counters.get(counter)
  for (;;) {
    sequence = use === 'take' ? counters.bump(counter) : sequence + 1
    const reference = formatReference(prefixOf(context, kind), sequence)
    if (!incidents.referenceTaken(reference)) return reference
  }
}

/** Inside a write: a new incident or maintenance under the given reference (checked free) or the next one. */
export function insertRecord (context: ServiceContext, record: Omit<NewIncident, 'reference'> & { reference?: string | undefined }): Incident {
  const { incidents } = context.stores
  const reference = record.reference ?? nextReference(context, 'take', record.maintenance === undefined ? 'incident' : 'maintenance')
  if (incidents.referenceTaken(reference)) throw new ConflictError(`an incident with reference ${reference} already exists`, { field: 'reference', rule: 'reference-taken' })
  return incidents.byId(incidents.insert({ ...record, reference })) as Incident
}

/** The text of an update's post on each channel that is on, fixed with the link to the update. */
export function channelTexts (
  context: ServiceContext,
  incident: Incident,
  update: { id: number, status: UpdateStatus, body: string, postText: string | null }
): Array<{ channel: PostLimit['channel'], text: string, link: string }> {
  const social = context.social
  if (social === undefined) return []
  const link = updateLink(social.publicUrl, incident.reference, update.id)
  return social.limits.map((limit) => ({
    channel: limit.channel,
    link,
    text: buildPostText({
      status: update.status,
      reference: incident.reference,
      incidentName: incident.name,
      body: update.body,
      customText: update.postText,
      link
    }, limit)
  }))
}

/**
 * Inside a write: the update row, the incident's new status and times, the component changes, one
 * delivery per channel that is on (the outbox; the worker is woken once this commits), and, when it
 * notifies, the notifications that tell subscribers. Returns the update's id.
 */
export function writeUpdate (
  context: ServiceContext,
  incident: Incident,
  input: UpdateToWrite,
  changes: ReadonlyArray<readonly [number, ComponentStatus]>,
  at: string,
  // A maintenance's start moves its start time to when it started.
  startedAt: string = incident.startedAt
): number {
  const { incidents, components, statusHistory } = context.stores
  // A blank custom text is no custom text: the post is generated.
  const postText = input.postText === undefined || input.postText === null || input.postText.trim() === '' ? null : input.postText
  const updateId = incidents.insertUpdate({
    incidentId: incident.id,
    status: input.status,
    body: input.body,
    notify: input.notify ?? true,
    displayAt: input.displayAt,
    postText,
    at
  })
  const closed = isClosedStatus(input.status)
  incidents.save({
    ...incident,
    status: input.status,
    startedAt,
    monitoringAt: input.status === 'monitoring' ? incident.monitoringAt ?? input.displayAt : incident.monitoringAt,
    // Reopening clears the resolution; a postmortem keeps the time it was resolved.
    resolvedAt: closed ? incident.resolvedAt ?? input.displayAt : null,
    updatedAt: at
  })
  const changed: ComponentChange[] = []
  for (const [componentId, newStatus] of changes) {
    incidents.linkComponent(incident.id, componentId)
    const component = components.get(componentId)
    if (component === undefined || component.status === newStatus) continue
    components.setStatus(componentId, newStatus, at)
    statusHistory.insert({ componentId, updateId, oldStatus: component.status, newStatus, changedAt: input.displayAt })
    changed.push({ componentId, oldStatus: component.status, newStatus })
  }
  queueDeliveries(context, incident, updateId, { ...input, postText }, at)
  queueUpdateNotifications(context, {
    incidentId: incident.id,
    updateId,
    maintenance: incident.maintenance !== null,
    notify: input.notify ?? true,
    componentIds: () => incidents.componentsOf(incident.id).map((component) => component.id),
    changes: changed
  }, at)
  return updateId
}

/** The update's outbox rows: its post text fixed now for each channel, pending (or skipped without notify). */
function queueDeliveries (context: ServiceContext, incident: Incident, updateId: number, input: UpdateToWrite & { postText: string | null }, at: string): void {
  const { deliveries } = context.stores
  const texts = channelTexts(context, incident, { id: updateId, status: input.status, body: input.body, postText: input.postText })
  if (texts.length === 0) return
  const notify = input.notify ?? true
  for (const { channel, text, link } of texts) {
    deliveries.insert({ updateId, incidentId: incident.id, channel, state: notify ? 'pending' : 'skipped', text, link, at })
  }
  if (notify) signalAfterCommit(context, 'deliveriesDue')
}
