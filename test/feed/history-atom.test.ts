// GET /history.atom end to end: the same items as /history.rss, read back with a strict XML parser, served from the cache.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { TestClock, build } from '../fixtures/build.js'
import { seedTeamsOutage, teamsOutage } from '../fixtures/story.js'
import { asParsed, hostileFeedWorld, hostileSiteName, wideText } from './fixtures/hostile.js'
import { child, link, only, parseAtom, parseFeed } from './fixtures/parse-feed.js'

const publicUrl = 'https://status.example.com'
const actor = 'test'
const minute = 60_000

async function get (app: FastifyInstance, url = '/history.atom', headers: Record<string, string> = {}) {
  return await app.inject({ method: 'GET', url, headers })
}

t.test('an empty database gives a valid Atom feed with zero entries, dated by the page’s last change', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const response = await get(app)
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'application/atom+xml; charset=utf-8')
  t.equal(response.headers['access-control-allow-origin'], '*', 'widgets on other sites may read it')
  const { feed, entries } = parseAtom(response.body)
  t.equal(entries.length, 0)
  t.equal(only(feed, 'title').text, 'Example Status')
  t.equal(only(feed, 'updated').text, '1970-01-01T00:00:00.000Z', 'nothing ever changed: the same bytes whenever it is rendered')
  t.equal(link(feed, 'self').attributes.href, `${publicUrl}/history.atom`)
  const withQuery = await get(app, '/history.atom?utm_source=reader&x=%3Cscript%3E')
  t.equal(withQuery.statusCode, 200, 'a query a reader adds is ignored, not refused')
  t.equal(withQuery.body, response.body)

  clock.set('2020-02-03T15:00:00.000Z')
  const component = app.herald.services.components.create({ name: 'API' }, actor)
  const empty = parseAtom((await get(app, `/components/${component.id}/history.atom`)).body)
  t.equal(empty.entries.length, 0)
  t.equal(only(empty.feed, 'updated').text, '2020-02-03T15:00:00.000Z', 'an empty feed is as new as the page')
})

t.test('the TM202916 story: the Atom entries are the RSS items, newest first', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const { components, incidents } = app.herald.services
  const signIn = components.create({ name: 'Sign-in' }, actor)
  const story = { components: { 'Sign-in': signIn.id }, clock, actor }
  seedTeamsOutage(app.herald.services, { ...story, updates: 1 })
  clock.advance(30 * minute)
  incidents.open({ name: 'Slow search', reference: 'SR1', body: 'Search is slow.', status: 'identified' }, actor)
  seedTeamsOutage(app.herald.services, { ...story, from: 1, updates: 2 })
  clock.advance(60 * minute)
  incidents.postUpdate('TM202916', { status: 'resolved', body: 'Service is **restored**.' }, actor)
  incidents.postUpdate('SR1', { status: 'resolved', body: 'Search is fast again.', displayAt: '2020-02-03T14:45:00.000Z' }, actor)

  const atom = await get(app)
  const rss = await get(app, '/history.rss')
  const { feed, entries } = parseAtom(atom.body)
  const { items } = parseFeed(rss.body)
  t.equal(entries.length, 5)
  const tm = (status: string) => `${status} ${teamsOutage.name} (${teamsOutage.reference})`
  t.same(entries.map((e) => [e.title, e.published]), [
    [tm('[Resolved]'), '2020-02-03T16:00:00.000Z'],
    [tm('[Identified]'), '2020-02-03T15:00:00.000Z'],
    ['[Resolved] Slow search (SR1)', '2020-02-03T14:45:00.000Z'],
    ['[Identified] Slow search (SR1)', '2020-02-03T14:30:00.000Z'],
    [tm('[Investigating]'), '2020-02-03T14:00:00.000Z']
  ])
  t.same(entries.map((e) => e.title), items.map((i) => i.title), 'same titles as RSS')
  t.same(entries.map((e) => e.link), items.map((i) => i.link), 'same links as RSS')
  t.same(entries.map((e) => e.id), items.map((i) => i.guid), 'the entry id is the RSS guid: the update permalink')
  t.same(entries.map((e) => Date.parse(e.published)), items.map((i) => Date.parse(i.pubDate)), 'same dates as RSS')
  t.same(entries.map((e) => e.content), items.map((i) => i.description), 'same bodies as RSS')
  t.equal(only(feed, 'updated').text, '2020-02-03T16:00:00.000Z', 'the feed is as new as its newest entry')
  t.equal(entries[0]?.category, 'resolved')
})

