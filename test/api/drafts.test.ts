// Draft incidents through the token API: save, list, read, change, discard, publish; bad input refused with nothing stored.
import t from 'tap'
import { TestClock } from '../fixtures/build.js'
import { storedRows } from '../fixtures/stored.js'
import { type ApiWorld, apiWorld, call, errorOf } from './fixtures/api-world.js'

async function remove (w: ApiWorld, url: string, anonymous = false): Promise<ReturnType<ApiWorld['app']['inject']>> {
  return await w.app.inject({ method: 'DELETE', url, headers: anonymous ? {} : { authorization: `Bearer ${w.token}` } })
}

t.test('a draft is saved, listed, read, changed and discarded; none of it moves the content version', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const w = await apiWorld(t, clock)
  const { counters, audit } = w.app.herald.stores
  const version = counters.get('content_version')

  const created = await call(w, 'POST', '/api/v1/drafts', { payload: { name: 'Sign-in failing', body: 'A certificate expired.', components: { [w.signInId]: 'major_outage' } } })
  t.equal(created.statusCode, 201)
  t.equal(created.headers['cache-control'], 'no-store')
  const draft = created.json()
  t.same(draft, {
    id: draft.id,
    name: 'Sign-in failing',
    body: 'A certificate expired.',
    status: 'investigating',
    impact: null,
    components: { [w.signInId]: 'major_outage' },
    monitor_id: null,
    note: null,
    created_by: 'token:ci',
    created_at: '2020-02-03T13:30:00.000Z',
    updated_at: '2020-02-03T13:30:00.000Z'
  })
  t.match(audit.list(1)[0], { actor: 'token:ci', action: 'draft.create' })

  t.same((await call(w, 'GET', '/api/v1/drafts')).json(), { drafts: [draft] })
  t.same((await call(w, 'GET', `/api/v1/drafts/${draft.id}`)).json(), draft)

  clock.set('2020-02-03T13:40:00.000Z')
  const patched = await call(w, 'PATCH', `/api/v1/drafts/${draft.id}`, { payload: { status: 'identified', impact: 'critical' } })
  t.equal(patched.statusCode, 200)
  t.match(patched.json(), { name: 'Sign-in failing', status: 'identified', impact: 'critical', components: { [w.signInId]: 'major_outage' }, updated_at: '2020-02-03T13:40:00.000Z' })
  const cleared = await call(w, 'PATCH', `/api/v1/drafts/${draft.id}`, { payload: { impact: null, components: {} } })
  t.match(cleared.json(), { status: 'identified', impact: null, components: {} })
  t.equal(counters.get('content_version'), version, 'drafts are not public')
  t.equal(w.app.herald.services.components.get(w.signInId).status, 'operational')

  const discarded = await remove(w, `/api/v1/drafts/${draft.id}`)
  t.equal(discarded.statusCode, 204)
  t.equal(discarded.body, '')
  t.match(audit.list(1)[0], { actor: 'token:ci', action: 'draft.discard' })
  t.equal((await call(w, 'GET', `/api/v1/drafts/${draft.id}`)).statusCode, 404)
  t.match(errorOf(await remove(w, `/api/v1/drafts/${draft.id}`)), { statusCode: 404, message: `no draft with id ${draft.id}` })
  t.equal((await call(w, 'PATCH', `/api/v1/drafts/${draft.id}`, { payload: { name: 'x' } })).statusCode, 404)
  t.equal(counters.get('content_version'), version)
})

