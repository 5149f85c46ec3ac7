// Scheduled maintenance on the public pages: upcoming with its window, in progress as a blue banner, completed in the history.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { TestClock, build } from '../fixtures/build.js'
import { banner, between } from './fixtures/html.js'
import { actor, addComponent, incident, page } from './fixtures/seed.js'

const hour = 3_600_000

async function world (t: Test): Promise<{ app: FastifyInstance, clock: TestClock, database: number, api: number }> {
  const clock = new TestClock('2026-11-25T10:00:00.000Z')
  const app = await build(t, { clock })
  const database = addComponent(app, 'Database').id
  const api = addComponent(app, 'API').id
  return { app, clock, database, api }
}

function schedule (app: FastifyInstance, input: { name: string, for: string, until: string, components: number[], body?: string }): string {
  return app.herald.services.maintenances.schedule({
    name: input.name,
    body: input.body ?? 'We will upgrade the **database**.',
    scheduledFor: input.for,
    scheduledUntil: input.until,
    components: input.components
  }, actor).reference
}

t.test('an upcoming maintenance shows its UTC window and components, and changes nothing else', async (t) => {
  const { app, database } = await world(t)
  const reference = schedule(app, { name: 'Database upgrade', for: '2026-11-26T02:00:00.000Z', until: '2026-11-26T04:00:00.000Z', components: [database] })
  const html = await page(app, '/')
  t.equal(banner(html), 'All Systems Operational', 'a maintenance that has not started changes no status')
  const upcoming = between(html, '<h2 id="upcoming-maintenance-heading">Scheduled maintenance</h2>', '</section>')
  t.match(upcoming, `<a href="/incidents/${reference}">Database upgrade</a>`)
  // Two times, localised by static/local-time.js like the update times on the same card.
  t.match(upcoming, '<span class="window"><time datetime="2026-11-26T02:00:00.000Z" data-local title="26 Nov 2026, 02:00 UTC">26 Nov 2026, 02:00</time> – <time datetime="2026-11-26T04:00:00.000Z" data-local="end" title="26 Nov 2026, 04:00 UTC">04:00 UTC</time></span>')
  t.match(upcoming, 'Affects <bdi>Database</bdi>')
  t.match(upcoming, '<strong>database</strong>', 'the announcement is rendered Markdown')
  t.notMatch(html, 'Maintenance in progress')
  const past = between(html, '<h2 id="past-incidents-heading">', '</section>')
  t.notMatch(past, 'Database upgrade', 'not history before it starts')
  const history = await page(app, '/history')
  t.notMatch(history, 'Database upgrade')

  const permalink = await page(app, `/incidents/${reference}`)
  t.match(permalink, 'Scheduled maintenance')
  t.match(permalink, '<dt>Window</dt><dd><span class="window"><time datetime="2026-11-26T02:00:00.000Z" data-local title="26 Nov 2026, 02:00 UTC">26 Nov 2026, 02:00</time> – <time datetime="2026-11-26T04:00:00.000Z" data-local="end" title="26 Nov 2026, 04:00 UTC">04:00 UTC</time></span></dd>')
  t.notMatch(permalink, '<dt>Impact</dt>', 'a maintenance shows its window, not an impact')
  t.match(permalink, '<p class="incident-affected">This maintenance affects: <bdi>Database</bdi></p>', 'its page ends with the components its window covers')
})

t.test('a window across midnight names both days', async (t) => {
  const { app } = await world(t)
  schedule(app, { name: 'Night work', for: '2026-11-26T22:30:00.000Z', until: '2026-11-27T01:15:00.000Z', components: [] })
  t.match(await page(app, '/'), '<time datetime="2026-11-26T22:30:00.000Z" data-local>26 Nov 2026, 22:30 UTC</time> – ' +
    '<time datetime="2026-11-27T01:15:00.000Z" data-local="end" title="27 Nov 2026, 01:15 UTC">27 Nov 2026, 01:15 UTC</time>')
})

