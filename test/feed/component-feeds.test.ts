// GET /components/:id/history.rss and .atom: every update of every incident that affected the component, and 404s for the rest.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { type TestContext, TestClock, build } from '../fixtures/build.js'
import { asParsed, hostile } from './fixtures/hostile.js'
import { child, link, only, parseAtom, parseFeed } from './fixtures/parse-feed.js'

const publicUrl = 'https://status.example.com'
const actor = 'test'
const minute = 60_000

async function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  return await app.inject({ method: 'GET', url, headers })
}

/**
 * Sign-in is hit by TM202916; Teams chat joins TM202916 in its third update and is also hit by SR1;
 * Search has no incident; NC1 touches no component.
 */
async function story (t: TestContext) {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const { components, incidents } = app.herald.services
  const signIn = components.create({ name: 'Sign-in' }, actor)
  const chat = components.create({ name: 'Teams chat' }, actor)
  const search = components.create({ name: 'Search' }, actor)
  incidents.open({ name: 'Microsoft Teams outage', reference: 'TM202916', body: 'Investigating.', components: { [signIn.id]: 'major_outage' } }, actor)
  clock.advance(10 * minute)
  incidents.open({ name: 'Unrelated', reference: 'NC1', body: 'Nothing to do with components.' }, actor)
  clock.advance(10 * minute)
  // No status change: it still belongs to the story of every component TM202916 touched.
  incidents.postUpdate('TM202916', { status: 'identified', body: 'Certificate expired.' }, actor)
  clock.advance(10 * minute)
  incidents.open({ name: 'Chat is slow', reference: 'SR1', body: 'Chat is slow.', components: { [chat.id]: 'degraded_performance' } }, actor)
  clock.advance(10 * minute)
  incidents.postUpdate('TM202916', { status: 'monitoring', body: 'Fix deployed; chat catches up.', components: { [chat.id]: 'partial_outage' } }, actor)
  clock.advance(10 * minute)
  incidents.postUpdate('TM202916', { status: 'resolved', body: 'Restored.' }, actor)
  incidents.postUpdate('SR1', { status: 'resolved', body: 'Chat is fast again.' }, actor)
  return { app, clock, signIn, chat, search }
}

const tm = (status: string): string => `[${status}] Microsoft Teams outage (TM202916)`
const sr = (status: string): string => `[${status}] Chat is slow (SR1)`

t.test('a component feed has exactly the updates of the incidents linked to it, newest first, in RSS and Atom', async (t) => {
  const { app, signIn, chat, search } = await story(t)

  const signInRss = await get(app, `/components/${signIn.id}/history.rss`)
  t.equal(signInRss.statusCode, 200)
  t.equal(signInRss.headers['content-type'], 'application/rss+xml; charset=utf-8')
  t.equal(signInRss.headers['access-control-allow-origin'], '*')
  const signInItems = parseFeed(signInRss.body).items
  t.same(signInItems.map((i) => i.title), [tm('Resolved'), tm('Monitoring'), tm('Identified'), tm('Investigating')],
    'the whole story of TM202916, including the update that changed no status; nothing of NC1 or SR1')

  const chatItems = parseFeed((await get(app, `/components/${chat.id}/history.rss`)).body).items
  t.same(chatItems.map((i) => i.title), [
    sr('Resolved'), tm('Resolved'), tm('Monitoring'), sr('Investigating'), tm('Identified'), tm('Investigating')
  ], 'TM202916 from its first update, though chat joined it later, and SR1; not NC1')

  const chatAtom = await get(app, `/components/${chat.id}/history.atom`)
  t.equal(chatAtom.statusCode, 200)
  t.equal(chatAtom.headers['content-type'], 'application/atom+xml; charset=utf-8')
  t.equal(chatAtom.headers['access-control-allow-origin'], '*')
  const { feed, entries } = parseAtom(chatAtom.body)
  t.same(entries.map((e) => e.title), chatItems.map((i) => i.title), 'the Atom feed has the same items as the RSS one')
  t.same(entries.map((e) => e.link), chatItems.map((i) => i.link))
  t.same(entries.map((e) => Date.parse(e.published)), chatItems.map((i) => Date.parse(i.pubDate)))
  t.equal(only(feed, 'title').text, 'Example Status: Teams chat')
  t.equal(link(feed, 'self').attributes.href, `${publicUrl}/components/${chat.id}/history.atom`)

  const searchRss = parseFeed((await get(app, `/components/${search.id}/history.rss`)).body)
  t.equal(searchRss.items.length, 0, 'a component no incident touched has an empty, valid feed')
  t.equal(child(searchRss.channel, 'title').text, 'Example Status: Search')
  t.equal(child(searchRss.channel, 'atom:link').attributes.href, `${publicUrl}/components/${search.id}/history.rss`)
  t.equal(parseAtom((await get(app, `/components/${search.id}/history.atom`)).body).entries.length, 0)

  const all = parseFeed((await get(app, '/history.rss')).body).items
  t.equal(all.length, 7, 'the site feed still has every update, NC1 included')
})

