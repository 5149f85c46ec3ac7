// The Atom builder on hand-made entries: well-formed for any text, the same items as the RSS feed, RFC 4287's required parts.
import t from 'tap'
import { buildAtomFeed, entryUpdated } from '../../server/feed/atom-feed.js'
import { buildRssFeed } from '../../server/feed/rss-feed.js'
import { entry, publicUrl } from './fixtures/entries.js'
import { asParsed, hostile, wideText } from './fixtures/hostile.js'
import { atomNamespace, child, link, only, parseAtom, parseFeed } from './fixtures/parse-feed.js'

const channel = { siteName: 'Example Status', publicUrl }
const emptyUpdated = '2020-02-04T09:00:00.000Z'

t.test('the Atom test parser refuses a feed outside the Atom namespace and a doubled element', async (t) => {
  t.throws(() => parseAtom('<feed/>'), /namespace/)
  t.throws(() => parseAtom(`<feed xmlns="${atomNamespace}"><entry><title>t</title><content type="html">c</content><id>a</id><id>b</id></entry></feed>`),
    /has 2 <id>/)
  t.throws(() => parseAtom(`<feed xmlns="${atomNamespace}"><title>a &amp b</title></feed>`), 'a bare ampersand')
})

t.test('the feed element: id, title, subtitle, self and alternate links, updated, author, generator', async (t) => {
  const xml = buildAtomFeed(channel, [], emptyUpdated)
  t.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'))
  const { feed, entries } = parseAtom(xml)
  t.equal(entries.length, 0)
  t.equal(feed.attributes['xml:lang'], 'en')
  t.equal(only(feed, 'id').text, `${publicUrl}/history.atom`)
  t.equal(only(feed, 'title').text, 'Example Status')
  t.match(only(feed, 'subtitle').text, 'Example Status')
  t.same(link(feed, 'self').attributes, { rel: 'self', type: 'application/atom+xml', href: `${publicUrl}/history.atom` })
  t.same(link(feed, 'alternate').attributes, { rel: 'alternate', type: 'text/html', href: `${publicUrl}/` })
  t.equal(only(feed, 'updated').text, emptyUpdated, 'a feed without entries is dated by the caller')
  t.equal(child(only(feed, 'author'), 'name').text, 'Example Status', 'the feed has an author, so no entry needs one')
  t.equal(only(feed, 'generator').text, 'Herald')
})