t.test('hostile text in names, bodies and SITE_NAME still gives a well-formed Atom feed with scripts shown as text', async (t) => {
  const { app, opened } = await hostileFeedWorld(t)

  const response = await get(app)
  t.equal(response.statusCode, 200)
  const { feed, entries } = parseAtom(response.body)
  t.equal(only(feed, 'title').text, asParsed(hostileSiteName))
  t.equal(child(only(feed, 'author'), 'name').text, asParsed(hostileSiteName))
  t.equal(entries.length, 2)
  t.equal(entries[0]?.title, asParsed(`[Monitoring] ${opened.name} (EVIL1)`))
  t.equal(entries[0]?.content, '<p>]]&gt;</p>')
  t.ok(entries[1]?.title.includes(wideText), 'emoji sequences and right-to-left text come through whole')
  const content = entries[1]?.content ?? ''
  t.notMatch(content, /<script/i, 'no live script element once the XML is decoded')
  t.match(content, '&lt;script&gt;alert(1)&lt;/script&gt;')
  t.match(content, 'Affected components: Sign-in &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &amp;amp;')
})

t.test('ETag and 304 for /history.atom; a new update makes the next request a 200; HEAD has the headers', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const { incidents } = app.herald.services
  incidents.open({ name: 'Microsoft Teams outage', reference: 'TM202916', body: 'Investigating.' }, actor)

  const first = await get(app)
  const etag = first.headers.etag as string
  t.match(etag, /^"[^"]+"$/, 'a strong ETag')
  t.equal(first.headers['cache-control'], 'public, max-age=10, stale-while-revalidate=86400, stale-if-error=86400')
  t.not(etag, (await get(app, '/history.rss')).headers.etag, 'its own body, not the RSS one')
  const byEtag = await get(app, '/history.atom', { 'if-none-match': etag })
  t.equal(byEtag.statusCode, 304)
  t.equal(byEtag.body, '')
  t.equal(byEtag.headers['access-control-allow-origin'], '*', 'a 304 carries the CORS header too')
  t.equal((await get(app, '/history.atom', { 'if-modified-since': first.headers['last-modified'] as string })).statusCode, 304)

  const head = await app.inject({ method: 'HEAD', url: '/history.atom' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.equal(head.headers['content-type'], 'application/atom+xml; charset=utf-8')
  t.equal(head.headers.etag, etag)

  clock.advance(60 * minute)
  incidents.postUpdate('TM202916', { status: 'identified', body: 'Certificate expired.' }, actor)
  const changed = await get(app, '/history.atom', { 'if-none-match': etag })
  t.equal(changed.statusCode, 200)
  t.not(changed.headers.etag, etag)
  t.equal(parseAtom(changed.body).entries[0]?.title, '[Identified] Microsoft Teams outage (TM202916)')
})

t.test('the pages announce the Atom feed beside the RSS one, and link to it in the footer', async (t) => {
  const app = await build(t)
  const page = (await get(app, '/')).body
  t.match(page, '<link rel="alternate" type="application/rss+xml" title="Example Status: incident updates" href="/history.rss">')
  t.match(page, '<link rel="alternate" type="application/atom+xml" title="Example Status: incident updates (Atom)" href="/history.atom">')
  const footer = page.slice(page.indexOf('<footer'))
  t.match(footer, '<a href="/history.rss">RSS feed</a>')
  t.match(footer, '<a href="/history.atom">Atom feed</a>')
})
