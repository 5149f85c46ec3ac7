// The feed builder on hand-made entries: well-formed for any text, with the channel and items readers expect.
import t from 'tap'
import { itemDescription, itemTitle, updateLink } from '../../server/feed/feed-items.js'
import { buildRssFeed } from '../../server/feed/rss-feed.js'
import { entry, publicUrl } from './fixtures/entries.js'
import { asParsed, hostile, wideText } from './fixtures/hostile.js'
import { child, parseFeed, parseXml } from './fixtures/parse-feed.js'

t.test('the strict parser used by these tests refuses what XML forbids', async (t) => {
  t.throws(() => parseXml('<a>\u0001</a>'), 'a control character')
  t.throws(() => parseXml('<a>\uFFFE</a>'), 'U+FFFE')
  t.throws(() => parseXml('<a>x]]>y</a>'), 'a CDATA end outside CDATA')
  t.throws(() => parseXml('<a><![CDATA[x]]>]]></a>'), 'a CDATA section closed early')
  t.throws(() => parseXml('<a><b></a>'), 'mismatched tags')
  t.throws(() => parseXml('<x:a/>'), 'an undeclared prefix')
  t.equal(child(parseXml('<a>&lt;b&gt; <![CDATA[<c> & ]]></a>'), 'a').text, '<b> <c> & ')
})

t.test('hostile text in the site name, incident name, body and component names still makes a well-formed feed', async (t) => {
  // "&#1;" and "&#xFFFE;" are typed as entities; the Markdown sanitizer decodes them into the raw characters.
  const body = `${hostile}\n\nentities &#1; &#xFFFE; and \`]]>\` in code`
  const xml = buildRssFeed({ siteName: `Status ${hostile}`, publicUrl }, [entry(3, `Outage ${hostile}`, body, '2020-02-03T15:00:00.000Z', `Sign-in ${hostile}`)])
  t.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'))
  const { channel, items } = parseFeed(xml)
  t.equal(child(channel, 'title').text, asParsed(`Status ${hostile}`))
  t.equal(items.length, 1)
  const [item] = items
  t.equal(item?.title, asParsed(`[Identified] Outage ${hostile} (TM202916)`))
  t.ok(item?.title.includes(wideText), 'emoji sequences and right-to-left text come through whole')
  const description = item?.description ?? ''
  t.notMatch(description, /<script/i, 'no live script element in the description HTML')
  t.match(description, '&lt;script&gt;alert(1)&lt;/script&gt;', 'the script is shown as text')
  t.match(description, ']]&gt;')
  t.match(description, 'Affected components: Sign-in &lt;script&gt;')
  t.match(description, '(Partial Outage → Operational)')
  t.ok(description.includes(wideText))
  t.notMatch(description, /[\u0001\uFFFE]/)
})

t.test('a "]]>" left raw in a title is split across CDATA sections, not ended early', async (t) => {
  const xml = buildRssFeed({ siteName: 'a]]>b]]', publicUrl }, [entry(1, ']]>]]>]', 'x', '2020-02-03T15:00:00.000Z')])
  t.match(xml, ']]]]><![CDATA[>', 'the rss package splits the CDATA section')
  const { channel, items } = parseFeed(xml)
  t.equal(child(channel, 'title').text, 'a]]>b]]')
  t.equal(items[0]?.title, '[Identified] ]]>]]>] (TM202916)')
})

t.test('the channel names the site, links to it and to itself, and says how long to cache', async (t) => {
  const { channel, items } = parseFeed(buildRssFeed({ siteName: 'Example Status', publicUrl }, []))
  t.equal(items.length, 0)
  t.equal(child(channel, 'title').text, 'Example Status')
  t.equal(child(channel, 'link').text, `${publicUrl}/`)
  t.match(child(channel, 'description').text, /Example Status/)
  t.equal(child(channel, 'language').text, 'en')
  t.equal(child(channel, 'ttl').text, '5')
  t.same(child(channel, 'atom:link').attributes, { href: `${publicUrl}/history.rss`, rel: 'self', type: 'application/rss+xml' })
  t.notOk(channel.children.some((element) => element.name === 'lastBuildDate'), 'no entries, no date of the last change')
})

t.test('titles, links, guids, dates and descriptions of items', async (t) => {
  const first = entry(41, 'Microsoft Teams outage', "We've determined that an authentication certificate has expired", '2020-02-03T15:00:00.000Z')
  t.equal(itemTitle(first), '[Identified] Microsoft Teams outage (TM202916)')
  t.equal(updateLink(publicUrl, 'TM202916', 41), `${publicUrl}/incidents/TM202916#update-41`)
  t.equal(itemDescription({ ...first, update: { ...first.update, body: '**Done**', affectedComponents: [] } }), '<p><strong>Done</strong></p>')
  const { channel, items } = parseFeed(buildRssFeed({ siteName: 'Example Status', publicUrl }, [first]))
  t.same(items, [{
    title: '[Identified] Microsoft Teams outage (TM202916)',
    link: `${publicUrl}/incidents/TM202916#update-41`,
    guid: `${publicUrl}/incidents/TM202916#update-41`,
    guidIsPermaLink: 'true',
    pubDate: 'Mon, 03 Feb 2020 15:00:00 GMT',
    description: "<p>We've determined that an authentication certificate has expired</p>\n<p>Affected components: Sign-in (Partial Outage → Operational)</p>"
  }])
  t.equal(child(channel, 'pubDate').text, 'Mon, 03 Feb 2020 15:00:00 GMT', 'the channel is as new as its newest update')

  // Built from the entries, not the wall clock: the same entries always make the same bytes.
  const edited = { ...first, update: { ...first.update, updatedAt: '2020-02-03T16:30:00.000Z' } }
  const xml = buildRssFeed({ siteName: 'Example Status', publicUrl }, [edited])
  t.equal(child(parseFeed(xml).channel, 'lastBuildDate').text, 'Mon, 03 Feb 2020 16:30:00 GMT', 'the last change is the latest edit')
  t.equal(buildRssFeed({ siteName: 'Example Status', publicUrl }, [edited]), xml, 'rendered again, the same document')
})

t.test('a maintenance update is titled with its own status words', async (t) => {
  const base = entry(5, 'Database upgrade', 'Started.', '2020-02-03T15:00:00.000Z')
  const maintenance = { ...base, update: { ...base.update, status: 'in_progress' as const } }
  t.equal(itemTitle(maintenance), '[In Progress] Database upgrade (TM202916)')
  t.equal(parseFeed(buildRssFeed({ siteName: 'Example Status', publicUrl }, [maintenance])).items[0]?.title, '[In Progress] Database upgrade (TM202916)')
})
