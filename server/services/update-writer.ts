// What every update of an incident or a maintenance writes in its transaction: the row, the status, component changes, the outbox.
import type { Incident } from '../domain/model.js'
import { buildPostText, maxCustomPostText, updateLink } from '../domain/post-text.js'
import { formatReference } from '../domain/references.js'
import { type ComponentStatus, type UpdateStatus, isClosedStatus } from '../domain/statuses.js'
import { type ServiceContext, afterCommit } from './context.js'
import { InvalidInputError } from './errors.js'

export interface UpdateToWrite {
  body: string
  status: UpdateStatus
  notify?: boolean | undefined
  displayAt: string
  /** Posted to the social channels instead of the generated text; null or absent: generated. */
  postText?: string | null | undefined
}

export function checkPostText (postText: string | null | undefined): void {
  if (typeof postText === 'string' && postText.length > maxCustomPostText) {
    throw new InvalidInputError(`post text must be at most ${maxCustomPostText} characters`)
  }
}

/** Inside a write: the next free reference made from the configured prefix and the sequence. */
export function nextReference (context: ServiceContext): string {
  const { counters, incidents } = context.stores
  for (;;) {
    const reference = formatReference(context.incidentPrefix, counters.bump('reference_sequence'))
    if (!incidents.referenceTaken(reference)) return reference
  }
}

/**
 * Inside a write: the update row, the incident's new status and times, the component changes, and one
 * delivery per channel that is on (the outbox; the worker is woken once this commits). Returns the update's id.
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
  const updateId = incidents.insertUpdate({
    incidentId: incident.id,
    status: input.status,
    body: input.body,
    notify: input.notify ?? true,
    displayAt: input.displayAt,
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
  for (const [componentId, newStatus] of changes) {
    incidents.linkComponent(incident.id, componentId)
    const component = components.get(componentId)
    if (component === undefined || component.status === newStatus) continue
    components.setStatus(componentId, newStatus, at)
    statusHistory.insert({ componentId, updateId, oldStatus: component.status, newStatus, changedAt: input.displayAt })
  }
  queueDeliveries(context, incident, updateId, input, at)
  return updateId
}

/** The update's outbox rows: its post text fixed now for each channel, pending (or skipped without notify). */
function queueDeliveries (context: ServiceContext, incident: Incident, updateId: number, input: UpdateToWrite, at: string): void {
  const { deliveries } = context.stores
  const social = context.social
  const postText = input.postText === undefined || input.postText === null || input.postText.trim() === '' ? null : input.postText
  if (postText !== null) deliveries.setPostText(updateId, postText)
  if (social === undefined || social.limits.length === 0) return
  const link = updateLink(social.publicUrl, incident.reference, updateId)
  const notify = input.notify ?? true
  for (const limit of social.limits) {
    const text = buildPostText({
      status: input.status,
      reference: incident.reference,
      incidentName: incident.name,
      body: input.body,
      customText: postText,
      link
    }, limit)
    deliveries.insert({ updateId, incidentId: incident.id, channel: limit.channel, state: notify ? 'pending' : 'skipped', text, link, at })
  }
  if (notify) afterCommit(context, social.wake)
}