t.test('entries: id and link are the update permalink, dates are RFC 3339, the body is escaped HTML', async (t) => {
  const newer = entry(42, 'Microsoft Teams outage', 'Service is **restored**.', '2020-02-03T17:00:00.000Z')
  const older = entry(41, 'Microsoft Teams outage', "We've determined that an authentication certificate has expired", '2020-02-03T15:00:00.000Z')
  const xml = buildAtomFeed(channel, [newer, older], emptyUpdated)
  t.match(xml, '<content type="html">&lt;p&gt;Service is &lt;strong&gt;restored&lt;/strong&gt;.&lt;/p&gt;', 'HTML travels as escaped text')
  const { feed, entries } = parseAtom(xml)
  t.equal(only(feed, 'updated').text, '2020-02-03T17:00:00.000Z', 'the feed is as new as its newest entry')
  t.same(entries[1], {
    id: `${publicUrl}/incidents/TM202916#update-41`,
    title: '[Identified] Microsoft Teams outage (TM202916)',
    link: `${publicUrl}/incidents/TM202916#update-41`,
    published: '2020-02-03T15:00:00.000Z',
    updated: '2020-02-03T15:00:00.000Z',
    category: 'identified',
    content: "<p>We've determined that an authentication certificate has expired</p>\n<p>Affected components: Sign-in (Partial Outage → Operational)</p>"
  })
  t.equal(entries[0]?.content, '<p>Service is <strong>restored</strong>.</p>\n<p>Affected components: Sign-in (Partial Outage → Operational)</p>')
  for (const { published, updated } of entries) {
    t.match(published, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'RFC 3339 in UTC')
    t.match(updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
  }
})

t.test('an entry is updated when its body was fixed, never earlier than it is shown', async (t) => {
  const plain = entry(1, 'Outage', 'x', '2020-02-03T15:00:00.000Z')
  t.equal(entryUpdated(plain), '2020-02-03T15:00:00.000Z')
  const typedLater = { ...plain, update: { ...plain.update, createdAt: '2020-02-03T16:00:00.000Z', updatedAt: '2020-02-03T16:00:00.000Z' } }
  t.equal(entryUpdated(typedLater), '2020-02-03T15:00:00.000Z', 'a back-dated update is not "updated" when it was typed')
  const fixed = { ...plain, update: { ...plain.update, updatedAt: '2020-02-03T15:20:00.000Z' } }
  t.equal(entryUpdated(fixed), '2020-02-03T15:20:00.000Z', 'a fixed typo dates the entry')
  const { feed, entries } = parseAtom(buildAtomFeed(channel, [fixed], emptyUpdated))
  t.equal(entries[0]?.published, '2020-02-03T15:00:00.000Z', 'published stays the display time')
  t.equal(entries[0]?.updated, '2020-02-03T15:20:00.000Z')
  t.equal(only(feed, 'updated').text, '2020-02-03T15:20:00.000Z')
})

t.test('a component feed names the component and links to itself', async (t) => {
  const component = { id: 7, name: 'Sign-in' }
  const { feed } = parseAtom(buildAtomFeed({ ...channel, component }, [], emptyUpdated))
  t.equal(only(feed, 'title').text, 'Example Status: Sign-in')
  t.equal(only(feed, 'id').text, `${publicUrl}/components/7/history.atom`)
  t.equal(link(feed, 'self').attributes.href, `${publicUrl}/components/7/history.atom`)
  t.match(only(feed, 'subtitle').text, 'affected Sign-in')
  const rss = parseFeed(buildRssFeed({ ...channel, component }, []))
  t.equal(child(rss.channel, 'title').text, 'Example Status: Sign-in')
  t.equal(child(rss.channel, 'atom:link').attributes.href, `${publicUrl}/components/7/history.rss`)
})

t.test('hostile text in the site name, incident name, body and component names still makes a well-formed feed', async (t) => {
  // "&#1;" and "&#xFFFE;" are typed as entities; the Markdown sanitizer decodes them into the raw characters.
  const body = `${hostile}\n\nentities &#1; &#xFFFE; and \`]]>\` in code`
  const hostileEntry = entry(3, `Outage ${hostile}`, body, '2020-02-03T15:00:00.000Z', `Sign-in ${hostile}`)
  const component = { id: 9, name: `Sign-in ${hostile}` }
  const xml = buildAtomFeed({ siteName: `Status ${hostile}`, publicUrl, component }, [hostileEntry], emptyUpdated)
  const { feed, entries } = parseAtom(xml)
  t.equal(only(feed, 'title').text, asParsed(`Status ${hostile}: Sign-in ${hostile}`))
  t.equal(child(only(feed, 'author'), 'name').text, asParsed(`Status ${hostile}`))
  t.equal(entries.length, 1)
  const [parsed] = entries
  t.equal(parsed?.title, asParsed(`[Identified] Outage ${hostile} (TM202916)`))
  t.ok(parsed?.title.includes(wideText), 'emoji sequences and right-to-left text come through whole')
  const content = parsed?.content ?? ''
  t.notMatch(content, /<script/i, 'no live script element in the content HTML')
  t.match(content, '&lt;script&gt;alert(1)&lt;/script&gt;', 'the script is shown as text')
  t.match(content, ']]&gt;')
  t.match(content, 'Affected components: Sign-in &lt;script&gt;')
  t.ok(content.includes(wideText))
  t.notMatch(content, /[\u0001\uFFFE]/)
  t.notMatch(xml, /<script/i, 'no script element anywhere in the document either')
})

t.test('a "]]>" in a title or the site name is plain escaped text', async (t) => {
  const xml = buildAtomFeed({ siteName: 'a]]>b]]', publicUrl }, [entry(1, ']]>]]>]', 'x', '2020-02-03T15:00:00.000Z')], emptyUpdated)
  t.notMatch(xml, ']]>', 'nothing that could end a CDATA section, which Atom here never uses')
  const { feed, entries } = parseAtom(xml)
  t.equal(only(feed, 'title').text, 'a]]>b]]')
  t.equal(entries[0]?.title, '[Identified] ]]>]]>] (TM202916)')
})

t.test('the Atom feed carries the same items as the RSS feed: titles, links, ids, dates, bodies', async (t) => {
  const entries = [
    entry(43, 'Microsoft Teams outage', 'Resolved.', '2020-02-03T17:00:00.000Z'),
    entry(42, 'Microsoft Teams outage', `Monitoring ${hostile}`, '2020-02-03T16:00:00.000Z', `Chat ${hostile}`),
    entry(41, 'Slow search', 'Identified.', '2020-02-03T15:00:00.000Z')
  ]
  const rss = parseFeed(buildRssFeed(channel, entries)).items
  const atom = parseAtom(buildAtomFeed(channel, entries, emptyUpdated)).entries
  t.equal(atom.length, 3)
  t.same(atom.map((e) => e.title), rss.map((i) => i.title))
  t.same(atom.map((e) => e.link), rss.map((i) => i.link))
  t.same(atom.map((e) => e.id), rss.map((i) => i.guid))
  t.same(atom.map((e) => Date.parse(e.published)), rss.map((i) => Date.parse(i.pubDate)))
  t.same(atom.map((e) => e.content), rss.map((i) => i.description))
})
