// What the RSS and Atom feeds share: which feed it is, and each item's (an update's or a postmortem's) title, link, dates and HTML body.
import { escapeHtml, renderMarkdown } from '../domain/markdown.js'
import type { AffectedComponent, Incident, IncidentUpdate } from '../domain/model.js'
import type { PublishedPostmortem } from '../domain/postmortems.js'
import { postmortemLink, updateLink } from '../domain/post-text.js'
import { componentStatusLabels, updateStatusLabels } from '../domain/statuses.js'
import { isolateBidi } from '../domain/text.js'

export { updateLink }

/** How many updates a feed carries: enough for a long incident, small enough for readers polling often. */
export const feedSize = 50

/** Minutes a reader may keep the feed before polling again: status changes are urgent. */
export const feedTtlMinutes = 5

export type FeedFormat = 'rss' | 'atom'

export interface FeedChannel {
  siteName: string
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string
  /** Set for a component's own feed, which carries only the updates of incidents that affected it. */
  component?: { id: number, name: string }
  /** The uploaded logo's and favicon's paths (Appearance), when there are: the feed's image, logo and icon. */
  logo?: string
  icon?: string
}

export interface FeedEntry {
  incident: Incident
  update: IncidentUpdate
}

/** A published postmortem: an entry of its own, beside its incident's updates. */
export interface PostmortemFeedEntry {
  incident: Incident
  postmortem: PublishedPostmortem
}

/** What a feed lists: updates and postmortems, newest first. */
export type FeedItem = FeedEntry | PostmortemFeedEntry

/**
 * The updates and the postmortems (each newest first) in one list, newest first by the time each is shown
 * at (an update's display time, a postmortem's publication), at most `limit`.
 */
export function feedItems (updates: FeedEntry[], postmortems: PostmortemFeedEntry[], limit: number): FeedItem[] {
  return [...updates, ...postmortems]
    .sort((a, b) => Date.parse(itemTime(b)) - Date.parse(itemTime(a)))
    .slice(0, limit)
}

/** When the item is dated: an update's display time (it may be back-dated), a postmortem's publication. */
export function itemTime (item: FeedItem): string {
  return 'update' in item ? item.update.displayAt : item.postmortem.publishedAt
}

/** The item's permanent link: the update's anchor, or the postmortem's section, on the incident page. */
export function itemLink (publicUrl: string, item: FeedItem): string {
  return 'update' in item ? updateLink(publicUrl, item.incident.reference, item.update.id) : postmortemLink(publicUrl, item.incident.reference)
}

/** The category term: the update's status, or `postmortem`. */
export function itemCategory (item: FeedItem): string {
  return 'update' in item ? item.update.status : 'postmortem'
}

/** The feed's path: /history.rss, or /components/7/history.atom for a component's feed. */
export function feedPath (format: FeedFormat, component?: { id: number }): string {
  const file = `history.${format}`
  return component === undefined ? `/${file}` : `/components/${component.id}/${file}`
}

/** "Example Status", or "Example Status: Sign-in" for a component's feed. */
export function feedTitle ({ siteName, component }: FeedChannel): string {
  return component === undefined ? siteName : `${siteName}: ${isolateBidi(component.name)}`
}

export function feedDescription ({ siteName, component }: FeedChannel): string {
  return component === undefined
    ? `Every incident update posted on ${siteName}, newest first.`
    : `Every update of the incidents and maintenances that affected ${isolateBidi(component.name)} on ${siteName}, newest first.`
}

/**
 * "[Identified] Microsoft Teams outage (TM202916)": the status, the incident and its reference. Titles are
 * plain text, so a name with bidi controls is isolated by characters, not by <bdi>.
 */
export function itemTitle (item: FeedItem): string {
  const label = 'update' in item ? updateStatusLabels[item.update.status] : 'Postmortem'
  return `[${label}] ${isolateBidi(item.incident.name)} (${item.incident.reference})`
}

function affectedComponentsHtml (affected: AffectedComponent[]): string {
  if (affected.length === 0) return ''
  const changes = affected.map(({ name, oldStatus, newStatus }) =>
    `${escapeHtml(isolateBidi(name))} (${componentStatusLabels[oldStatus]} → ${componentStatusLabels[newStatus]})`)
  return `<p>Affected components: ${changes.join(', ')}</p>`
}

/** The item body: the sanitized HTML of the update, then the component status changes it made; or of the postmortem. */
export function itemDescription (item: FeedItem): string {
  if (!('update' in item)) return renderMarkdown(item.postmortem.body)
  const { update } = item
  return [renderMarkdown(update.body), affectedComponentsHtml(update.affectedComponents)]
    .filter((part) => part !== '')
    .join('\n')
}
