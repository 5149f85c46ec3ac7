// Incidents through the token API: open one (generated or given reference), read it in any case, rename it.
import t from 'tap'
import { TestClock } from '../fixtures/build.js'
import { apiWorld, call, errorOf, rowCount, snapshot } from './fixtures/api-world.js'

t.test('POST /api/v1/incidents opens an incident with a generated reference and its first update', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const w = await apiWorld(t, clock)
  t.equal(w.reference, 'HR000001', 'the world opened the first one')
  clock.set('2020-02-03T14:00:00.000Z')

  const response = await call(w, 'POST', '/api/v1/incidents', {
    payload: { name: 'Teams is down', body: 'We are investigating an issue where users may be unable to access Microsoft Teams.' }
  })
  t.equal(response.statusCode, 201)
  t.match(response.headers['content-type'], /^application\/json/)
  t.equal(response.headers['cache-control'], 'no-store')
  const incident = response.json()
  t.same(Object.keys(incident).sort(), [
    'components', 'created_at', 'id', 'impact', 'monitoring_at', 'name', 'reference', 'resolved_at', 'started_at', 'status', 'updated_at', 'updates'
  ])
  t.match(incident, {
    reference: 'HR000002',
    name: 'Teams is down',
    status: 'investigating',
    impact: 'none',
    created_at: '2020-02-03T14:00:00.000Z',
    started_at: '2020-02-03T14:00:00.000Z',
    monitoring_at: null,
    resolved_at: null,
    components: []
  })
  t.equal(incident.updates.length, 1)
  t.same(Object.keys(incident.updates[0]).sort(), ['affected_components', 'body', 'created_at', 'display_at', 'id', 'notify', 'status', 'updated_at'])
  t.match(incident.updates[0], { status: 'investigating', notify: true, display_at: '2020-02-03T14:00:00.000Z', affected_components: [] })
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'incident.open', detail: { reference: 'HR000002' } })
})

t.test('an incident opened with a reference, components, impact, status, notify and display_at', async (t) => {
  const w = await apiWorld(t)
  const response = await call(w, 'POST', '/api/v1/incidents', {
    payload: {
      reference: 'TM202916',
      name: 'Users unable to access Microsoft Teams',
      body: 'We\'re investigating an issue where users may be unable to access Microsoft Teams.',
      status: 'identified',
      components: { [w.chatId]: 'major_outage', [w.signInId]: 'degraded_performance' },
      notify: false,
      // Eastern time with a zone: stored as UTC with milliseconds.
      display_at: '2020-02-03T09:00:00-05:00'
    }
  })
  t.equal(response.statusCode, 201)
  const incident = response.json()
  t.match(incident, {
    reference: 'TM202916',
    status: 'identified',
    impact: 'critical',
    started_at: '2020-02-03T14:00:00.000Z',
    components: [{ id: w.chatId, name: 'Chat' }, { id: w.signInId, name: 'Sign-in' }]
  })
  t.match(incident.updates[0], {
    notify: false,
    display_at: '2020-02-03T14:00:00.000Z',
    affected_components: [
      { id: w.chatId, name: 'Chat', old_status: 'partial_outage', new_status: 'major_outage' },
      { id: w.signInId, name: 'Sign-in', old_status: 'operational', new_status: 'degraded_performance' }
    ]
  })
  const components = (await call(w, 'GET', '/api/v1/components')).json()
  t.match(components, [{ status: 'major_outage' }, { status: 'degraded_performance' }], 'the component statuses moved')

  const given = (await call(w, 'POST', '/api/v1/incidents', { payload: { name: 'Slow', body: 'Slow.', impact: 'minor', components: { [w.signInId]: 'major_outage' } } })).json()
  t.equal(given.impact, 'minor', 'a given impact wins over the component statuses')
})

t.test('display_at is normalised to UTC with milliseconds', async (t) => {
  const w = await apiWorld(t)
  const cases: Array<[string, string]> = [
    ['2020-02-03T14:00:00Z', '2020-02-03T14:00:00.000Z'],
    ['2020-02-03T14:00:00.5Z', '2020-02-03T14:00:00.500Z'],
    ['2020-02-03T19:30:00+05:30', '2020-02-03T14:00:00.000Z'],
    ['2020-02-03t14:00:00z', '2020-02-03T14:00:00.000Z'],
    ['2020-02-03T14:00:00.123456Z', '2020-02-03T14:00:00.123Z']
  ]
  for (const [given, stored] of cases) {
    const incident = (await call(w, 'POST', '/api/v1/incidents', { payload: { name: 'x', body: 'y', display_at: given } })).json()
    t.equal(incident.updates[0].display_at, stored, given)
    t.equal(incident.started_at, stored)
  }
  const before = snapshot(w.app)
  const leap = await call(w, 'POST', '/api/v1/incidents', { payload: { name: 'x', body: 'y', display_at: '2016-12-31T23:59:60Z' } })
  t.equal(leap.statusCode, 400, 'a leap second passes the format but is no JavaScript time')
  t.equal(errorOf(leap).message, 'body/display_at is not a time that exists')
  t.equal(errorOf(leap).field, 'display_at', 'the field it is about')
  t.same(snapshot(w.app), before, 'nothing was stored')
})