t.test('a maintenance that names a component is in its feed, announcement to completion', async (t) => {
  const { app, clock, search, signIn } = await story(t)
  const { maintenances } = app.herald.services
  maintenances.schedule({
    name: 'Search index upgrade',
    reference: 'MN1',
    body: 'We will upgrade the search index.',
    scheduledFor: '2020-02-04T02:00:00.000Z',
    scheduledUntil: '2020-02-04T04:00:00.000Z',
    components: [search.id],
    autoStart: false,
    autoComplete: false
  }, actor)
  clock.set('2020-02-04T02:00:00.000Z')
  maintenances.postUpdate('MN1', { status: 'in_progress', body: 'Upgrading.' }, actor)
  const titles = (format: string, id: number) => async () => {
    const body = (await get(app, `/components/${id}/history.${format}`)).body
    return format === 'rss' ? parseFeed(body).items.map((i) => i.title) : parseAtom(body).entries.map((e) => e.title)
  }
  const expected = ['[In Progress] Search index upgrade (MN1)', '[Scheduled] Search index upgrade (MN1)']
  t.same(await titles('rss', search.id)(), expected)
  t.same(await titles('atom', search.id)(), expected)
  t.notOk((await titles('rss', signIn.id)()).some((title) => title.includes('MN1')), 'not in the feed of a component it does not name')
})

t.test('unknown, deleted and malformed ids get a 404 page, never a crash; a query is ignored', async (t) => {
  const { app, signIn, search } = await story(t)
  app.herald.services.components.remove(search.id, actor)
  const bad = ['999', String(search.id), '0', '-1', `0${signIn.id}`, `${signIn.id}.0`, '1e3', '0x1', 'abc', '%20' + signIn.id,
    '%3Cscript%3Ealert(1)%3C%2Fscript%3E', '%00', '%E2%80%AE1', '١', '9'.repeat(16), '9007199254740993']
  for (const format of ['rss', 'atom']) {
    for (const id of bad) {
      const response = await get(app, `/components/${id}/history.${format}`)
      t.equal(response.statusCode, 404, `${id}.${format}`)
      t.match(response.headers['content-type'], /^text\/html/)
      t.notMatch(response.body, '<script>alert(1)')
      t.equal(response.headers['access-control-allow-origin'], '*')
    }
  }
  t.equal((await get(app, '/components//history.rss')).statusCode, 404, 'an empty id')
  const withQuery = await get(app, `/components/${signIn.id}/history.rss?utm_source=reader&id=999`)
  t.equal(withQuery.statusCode, 200)
  t.equal(withQuery.body, (await get(app, `/components/${signIn.id}/history.rss`)).body)
  const head = await app.inject({ method: 'HEAD', url: '/components/999/history.atom' })
  t.equal(head.statusCode, 404)
})

