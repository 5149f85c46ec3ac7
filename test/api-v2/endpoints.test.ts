// GET /api/v2/*.json: every endpoint against its strict schema in each state, Statuspage's key order, headers, caching, 404s.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { actor, addComponent, endpointPaths, get, ids, invalidEndpoints, schemaErrors } from './fixtures/api.js'
import { addMaintenances, incidentPage, maintenancePage, quietPage } from './fixtures/states.js'

const start = '2020-02-03T08:00:00.000Z'

t.test('every endpoint answers its schema, in every state a page goes through', async (t) => {
  const states = {
    'an empty page': () => {},
    'a quiet page': quietPage,
    'an incident': incidentPage,
    'maintenance scheduled, in progress, verifying and completed': maintenancePage
  }
  for (const [name, arrange] of Object.entries(states)) {
    t.test(name, async (t) => {
      const clock = new TestClock(start)
      const app = await build(t, { clock })
      arrange(app, clock)
      t.same(await invalidEndpoints(app), {}, 'no schema complaint on any endpoint')
    })
  }
})

t.test('the schemas are strict: each thing a client could trip on is refused', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  incidentPage(app, clock)
  const summary = (await get(app, '/api/v2/summary.json')).body
  t.same(schemaErrors('/api/v2/summary.json', summary), [], 'the real body passes')
  const broken: Array<[string, (body: any) => void]> = [
    ['an extra field', (body) => { body.page.extra = 1 }],
    ['a missing null field', (body) => { delete body.incidents[0].incident_updates[0].tweet_id }],
    ['an empty affected_components instead of null', (body) => { body.incidents[0].incident_updates[0].affected_components = [] }],
    ['a time without milliseconds', (body) => { body.page.updated_at = '2020-02-03T08:00:00Z' }],
    ['an unknown component status', (body) => { body.components[0].status = 'down' }],
    ['an indicator of maintenance', (body) => { body.status.indicator = 'maintenance' }],
    ['a resolved incident among the unresolved', (body) => { body.incidents[0].status = 'resolved' }],
    ['a group without its members', (body) => { delete body.components.find((c: any) => c.group).components }],
    ['a component with members', (body) => { body.components.find((c: any) => !c.group).components = ['1'] }],
    ['a numeric id', (body) => { body.components[0].id = 1 }]
  ]
  for (const [what, breakIt] of broken) {
    const body = structuredClone(summary)
    breakIt(body)
    t.not(schemaErrors('/api/v2/summary.json', body).length, 0, what)
  }
})

t.test('bodies keep Statuspage’s key order, so a diff against a real response is clean', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  incidentPage(app, clock)
  addMaintenances(app, clock)
  const summary = (await get(app, '/api/v2/summary.json')).body
  t.same(Object.keys(summary), ['page', 'components', 'incidents', 'scheduled_maintenances', 'status'])
  t.same(Object.keys(summary.page), ['id', 'name', 'url', 'time_zone', 'updated_at'])
  t.same(Object.keys(summary.status), ['indicator', 'description'])
  const componentKeys = ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'start_date', 'group_id', 'page_id', 'group', 'only_show_if_degraded']
  t.same(Object.keys(summary.components.find((c: any) => !c.group)), componentKeys)
  t.same(Object.keys(summary.components.find((c: any) => c.group)), [...componentKeys, 'components'])
  const incidentKeys = ['id', 'name', 'status', 'created_at', 'updated_at', 'monitoring_at', 'resolved_at', 'impact', 'shortlink', 'started_at', 'page_id', 'incident_updates', 'components',
    'postmortem_body', 'postmortem_body_last_updated_at', 'postmortem_published_at', 'reminder_intervals']
  t.same(Object.keys(summary.incidents[0]), incidentKeys)
  t.same(Object.keys(summary.scheduled_maintenances[0]), [...incidentKeys, 'scheduled_for', 'scheduled_until'])
  t.same(Object.keys(summary.incidents[0].incident_updates[0]), ['id', 'status', 'body', 'incident_id', 'created_at', 'updated_at', 'display_at', 'affected_components', 'deliver_notifications', 'custom_tweet', 'tweet_id'])
  const changed = summary.incidents[0].incident_updates.find((u: any) => u.affected_components !== null)
  t.same(Object.keys(changed.affected_components[0]), ['code', 'name', 'old_status', 'new_status'])
  t.same(Object.keys((await get(app, '/api/v2/status.json')).body), ['page', 'status'])
  t.same(Object.keys((await get(app, '/api/v2/components.json')).body), ['page', 'components'])
  t.same(Object.keys((await get(app, '/api/v2/incidents.json')).body), ['page', 'incidents'])
  t.same(Object.keys((await get(app, '/api/v2/scheduled-maintenances.json')).body), ['page', 'scheduled_maintenances'])
})

