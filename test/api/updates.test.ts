// Updates through the token API: post them as the investigation moves, resolve, and fix a typo without moving time.
import t from 'tap'
import { TestClock } from '../fixtures/build.js'
import { apiWorld, call, errorOf, rowCount, snapshot } from './fixtures/api-world.js'

t.test('POST /api/v1/incidents/:reference/updates adds updates newest first with their component changes', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const w = await apiWorld(t, clock)
  const url = `/api/v1/incidents/${w.reference}/updates`

  clock.set('2020-02-03T15:00:00.000Z')
  const identified = await call(w, 'POST', url, {
    payload: {
      body: 'We\'ve determined that an authentication certificate has expired.',
      status: 'identified',
      components: { [w.chatId]: 'major_outage', [w.signInId]: 'partial_outage' }
    }
  })
  t.equal(identified.statusCode, 201)
  t.equal(identified.headers['cache-control'], 'no-store')
  const incident = identified.json()
  t.match(incident, { reference: w.reference, status: 'identified', components: [{ id: w.chatId }, { id: w.signInId }] })
  t.equal(incident.updates.length, 2)
  t.match(incident.updates, [
    {
      status: 'identified',
      display_at: '2020-02-03T15:00:00.000Z',
      affected_components: [
        { id: w.chatId, name: 'Chat', old_status: 'partial_outage', new_status: 'major_outage' },
        { id: w.signInId, name: 'Sign-in', old_status: 'operational', new_status: 'partial_outage' }
      ]
    },
    { id: w.firstUpdateId, status: 'investigating' }
  ])
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'incident.update' })

  clock.set('2020-02-03T16:00:00.000Z')
  const monitoring = (await call(w, 'POST', `/api/v1/incidents/${w.reference.toLowerCase()}/updates`, {
    payload: { body: 'We\'ve initiated the deployment of the updated certificate.', status: 'monitoring', notify: false, display_at: '2020-02-03T10:55:00-05:00' }
  })).json()
  t.match(monitoring, { status: 'monitoring', monitoring_at: '2020-02-03T15:55:00.000Z', resolved_at: null })
  t.match(monitoring.updates[0], { status: 'monitoring', notify: false, display_at: '2020-02-03T15:55:00.000Z', affected_components: [] })
  t.same(monitoring.updates.map((u: { status: string }) => u.status), ['monitoring', 'identified', 'investigating'])
})

t.test('resolved without components puts every component of the incident back to operational', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const w = await apiWorld(t, clock)
  const url = `/api/v1/incidents/${w.reference}/updates`
  await call(w, 'POST', url, { payload: { body: 'Sign-in too.', status: 'identified', components: { [w.signInId]: 'major_outage' } } })
  const calls = (await call(w, 'POST', '/api/v1/components', { payload: { name: 'Calls' } })).json()
  await call(w, 'PATCH', `/api/v1/components/${calls.id as number}`, { payload: { status: 'degraded_performance' } })

  clock.set('2020-02-03T17:00:00.000Z')
  const resolved = await call(w, 'POST', url, { payload: { body: 'The new certificate is in place.', status: 'resolved' } })
  t.equal(resolved.statusCode, 201)
  const incident = resolved.json()
  t.match(incident, { status: 'resolved', resolved_at: '2020-02-03T17:00:00.000Z' })
  t.match(incident.updates[0].affected_components, [
    { id: w.chatId, old_status: 'partial_outage', new_status: 'operational' },
    { id: w.signInId, old_status: 'major_outage', new_status: 'operational' }
  ])
  t.equal(incident.updates[0].affected_components.length, 2)
  const components = (await call(w, 'GET', '/api/v1/components')).json()
  t.match(components, [
    { id: w.chatId, status: 'operational' },
    { id: w.signInId, status: 'operational' },
    { id: calls.id, status: 'degraded_performance' }
  ], 'a component the incident never touched keeps its status')

  const listed = await call(w, 'POST', '/api/v1/incidents', {
    payload: { name: 'Calls drop', body: 'Calls drop.', components: { [calls.id]: 'major_outage', [w.chatId]: 'partial_outage' } }
  })
  const only = (await call(w, 'POST', `/api/v1/incidents/${listed.json().reference as string}/updates`, {
    payload: { body: 'Chat is back; calls are still failing.', status: 'resolved', components: { [w.chatId]: 'operational' } }
  })).json()
  t.match(only.updates[0].affected_components, [{ id: w.chatId, new_status: 'operational' }])
  t.equal(only.updates[0].affected_components.length, 1, 'listed components only')
  t.equal((await call(w, 'GET', `/api/v1/components/${calls.id as number}`)).json().status, 'major_outage')
})

