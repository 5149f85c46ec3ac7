// A published postmortem where readers meet it: the incident page's section, the feeds' entry, /api/v2's fields and status; never a draft.
import t from 'tap'
import { loadDemo } from '../../server/demo/load-demo.js'
import { TestClock, build } from '../fixtures/build.js'
import { parseAtom, parseFeed } from '../feed/fixtures/parse-feed.js'
import { get, schemaErrors } from '../api-v2/fixtures/api.js'
import { between } from './fixtures/html.js'
import { addComponent, page } from './fixtures/seed.js'

const hostileBody = [
  '## What happened',
  '',
  'A certificate expired. <script>alert(1)</script> <img src=x onerror=alert(2)>',
  '[click](javascript:alert(3)) ]]> </description> &#1; \u202Egnp.exe',
  '',
  '```',
  '</section><h1>forged</h1>',
  '```'
].join('\n')

async function resolvedOutage (t: Parameters<typeof build>[0]) {
  const clock = new TestClock('2020-02-03T08:30:00.000Z')
  const app = await build(t, { clock })
  const chat = addComponent(app, 'Teams chat')
  const { incidents, postmortems } = app.herald.services
  incidents.open({ reference: 'TM202916', name: 'Microsoft Teams', body: 'Investigating.', components: { [chat.id]: 'major_outage' } }, 'test')
  clock.set('2020-02-03T11:00:00.000Z')
  incidents.postUpdate('TM202916', { status: 'resolved', body: 'Fixed.' }, 'test')
  return { app, clock, chat, postmortems }
}

t.test('a draft shows nowhere; published, it is a section of the incident page with its time, markup made inert', async (t) => {
  const { app, clock, postmortems } = await resolvedOutage(t)
  clock.set('2020-02-04T09:00:00.000Z')
  postmortems.saveDraft('TM202916', 'Secret draft.', 'test')
  let html = await page(app, '/incidents/TM202916')
  t.notMatch(html, 'Postmortem')
  t.notMatch(html, 'Secret draft.')
  const apiBefore = (await get(app, '/api/v2/incidents.json')).body.incidents[0]
  t.match(apiBefore, { status: 'resolved', postmortem_body: null, postmortem_body_last_updated_at: null, postmortem_published_at: null })
  t.notMatch((await app.inject('/history.atom')).body, 'Secret draft.')

  clock.set('2020-02-05T10:00:00.000Z')
  postmortems.publish('TM202916', { body: hostileBody }, 'test')
  html = await page(app, '/incidents/TM202916')
  const section = between(html, '<section class="postmortem" id="postmortem" aria-labelledby="postmortem-heading">', '</article>')
  t.match(section, '<h2 id="postmortem-heading">Postmortem</h2>')
  t.match(section, 'Published <a href="/incidents/TM202916#postmortem"><time datetime="2020-02-05T10:00:00.000Z" data-local>')
  t.match(section, '<h3>What happened</h3>', 'its headings sit under the section heading')
  t.notMatch(section, /<script|<img|javascript:|<h1>/i, 'typed markup is text, never live')
  t.match(section, '&lt;script&gt;alert(1)&lt;/script&gt;')
  t.notMatch(section, 'revised', 'never revised yet')
  t.ok(html.indexOf('id="timeline-heading"') < html.indexOf('id="postmortem-heading"'), 'after the timeline')
  t.ok(html.indexOf('id="postmortem-heading"') < html.indexOf('<p class="incident-affected">'), 'the page still ends with what the incident affected')

  clock.set('2020-02-06T10:00:00.000Z')
  postmortems.publish('TM202916', { body: 'Revised text.' }, 'test')
  html = await page(app, '/incidents/TM202916')
  t.match(html, /Published <a href="\/incidents\/TM202916#postmortem"><time datetime="2020-02-05T10:00:00.000Z" data-local>[^<]*<\/time><\/a>, revised <time datetime="2020-02-06T10:00:00.000Z"/)

  postmortems.unpublish('TM202916', 'test')
  t.notMatch(await page(app, '/incidents/TM202916'), 'postmortem-heading', 'unpublished: gone from the page')
})