t.test('the page: the site’s name and address, UTC, an id derived from PUBLIC_URL, the time of the latest change', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  const empty = (await get(app, '/api/v2/status.json')).body.page
  t.same(empty, { id: empty.id, name: 'Example Status', url: 'https://status.example.com', time_zone: 'Etc/UTC', updated_at: start },
    'an empty page has never changed: it is as new as the answer')
  t.match(empty.id, /^[0-9a-f]{12}$/)

  const same = await build(t, { clock })
  t.equal((await get(same, '/api/v2/status.json')).body.page.id, empty.id, 'another install at the same address has the same id')
  const other = await build(t, { clock, env: { PUBLIC_URL: 'https://status.example.org/teams' } })
  const otherPage = (await get(other, '/api/v2/status.json')).body.page
  t.not(otherPage.id, empty.id, 'another address, another id')
  t.equal(otherPage.url, 'https://status.example.org/teams')

  clock.set('2020-02-03T09:00:00.000Z')
  const website = addComponent(app, 'Website')
  clock.set('2020-02-03T10:00:00.000Z')
  app.herald.services.incidents.open({ name: 'Down', reference: 'DOWN1', body: 'Looking.' }, actor)
  clock.set('2020-02-03T12:00:00.000Z')
  t.equal((await get(app, '/api/v2/status.json')).body.page.updated_at, '2020-02-03T10:00:00.000Z', 'the incident was the latest change')
  app.herald.services.components.patch(website.id, { status: 'partial_outage' }, actor)
  clock.set('2020-02-03T13:00:00.000Z')
  for (const path of endpointPaths) {
    t.equal((await get(app, path)).body.page.updated_at, '2020-02-03T12:00:00.000Z', `${path}: the component change is the latest`)
  }
  clock.set('2020-02-03T14:00:00.000Z')
  app.herald.services.incidents.editUpdate('DOWN1', app.herald.services.incidents.get('DOWN1').updates[0]?.id ?? 0, 'Looking hard.', actor)
  t.equal((await get(app, '/api/v2/status.json')).body.page.updated_at, '2020-02-03T14:00:00.000Z', 'a fixed update text is a change')
})

t.test('components: ids, groups as group-<id> with their members, positions within their level, Statuspage’s order', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  const website = addComponent(app, 'Website', undefined, 'The public site')
  clock.advance(60_000)
  const chat = addComponent(app, 'Teams chat', 'Microsoft Teams', 'Messages and channels')
  const meetings = addComponent(app, 'Teams meetings', 'Microsoft Teams')
  const api = addComponent(app, 'API')
  const signIn = addComponent(app, 'Sign-in', 'Identity')
  const gone = addComponent(app, 'Old thing')
  app.herald.services.components.remove(gone.id, actor)
  app.herald.services.components.patch(meetings.id, { status: 'partial_outage' }, actor)
  const teams = chat.groupId
  const identity = signIn.groupId

  const { body } = await get(app, '/api/v2/components.json')
  const summary = (await get(app, '/api/v2/summary.json')).body
  t.same(summary.components, body.components, 'the summary lists the same components')
  const byId = new Map<string, any>(body.components.map((c: any) => [c.id, c]))
  t.notOk(byId.has(String(gone.id)), 'a deleted component is gone')
  t.match(byId.get(String(website.id)), {
    name: 'Website',
    status: 'operational',
    position: 1,
    description: 'The public site',
    showcase: true,
    start_date: '2020-02-03',
    group_id: null,
    group: false,
    only_show_if_degraded: false,
    created_at: start,
    updated_at: start
  })
  t.match(byId.get(`group-${teams}`), {
    name: 'Microsoft Teams',
    status: 'partial_outage',
    position: 2,
    description: null,
    showcase: false,
    start_date: null,
    group_id: null,
    group: true,
    components: [String(chat.id), String(meetings.id)]
  }, 'a group takes the worst status of its members')
  t.match(byId.get(String(chat.id)), { group_id: `group-${teams}`, position: 1, description: 'Messages and channels' })
  t.match(byId.get(String(meetings.id)), { group_id: `group-${teams}`, position: 2, description: null, status: 'partial_outage' })
  t.match(byId.get(String(api.id)), { group_id: null, position: 3 })
  t.match(byId.get(`group-${identity}`), { position: 4, components: [String(signIn.id)] })
  t.match(byId.get(String(signIn.id)), { group_id: `group-${identity}`, position: 1 })
  t.same([website.id, teams], [1, 1], 'component 1 and group 1: numbered apart in the database…')
  t.same([byId.get('1')?.name, byId.get('group-1')?.name], ['Website', 'Microsoft Teams'], '…and apart in the API')
  t.same(ids(body.components), [
    String(website.id), String(chat.id), String(signIn.id), `group-${teams}`, String(meetings.id), String(api.id), `group-${identity}`
  ], 'ordered by position, as Statuspage orders them, page order breaking ties')
})