t.test('in progress: a blue banner, "Service Under Maintenance", then history once completed', async (t) => {
  const { app, clock, database } = await world(t)
  const reference = schedule(app, { name: 'Database upgrade', for: '2026-11-25T11:00:00.000Z', until: '2026-11-25T12:00:00.000Z', components: [database] })
  clock.set('2026-11-25T11:00:00.000Z')
  t.equal(app.herald.services.maintenances.runDue(), 1)

  let html = await page(app, '/')
  t.equal(banner(html), 'Service Under Maintenance')
  t.match(html, '<section class="banner indicator-maintenance"')
  const active = between(html, '<section class="notices"', '</section>')
  t.match(active, 'Maintenance in progress')
  t.match(active, `<a href="/incidents/${reference}">Database upgrade</a>`)
  t.match(active, 'Scheduled maintenance is currently in progress.')
  t.notMatch(html, 'upcoming-maintenance-heading', 'no longer upcoming')

  clock.set('2026-11-25T12:00:00.000Z')
  t.equal(app.herald.services.maintenances.runDue(), 1)
  html = await page(app, '/')
  t.equal(banner(html), 'All Systems Operational')
  t.notMatch(html, 'Maintenance in progress')
  const past = between(html, '<h2 id="past-incidents-heading">', '</section>')
  t.match(past, 'Database upgrade')
  t.match(past, 'The scheduled maintenance has been completed.')
  const history = await page(app, '/history')
  t.match(history, 'Scheduled maintenance</span>')
  t.match(history, 'completed after 1 h')
  const permalink = await page(app, `/incidents/${reference}`)
  t.match(permalink, 'Completed after 1 h')
  t.match(permalink, '<p class="incident-affected">This maintenance affected: <bdi>Database</bdi></p>')
  t.match(permalink, /Started <time datetime="2026-11-25T11:00:00.000Z"[^>]*>[^<]*<\/time>, completed <time datetime="2026-11-25T12:00:00.000Z"/)
})

t.test('a worse incident during maintenance wins the banner', async (t) => {
  const { app, clock, database, api } = await world(t)
  schedule(app, { name: 'Database upgrade', for: '2026-11-25T10:30:00.000Z', until: '2026-11-25T12:00:00.000Z', components: [database] })
  clock.set('2026-11-25T10:30:00.000Z')
  app.herald.services.maintenances.runDue()
  incident(app, clock, { name: 'API errors', steps: [{ at: '2026-11-25T10:40:00.000Z', status: 'investigating', body: 'Errors.', components: { [api]: 'partial_outage' } }] })
  t.equal(banner(await page(app, '/')), 'Partial System Outage')
})

t.test('a maintenance in progress without components still says "Service Under Maintenance"', async (t) => {
  const { app, clock } = await world(t)
  schedule(app, { name: 'Network work', for: '2026-11-25T10:30:00.000Z', until: '2026-11-25T12:00:00.000Z', components: [] })
  clock.advance(hour)
  app.herald.services.maintenances.runDue()
  t.equal(banner(await page(app, '/')), 'Service Under Maintenance')
})

t.test('hostile names and messages are escaped in the upcoming list and the banner', async (t) => {
  const { app, clock } = await world(t)
  schedule(app, { name: '<script>alert(1)</script> & "quotes"', body: '<img src=x onerror=alert(1)> **bold**', for: '2026-11-25T12:00:00.000Z', until: '2026-11-25T13:00:00.000Z', components: [] })
  let html = await page(app, '/')
  t.notMatch(html, '<script>alert(1)</script>')
  t.notMatch(html, '<img')
  t.match(html, '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;')
  clock.set('2026-11-25T12:00:00.000Z')
  app.herald.services.maintenances.runDue()
  html = await page(app, '/')
  t.notMatch(html, '<script>alert(1)</script>')
  t.match(between(html, '<section class="notices"', '</section>'), '&lt;script&gt;')
})

t.test('a maintenance in progress and an open incident share one card: the maintenance named above its title, each with its class', async (t) => {
  const { app, clock, database, api } = await world(t)
  schedule(app, { name: 'Database upgrade', for: '2026-11-25T11:00:00.000Z', until: '2026-11-25T12:00:00.000Z', components: [database] })
  clock.set('2026-11-25T11:00:00.000Z')
  t.equal(app.herald.services.maintenances.runDue(), 1)
  incident(app, clock, { name: 'API errors', impact: 'minor', steps: [{ at: '2026-11-25T11:10:00.000Z', status: 'investigating', body: 'Looking.', components: { [api]: 'degraded_performance' } }] })
  const html = await page(app, '/')
  const maintenance = between(html, '<article class="incident-card maintenance-card">', '</article>')
  t.match(maintenance, /<header class="incident-card-header">\s*<p class="eyebrow">Maintenance in progress<\/p>\s*<h3><a href="\/incidents\/\w+">Database upgrade<\/a><\/h3>/)
  t.match(maintenance, '<ol class="updates" aria-label="Updates, newest first">')
  const open = between(html, '<article class="incident-card impact-minor">', '</article>')
  t.match(open, /<header class="incident-card-header">\s*<h3><a href="\/incidents\/\w+">API errors<\/a><\/h3>/, 'no eyebrow on an incident')
  t.notMatch(open, 'eyebrow')
  t.match(open, 'Looking.')
})
