// GET /: the banner's words, open and past incidents, components by group with uptime bars, links.
import t from 'tap'
import { IncidentsStore } from '../../server/store/incidents-store.js'
import { TestClock, build } from '../fixtures/build.js'
import { all, banner, barCells, barDays, barSummary, between } from './fixtures/html.js'
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
  const open = between(html, '<section class="notices"', '</section>')
  t.match(open, /<a href="\/incidents\/TM202916">Teams is down<\/a>/)
  t.match(open, /impact-badge impact-critical">Critical</)
  t.match(open, /Affected<\/dt><dd><bdi>Teams chat<\/bdi>, <bdi>Sign-in<\/bdi><\/dd>/)
  t.same(all(open, /<p>(\w+) words\.<\/p>/), ['Third', 'Second', 'First'], 'newest first')
  t.same(all(open, /update-status incident-status-\w+">(\w+)</), ['Identified', 'Identified', 'Investigating'])
  t.match(open, '<time datetime="2020-02-03T16:05:00.000Z" data-local>3 Feb 2020, 16:05 UTC</time>')
  t.match(open, '<p class="freshness">Updated <time datetime="2020-02-03T16:05:00.000Z" data-ago>3 Feb 2020, 16:05 UTC</time></p>',
    'how fresh it is: the latest update\'s time, which static/local-time.js turns into "4 minutes ago"')
  t.match(open, '<bdi>Teams chat</bdi>: <span class="status-operational">Operational</span>')
  t.match(html, '<p class="banner-updated">Last updated <time datetime="2020-02-03T16:05:00.000Z" data-ago>3 Feb 2020, 16:05 UTC</time></p>',
    'the banner says when anything on the page last changed')

  clock.set('2020-02-03T17:00:00.000Z')
  app.herald.services.incidents.postUpdate(reference, { status: 'resolved', body: 'All good now.' }, 'test')
  const after = await page(app, '/')
  t.notMatch(after, '<section class="notices"', 'no notices section once resolved')
  t.match(after, 'Last updated <time datetime="2020-02-03T17:00:00.000Z" data-ago>', 'the resolution is the latest change')
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
  t.match(html, '<p class="bar-foot" aria-hidden="true"><span><span class="days-all">90</span><span class="days-recent">30</span> days ago</span>' +
    '<span class="bar-percent"><span class="days-all">99.97 % uptime</span><span class="days-recent">99.93 % uptime</span></span><span>Today</span></p>',
  'the percent over the 90 days, and over the 30 a phone shows')
  t.equal(barSummary(html, 'API'), 'past 90 days: 99.97 % uptime, 1 day with incidents', 'a screen reader hears one summary')
  t.same(barDays(html, 'API'), [{ date: '1 Feb 2020', words: 'Partial Outage 1 h 30 min, Degraded Performance 20 min', links: [] }],
    'only the day with something to tell is reached by the keyboard and listed')
  t.equal(all(between(html, '<ol class="bar" aria-label="API', '</ol>'), /(aria-hidden="true" data-t=)/).length, 89, 'the quiet days are hover tips hidden from screen readers')
  const newCells = barCells(html, newer.name)
  t.equal(newCells.length, 90)
  t.same(newCells.slice(0, 89).map(([c]) => c), Array(89).fill('nd'))
  t.equal(barSummary(html, newer.name), 'past 90 days: No data yet, no incidents', 'a component created a moment ago has no percent yet')
  t.match(html, '<span class="days-all">No data yet</span><span class="days-recent">No data yet</span>')
  t.match(html, /<li><i class="op" aria-hidden="true"><\/i>No downtime<\/li>/, 'a legend tells the colours in words')
  t.match(html, /<li><i class="mo" aria-hidden="true"><\/i>Major Outage<\/li>/)
  t.notMatch(html, /style=/, 'classes, not inline styles')
})

t.test('a day of a bar lists its incidents, linked, and a component younger than a day shows no percent', async (t) => {
  const clock = new TestClock('2020-02-03T12:00:00.000Z')
  const app = await build(t, { clock })
  // Created minutes before an outage: "0.16 % uptime" would say nothing true about it.
  const chat = addComponent(app, 'Teams chat')
  incident(app, clock, {
    name: 'Chat <b>down</b>',
    reference: 'TM202916',
    steps: [{ at: '2020-02-03T12:01:00.000Z', status: 'investigating', body: 'Looking.', components: { [chat.id]: 'major_outage' } }]
  })
  clock.set('2020-02-03T12:10:00.000Z')
  const html = await page(app, '/')
  t.equal(barSummary(html, 'Teams chat'), 'past 90 days: No data yet, 1 day with incidents')
  t.same(barDays(html, 'Teams chat'), [{ date: '3 Feb 2020', words: 'Major Outage 9 min', links: [['/incidents/TM202916', 'Chat &lt;b&gt;down&lt;/b&gt;']] }],
    'today: the status, the minutes and the incident, its name escaped')
  t.notMatch(html, /\d+\.\d\d % uptime/)
})

t.test('the notices are in order of severity: a critical incident above a maintenance in progress, a minor one below', async (t) => {
  const clock = new TestClock('2020-02-03T09:00:00.000Z')
  const app = await build(t, { clock })
  const relays = addComponent(app, 'Media relays')
  const { maintenances } = app.herald.services
  const work = maintenances.schedule({
    name: 'Relay upgrade',
    body: 'Upgrading.',
    scheduledFor: '2020-02-03T10:00:00.000Z',
    scheduledUntil: '2020-02-03T14:00:00.000Z',
    components: [relays.id]
  }, 'test')
  clock.set('2020-02-03T10:00:00.000Z')
  maintenances.postUpdate(work.reference, { status: 'in_progress', body: 'Started.' }, 'test')
  incident(app, clock, { name: 'Minor one', impact: 'minor', steps: [{ at: '2020-02-03T11:00:00.000Z', status: 'investigating', body: 'Slow.' }] })
  incident(app, clock, { name: 'Critical one', impact: 'critical', steps: [{ at: '2020-02-03T10:30:00.000Z', status: 'investigating', body: 'Down.' }] })
  clock.set('2020-02-03T12:00:00.000Z')
  const html = await page(app, '/')
  const notices = between(html, '<section class="notices"', '</section>')
  t.same(all(notices, /<h3><a href="[^"]+">([^<]+)<\/a><\/h3>/), ['Critical one', 'Relay upgrade', 'Minor one'])
  t.match(notices, /<article class="incident-card maintenance-card">\s*<header class="incident-card-header">\s*<p class="eyebrow">Maintenance in progress<\/p>/)
  const today = between(html, '<h3><time datetime="2020-02-03">3 Feb 2020</time></h3>', '<div class="past-day">')
  t.same(all(today, /<bdi>([^<]+)<\/bdi><\/a> <span class="reference">/), ['Critical one', 'Relay upgrade', 'Minor one'], 'today lists them too, in the same order')
  t.notMatch(today, 'No incidents reported.')
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

t.test('today lists what is open, whatever day it started; a resolved incident is under its day with its latest update; updates are read once', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const open = incident(app, clock, { name: 'Still open', steps: [{ at: '2020-02-01T10:00:00.000Z', status: 'investigating', body: 'Looking.' }] })
  const done = incident(app, clock, {
    name: 'Over now',
    steps: [
      { at: '2020-02-02T10:00:00.000Z', status: 'investigating', body: 'Looking into it.' },
      { at: '2020-02-02T11:00:00.000Z', status: 'resolved', body: 'Over.' }
    ]
  })
  clock.set('2020-02-03T13:00:00.000Z')
  // On the prototype: the server reads the page on its second connection, with stores of its own.
  const read: Record<'whole' | 'latest', string[]> = { whole: [], latest: [] }
  const { withUpdates, withLatestUpdate } = IncidentsStore.prototype
  t.teardown(() => Object.assign(IncidentsStore.prototype, { withUpdates, withLatestUpdate }))
  IncidentsStore.prototype.withUpdates = function (list) {
    read.whole.push(...list.map((i) => i.reference))
    return withUpdates.call(this, list)
  }
  IncidentsStore.prototype.withLatestUpdate = function (list) {
    read.latest.push(...list.map((i) => i.reference))
    return withLatestUpdate.call(this, list)
  }
  const html = await page(app, '/')
  const past = between(html, '<section class="past-incidents"', '<p class="more">')
  const day = (date: string): string => between(past, `<time datetime="${date}">`, '<div class="past-day">')
  t.match(day('2020-02-03'), 'Still open', 'under today, while it is open')
  t.notMatch(day('2020-02-03'), 'No incidents reported.', 'today never says so under incidents still running')
  t.notMatch(day('2020-02-01'), 'Still open', 'listed once: not again under the day it started')
  t.match(day('2020-02-02'), 'Over now')
  t.match(day('2020-02-02'), /<p class="past-latest"><strong class="update-status [^"]+">Resolved<\/strong>[\s\S]*<p>Over\.<\/p>/, 'with its latest update')
  t.notMatch(day('2020-02-02'), 'Looking into it.', 'and no other')
  t.same(read, { whole: [open], latest: [done] }, 'the open incident\'s updates are read once; of the resolved one, only the latest')
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