t.test('publishing answers the incident as GET /api/v1/incidents/:reference shows it, once', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const w = await apiWorld(t, clock)
  const draft = (await call(w, 'POST', '/api/v1/drafts', { payload: { name: 'Sign-in failing', body: 'Draft body', impact: 'minor' } })).json()
  clock.set('2020-02-03T14:00:00.000Z')
  const published = await call(w, 'POST', `/api/v1/drafts/${draft.id}/publish`, {
    payload: { body: 'Edited body', components: { [w.signInId]: 'partial_outage' }, reference: 'TM202916', notify: false, post_text: 'Custom post' }
  })
  t.equal(published.statusCode, 201)
  const incident = published.json()
  t.same(incident, (await call(w, 'GET', '/api/v1/incidents/TM202916')).json())
  t.match(incident, {
    reference: 'TM202916',
    name: 'Sign-in failing',
    impact: 'minor',
    status: 'investigating',
    started_at: '2020-02-03T14:00:00.000Z',
    components: [{ id: w.signInId }],
    updates: [{ body: 'Edited body', notify: false, post_text: 'Custom post' }]
  })
  t.match(w.app.herald.stores.audit.list(2), [{ action: 'draft.publish', actor: 'token:ci', detail: { edited: true } }, { action: 'incident.open' }])
  t.same((await call(w, 'GET', '/api/v1/drafts')).json(), { drafts: [] })
  t.equal((await call(w, 'POST', `/api/v1/drafts/${draft.id}/publish`, { payload: {} })).statusCode, 404, 'the second time')

  // As saved: {} or no body at all.
  const asSaved = (await call(w, 'POST', '/api/v1/drafts', { payload: { name: 'As saved', body: 'b' } })).json()
  const plain = await call(w, 'POST', `/api/v1/drafts/${asSaved.id}/publish`, { payload: {} })
  t.equal(plain.statusCode, 201)
  t.match(plain.json(), { name: 'As saved', reference: 'HR000002', impact: 'none' })
  t.match(w.app.herald.stores.audit.list(2)[0], { detail: { edited: false } })
  const bare = (await call(w, 'POST', '/api/v1/drafts', { payload: { name: 'No body', body: 'b' } })).json()
  const noBody = await call(w, 'POST', `/api/v1/drafts/${bare.id}/publish`)
  t.equal(noBody.statusCode, 201, 'no body is as {}')
})

t.test('a refused publish keeps the draft and opens nothing', async (t) => {
  const w = await apiWorld(t)
  const draft = (await call(w, 'POST', '/api/v1/drafts', { payload: { name: 'Mine', body: 'b', components: { [w.chatId]: 'major_outage' } } })).json()
  // api_tokens is left out: each request records its token's last use.
  const before = storedRows(w.app.herald.stores.db, { except: ['sessions', 'api_tokens'] })
  const taken = await call(w, 'POST', `/api/v1/drafts/${draft.id}/publish`, { payload: { reference: w.reference.toLowerCase() } })
  t.equal(taken.statusCode, 409)
  t.match(errorOf(taken), { field: 'reference', message: /already exists/ })
  t.match(errorOf(await call(w, 'POST', `/api/v1/drafts/${draft.id}/publish`, { payload: { status: 'resolved' } })), { statusCode: 400, field: 'status' })
  t.match(errorOf(await call(w, 'POST', `/api/v1/drafts/${draft.id}/publish`, { payload: { components: { 999: 'major_outage' } } })), { statusCode: 400, field: 'components' })
  t.same(storedRows(w.app.herald.stores.db, { except: ['sessions', 'api_tokens'] }), before, 'nothing stored, the draft kept')
})

