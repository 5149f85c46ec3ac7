// The RSS document of the most recent updates: one item per update, every string made safe for XML first.
import RSS from 'rss'
import { renderMarkdown } from '../domain/markdown.js'
import type { AffectedComponent, Incident, IncidentUpdate } from '../domain/model.js'
import { componentStatusLabels, incidentStatusLabels } from '../domain/statuses.js'
import { stripXmlForbidden } from '../domain/text.js'

/** How many updates the feed carries: enough for a long incident, small enough for readers polling often. */
export const feedSize = 50

/** Minutes a reader may keep the feed before polling again: status changes are urgent. */
export const feedTtlMinutes = 5

export interface FeedChannel {
  siteName: string
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string
}

export interface FeedEntry {
  incident: Incident
  update: IncidentUpdate
}

function escapeHtml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** The permalink of one update: its anchor on the incident page. */
export function updateLink (publicUrl: string, reference: string, updateId: number): string {
  return `${publicUrl}/incidents/${encodeURIComponent(reference)}#update-${updateId}`
}

/** "[Identified] Microsoft Teams outage (TM202916)": the status, the incident and its reference. */
export function itemTitle ({ incident, update }: FeedEntry): string {
  return `[${incidentStatusLabels[update.status]}] ${incident.name} (${incident.reference})`
}

function affectedComponentsHtml (affected: AffectedComponent[]): string {
  if (affected.length === 0) return ''
  const changes = affected.map(({ name, oldStatus, newStatus }) =>
    `${escapeHtml(name)} (${componentStatusLabels[oldStatus]} → ${componentStatusLabels[newStatus]})`)
  return `<p>Affected components: ${changes.join(', ')}</p>`
}

/** The item body: the sanitized HTML of the update, then the component status changes it made. */
export function itemDescription ({ update }: FeedEntry): string {
  return [renderMarkdown(update.body), affectedComponentsHtml(update.affectedComponents)]
    .filter((part) => part !== '')
    .join('\n')
}

/**
 * The feed as an XML string. The rss package wraps titles and descriptions in CDATA (splitting any
 * "]]>") and escapes the rest, but passes XML-forbidden characters through untouched, so every string
 * is cleaned here. It is cleaned after rendering too: sanitize-html decodes a typed "&#1;" into a raw
 * control character.
 */
export function buildFeed (channel: FeedChannel, entries: FeedEntry[]): string {
  const publicUrl = stripXmlForbidden(channel.publicUrl)
  const siteName = stripXmlForbidden(channel.siteName)
  const newest = entries[0]?.update.displayAt
  const feed = new RSS({
    title: siteName,
    description: `Every incident update posted on ${siteName}, newest first.`,
    site_url: `${publicUrl}/`,
    feed_url: `${publicUrl}/history.rss`,
    generator: 'Herald',
    language: 'en',
    ttl: feedTtlMinutes,
    ...(newest === undefined ? {} : { pubDate: newest })
  })
  for (const entry of entries) {
    feed.item({
      title: stripXmlForbidden(itemTitle(entry)),
      description: stripXmlForbidden(itemDescription(entry)),
      // Without a guid option the rss package uses this link as <guid isPermaLink="true">: it names the
      // update by its reference and id, which no edit changes, so readers never see an update twice.
      url: stripXmlForbidden(updateLink(publicUrl, entry.incident.reference, entry.update.id)),
      date: entry.update.displayAt
    })
  }
  return feed.xml()
}
