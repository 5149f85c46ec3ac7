// The TM202916 story of 3 February 2020 through the token API, as the page, the incident page and the feed show it; the README's API example on either database.
import t from 'tap'
import { loadDemo } from '../server/demo/load-demo.js'
import { build, TestClock } from './fixtures/build.js'
import { parseFeed } from './feed/fixtures/parse-feed.js'

// 08:30 ET is 13:30 UTC on 3 February 2020 (EST, UTC-5).
const story = [
  { at: '2020-02-03T14:00:00.000Z', status: 'investigating', body: "We're investigating an issue where users may be unable to access Microsoft Teams." },
  { at: '2020-02-03T15:00:00.000Z', status: 'identified', body: "We've determined that an authentication certificate has expired, causing users to have issues using the service." },
  { at: '2020-02-03T16:00:00.000Z', status: 'monitoring', body: "We've initiated the deployment of the updated certificate and are monitoring the service as it recovers." },
  { at: '2020-02-03T17:10:00.000Z', status: 'resolved', body: 'We have confirmed that the updated certificate has resolved the issue and users can access Microsoft Teams.' }
] as const

t.test('TM202916 from first word to resolution', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const app = await build(t, { clock })
  const token = app.herald.services.tokens.create('ops', 'cli')
  const headers = { authorization: `Bearer ${token}` }
  const post = async (url: string, payload: object): Promise<any> => {
    const response = await app.inject({ method: 'POST', url, headers, payload })
    t.equal(response.statusCode, 201, `${url}: ${response.body}`)
    return response.json()
  }
  const page = async (url: string): Promise<string> => {
    const response = await app.inject(url)
    t.equal(response.statusCode, 200, url)
    return response.body
  }

  const chat = await post('/api/v1/components', { name: 'Teams chat', group: 'Microsoft Teams' })
  const signIn = await post('/api/v1/components', { name: 'Sign-in', group: 'Microsoft Teams' })
  await post('/api/v1/components', { name: 'Outlook' })
  t.match(await page('/'), /All Systems Operational/)

  clock.set(story[0].at)
  const opened = await post('/api/v1/incidents', {
    reference: 'TM202916',
    name: 'Users unable to access Microsoft Teams',
    body: story[0].body,
    impact: 'critical',
    components: { [chat.id]: 'major_outage', [signIn.id]: 'major_outage' }
  })
  t.match(opened, { reference: 'TM202916', status: 'investigating', impact: 'critical' })
  let home = await page('/')
  t.match(home, /Major Service Outage/)
  t.match(home, /TM202916/)
  t.match(home, /Major Outage/)

  clock.set(story[1].at)
  await post('/api/v1/incidents/TM202916/updates', { status: 'identified', body: story[1].body, components: { [signIn.id]: 'partial_outage' } })
  clock.set(story[2].at)
  await post('/api/v1/incidents/TM202916/updates', { status: 'monitoring', body: story[2].body, components: { [chat.id]: 'degraded_performance', [signIn.id]: 'degraded_performance' } })
  home = await page('/')
  t.match(home, /Major Service Outage/, 'components recover but the open incident’s critical impact still rules the banner')

  const components = (await app.inject({ url: '/api/v1/components', headers })).json()
  t.match(components.map((c: any) => [c.name, c.status]), [['Teams chat', 'degraded_performance'], ['Sign-in', 'degraded_performance'], ['Outlook', 'operational']])

  clock.set(story[3].at)
  const resolved = await post('/api/v1/incidents/TM202916/updates', { status: 'resolved', body: story[3].body })
  t.equal(resolved.resolved_at, story[3].at)
  t.same(resolved.updates.map((u: any) => u.status), ['resolved', 'monitoring', 'identified', 'investigating'])

  home = await page('/')
  t.match(home, /All Systems Operational/, 'resolving put every component back and closed the incident')

  // The incident page: the four updates, newest first, with their times.
  const incidentPage = await page('/incidents/tm202916')
  const positions = story.map((step) => incidentPage.indexOf(step.body))
  t.ok(positions.every((p) => p > 0), 'every update body is on the incident page')
  t.same([...positions].sort((a, b) => b - a), positions, 'newest first')
  for (const step of story) t.match(incidentPage, `datetime="${step.at}"`)

  // The feed: one item per update, newest first, each with its time.
  const feed = parseFeed(await page('/history.rss'))
  t.same(feed.items.map((item) => item.pubDate), [...story].reverse().map((step) => new Date(step.at).toUTCString()))
  t.same(feed.items.map((item) => item.title), [
    '[Resolved] Users unable to access Microsoft Teams (TM202916)',
    '[Monitoring] Users unable to access Microsoft Teams (TM202916)',
    '[Identified] Users unable to access Microsoft Teams (TM202916)',
    '[Investigating] Users unable to access Microsoft Teams (TM202916)'
  ])
  t.same(feed.items.map((item) => item.link), resolved.updates.map((u: any) => `https://status.example.com/incidents/TM202916#update-${u.id}`))

  // The status history the uptime bars are computed from.
  const history = app.herald.stores.statusHistory.since('2020-01-01T00:00:00.000Z')
    .filter((c) => c.componentId === signIn.id).map((c) => [c.newStatus, c.changedAt])
  t.same(history, [
    ['major_outage', story[0].at],
    ['partial_outage', story[1].at],
    ['degraded_performance', story[2].at],
    ['operational', story[3].at]
  ])
})

t.test("the README's API example works on a fresh database and on the demo", async (t) => {
  for (const database of ['fresh', 'demo'] as const) {
    t.test(`on a ${database} database`, async (t) => {
      const app = await build(t)
      const { stores, services, config } = app.herald
      if (database === 'demo') loadDemo(stores, { now: new Date(), incidentPrefix: config.incidentPrefix })
      const headers = { authorization: `Bearer ${services.tokens.create('ops', 'cli')}` }
      const post = async (url: string, payload: object): Promise<any> => {
        const response = await app.inject({ method: 'POST', url, headers, payload })
        t.equal(response.statusCode, 201, `${url}: ${response.body}`)
        return response.json()
      }

      // As the README writes it: a component the demo does not have, and a reference Herald gives.
      const calendar = await post('/api/v1/components', { name: 'Calendar', group: 'Microsoft Teams' })
      const opened = await post('/api/v1/incidents', {
        name: 'Calendar not loading',
        body: "We're investigating reports that the calendar does not load in Teams.",
        components: { [calendar.id]: 'partial_outage' }
      })
      t.match(opened.reference, /^HR\d{6}$/)
      await post(`/api/v1/incidents/${opened.reference}/updates`, { status: 'identified', body: 'A configuration change stopped a calendar service; we are reverting it.' })
      const resolved = await post(`/api/v1/incidents/${opened.reference}/updates`, { status: 'resolved', body: 'The change is reverted and the calendar loads again.' })
      t.equal(resolved.status, 'resolved')
      t.equal(stores.components.get(calendar.id)?.status, 'operational')
      t.equal(stores.components.list().filter((c) => c.name === 'Calendar').length, 1)

      // What the example did before: TM202916 is the demo's, so naming it again is refused.
      const again = await app.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload: { reference: 'TM202916', name: 'Teams', body: 'Down.' } })
      t.equal(again.statusCode, database === 'demo' ? 409 : 201)
    })
  }
})
