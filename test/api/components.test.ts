// Components through the token API: create, list in page order, read one, change fields, group and status.
import t from 'tap'
import { TestClock } from '../fixtures/build.js'
import { apiWorld, call, errorOf, rowCount, snapshot } from './fixtures/api-world.js'

t.test('POST /api/v1/components creates a component with defaults, and its group once', async (t) => {
  const clock = new TestClock('2020-02-03T12:00:00.000Z')
  const w = await apiWorld(t, clock)
  clock.set('2020-02-03T12:05:00.000Z')

  const calls = await call(w, 'POST', '/api/v1/components', { payload: { name: 'Calls', description: 'Audio and video calls', group: 'Teams' } })
  t.equal(calls.statusCode, 201)
  t.equal(calls.headers['cache-control'], 'no-store')
  const json = calls.json()
  t.same(Object.keys(json).sort(), ['created_at', 'description', 'group', 'group_id', 'id', 'name', 'position', 'status', 'updated_at'])
  t.match(json, {
    id: Number,
    name: 'Calls',
    description: 'Audio and video calls',
    group: 'Teams',
    status: 'operational',
    created_at: '2020-02-03T12:05:00.000Z',
    updated_at: '2020-02-03T12:05:00.000Z'
  })
  const chat = (await call(w, 'GET', `/api/v1/components/${w.chatId}`)).json()
  t.equal(json.group_id, chat.group_id, 'the existing group Teams is reused')

  const bare = (await call(w, 'POST', '/api/v1/components', { payload: { name: 'Admin center' } })).json()
  t.match(bare, { description: '', group: null, group_id: null, status: 'operational' })
  t.ok(bare.position > json.position, 'a new component goes to the end of the page')

  const placed = (await call(w, 'POST', '/api/v1/components', { payload: { name: 'Files', position: 0, group: 'Office' } })).json()
  t.match(placed, { position: 0, group: 'Office', group_id: Number })
  t.not(placed.group_id, chat.group_id, 'a new group is created')
  t.equal(rowCount(w.app, 'component_groups'), 2)
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'component.create', detail: { name: 'Files', group: 'Office' } })
})

t.test('GET /api/v1/components lists every component in page order; GET one by id', async (t) => {
  const w = await apiWorld(t)
  const list = await call(w, 'GET', '/api/v1/components')
  t.equal(list.statusCode, 200)
  t.match(list.headers['content-type'], /^application\/json/)
  t.equal(list.headers['cache-control'], 'no-store')
  t.match(list.json(), [
    { id: w.chatId, name: 'Chat', group: 'Teams', status: 'partial_outage' },
    { id: w.signInId, name: 'Sign-in', group: null, status: 'operational' }
  ])
  t.equal(list.json().length, 2)

  const one = await call(w, 'GET', `/api/v1/components/${w.signInId}`)
  t.equal(one.statusCode, 200)
  t.same(one.json(), list.json()[1])
})

t.test('GET and PATCH of an unknown component id are 404; a malformed id is 400', async (t) => {
  const w = await apiWorld(t)
  const before = snapshot(w.app)
  const missing = await call(w, 'GET', '/api/v1/components/999')
  t.equal(missing.statusCode, 404)
  t.match(errorOf(missing).message, /no component with id 999/)
  const patch = await call(w, 'PATCH', '/api/v1/components/999', { payload: { status: 'major_outage' } })
  t.equal(patch.statusCode, 404)
  for (const id of ['abc', '0', '-1', '1.5', '01', '1e3', '1234567890123456', '%20']) {
    for (const method of ['GET', 'PATCH'] as const) {
      const response = await call(w, method, `/api/v1/components/${id}`, method === 'PATCH' ? { payload: { name: 'x' } } : {})
      t.equal(response.statusCode, 400, `${method} id ${id}`)
      t.equal(errorOf(response).message, 'params/id must be a whole number id')
    }
  }
  t.same(snapshot(w.app), before, 'nothing was stored')
})

