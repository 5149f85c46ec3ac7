// GET /history.rss end to end: data written through the services, the feed read back with a strict XML parser.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { TestClock, build } from '../fixtures/build.js'
import { seedTeamsOutage, teamsOutage } from '../fixtures/story.js'
import { asParsed, hostileFeedWorld, hostileSiteName, wideText } from './fixtures/hostile.js'
import { child, parseFeed } from './fixtures/parse-feed.js'

const publicUrl = 'https://status.example.com'
const actor = 'test'
const minute = 60_000

async function getFeed (app: FastifyInstance, headers: Record<string, string> = {}) {
  return await app.inject({ method: 'GET', url: '/history.rss', headers })
}

t.test('an empty database gives a valid feed with zero items', async (t) => {
  const app = await build(t)
  const response = await getFeed(app)
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'application/rss+xml; charset=utf-8')
  t.equal(response.headers['access-control-allow-origin'], '*', 'widgets on other sites may read it')
  const { channel, items } = parseFeed(response.body)
  t.equal(items.length, 0)
  t.equal(child(channel, 'title').text, 'Example Status')
  t.equal(child(channel, 'link').text, `${publicUrl}/`)
  t.equal(child(channel, 'atom:link').attributes.href, `${publicUrl}/history.rss`)
  t.equal(child(channel, 'atom:link').attributes.rel, 'self')
  const withQuery = await app.inject({ method: 'GET', url: '/history.rss?utm_source=reader' })
  t.equal(withQuery.statusCode, 200, 'a query a reader adds is ignored, not refused')
  t.equal(withQuery.body, response.body)
})

t.test('the TM202916 story: one item per update, newest first, with titles, links, guids and dates', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const { components, incidents } = app.herald.services
  const signIn = components.create({ name: 'Sign-in' }, actor)
  const chat = components.create({ name: 'Teams chat' }, actor)
  const story = { components: { 'Sign-in': signIn.id, 'Teams chat': chat.id }, clock, actor }
  const first = seedTeamsOutage(app.herald.services, { ...story, updates: 1 })
  clock.advance(30 * minute)
  const other = incidents.open({ name: 'Slow search', reference: 'SR1', body: 'Search is slow.', status: 'identified' }, actor)
  seedTeamsOutage(app.herald.services, { ...story, from: 1 })
  clock.advance(60 * minute)
  const resolved = incidents.postUpdate('TM202916', { status: 'resolved', body: 'Service is **restored**.' }, actor)
  // Back-dated: posted last, but shown at 14:45, so it sits between the first two updates.
  incidents.postUpdate('SR1', { status: 'resolved', body: 'Search is fast again.', displayAt: '2020-02-03T14:45:00.000Z' }, actor)

  const response = await getFeed(app)
  t.equal(response.statusCode, 200)
  const { items } = parseFeed(response.body)
  const tm = (status: string) => `${status} ${teamsOutage.name} (${teamsOutage.reference})`
  t.same(items.map((item) => [item.title, item.pubDate]), [
    [tm('[Resolved]'), 'Mon, 03 Feb 2020 17:00:00 GMT'],
    [tm('[Monitoring]'), 'Mon, 03 Feb 2020 16:00:00 GMT'],
    [tm('[Identified]'), 'Mon, 03 Feb 2020 15:00:00 GMT'],
    ['[Resolved] Slow search (SR1)', 'Mon, 03 Feb 2020 14:45:00 GMT'],
    ['[Identified] Slow search (SR1)', 'Mon, 03 Feb 2020 14:30:00 GMT'],
    [tm('[Investigating]'), 'Mon, 03 Feb 2020 14:00:00 GMT']
  ])

  const resolvedId = resolved.updates[0]?.id
  const firstId = first.updates[0]?.id
  t.equal(items[0]?.link, `${publicUrl}/incidents/TM202916#update-${resolvedId}`)
  t.equal(items[5]?.link, `${publicUrl}/incidents/TM202916#update-${firstId}`)
  t.equal(items[4]?.link, `${publicUrl}/incidents/SR1#update-${other.updates[0]?.id}`)
  t.same(items.map((item) => item.guid), items.map((item) => item.link), 'the guid is the update permalink')
  t.ok(items.every((item) => item.guidIsPermaLink === 'true'))
  t.equal(new Set(items.map((item) => item.guid)).size, 6, 'guids are unique')

  const [investigating, identified] = teamsOutage.updates
  t.equal(items[0]?.description,
    '<p>Service is <strong>restored</strong>.</p>\n' +
    '<p>Affected components: Sign-in (Partial Outage → Operational), Teams chat (Partial Outage → Operational)</p>')
  t.equal(items[5]?.description,
    `<p>${investigating?.body}</p>\n` +
    '<p>Affected components: Sign-in (Operational → Major Outage), Teams chat (Operational → Major Outage)</p>')
  t.equal(items[2]?.description, `<p>${identified?.body}</p>`, 'no component line when none changed')
})

t.test('the feed carries the 50 most recent updates', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const { incidents } = app.herald.services
  const ids = [incidents.open({ name: 'Long incident', reference: 'LONG1', body: 'Update 0' }, actor).updates[0]?.id]
  for (let n = 1; n < 55; n++) {
    clock.advance(minute)
    ids.push(incidents.postUpdate('LONG1', { status: 'identified', body: `Update ${n}` }, actor).updates[0]?.id)
  }
  const { items } = parseFeed((await getFeed(app)).body)
  t.equal(items.length, 50)
  t.same(items.map((item) => item.link), ids.slice(5).reverse().map((id) => `${publicUrl}/incidents/LONG1#update-${id}`))
  t.equal(items[0]?.description, '<p>Update 54</p>')
  t.equal(items[49]?.description, '<p>Update 5</p>')
})