t.test('/api/v2: the postmortem fields, and status postmortem while a resolved incident has one published', async (t) => {
  const { app, clock, postmortems } = await resolvedOutage(t)
  clock.set('2020-02-05T10:00:00.000Z')
  postmortems.publish('TM202916', { body: '**Root cause**: an expired certificate.', publishedAt: '2020-02-05T09:00:00.000Z' }, 'test')
  const body = (await get(app, '/api/v2/incidents.json')).body
  t.same(schemaErrors('/api/v2/incidents.json', body), [])
  t.match(body.incidents[0], {
    id: 'TM202916',
    status: 'postmortem',
    updated_at: '2020-02-05T10:00:00.000Z',
    resolved_at: '2020-02-03T11:00:00.000Z',
    postmortem_body: '**Root cause**: an expired certificate.',
    postmortem_body_last_updated_at: '2020-02-05T10:00:00.000Z',
    postmortem_published_at: '2020-02-05T09:00:00.000Z'
  })
  t.equal(body.incidents[0].incident_updates[0].status, 'resolved', 'the updates keep their own statuses')
  t.same((await get(app, '/api/v2/incidents/unresolved.json')).body.incidents, [], 'a postmortem is not unresolved')

  // Reopened: the incident's own status again, the postmortem still shown until taken down.
  clock.set('2020-02-06T10:00:00.000Z')
  app.herald.services.incidents.postUpdate('TM202916', { status: 'investigating', body: 'Back.' }, 'test')
  const reopened = (await get(app, '/api/v2/summary.json')).body
  t.same(schemaErrors('/api/v2/summary.json', reopened), [])
  t.match(reopened.incidents[0], { status: 'investigating', postmortem_published_at: '2020-02-05T09:00:00.000Z' })
  postmortems.unpublish('TM202916', 'test')
  t.match((await get(app, '/api/v2/incidents.json')).body.incidents[0], { status: 'investigating', postmortem_body: null, postmortem_published_at: null })
})

t.test('the feeds carry a published postmortem as an entry of its own, dated at its publication, the site\'s and the component\'s', async (t) => {
  const { app, clock, chat, postmortems } = await resolvedOutage(t)
  const other = addComponent(app, 'Sign-in')
  clock.set('2020-02-05T10:00:00.000Z')
  postmortems.publish('TM202916', { body: hostileBody, publishedAt: '2020-02-04T12:00:00.000Z' }, 'test')
  clock.set('2020-02-06T10:00:00.000Z')
  app.herald.services.incidents.open({ reference: 'LATER1', name: 'Later', body: 'Later.', components: { [chat.id]: 'degraded_performance' } }, 'test')

  const atom = parseAtom((await app.inject('/history.atom')).body)
  t.same(atom.entries.map((entry) => entry.title), [
    '[Investigating] Later (LATER1)',
    '[Postmortem] Microsoft Teams (TM202916)',
    '[Resolved] Microsoft Teams (TM202916)',
    '[Investigating] Microsoft Teams (TM202916)'
  ], 'newest first, by publication')
  t.match(atom.entries[1], {
    id: 'https://status.example.com/incidents/TM202916#postmortem',
    link: 'https://status.example.com/incidents/TM202916#postmortem',
    published: '2020-02-04T12:00:00.000Z',
    updated: '2020-02-05T10:00:00.000Z',
    category: 'postmortem'
  })
  t.match(atom.entries[1]?.content, '<h3>What happened</h3>')
  t.notMatch(atom.entries[1]?.content, /<script|<img|javascript:/i)

  const rss = parseFeed((await app.inject('/history.rss')).body)
  t.match(rss.items[1], {
    title: '[Postmortem] Microsoft Teams (TM202916)',
    link: 'https://status.example.com/incidents/TM202916#postmortem',
    guid: 'https://status.example.com/incidents/TM202916#postmortem',
    pubDate: 'Tue, 04 Feb 2020 12:00:00 GMT'
  })

  const chatFeed = parseAtom((await app.inject(`/components/${chat.id}/history.atom`)).body)
  t.ok(chatFeed.entries.some((entry) => entry.category === 'postmortem'), 'in the feed of a component the incident affected')
  const otherFeed = parseAtom((await app.inject(`/components/${other.id}/history.atom`)).body)
  t.same(otherFeed.entries, [], 'not in the feed of one it did not')

  postmortems.unpublish('TM202916', 'test')
  t.notOk(parseAtom((await app.inject('/history.atom')).body).entries.some((entry) => entry.category === 'postmortem'), 'unpublished: out of the feed')
})

t.test('the demo has one: TM195204, published two days after it was resolved', async (t) => {
  const app = await build(t)
  loadDemo(app.herald.stores, { now: new Date(), incidentPrefix: 'INC' })
  const html = await page(app, '/incidents/TM195204')
  t.match(html, '<h2 id="postmortem-heading">Postmortem</h2>')
  t.match(html, '<h3>What we are changing</h3>')
  const incident = (await get(app, '/api/v2/incidents.json')).body.incidents.find((i: { id: string }) => i.id === 'TM195204')
  t.match(incident, { status: 'postmortem', postmortem_body: /^### What happened/ })
  t.ok(incident.postmortem_published_at > incident.resolved_at, 'after its resolution')
})