t.test('display_at more than a minute in the future is a 400 naming the field, on an incident and an update', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const w = await apiWorld(t, clock)
  clock.set('2020-02-03T14:00:00.000Z')
  const requests: Array<[string, Record<string, unknown>]> = [
    ['/api/v1/incidents', { name: 'x', body: 'y' }],
    [`/api/v1/incidents/${w.reference}/updates`, { body: 'y', status: 'identified' }]
  ]
  for (const [url, payload] of requests) {
    for (const future of ['2030-01-01T00:00:00Z', '2020-02-03T14:01:00.001Z', '2020-02-03T10:00:00-05:00']) {
      const before = snapshot(w.app)
      const response = await call(w, 'POST', url, { payload: { ...payload, display_at: future } })
      t.equal(response.statusCode, 400, `${url} ${future}`)
      t.match(errorOf(response), { field: 'display_at', message: /^display_at is in the future/ })
      t.same(snapshot(w.app), before, 'nothing was stored')
    }
    // A sender's clock a little fast is fine, and the past is what backdating is for.
    for (const fine of ['2020-02-03T14:01:00.000Z', '2020-02-03T13:59:00Z']) {
      const response = await call(w, 'POST', url, { payload: { ...payload, display_at: fine } })
      t.equal(response.statusCode, 201, `${url} ${fine}`)
    }
  }
})

t.test('a duplicate reference is 409 in any case, and nothing is stored', async (t) => {
  const w = await apiWorld(t)
  const first = await call(w, 'POST', '/api/v1/incidents', { payload: { reference: 'TM202916', name: 'Teams', body: 'Down.' } })
  t.equal(first.statusCode, 201)
  const sequence = w.app.herald.stores.counters.get('reference_sequence')
  for (const reference of ['TM202916', 'tm202916', 'Tm202916', 'hr000001', 'HR000001']) {
    const before = snapshot(w.app)
    const again = await call(w, 'POST', '/api/v1/incidents', {
      payload: { reference, name: 'Again', body: 'Again.', components: { [w.signInId]: 'major_outage' } }
    })
    t.equal(again.statusCode, 409, reference)
    t.match(errorOf(again), { error: 'Conflict', message: new RegExp(`reference ${reference} already exists`) })
    t.same(snapshot(w.app), before, 'nothing was stored, the component status did not move')
  }
  t.equal(w.app.herald.stores.counters.get('reference_sequence'), sequence)
})

t.test('an unknown component id inside components is a 400 naming it, and nothing is stored', async (t) => {
  const w = await apiWorld(t)
  const before = snapshot(w.app)
  const response = await call(w, 'POST', '/api/v1/incidents', {
    payload: { name: 'Teams', body: 'Down.', components: { [w.chatId]: 'major_outage', 4242: 'major_outage' } }
  })
  t.equal(response.statusCode, 400)
  t.match(errorOf(response).message, /components.*4242/)
  t.same(snapshot(w.app), before)
})

t.test('GET /api/v1/incidents/:reference finds it in any case; unknown is 404, malformed is 400', async (t) => {
  const w = await apiWorld(t)
  await call(w, 'POST', '/api/v1/incidents', { payload: { reference: 'TM202916', name: 'Teams', body: 'Down.' } })
  for (const reference of ['TM202916', 'tm202916', 'tM202916']) {
    const response = await call(w, 'GET', `/api/v1/incidents/${reference}`)
    t.equal(response.statusCode, 200, reference)
    t.equal(response.headers['cache-control'], 'no-store')
    t.match(response.json(), { reference: 'TM202916', name: 'Teams', updates: [{ body: 'Down.' }] })
  }
  const missing = await call(w, 'GET', '/api/v1/incidents/TM999999')
  t.equal(missing.statusCode, 404)
  t.match(errorOf(missing), { error: 'Not Found', message: /TM999999/ })
  for (const reference of ['T', 'TM-202916', 'TM%20202916', 'x'.repeat(33), '%3Cscript%3E']) {
    const response = await call(w, 'GET', `/api/v1/incidents/${reference}`)
    t.equal(response.statusCode, 400, reference)
    t.equal(errorOf(response).message, 'params/reference must be 2 to 32 letters and digits')
  }
})

t.test('PATCH /api/v1/incidents/:reference renames it or changes its impact, and audits both', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const w = await apiWorld(t, clock)
  clock.set('2020-02-03T15:00:00.000Z')
  const url = `/api/v1/incidents/${w.reference.toLowerCase()}`

  const renamed = await call(w, 'PATCH', url, { payload: { name: 'Users unable to access Teams' } })
  t.equal(renamed.statusCode, 200)
  t.match(renamed.json(), { reference: w.reference, name: 'Users unable to access Teams', impact: 'major', updated_at: '2020-02-03T15:00:00.000Z' })
  t.match(w.app.herald.stores.audit.list(1)[0], {
    actor: 'token:ci',
    action: 'incident.edit',
    detail: { before: { name: 'Users cannot access Teams', impact: 'major' }, after: { name: 'Users unable to access Teams' } }
  })

  const updatesBefore = rowCount(w.app, 'updates')
  const impact = (await call(w, 'PATCH', url, { payload: { impact: 'critical', name: 'Teams outage' } })).json()
  t.match(impact, { impact: 'critical', name: 'Teams outage', status: 'investigating' })
  t.equal(rowCount(w.app, 'updates'), updatesBefore, 'an edit posts no update')

  const before = snapshot(w.app)
  const missing = await call(w, 'PATCH', '/api/v1/incidents/TM999999', { payload: { impact: 'none' } })
  t.equal(missing.statusCode, 404)
  t.same(snapshot(w.app), before)
})
