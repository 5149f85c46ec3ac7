// The RSS 2.0 document of the most recent updates and postmortems: one item each, every string made safe for XML first.
import RSS from 'rss'
import { stripXmlForbidden } from '../domain/text.js'
import { feedUpdated } from './atom-feed.js'
import { type FeedChannel, type FeedItem, feedDescription, feedPath, feedTitle, feedTtlMinutes, itemDescription, itemLink, itemTime, itemTitle } from './feed-items.js'

/**
 * The feed as an XML string. The rss package wraps titles and descriptions in CDATA (splitting any
 * "]]>") and escapes the rest, but passes XML-forbidden characters through untouched, so every string
 * is cleaned here. It is cleaned after rendering too: sanitize-html decodes a typed "&#1;" into a raw
 * control character.
 */
export function buildRssFeed (channel: FeedChannel, entries: FeedItem[]): string {
  const publicUrl = stripXmlForbidden(channel.publicUrl)
  const newest = entries[0] === undefined ? undefined : itemTime(entries[0])
  const feed = new RSS({
    title: stripXmlForbidden(feedTitle(channel)),
    description: stripXmlForbidden(feedDescription(channel)),
    site_url: `${publicUrl}/`,
    feed_url: `${publicUrl}${feedPath('rss', channel.component)}`,
    generator: 'Herald',
    language: 'en',
    ttl: feedTtlMinutes,
    // The channel's <image>: readers show it beside the title. RSS 2.0 names GIF, JPEG and PNG; the logo, else the favicon.
    ...(channel.logo ?? channel.icon) === undefined ? {} : { image_url: `${publicUrl}${stripXmlForbidden((channel.logo ?? channel.icon) as string)}` },
    ...(newest === undefined ? {} : { pubDate: newest })
  })
  for (const entry of entries) {
    feed.item({
      title: stripXmlForbidden(itemTitle(entry)),
      description: stripXmlForbidden(itemDescription(entry)),
      // Without a guid option the rss package uses this link as <guid isPermaLink="true">: it names the
      // update by its reference and id (a postmortem by its section), which no edit changes, so readers never see one twice.
      url: stripXmlForbidden(itemLink(publicUrl, entry)),
      date: itemTime(entry)
    })
  }
  // The rss package dates every document with the wall clock, so each render of the same entries differed
  // (a mirror rewrote its feeds on every pass). The channel last changed when its latest entry did; a feed
  // without entries has no such date, and RSS 2.0 makes the element optional.
  const updated = feedUpdated(entries)
  const lastBuild = updated === undefined ? '' : `<lastBuildDate>${new Date(updated).toUTCString()}</lastBuildDate>`
  return feed.xml().replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, lastBuild)
}
