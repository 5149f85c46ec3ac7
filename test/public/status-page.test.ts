// GET /: the banner's words, open and past incidents, components by group with uptime bars, links.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { all, banner, barCells, between } from './fixtures/html.js'
import { addComponent, incident, page, setStatus } from './fixtures/seed.js'

t.test('the banner says what Statuspage says for each state', async (t) => {
  const cases: Array<[string, (app: Awaited<ReturnType<typeof build>>, clock: TestClock) => void, string]> = [
    ['all operational', () => {}, 'All Systems Operational'],
    ['degraded performance', (app) => setStatus(app, addComponent(app, 'B'), 'degraded_performance'), 'Minor Service Outage'],
    ['partial outage', (app) => setStatus(app, addComponent(app, 'B'), 'partial_outage'), 'Partial System Outage'],
    ['major outage', (app) => setStatus(app, addComponent(app, 'B'), 'major_outage'), 'Major Service Outage'],
    ['under maintenance only', (app) => setStatus(app, addComponent(app, 'B'), 'under_maintenance'), 'Service Under Maintenance'],
    ['an open critical incident with every component operational', (app, clock) => {
      incident(app, clock, { name: 'Odd', impact: 'critical', steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body: 'Looking.' }] })
    }, 'Major Service Outage']
  ]
  for (const [name, arrange, words] of cases) {
    t.test(name, async (t) => {
      const clock = new TestClock()
      const app = await build(t, { clock })
      addComponent(app, 'A')
      arrange(app, clock)
      clock.set('2020-02-03T13:00:00.000Z')
      const html = await page(app, '/')
      t.equal(banner(html), words)
      t.match(html, /<section class="banner indicator-[a-z]+"/)
    })
  }
})

t.test('open incidents show every update newest first with impact and affected components', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const chat = addComponent(app, 'Teams chat')
  const signIn = addComponent(app, 'Sign-in')
  const reference = incident(app, clock, {
    name: 'Teams is down',
    reference: 'TM202916',
    impact: 'critical',
    steps: [
      { at: '2020-02-03T14:00:00.000Z', status: 'investigating', body: 'First words.', components: { [chat.id]: 'major_outage', [signIn.id]: 'partial_outage' } },
      { at: '2020-02-03T15:00:00.000Z', status: 'identified', body: 'Second words.' },
      { at: '2020-02-03T16:05:00.000Z', status: 'identified', body: 'Third words.' }
    ]
  })
  const html = await page(app, '/')
  const open = between(html, '<section class="open-incidents"', '</section>')
  t.match(open, /<a href="\/incidents\/TM202916">Teams is down<\/a>/)
  t.match(open, /impact-badge impact-critical">Critical</)
  t.match(open, /Affected<\/dt><dd><bdi>Teams chat<\/bdi>, <bdi>Sign-in<\/bdi><\/dd>/)
  t.same(all(open, /<p>(\w+) words\.<\/p>/), ['Third', 'Second', 'First'], 'newest first')
  t.same(all(open, /update-status incident-status-\w+">(\w+)</), ['Identified', 'Identified', 'Investigating'])
  t.match(open, '<time datetime="2020-02-03T16:05:00.000Z" data-local>3 Feb 2020, 16:05 UTC</time>')
  t.match(open, '<bdi>Teams chat</bdi>: <span class="status-operational">Operational</span>')
  t.notMatch(between(html, '<section class="past-incidents"', '</section>\n'), 'Teams is down', 'not among past incidents while open')

  clock.set('2020-02-03T17:00:00.000Z')
  app.herald.services.incidents.postUpdate(reference, { status: 'resolved', body: 'All good now.' }, 'test')
  const after = await page(app, '/')
  t.notMatch(after, '<section class="open-incidents"', 'no open incidents section once resolved')
  t.equal(banner(after), 'All Systems Operational')
  const today = between(after, '<h3><time datetime="2020-02-03">3 Feb 2020</time></h3>', '</div>')
  t.match(today, /<h4><a href="\/incidents\/TM202916"><bdi>Teams is down<\/bdi><\/a> <span class="reference">TM202916<\/span><\/h4>/)
  t.match(today, /Resolved<\/strong>.*17:00 UTC/s, 'with its latest update')
  t.match(today, '<p>All good now.</p>')
  t.notMatch(today, 'Third words.', 'only the latest update')
})

t.test('components sit in their groups with their status in words', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  addComponent(app, 'Website')
  const chat = addComponent(app, 'Teams chat', 'Microsoft Teams', 'Messages and channels')
  addComponent(app, 'Teams meetings', 'Microsoft Teams')
  const signIn = addComponent(app, 'Sign-in', 'Identity')
  setStatus(app, chat, 'degraded_performance')
  setStatus(app, signIn, 'under_maintenance')
  const html = await page(app, '/')
  const components = between(html, '<section class="components"', '<section class="past-incidents"')
  t.same(all(components, /<h3>([^<]+)<\/h3>/), ['Microsoft Teams', 'Identity'], 'groups in page order')
  t.same(all(components, /<span class="component-name">([^<]+)<\/span>/), ['Website', 'Teams chat', 'Teams meetings', 'Sign-in'])
  const teams = between(components, '<h3>Microsoft Teams</h3>', '</ul>')
  t.match(teams, /^\s*<span class="component-status status-degraded-performance">Degraded Performance<\/span>/, 'a group shows its worst status')
  t.match(teams, /Teams chat<\/span>\s*<span class="component-status status-degraded-performance">Degraded Performance</)
  t.match(teams, /Teams meetings<\/span>\s*<span class="component-status status-operational">Operational</)
  t.match(teams, '<p class="component-description">Messages and channels</p>')
  t.match(components, /Sign-in<\/span>\s*<span class="component-status status-under-maintenance">Under Maintenance</)
  t.notMatch(between(html, '<section class="components"', '<h3>'), 'Website</h3>', 'an ungrouped component has no group heading')
})

t.test('each component has a 90-day uptime bar with words, the percent and a legend', async (t) => {
  const clock = new TestClock('2019-12-01T00:00:00.000Z')
  const app = await build(t, { clock })
  const api = addComponent(app, 'API')
  clock.set('2020-02-01T10:00:00.000Z')
  setStatus(app, api, 'partial_outage')
  clock.set('2020-02-01T11:30:00.000Z')
  setStatus(app, api, 'degraded_performance')
  clock.set('2020-02-01T11:50:00.000Z')
  setStatus(app, api, 'operational')
  clock.set('2020-02-03T12:00:00.000Z')
  const newer = addComponent(app, 'New thing')

  const html = await page(app, '/')
  const cells = barCells(html, 'API')
  t.equal(cells.length, 90, 'one cell per day')
  t.same(cells.at(-1), ['op', '3 Feb 2020: No downtime'], 'the last cell is today')
  t.same(cells.at(-3), ['po', '1 Feb 2020: Partial Outage 1 h 30 min, Degraded Performance 20 min'])
  t.same(cells[0], ['nd', '6 Nov 2019: No data'], 'the first cell is 89 days ago, before the component existed')
  t.match(html, /<span>90 days ago<\/span><span class="bar-percent">99\.97 % uptime<\/span><span>Today<\/span>/)
  const newCells = barCells(html, newer.name)
  t.equal(newCells.length, 90)
  t.same(newCells.slice(0, 89).map(([c]) => c), Array(89).fill('nd'))
  t.match(html, /<li><i class="op" aria-hidden="true"><\/i>No downtime<\/li>/, 'a legend tells the colours in words')
  t.match(html, /<li><i class="mo" aria-hidden="true"><\/i>Major Outage<\/li>/)
  t.notMatch(html, /style=/, 'classes, not inline styles')
})

t.test('the past 14 days each have a block, with "No incidents reported." on quiet days', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  incident(app, clock, {
    name: 'Old one',
    steps: [
      { at: '2020-01-31T23:30:00.000Z', status: 'investigating', body: 'Started just before midnight.' },
      { at: '2020-02-01T00:30:00.000Z', status: 'resolved', body: 'Over.' }
    ]
  })
  incident(app, clock, {
    name: 'Too old',
    steps: [
      { at: '2020-01-20T10:00:00.000Z', status: 'investigating', body: 'Outside the window.' },
      { at: '2020-01-20T11:00:00.000Z', status: 'resolved', body: 'Over.' }
    ]
  })
  clock.set('2020-02-03T13:00:00.000Z')
  const html = await page(app, '/')
  const past = between(html, '<section class="past-incidents"', '<p class="more">')
  const days = all(past, /<h3><time datetime="(\d{4}-\d\d-\d\d)">/)
  t.equal(days.length, 14)
  t.equal(days[0], '2020-02-03', 'newest first, starting today')
  t.equal(days[13], '2020-01-21')
  t.equal(all(past, /<p class="empty">(No incidents reported\.)<\/p>/).length, 13)
  t.match(between(past, 'datetime="2020-01-31"', '</div>'), 'Old one', 'grouped by the UTC day it started')
  t.notMatch(past, 'Too old')
})