t.test('PATCH /api/v1/components/:id changes fields, moves and removes the group, sets the status by hand', async (t) => {
  const clock = new TestClock('2020-02-03T12:00:00.000Z')
  const w = await apiWorld(t, clock)
  const url = `/api/v1/components/${w.signInId}`
  clock.set('2020-02-03T12:30:00.000Z')

  const renamed = await call(w, 'PATCH', url, { payload: { name: 'Sign-in and accounts', description: 'Logging in', position: 7 } })
  t.equal(renamed.statusCode, 200)
  t.match(renamed.json(), { id: w.signInId, name: 'Sign-in and accounts', description: 'Logging in', position: 7, group: null, updated_at: '2020-02-03T12:30:00.000Z' })

  const grouped = (await call(w, 'PATCH', url, { payload: { group: 'Teams' } })).json()
  t.match(grouped, { name: 'Sign-in and accounts', group: 'Teams', group_id: Number })
  const ungrouped = (await call(w, 'PATCH', url, { payload: { group: null } })).json()
  t.match(ungrouped, { group: null, group_id: null, name: 'Sign-in and accounts', description: 'Logging in' })

  const changesBefore = rowCount(w.app, 'component_status_changes')
  clock.set('2020-02-03T13:00:00.000Z')
  const down = await call(w, 'PATCH', url, { payload: { status: 'major_outage' } })
  t.equal(down.json().status, 'major_outage')
  t.equal(rowCount(w.app, 'component_status_changes'), changesBefore + 1, 'a status set by hand enters the history')
  const change = w.app.herald.stores.statusHistory.since('2020-02-03T13:00:00.000Z')
  t.match(change, [{ componentId: w.signInId, oldStatus: 'operational', newStatus: 'major_outage', changedAt: '2020-02-03T13:00:00.000Z' }])
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'component.edit', detail: { id: w.signInId, changes: { status: 'major_outage' } } })

  const same = await call(w, 'PATCH', url, { payload: { status: 'major_outage' } })
  t.equal(same.statusCode, 200)
  t.equal(rowCount(w.app, 'component_status_changes'), changesBefore + 1, 'the same status again is no change')
  const listed = (await call(w, 'GET', '/api/v1/components')).json()
  t.match(listed.find((c: { id: number }) => c.id === w.signInId), { status: 'major_outage', name: 'Sign-in and accounts' })
})

t.test('a second component with the same name in the same group is refused with 409, whatever its case, spaces or Unicode form', async (t) => {
  const w = await apiWorld(t)
  const before = snapshot(w.app)
  // Chat is in Teams, Sign-in outside any group (apiWorld).
  for (const payload of [
    { name: 'chat', group: 'Teams' },
    { name: '  CHAT ', group: 'teams' },
    { name: 'Sign-in' },
    { name: 'sign-IN  ' }
  ]) {
    const response = await call(w, 'POST', '/api/v1/components', { payload })
    t.equal(response.statusCode, 409, JSON.stringify(payload))
    t.match(errorOf(response), { error: 'Conflict', field: 'name', message: /already exists/ })
  }
  t.same(snapshot(w.app), before, 'nothing stored, not even a group')

  // Composed and decomposed é are one name (NFC).
  t.equal((await call(w, 'POST', '/api/v1/components', { payload: { name: 'Caf\u00e9', group: 'Office' } })).statusCode, 201)
  const decomposed = await call(w, 'POST', '/api/v1/components', { payload: { name: 'Cafe\u0301', group: 'Office' } })
  t.equal(decomposed.statusCode, 409, 'the same name in another Unicode form')

  // The same name in another group, or outside any, is another component.
  t.equal((await call(w, 'POST', '/api/v1/components', { payload: { name: 'Chat', group: 'Outlook' } })).statusCode, 201)
  t.equal((await call(w, 'POST', '/api/v1/components', { payload: { name: 'Chat' } })).statusCode, 201)

  // Renaming into a name of the group, or moving into a group that has it, is refused too.
  const renamed = await call(w, 'PATCH', `/api/v1/components/${w.signInId}`, { payload: { name: 'CHAT', group: 'Teams' } })
  t.equal(renamed.statusCode, 409)
  t.equal(errorOf(renamed).field, 'name')
  const otherChat = (await call(w, 'GET', '/api/v1/components')).json().find((c: { name: string, group: string | null }) => c.name === 'Chat' && c.group === 'Outlook')
  t.equal((await call(w, 'PATCH', `/api/v1/components/${String(otherChat.id)}`, { payload: { group: 'Teams' } })).statusCode, 409, 'a move into the group')
  // Its own name, in another case, is no conflict with itself.
  t.equal((await call(w, 'PATCH', `/api/v1/components/${w.chatId}`, { payload: { name: 'CHAT' } })).statusCode, 200)
})

