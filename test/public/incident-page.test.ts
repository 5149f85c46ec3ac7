// GET /incidents/:reference: the permalink with its timeline, anchors, component changes, duration, and 404s.
import t, { type Test } from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { all, between } from './fixtures/html.js'
import { addComponent, incident, page } from './fixtures/seed.js'

async function story (t: Test) {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const chat = addComponent(app, 'Teams chat')
  const admin = addComponent(app, 'Admin center')
  const reference = incident(app, clock, {
    name: 'Users may be unable to access Microsoft Teams',
    reference: 'TM202916',
    steps: [
      { at: '2020-02-03T13:30:00.000Z', status: 'investigating', body: "We're investigating.", components: { [chat.id]: 'major_outage', [admin.id]: 'partial_outage' } },
      { at: '2020-02-03T15:00:00.000Z', status: 'identified', body: 'An authentication certificate has expired.' },
      { at: '2020-02-03T16:00:00.000Z', status: 'monitoring', body: 'The updated certificate is deployed.', components: { [chat.id]: 'degraded_performance' } }
    ]
  })
  return { app, clock, reference, chat, admin }
}

t.test('the timeline shows every update newest first, with anchors, times and component changes', async (t) => {
  const { app } = await story(t)
  const html = await page(app, '/incidents/TM202916')
  t.match(html, '<h1>Users may be unable to access Microsoft Teams</h1>')
  t.match(html, /<title>Users may be unable to access Microsoft Teams \(TM202916\) · Example Status<\/title>/)
  t.match(html, /Reference<\/dt><dd><a href="\/incidents\/TM202916">TM202916<\/a>/)
  t.match(html, /Impact<\/dt><dd><span class="impact-badge impact-critical">Critical<\/span>/, 'impact follows the worst component status')
  t.match(html, 'Affected</dt><dd><bdi>Teams chat</bdi>, <bdi>Admin center</bdi></dd>')
  t.match(html, /Started <time datetime="2020-02-03T13:30:00.000Z" data-local>3 Feb 2020, 13:30 UTC<\/time>/)
  t.notMatch(html, 'Resolved after', 'no duration while open')

  const timeline = between(html, '<ol class="updates timeline"', '</ol>\n')
  const ids = all(timeline, /<li class="update" id="update-(\d+)">/).map(Number)
  t.equal(ids.length, 3)
  t.same(ids, [...ids].sort((a, b) => b - a), 'newest first')
  t.same(all(timeline, /incident-status-\w+">(\w+)</), ['Monitoring', 'Identified', 'Investigating'])
  t.same(all(timeline, /<time datetime="([^"]+)"/), ['2020-02-03T16:00:00.000Z', '2020-02-03T15:00:00.000Z', '2020-02-03T13:30:00.000Z'])
  t.match(timeline, `<a class="update-time" href="/incidents/TM202916#update-${ids[0]}">`, 'each update links to its own anchor')
  const first = between(timeline, `id="update-${ids[2]}"`, '</ul>')
  t.match(first, '<bdi>Teams chat</bdi>: <span class="status-operational">Operational</span> <span aria-hidden="true">→</span><span class="visually-hidden">changed to</span> <span class="status-major-outage">Major Outage</span>')
  t.match(first, '<bdi>Admin center</bdi>: <span class="status-operational">Operational</span>')
  t.match(first, '<span class="status-partial-outage">Partial Outage</span>')
  const last = between(timeline, `id="update-${ids[0]}"`, '</ul>')
  t.match(last, /<bdi>Teams chat<\/bdi>: <span class="status-major-outage">Major Outage<\/span>.*<span class="status-degraded-performance">Degraded Performance<\/span>/s)
  t.notMatch(between(timeline, `id="update-${ids[1]}"`, '</li>\n'), 'update-changes', 'an update without changes lists none')
  t.match(html, /<p class="incident-affected">This incident affects: <bdi>Teams chat<\/bdi>, <bdi>Admin center<\/bdi><\/p>\s*<\/article>/,
    'the page ends with the components its updates changed, as Statuspage does')
})

t.test('an incident that changed no component names none at its end', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  addComponent(app, 'Teams chat')
  const reference = incident(app, clock, { name: 'Slow page', steps: [{ at: '2020-02-03T13:30:00.000Z', status: 'investigating', body: 'Looking.' }] })
  t.notMatch(await page(app, `/incidents/${reference}`), 'incident-affected')
})

t.test('a resolved incident shows its duration', async (t) => {
  const { app, clock, reference } = await story(t)
  clock.set('2020-02-03T16:10:00.000Z')
  app.herald.services.incidents.postUpdate(reference, { status: 'resolved', body: 'Resolved.' }, 'test')
  const html = await page(app, '/incidents/TM202916')
  t.match(html, 'Resolved after 2 h 40 min')
  t.match(html, /update-status incident-status-resolved">Resolved</)
  t.match(html, /<bdi>Admin center<\/bdi>: <span class="status-partial-outage">Partial Outage<\/span>.*<span class="status-operational">Operational<\/span>/s,
    'resolving puts the components back, and says so')
  t.match(html, '<p class="incident-affected">This incident affected: <bdi>Teams chat</bdi>, <bdi>Admin center</bdi></p>', 'in the past once resolved')
})

t.test('the reference is case-insensitive', async (t) => {
  const { app } = await story(t)
  const html = await page(app, '/incidents/tm202916')
  t.match(html, '<h1>Users may be unable to access Microsoft Teams</h1>')
  t.match(html, '<link rel="canonical" href="https://status.example.com/incidents/TM202916">')
})

t.test('an unknown or malformed reference gets a real 404 page', async (t) => {
  const { app } = await story(t)
  for (const url of ['/incidents/TM000000', '/incidents/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/incidents/<script>', '/incidents/a', `/incidents/${'A'.repeat(40)}`]) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 404, url)
    t.match(response.headers['content-type'], /^text\/html/)
    t.match(response.body, '<h1>Incident not found</h1>')
    t.match(response.body, '<a class="site-name" href="/">Example Status</a>', 'in the site layout')
    t.notMatch(response.body, '<script>', 'nothing typed comes back raw')
    t.notOk(response.headers.etag, 'not cached as a page')
  }
})