t.test('bad input is refused naming the field, and nothing is stored', async (t) => {
  const w = await apiWorld(t)
  const draft = (await call(w, 'POST', '/api/v1/drafts', { payload: { name: 'Mine', body: 'b' } })).json()
  const tables = ['incidents', 'updates', 'incident_drafts', 'audit_log', 'counters', 'deliveries', 'components']
  const before = storedRows(w.app.herald.stores.db, { tables })
  const valid = { name: 'Name', body: 'Body' }
  const cases: Array<[string, unknown, RegExp]> = [
    ['name as a number', { ...valid, name: 5 }, /^body\/name must be string/],
    ['no name', { body: 'Body' }, /name/],
    ['no body', { name: 'Name' }, /body/],
    ['an empty name', { ...valid, name: '' }, /^body\/name must not be empty/],
    ['a control character', { ...valid, name: 'a\u0007' }, /^body\/name must be one line/],
    ['a lone surrogate', { ...valid, body: 'x\uD800y' }, /^body\/body must be text/],
    ['a bidi override alone', { ...valid, name: '\u202E' }, /^body\/name must be one line of text that shows something/],
    ['a huge name', { ...valid, name: 'n'.repeat(201) }, /^body\/name must NOT have more than 200 characters/],
    ['a huge body', { ...valid, body: 'b'.repeat(20_001) }, /^body\/body must NOT have more than 20000 characters/],
    ['resolved', { ...valid, status: 'resolved' }, /^body\/status must be one of investigating, identified, monitoring/],
    ['an unknown impact', { ...valid, impact: 'huge' }, /^body\/impact/],
    ['an unknown component', { ...valid, components: { 999: 'major_outage' } }, /^components: no component with id 999/],
    ['a component id that is no id', { ...valid, components: { abc: 'major_outage' } }, /components/],
    ['an unknown field', { ...valid, reference: 'TM1' }, /unknown field 'reference'/],
    ['an array', [valid], /body must be object/]
  ]
  for (const [what, payload, message] of cases) {
    const created = await call(w, 'POST', '/api/v1/drafts', { payload: payload as never })
    t.equal(created.statusCode, 400, `POST: ${what}`)
    t.match(errorOf(created).message, message, `POST: ${what}`)
    // A PATCH names only what it changes.
    if (what === 'no name' || what === 'no body') continue
    const patched = await call(w, 'PATCH', `/api/v1/drafts/${draft.id}`, { payload: payload as never })
    t.equal(patched.statusCode, 400, `PATCH: ${what}`)
    t.match(errorOf(patched).message, message, `PATCH: ${what}`)
  }
  t.match(errorOf(await call(w, 'PATCH', `/api/v1/drafts/${draft.id}`, { payload: {} })).message, /at least one field/)
  t.equal((await call(w, 'POST', '/api/v1/drafts', { payload: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode, 415)
  for (const id of ['0', '007', 'abc', '1e3']) {
    t.equal((await call(w, 'GET', `/api/v1/drafts/${id}`)).statusCode, 400, `GET ${id}`)
    t.equal((await remove(w, `/api/v1/drafts/${id}`)).statusCode, 400, `DELETE ${id}`)
  }
  t.equal((await call(w, 'GET', '/api/v1/drafts?x=1')).statusCode, 400, 'an unknown query')
  t.same(storedRows(w.app.herald.stores.db, { tables }), before, 'nothing stored')

  // What a person typed is kept as typed in JSON.
  const hostile = '<script>alert(1)</script> \u05E9\u05DC\u05D5\u05DD "\''
  const kept = await call(w, 'POST', '/api/v1/drafts', { payload: { name: hostile, body: hostile } })
  t.equal(kept.statusCode, 201)
  t.match(kept.json(), { name: hostile, body: hostile })
})

t.test('without a token: 401, nothing stored', async (t) => {
  const w = await apiWorld(t)
  const draft = w.app.herald.services.drafts.create({ name: 'Mine', body: 'b' }, 'cli')
  const before = storedRows(w.app.herald.stores.db, { tables: ['incidents', 'incident_drafts', 'audit_log'] })
  for (const [method, url] of [['GET', '/api/v1/drafts'], ['POST', '/api/v1/drafts'], ['GET', `/api/v1/drafts/${draft.id}`], ['PATCH', `/api/v1/drafts/${draft.id}`], ['POST', `/api/v1/drafts/${draft.id}/publish`]] as const) {
    t.equal((await call(w, method, url, { anonymous: true, payload: { name: 'x', body: 'x' } })).statusCode, 401, `${method} ${url}`)
  }
  t.equal((await remove(w, `/api/v1/drafts/${draft.id}`, true)).statusCode, 401)
  t.same(storedRows(w.app.herald.stores.db, { tables: ['incidents', 'incident_drafts', 'audit_log'] }), before)
})