t.test('a feed read before its component is deleted answers 404 after, even from a warm cache', async (t) => {
  const { app, signIn } = await story(t)
  const url = `/components/${signIn.id}/history.atom`
  const before = await get(app, url)
  t.equal(before.statusCode, 200)
  app.herald.services.components.remove(signIn.id, actor)
  t.equal((await get(app, url)).statusCode, 404)
  t.equal((await get(app, url, { 'if-none-match': before.headers.etag as string })).statusCode, 404, 'not a 304 either')
})

t.test('ETag and 304; an update elsewhere keeps the body and the ETag, one on a linked incident changes them', async (t) => {
  const { app, clock, signIn, chat } = await story(t)
  for (const format of ['rss', 'atom']) {
    const url = `/components/${signIn.id}/history.${format}`
    const first = await get(app, url)
    const etag = first.headers.etag as string
    t.match(etag, /^"[^"]+"$/)
    const notModified = await get(app, url, { 'if-none-match': etag })
    t.equal(notModified.statusCode, 304, format)
    t.equal(notModified.headers['access-control-allow-origin'], '*')
    t.equal((await get(app, url, { 'if-modified-since': first.headers['last-modified'] as string })).statusCode, 304)
  }
  const rssUrl = `/components/${signIn.id}/history.rss`
  const etag = (await get(app, rssUrl)).headers.etag as string
  clock.advance(minute)
  app.herald.services.incidents.postUpdate('SR1', { status: 'postmortem', body: 'What happened to chat.' }, actor)
  t.equal((await get(app, rssUrl, { 'if-none-match': etag })).statusCode, 304, 'an update of an incident Sign-in never had')
  const chatUrl = `/components/${chat.id}/history.rss`
  t.equal(parseFeed((await get(app, chatUrl)).body).items[0]?.title, sr('Postmortem'))

  clock.advance(minute)
  app.herald.services.incidents.postUpdate('TM202916', { status: 'postmortem', body: 'What happened.' }, actor)
  const changed = await get(app, rssUrl, { 'if-none-match': etag })
  t.equal(changed.statusCode, 200)
  t.equal(parseFeed(changed.body).items[0]?.title, tm('Postmortem'))
})

t.test('a renamed component has its new name in its feed; a hostile name is escaped in both formats', async (t) => {
  const app = await build(t)
  const { components, incidents } = app.herald.services
  const component = components.create({ name: 'Sign-in' }, actor)
  // Names as stored: SQLite keeps text as UTF-8, where a lone surrogate becomes U+FFFD.
  const opened = incidents.open({ name: `Outage ${hostile}`, reference: 'EVIL1', body: hostile, components: { [component.id]: 'major_outage' } }, actor)
  t.equal(child(parseFeed((await get(app, `/components/${component.id}/history.rss`)).body).channel, 'title').text, 'Example Status: Sign-in')
  const renamed = components.patch(component.id, { name: `Sign-in ${hostile}` }, actor)
  const rss = parseFeed((await get(app, `/components/${component.id}/history.rss`)).body)
  t.equal(child(rss.channel, 'title').text, asParsed(`Example Status: ${renamed.name}`))
  t.equal(rss.items[0]?.title, asParsed(`[Investigating] ${opened.name} (EVIL1)`))
  const atom = parseAtom((await get(app, `/components/${component.id}/history.atom`)).body)
  t.equal(only(atom.feed, 'title').text, asParsed(`Example Status: ${renamed.name}`))
  t.match(only(atom.feed, 'subtitle').text, asParsed(`affected ${renamed.name}`))
  t.notMatch(atom.entries[0]?.content, /<script/i)
})

t.test('the status page links each component to its RSS feed, named for the component', async (t) => {
  const app = await build(t)
  const { components } = app.herald.services
  const signIn = components.create({ name: 'Sign-in' }, actor)
  const evil = components.create({ name: `Chat ${hostile}` }, actor)
  const page = (await get(app, '/')).body
  t.match(page, `<a class="component-feed" href="/components/${signIn.id}/history.rss" aria-label="RSS feed of Sign-in">Feed</a>`)
  t.match(page, `href="/components/${evil.id}/history.rss" aria-label="RSS feed of Chat &lt;script&gt;`)
  t.notMatch(page, '<script>alert(1)')
})