t.test('duplicates stored before the rule can still be edited and set, but not renamed into each other', async (t) => {
  const w = await apiWorld(t)
  // As a database from before the rule may hold them: written past the service.
  w.app.herald.stores.db.prepare("INSERT INTO components (name, group_id, created_at, updated_at) SELECT 'chat', group_id, created_at, updated_at FROM components WHERE id = ?").run(w.chatId)
  const twin = (await call(w, 'GET', '/api/v1/components')).json().find((c: { name: string }) => c.name === 'chat')
  const url = `/api/v1/components/${String(twin.id)}`
  t.equal((await call(w, 'PATCH', url, { payload: { description: 'The old twin', status: 'major_outage' } })).statusCode, 200)
  t.equal((await call(w, 'PATCH', url, { payload: { name: 'chat', description: 'Same name' } })).statusCode, 200, 'its name sent as it is')
  t.equal((await call(w, 'PATCH', url, { payload: { name: 'Chat ' } })).statusCode, 200, 'the same name in another case')
  t.equal((await call(w, 'PATCH', url, { payload: { name: 'Chat archive' } })).statusCode, 200, 'renamed apart')
  t.equal((await call(w, 'PATCH', url, { payload: { name: 'chat' } })).statusCode, 409, 'and not back')
})

t.test('POST /api/v1/component-groups/:id/operational sets the group operational in one audited write, naming the open incidents', async (t) => {
  const w = await apiWorld(t)
  // Chat (in Teams) is in a partial outage from the open incident apiWorld opened.
  const teams = (await call(w, 'GET', `/api/v1/components/${w.chatId}`)).json().group_id
  const calls = (await call(w, 'POST', '/api/v1/components', { payload: { name: 'Calls', group: 'Teams' } })).json()
  const done = await call(w, 'POST', `/api/v1/component-groups/${String(teams)}/operational`, { payload: {} })
  t.equal(done.statusCode, 200)
  t.match(done.json(), { group: 'Teams', changed: [{ id: w.chatId, status: 'operational' }], open_incidents: [w.reference] })
  t.equal(done.json().changed.length, 1, 'Calls was operational already')
  t.equal((await call(w, 'GET', `/api/v1/components/${String(calls.id)}`)).json().status, 'operational')
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'group.operational', detail: { name: 'Teams', openIncidents: [w.reference] } })
  t.equal((await call(w, 'GET', `/api/v1/incidents/${w.reference}`)).json().status, 'investigating', 'the incident stays open')
  const before = snapshot(w.app)
  t.equal((await call(w, 'POST', '/api/v1/component-groups/999/operational', { payload: {} })).statusCode, 404)
  t.equal((await call(w, 'POST', '/api/v1/component-groups/abc/operational', { payload: {} })).statusCode, 400)
  t.equal((await call(w, 'POST', `/api/v1/component-groups/${String(teams)}/operational`, { payload: { status: 'major_outage' } })).statusCode, 400, 'it takes nothing but the group')
  t.equal((await call(w, 'POST', `/api/v1/component-groups/${String(teams)}/operational`)).statusCode, 400, 'a body is an empty object, as every write of the API takes JSON')
  t.same(snapshot(w.app), before)
})