t.test('headers: any origin may read, JSON in UTF-8, ETags and 304s like the feed', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  incidentPage(app, clock)
  const etags = new Map<string, string>()
  for (const path of endpointPaths) {
    const first = await get(app, path)
    t.equal(first.headers['access-control-allow-origin'], '*', `${path}: CORS`)
    t.equal(first.headers['content-type'], 'application/json; charset=utf-8')
    t.match(first.headers['cache-control'], /^public, max-age=10, stale-while-revalidate=86400/)
    const etag = String(first.headers.etag)
    t.match(etag, /^"[A-Za-z0-9_-]+"$/)
    etags.set(path, etag)
    const again = await app.inject({ url: path, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304, `${path}: not modified`)
    t.equal(again.body, '')
    t.equal(again.headers['access-control-allow-origin'], '*', 'CORS on the 304 too')
    const busted = await get(app, `${path}?cachebuster=${Date.now()}&x=<script>`)
    t.equal(busted.raw, first.raw, 'a query is ignored, not refused')
    const head = await app.inject({ method: 'HEAD', url: path })
    t.equal(head.statusCode, 200)
    t.equal(head.headers['access-control-allow-origin'], '*')
  }
  const gzip = await app.inject({ url: '/api/v2/summary.json', headers: { 'accept-encoding': 'gzip' } })
  t.equal(gzip.headers['content-encoding'], 'gzip', 'a large body is compressed for those who take it')

  clock.advance(60_000)
  app.herald.services.incidents.postUpdate('TM202916', { status: 'resolved', body: 'Fixed.' }, actor)
  for (const path of endpointPaths) {
    const after = await app.inject({ url: path, headers: { 'if-none-match': etags.get(path) ?? '' } })
    t.equal(after.statusCode, 200, `${path}: a write makes the old ETag stale`)
    t.not(after.headers.etag, etags.get(path))
  }
})

t.test('a query of any shape is ignored: the same body, never an error', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  incidentPage(app, clock)
  const queries = [
    '?page=2&per_page=-1&limit=abc', '?%00=%00&x=%01%1F', '?x=%3Cscript%3Ealert(1)%3C%2Fscript%3E', '?x=%F0%9F%91%A9%E2%80%8D%F0%9F%91%A9',
    '?__proto__[polluted]=1&constructor=1', '?x=%ZZ&y=%', '?a=1&a=2&a[]=3', `?${'q='.repeat(2000)}`
  ]
  for (const path of endpointPaths) {
    const plain = await get(app, path)
    for (const query of queries) {
      const answer = await app.inject({ url: `${path}${query}` })
      t.equal(answer.statusCode, 200, `${path}${query.slice(0, 40)}`)
      t.equal(answer.body, plain.raw)
    }
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted')
})

t.test('addresses under /api/v2 that are not endpoints get the app’s JSON 404', async (t) => {
  const app = await build(t)
  const paths = [
    '/api/v2', '/api/v2/', '/api/v2/status', '/api/v2/status.xml', '/api/v2/STATUS.JSON', '/api/v2/incidents/TM202916.json',
    '/api/v2/scheduled-maintenances/finished.json', '/api/v2/components.json/extra', '/api/v2/subscribers.json',
    '/api/v2/%3Cscript%3E.json', '/api/v2/%00.json', '/api/v2/👩‍👩‍👧‍👦.json'
  ]
  for (const url of paths) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 404, url)
    t.match(response.headers['content-type'], /^application\/json/)
    t.equal(response.json().error, 'Not Found')
    t.notMatch(response.body, '<script>', 'the path is not echoed as markup')
  }
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
    const response = await app.inject({ method, url: '/api/v2/status.json', payload: { status: { indicator: 'none' } } })
    t.equal(response.statusCode, 405, `${method} writes nothing here`)
    t.equal(response.headers.allow, 'GET, HEAD')
    t.match(response.json(), { statusCode: 405, error: 'Method Not Allowed' })
  }
})

t.test('a group’s times are those of the group row, as listGroups reads them, not its members’', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  clock.advance(60_000)
  const chat = addComponent(app, 'Teams chat', 'Microsoft Teams')
  clock.advance(60_000)
  app.herald.services.components.patch(chat.id, { status: 'major_outage' }, actor)
  const [group] = app.herald.stores.components.listGroups()
  const created = new Date(Date.parse(start) + 60_000).toISOString()
  t.match(group, { id: chat.groupId, name: 'Microsoft Teams', createdAt: created })
  const { body } = await get(app, '/api/v2/components.json')
  const listed = body.components.find((c: any) => c.id === `group-${chat.groupId}`)
  t.match(listed, { created_at: created, updated_at: group?.updatedAt })
  t.equal(body.page.updated_at, new Date(Date.parse(start) + 120_000).toISOString(), 'the page changed with the status')
})