t.test('editing a body changes the item and the ETag, never its guid or date', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const { incidents } = app.herald.services
  const opened = incidents.open({ name: 'Microsoft Teams outage', reference: 'TM202916', body: 'We are investigatng.' }, actor)
  const before = await getFeed(app)
  clock.advance(10 * minute)
  incidents.editUpdate('TM202916', opened.updates[0]?.id as number, 'We are investigating.', actor)
  const after = await getFeed(app, { 'if-none-match': before.headers.etag as string })
  t.equal(after.statusCode, 200)
  t.not(after.headers.etag, before.headers.etag)
  const [old] = parseFeed(before.body).items
  const [edited] = parseFeed(after.body).items
  t.equal(old?.description, '<p>We are investigatng.</p>')
  t.equal(edited?.description, '<p>We are investigating.</p>')
  t.equal(edited?.guid, old?.guid)
  t.equal(edited?.pubDate, 'Mon, 03 Feb 2020 14:00:00 GMT')
})

t.test('hostile text in names, bodies and SITE_NAME still gives a well-formed feed with scripts shown as text', async (t) => {
  const { app, opened } = await hostileFeedWorld(t)

  const response = await getFeed(app)
  t.equal(response.statusCode, 200)
  const { channel, items } = parseFeed(response.body)
  t.equal(child(channel, 'title').text, asParsed(hostileSiteName))
  t.match(child(channel, 'title').text, '👩‍👩‍👧‍👦 انقطاع שירות')
  t.equal(items.length, 2)
  t.equal(items[0]?.title, asParsed(`[Monitoring] ${opened.name} (EVIL1)`))
  t.equal(items[0]?.description, '<p>]]&gt;</p>')
  t.equal(items[1]?.title, asParsed(`[Investigating] ${opened.name} (EVIL1)`))
  t.ok(items[1]?.title.includes(wideText), 'emoji sequences and right-to-left text come through whole')

  const description = items[1]?.description ?? ''
  t.notMatch(description, /<script/i, 'no live script element once the XML is decoded')
  t.match(description, '&lt;script&gt;alert(1)&lt;/script&gt;', 'the script is escaped HTML text')
  t.match(description, 'Affected components: Sign-in &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &amp;amp;')
  t.match(description, '(Operational → Major Outage)')
  t.ok(description.includes(wideText))
})

t.test('ETag and Last-Modified with 304s, and a new update makes the next request a 200 again', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const { incidents } = app.herald.services
  incidents.open({ name: 'Microsoft Teams outage', reference: 'TM202916', body: 'Investigating.' }, actor)

  const first = await getFeed(app)
  const etag = first.headers.etag as string
  const lastModified = first.headers['last-modified'] as string
  t.match(etag, /^"[^"]+"$/, 'a strong ETag')
  t.ok(Date.parse(lastModified) > 0, 'a Last-Modified date')

  const again = await getFeed(app)
  t.equal(again.headers.etag, etag, 'the same content has the same ETag')
  t.equal(again.body, first.body, 'and the same body')

  const byEtag = await getFeed(app, { 'if-none-match': etag })
  t.equal(byEtag.statusCode, 304)
  t.equal(byEtag.body, '')
  t.equal(byEtag.headers.etag, etag)
  t.equal(byEtag.headers['access-control-allow-origin'], '*', 'a 304 carries the CORS header too')
  t.equal((await getFeed(app, { 'if-none-match': '"something-else"' })).statusCode, 200)

  t.equal((await getFeed(app, { 'if-modified-since': lastModified })).statusCode, 304, 'If-Modified-Since equal to Last-Modified')
  // Last-Modified is the wall-clock time of the render: an hour after it is still to come, a date no
  // client can have been given, so it is ignored (RFC 9110, 13.1.3) and the feed is sent.
  const later = new Date(Date.parse(lastModified) + 3600_000).toUTCString()
  t.equal((await getFeed(app, { 'if-modified-since': later })).statusCode, 200, 'If-Modified-Since in the future is ignored')
  const earlier = new Date(Date.parse(lastModified) - 3600_000).toUTCString()
  t.equal((await getFeed(app, { 'if-modified-since': earlier })).statusCode, 200, 'If-Modified-Since before Last-Modified')

  clock.advance(60 * minute)
  incidents.postUpdate('TM202916', { status: 'identified', body: 'Certificate expired.' }, actor)
  const changed = await getFeed(app, { 'if-none-match': etag })
  t.equal(changed.statusCode, 200)
  t.not(changed.headers.etag, etag)
  const { items } = parseFeed(changed.body)
  t.equal(items.length, 2)
  t.equal(items[0]?.title, '[Identified] Microsoft Teams outage (TM202916)')
  t.equal((await getFeed(app, { 'if-none-match': changed.headers.etag as string })).statusCode, 304)
})

t.test('HEAD answers with the headers of GET and no body', async (t) => {
  const app = await build(t)
  app.herald.services.incidents.open({ name: 'Microsoft Teams outage', body: 'Investigating.' }, actor)
  const get = await getFeed(app)
  const head = await app.inject({ method: 'HEAD', url: '/history.rss' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.equal(head.headers['content-type'], 'application/rss+xml; charset=utf-8')
  t.equal(head.headers.etag, get.headers.etag)
  const conditional = await app.inject({ method: 'HEAD', url: '/history.rss', headers: { 'if-none-match': get.headers.etag as string } })
  t.equal(conditional.statusCode, 304)
})
