// Postmortems: the written account of a resolved incident, its draft and published body, and the status it gives the incident.
import type { Incident } from './model.js'
import type { UpdateStatus } from './statuses.js'

/** The longest postmortem body accepted, in characters: a long account with its timeline, well past an update's. */
export const maxPostmortemBody = 100_000

/**
 * An incident's postmortem, as Statuspage keeps one: the draft the admin writes, and the body readers see
 * from its publication on. Publishing copies the draft into the body; unpublishing takes the body away and
 * keeps the draft.
 */
export interface Postmortem {
  incidentId: number
  /** Markdown, as last saved. */
  draft: string
  draftUpdatedAt: string
  /** Markdown, as published; null while it is not published. */
  body: string | null
  /** When the published body last changed (Statuspage's postmortem_body_last_updated_at). */
  bodyUpdatedAt: string | null
  /** When it was published (or the time given for it); null while it is not published. */
  publishedAt: string | null
  createdAt: string
  updatedAt: string
}

/** What readers see of a published postmortem: the public pages, the feeds and /api/v2 get only this. */
export interface PublishedPostmortem {
  body: string
  bodyUpdatedAt: string
  publishedAt: string
}

/** The published part of a postmortem, or null when there is none or it is a draft only. */
export function publishedPart (postmortem: Postmortem | undefined): PublishedPostmortem | null {
  if (postmortem === undefined || postmortem.body === null || postmortem.publishedAt === null || postmortem.bodyUpdatedAt === null) return null
  return { body: postmortem.body, bodyUpdatedAt: postmortem.bodyUpdatedAt, publishedAt: postmortem.publishedAt }
}

/** A postmortem is written about a resolved incident: not about an open one, nor about a maintenance. */
export function canHavePostmortem (incident: Incident): boolean {
  return incident.maintenance === null && incident.resolvedAt !== null
}

/** The fragment of the postmortem on its incident page (the id of its section there). */
export const postmortemAnchor = 'postmortem'

/**
 * The status Statuspage shows for an incident: `postmortem` once a resolved incident's postmortem is
 * published (and only while it is; a reopened incident shows its own status again). Herald's own pages
 * keep showing "Resolved" with the postmortem as a section of its own; the API follows Statuspage.
 */
export function statusWithPostmortem (incident: Incident, postmortem: PublishedPostmortem | null): UpdateStatus {
  if (postmortem !== null && incident.status === 'resolved' && canHavePostmortem(incident)) return 'postmortem'
  return incident.status
}
