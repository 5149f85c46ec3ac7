// The Atom 1.0 (RFC 4287) document of the most recent updates and postmortems: the same entries as the RSS feed, written by hand.
import { type FeedChannel, type FeedItem, feedDescription, feedPath, feedTitle, itemCategory, itemDescription, itemLink, itemTime, itemTitle } from './feed-items.js'
import { xmlAttribute, xmlEscape } from './xml.js'

/** An RFC 3339 date-time in UTC. */
function rfc3339 (iso: string): string {
  return new Date(iso).toISOString()
}

/**
 * When the entry last changed in a way a reader should see: its display time, or the time its body
 * was fixed when that came later. A back-dated update is shown at its display time, not when it was typed.
 * A postmortem: its publication, or when its published body last changed, if later.
 */
export function entryUpdated (item: FeedItem): string {
  if (!('update' in item)) {
    const { publishedAt, bodyUpdatedAt } = item.postmortem
    return Date.parse(bodyUpdatedAt) > Date.parse(publishedAt) ? bodyUpdatedAt : publishedAt
  }
  const { update } = item
  const edited = update.updatedAt !== update.createdAt
  return edited && Date.parse(update.updatedAt) > Date.parse(update.displayAt) ? update.updatedAt : update.displayAt
}

/** When the feed last changed: as new as its newest entry (edits included); undefined without entries. */
export function feedUpdated (entries: FeedItem[]): string | undefined {
  if (entries.length === 0) return undefined
  return new Date(Math.max(...entries.map((entry) => Date.parse(entryUpdated(entry))))).toISOString()
}

function entryXml (publicUrl: string, entry: FeedItem): string {
  // The permalink never changes (reference and update id, or the postmortem's section), so it doubles as the entry's permanent id.
  const link = itemLink(publicUrl, entry)
  return [
    '  <entry>',
    `    <id>${xmlEscape(link)}</id>`,
    `    <title type="text">${xmlEscape(itemTitle(entry))}</title>`,
    `    <link rel="alternate" type="text/html" href="${xmlAttribute(link)}"/>`,
    `    <published>${rfc3339(itemTime(entry))}</published>`,
    `    <updated>${rfc3339(entryUpdated(entry))}</updated>`,
    `    <category term="${xmlAttribute(itemCategory(entry))}"/>`,
    // type="html": the sanitized HTML travels escaped, as text, which every reader decodes once.
    `    <content type="html">${xmlEscape(itemDescription(entry))}</content>`,
    '  </entry>'
  ].join('\n')
}

/**
 * The feed as an XML string. `emptyUpdated` dates a feed with no entries, as Atom requires a date on
 * every feed; otherwise the feed is as new as its newest entry. Every string goes through xmlEscape,
 * which also drops the characters XML cannot carry (sanitize-html decodes a typed "&#1;" into one).
 */
export function buildAtomFeed (channel: FeedChannel, entries: FeedItem[], emptyUpdated: string): string {
  const publicUrl = channel.publicUrl
  const self = `${publicUrl}${feedPath('atom', channel.component)}`
  const updated = feedUpdated(entries) ?? emptyUpdated
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `  <id>${xmlEscape(self)}</id>`,
    `  <title type="text">${xmlEscape(feedTitle(channel))}</title>`,
    `  <subtitle type="text">${xmlEscape(feedDescription(channel))}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlAttribute(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlAttribute(`${publicUrl}/`)}"/>`,
    `  <updated>${rfc3339(updated)}</updated>`,
    // Atom wants an author on every entry, or one on the feed: the site speaks for all of them.
    `  <author><name>${xmlEscape(channel.siteName)}</name><uri>${xmlEscape(`${publicUrl}/`)}</uri></author>`,
    '  <generator>Herald</generator>',
    // RFC 4287 4.2.5 and 4.2.8: a small square icon and a larger logo, when the site has uploaded them.
    ...channel.icon === undefined ? [] : [`  <icon>${xmlEscape(`${publicUrl}${channel.icon}`)}</icon>`],
    ...channel.logo === undefined ? [] : [`  <logo>${xmlEscape(`${publicUrl}${channel.logo}`)}</logo>`],
    ...entries.map((entry) => entryXml(publicUrl, entry)),
    '</feed>',
    ''
  ].join('\n')
}