t.test('the past days list resolved incidents only; an open one is shown in full above and its updates are read once', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const open = incident(app, clock, { name: 'Still open', steps: [{ at: '2020-02-03T10:00:00.000Z', status: 'investigating', body: 'Looking.' }] })
  const done = incident(app, clock, {
    name: 'Over now',
    steps: [
      { at: '2020-02-02T10:00:00.000Z', status: 'investigating', body: 'Looking.' },
      { at: '2020-02-02T11:00:00.000Z', status: 'resolved', body: 'Over.' }
    ]
  })
  clock.set('2020-02-03T13:00:00.000Z')
  const { incidents } = app.herald.stores
  const read: string[] = []
  const withUpdates = incidents.withUpdates.bind(incidents)
  incidents.withUpdates = ((list: Parameters<typeof withUpdates>[0]) => {
    read.push(...list.map((i) => i.reference))
    return withUpdates(list)
  }) as typeof incidents.withUpdates
  const html = await page(app, '/')
  const past = between(html, '<section class="past-incidents"', '<p class="more">')
  t.match(past, 'Over now')
  t.notMatch(past, 'Still open')
  t.same(read.filter((reference) => reference === open), [open], 'the open incident\'s updates are read once')
  t.same(read.filter((reference) => reference === done), [done])
})

t.test('the page links to the history, the feed and the API', async (t) => {
  const app = await build(t)
  const html = await page(app, '/')
  t.match(html, '<link rel="alternate" type="application/rss+xml" title="Example Status: incident updates" href="/history.rss">')
  t.match(html, '<a href="/history">')
  t.match(html, '<a href="/history.rss">')
  t.match(html, '<a href="/api/v1/openapi.json">')
  t.match(html, /<title>Example Status<\/title>/)
  t.match(html, '<a class="site-name" href="/">Example Status</a>')
  t.match(html, /<header[^>]*>[\s\S]*<main id="main"[\s\S]*<\/main>\s*<footer/, 'header, main and footer landmarks')
  t.match(html, /<script src="\/static\/local-time\.js\?v=[\w-]+" defer><\/script>/)
  t.notMatch(html, /<script>|<script [^>]*>[^<]/, 'no inline script')
  t.notMatch(html, /https?:\/\/(?!status\.example\.com)/, 'nothing loaded from elsewhere')
})