t.test('an update to an unknown incident is 404; an unknown component inside components is 400; nothing is stored', async (t) => {
  const w = await apiWorld(t)
  const before = snapshot(w.app)
  const missing = await call(w, 'POST', '/api/v1/incidents/TM999999/updates', { payload: { body: 'x', status: 'resolved' } })
  t.equal(missing.statusCode, 404)
  t.match(errorOf(missing).message, /TM999999/)
  const unknown = await call(w, 'POST', `/api/v1/incidents/${w.reference}/updates`, {
    payload: { body: 'x', status: 'identified', components: { [w.signInId]: 'major_outage', 777: 'major_outage' } }
  })
  t.equal(unknown.statusCode, 400)
  t.match(errorOf(unknown).message, /components.*777/)
  const malformed = await call(w, 'POST', '/api/v1/incidents/TM-1/updates', { payload: { body: 'x', status: 'resolved' } })
  t.equal(malformed.statusCode, 400)
  t.equal(errorOf(malformed).message, 'params/reference must be 2 to 32 letters and digits')
  t.same(snapshot(w.app), before)
})

t.test('PATCH .../updates/:id fixes the text, keeps the time and audits the old text', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const w = await apiWorld(t, clock)
  const original = (await call(w, 'GET', `/api/v1/incidents/${w.reference}`)).json().updates[0]

  clock.set('2020-02-03T18:00:00.000Z')
  const fixed = await call(w, 'PATCH', `/api/v1/incidents/${w.reference.toLowerCase()}/updates/${w.firstUpdateId}`, {
    payload: { body: 'We are investigating an issue with Microsoft Teams.' }
  })
  t.equal(fixed.statusCode, 200)
  t.equal(fixed.headers['cache-control'], 'no-store')
  t.same(fixed.json(), {
    ...original,
    body: 'We are investigating an issue with Microsoft Teams.',
    updated_at: '2020-02-03T18:00:00.000Z'
  }, 'only the body and updated_at move')
  t.equal(fixed.json().display_at, '2020-02-03T14:00:00.000Z')
  t.match(w.app.herald.stores.audit.list(1)[0], {
    at: '2020-02-03T18:00:00.000Z',
    actor: 'token:ci',
    action: 'update.edit',
    detail: { updateId: w.firstUpdateId, before: 'We are investigating.', after: 'We are investigating an issue with Microsoft Teams.' }
  })
  const incident = (await call(w, 'GET', `/api/v1/incidents/${w.reference}`)).json()
  t.equal(incident.updates[0].body, 'We are investigating an issue with Microsoft Teams.')
  t.equal(incident.updates.length, 1, 'an edit is not a new update')
})

t.test('PATCH of an update that is not on that incident, or does not exist, is 404; a malformed id 400', async (t) => {
  const w = await apiWorld(t)
  const other = (await call(w, 'POST', '/api/v1/incidents', { payload: { reference: 'TM202916', name: 'Other', body: 'Other.' } })).json()
  const otherUpdateId = other.updates[0].id as number
  const before = snapshot(w.app)
  const cases: Array<[string, number, RegExp]> = [
    [`/api/v1/incidents/${w.reference}/updates/${otherUpdateId}`, 404, /no update/],
    [`/api/v1/incidents/${w.reference}/updates/9999`, 404, /no update 9999/],
    [`/api/v1/incidents/TM999999/updates/${w.firstUpdateId}`, 404, /no update/],
    [`/api/v1/incidents/${w.reference}/updates/first`, 400, /^params\/id must be a whole number id$/],
    [`/api/v1/incidents/${w.reference}/updates/0`, 400, /^params\/id must be a whole number id$/]
  ]
  for (const [url, status, message] of cases) {
    const response = await call(w, 'PATCH', url, { payload: { body: 'Changed.' } })
    t.equal(response.statusCode, status, url)
    t.match(errorOf(response).message, message)
  }
  t.same(snapshot(w.app), before)
  t.equal(rowCount(w.app, 'updates'), 2)
})
