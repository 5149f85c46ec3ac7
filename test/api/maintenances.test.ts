// Scheduled maintenance through the token API: announce, list, update, reschedule; and every kind of bad input refused whole.
import t, { type Test } from 'tap'
import { limits } from '../../server/domain/text.js'
import { TestClock } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { type ApiWorld, apiWorld, call, errorOf, hostileText, snapshot } from './fixtures/api-world.js'

// The world's clock: the evening before the window, so nothing is due while the tests run.
const now = '2020-02-03T13:00:00.000Z'
const start = '2020-02-04T02:00:00.000Z'
const end = '2020-02-04T04:00:00.000Z'

interface MaintenanceWorld extends ApiWorld {
  clock: TestClock
  /** MNT1: scheduled over [start, end) on Chat; for the routes that act on one. */
  maintenance: string
}

async function maintenanceWorld (t: Test): Promise<MaintenanceWorld> {
  const clock = new TestClock(now)
  const w = await apiWorld(t, clock)
  w.app.herald.services.maintenances.schedule({
    name: 'Chat upgrade', body: 'We will upgrade chat.', scheduledFor: start, scheduledUntil: end, components: [w.chatId], reference: 'MNT1'
  }, 'cli')
  return { ...w, clock, maintenance: 'MNT1' }
}

/** Sends a request that must be refused: `status`, a JSON message matching `message`, and nothing stored. */
/** `field`: the field the answer must name, or null for an answer that names none (absent: not looked at). */
async function refused (t: Test, w: ApiWorld, method: 'POST' | 'PATCH' | 'GET', url: string, options: { payload?: unknown, raw?: string, contentType?: string | null, status: number, message: RegExp, field?: string | null }): Promise<void> {
  const before = snapshot(w.app)
  const text = options.raw ?? (options.payload === undefined ? undefined : JSON.stringify(options.payload))
  const response = await call(w, method, url, {
    // A Buffer, so that nothing adds a Content-Type when the test sends none.
    ...(text === undefined ? {} : { payload: Buffer.from(text) }),
    headers: options.contentType === null || text === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }
  })
  t.equal(response.statusCode, options.status, `${method} ${url} ${text?.slice(0, 120) ?? ''}: ${options.status}`)
  t.match(response.headers['content-type'], /^application\/json/)
  t.equal(response.headers['cache-control'], 'no-store')
  t.match(errorOf(response), { statusCode: options.status, message: options.message })
  if (options.field !== undefined) t.equal(errorOf(response).field, options.field ?? undefined, `the field: ${options.field ?? 'none'}`)
  t.same(snapshot(w.app), before, 'nothing was stored')
}

t.test('POST /api/v1/maintenances announces one; its updates and the clock run it; PATCH moves it', async (t) => {
  const clock = new TestClock(now)
  const w = await apiWorld(t, clock)
  // Both operational when it starts (a component in an outage would keep showing it: see test/api-v2/maintenances.test.ts).
  await call(w, 'PATCH', `/api/v1/components/${w.chatId}`, { payload: { status: 'operational' } })

  const created = await call(w, 'POST', '/api/v1/maintenances', {
    payload: {
      name: 'Certificate rotation',
      body: 'We will rotate the **authentication** certificates.',
      scheduled_for: '2020-02-04T03:00:00+01:00',
      scheduled_until: end,
      components: [w.chatId, w.signInId]
    }
  })
  t.equal(created.statusCode, 201)
  t.equal(created.headers['cache-control'], 'no-store')
  const maintenance = created.json()
  t.match(maintenance, {
    reference: 'MNT000001',
    name: 'Certificate rotation',
    status: 'scheduled',
    impact: 'none',
    scheduled_for: start,
    scheduled_until: end,
    auto_start: true,
    auto_complete: true,
    started_at: start,
    resolved_at: null,
    components: [{ id: w.chatId, name: 'Chat' }, { id: w.signInId, name: 'Sign-in' }],
    updates: [{ status: 'scheduled', body: 'We will rotate the **authentication** certificates.', display_at: now, notify: true, affected_components: [] }]
  })
  t.equal(maintenance.updates.length, 1)
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'maintenance.schedule' })

  for (const reference of ['MNT000001', 'mnt000001']) {
    const got = await call(w, 'GET', `/api/v1/maintenances/${reference}`)
    t.equal(got.statusCode, 200)
    t.same(got.json(), maintenance, 'GET answers what POST did')
  }
  t.same((await call(w, 'GET', '/api/v1/maintenances?state=upcoming')).json().maintenances.map((m: { reference: string }) => m.reference), ['MNT000001'])
  t.same((await call(w, 'GET', '/api/v1/maintenances?state=active')).json(), { maintenances: [] })
  t.same((await call(w, 'GET', '/api/v1/maintenances')).json().maintenances.map((m: { reference: string }) => m.reference), ['MNT000001'], 'incidents are not listed')

  const moved = await call(w, 'PATCH', '/api/v1/maintenances/mnt000001', { payload: { scheduled_until: '2020-02-04T05:00:00Z', auto_complete: false } })
  t.equal(moved.statusCode, 200)
  t.match(moved.json(), { scheduled_for: start, scheduled_until: '2020-02-04T05:00:00.000Z', auto_start: true, auto_complete: false, status: 'scheduled' })

  clock.set('2020-02-04T02:00:00.000Z')
  w.app.maintenanceClock.wake()
  await eventually(async () => (await call(w, 'GET', '/api/v1/maintenances/MNT000001')).json().status === 'in_progress', 'the clock to start it', 5_000)
  const components = (await call(w, 'GET', '/api/v1/components')).json()
  t.match(components, [{ id: w.chatId, status: 'under_maintenance' }, { id: w.signInId, status: 'under_maintenance' }])
  t.same((await call(w, 'GET', '/api/v1/maintenances?state=active')).json().maintenances.map((m: { reference: string }) => m.reference), ['MNT000001'])

  clock.set('2020-02-04T03:00:00.000Z')
  const note = await call(w, 'POST', '/api/v1/maintenances/MNT000001/updates', { payload: { body: 'Half of the servers are done.' } })
  t.equal(note.statusCode, 201)
  t.match(note.json(), { status: 'in_progress', updates: [{ status: 'in_progress', body: 'Half of the servers are done.', display_at: '2020-02-04T03:00:00.000Z' }] })
  const verifying = await call(w, 'POST', '/api/v1/maintenances/MNT000001/updates', { payload: { body: 'Verifying.', status: 'verifying', notify: false } })
  t.match(verifying.json(), { status: 'verifying', updates: [{ status: 'verifying', notify: false }] })

  clock.set('2020-02-04T05:30:00.000Z')
  const done = await call(w, 'POST', '/api/v1/maintenances/MNT000001/updates', {
    payload: { body: 'All done.', status: 'completed', display_at: '2020-02-04T05:20:00Z' }
  })
  t.equal(done.statusCode, 201)
  t.match(done.json(), {
    status: 'completed',
    resolved_at: '2020-02-04T05:20:00.000Z',
    updates: [{
      status: 'completed',
      display_at: '2020-02-04T05:20:00.000Z',
      affected_components: [
        { id: w.chatId, old_status: 'under_maintenance', new_status: 'operational' },
        { id: w.signInId, old_status: 'under_maintenance', new_status: 'operational' }
      ]
    }]
  })
  t.match((await call(w, 'GET', '/api/v1/components')).json(), [{ status: 'operational' }, { status: 'operational' }], 'each back to what it was')
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'maintenance.update' })
})

t.test('defaults, a given reference, post text and automatic transitions switched off', async (t) => {
  const w = await maintenanceWorld(t)
  const response = await call(w, 'POST', '/api/v1/maintenances', {
    payload: {
      name: 'Quiet work',
      body: 'b',
      scheduled_for: start,
      scheduled_until: end,
      reference: 'Mnt2020',
      auto_start: false,
      auto_complete: false,
      notify: false,
      post_text: 'Planned work tonight.'
    }
  })
  t.equal(response.statusCode, 201)
  t.match(response.json(), { reference: 'Mnt2020', auto_start: false, auto_complete: false, components: [], updates: [{ notify: false, post_text: 'Planned work tonight.' }] })
  const taken = await call(w, 'POST', '/api/v1/maintenances', { payload: { name: 'Again', body: 'b', scheduled_for: start, scheduled_until: end, reference: 'MNT2020' } })
  t.equal(taken.statusCode, 409)
  t.match(errorOf(taken).message, /reference MNT2020 already exists/)
  const incidentTaken = await call(w, 'POST', '/api/v1/maintenances', { payload: { name: 'Again', body: 'b', scheduled_for: start, scheduled_until: end, reference: w.reference } })
  t.equal(incidentTaken.statusCode, 409, 'incidents and maintenances share references')
})

t.test('incident routes refuse a maintenance (409) and maintenance routes do not find an incident (404)', async (t) => {
  const w = await maintenanceWorld(t)
  const mnt = `/api/v1/maintenances/${w.reference}`
  await refused(t, w, 'POST', '/api/v1/incidents/MNT1/updates', { payload: { body: 'b', status: 'resolved' }, status: 409, message: /MNT1 is a maintenance/ })
  await refused(t, w, 'PATCH', '/api/v1/incidents/MNT1', { payload: { impact: 'major' }, status: 409, message: /MNT1 is a maintenance/ })
  await refused(t, w, 'POST', `${mnt}/updates`, { payload: { body: 'b', status: 'completed' }, status: 404, message: new RegExp(`no maintenance with reference ${w.reference}`) })
  await refused(t, w, 'PATCH', mnt, { payload: { name: 'x' }, status: 404, message: /no maintenance/ })
  await refused(t, w, 'GET', mnt, { status: 404, message: /no maintenance/ })
  await refused(t, w, 'GET', '/api/v1/maintenances/NOPE1', { status: 404, message: /no maintenance with reference NOPE1/, field: null })
  await refused(t, w, 'POST', '/api/v1/maintenances/NOPE1/updates', { payload: { body: 'b' }, status: 404, message: /NOPE1/ })
  const asIncident = await call(w, 'GET', '/api/v1/incidents/MNT1')
  t.equal(asIncident.statusCode, 200, 'a maintenance still reads as an incident')
  t.match(asIncident.json(), { reference: 'MNT1', status: 'scheduled' })
})

t.test('illegal transitions are 409 and store nothing', async (t) => {
  const w = await maintenanceWorld(t)
  const url = '/api/v1/maintenances/MNT1/updates'
  await refused(t, w, 'POST', url, { payload: { body: 'b', status: 'verifying' }, status: 409, message: /^maintenance MNT1 is scheduled: it cannot become verifying$/, field: 'status' })
  t.equal((await call(w, 'POST', url, { payload: { body: 'Started.', status: 'in_progress' } })).statusCode, 201)
  await refused(t, w, 'POST', url, { payload: { body: 'b', status: 'scheduled' }, status: 409, message: /is in_progress: it cannot become scheduled/ })
  t.equal((await call(w, 'POST', url, { payload: { body: 'Done.', status: 'completed' } })).statusCode, 201)
  for (const status of ['in_progress', 'verifying', 'scheduled']) {
    await refused(t, w, 'POST', url, { payload: { body: 'b', status }, status: 409, message: new RegExp(`is completed: it cannot become ${status}`) })
  }
})

t.test('status cancelled calls off a scheduled maintenance; once started it is 409; a cancelled one takes notes only', async (t) => {
  const w = await maintenanceWorld(t)
  const url = '/api/v1/maintenances/MNT1/updates'
  const cancelled = await call(w, 'POST', url, { payload: { body: 'Called off.', status: 'cancelled', post_text: 'Chat upgrade called off' } })
  t.equal(cancelled.statusCode, 201)
  t.match(cancelled.json(), { reference: 'MNT1', status: 'cancelled', resolved_at: now, updates: [{ status: 'cancelled', body: 'Called off.' }, { status: 'scheduled' }] })
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'maintenance.cancel' })
  t.same((await call(w, 'GET', '/api/v1/maintenances?state=upcoming')).json().maintenances, [])
  t.same((await call(w, 'GET', '/api/v1/maintenances')).json().maintenances.map((m: { status: string }) => m.status), ['cancelled'])
  for (const status of ['scheduled', 'in_progress', 'completed']) {
    await refused(t, w, 'POST', url, { payload: { body: 'b', status }, status: 409, message: new RegExp(`is cancelled: it cannot become ${status}`), field: 'status' })
  }
  await refused(t, w, 'PATCH', '/api/v1/maintenances/MNT1', { payload: { scheduled_until: '2020-02-05T04:00:00Z' }, status: 409, message: /is cancelled: its window can no longer change/ })
  t.equal((await call(w, 'POST', url, { payload: { body: 'Planned again for March.' } })).json().status, 'cancelled', 'a note keeps it cancelled')

  w.app.herald.services.maintenances.schedule({ name: 'Other', body: 'b', scheduledFor: start, scheduledUntil: end, reference: 'MNT2' }, 'cli')
  t.equal((await call(w, 'POST', '/api/v1/maintenances/MNT2/updates', { payload: { body: 'Go.', status: 'in_progress' } })).statusCode, 201)
  await refused(t, w, 'POST', '/api/v1/maintenances/MNT2/updates', { payload: { body: 'b', status: 'cancelled' }, status: 409, message: /^maintenance MNT2 is in_progress: it cannot become cancelled$/, field: 'status' })
})

t.test('PATCH: the whole window while scheduled, only the end once started, nothing but the name once completed', async (t) => {
  const w = await maintenanceWorld(t)
  const url = '/api/v1/maintenances/MNT1'
  const whole = await call(w, 'PATCH', url, { payload: { scheduled_for: '2020-02-05T02:00:00Z', scheduled_until: '2020-02-05T04:00:00Z' } })
  t.equal(whole.statusCode, 200)
  t.match(whole.json(), { scheduled_for: '2020-02-05T02:00:00.000Z', scheduled_until: '2020-02-05T04:00:00.000Z', started_at: '2020-02-05T02:00:00.000Z' })
  await refused(t, w, 'PATCH', url, { payload: { scheduled_until: '2020-02-05T01:00:00Z' }, status: 400, message: /^scheduled_until must be after scheduled_for$/, field: 'scheduled_until' })
  // Only the start moved, past the end: the start is what to fix.
  await refused(t, w, 'PATCH', url, { payload: { scheduled_for: '2020-02-05T05:00:00Z' }, status: 400, message: /scheduled_until must be after scheduled_for/, field: 'scheduled_for' })
  await refused(t, w, 'PATCH', url, { payload: { scheduled_for: '2020-02-01T02:00:00Z', scheduled_until: '2020-02-01T04:00:00Z' }, status: 400, message: /^scheduled_until is in the past/, field: 'scheduled_until' })

  t.equal((await call(w, 'POST', `${url}/updates`, { payload: { body: 'Early start.', status: 'in_progress' } })).statusCode, 201)
  await refused(t, w, 'PATCH', url, { payload: { scheduled_for: '2020-02-05T01:00:00Z' }, status: 409, message: /has started: only its end can move/, field: null })
  const later = await call(w, 'PATCH', url, { payload: { scheduled_until: '2020-02-05T06:00:00Z' } })
  t.equal(later.statusCode, 200)
  t.match(later.json(), { status: 'in_progress', scheduled_until: '2020-02-05T06:00:00.000Z', started_at: now })

  t.equal((await call(w, 'POST', `${url}/updates`, { payload: { body: 'Done.', status: 'completed' } })).statusCode, 201)
  await refused(t, w, 'PATCH', url, { payload: { scheduled_until: '2020-02-05T07:00:00Z' }, status: 409, message: /is completed/ })
  await refused(t, w, 'PATCH', url, { payload: { auto_start: false }, status: 409, message: /is completed/ })
  const renamed = await call(w, 'PATCH', url, { payload: { name: 'Chat upgrade (done)' } })
  t.equal(renamed.statusCode, 200)
  t.match(renamed.json(), { name: 'Chat upgrade (done)', status: 'completed' })
})

t.test('GET routes: a bad state, an unknown query field, a malformed reference are 400', async (t) => {
  const w = await maintenanceWorld(t)
  for (const state of ['broken', 'UPCOMING', '', 'scheduled']) {
    await refused(t, w, 'GET', `/api/v1/maintenances?state=${state}`, { status: 400, message: /^querystring\/state must be one of upcoming, active, all$/ })
  }
  await refused(t, w, 'GET', '/api/v1/maintenances?colour=red', { status: 400, message: /^querystring has an unknown field 'colour'$/ })
  // Every GET of the token API alike: a query it does not know is refused, not ignored.
  for (const url of ['/api/v1/components', `/api/v1/components/${w.chatId}`, `/api/v1/incidents/${w.reference}`, '/api/v1/maintenances/MNT1', '/api/v1/openapi.json']) {
    await refused(t, w, 'GET', `${url}?colour=red`, { status: 400, message: /^querystring has an unknown field 'colour'$/ })
  }
  for (const reference of ['T', 'MNT-1', 'x'.repeat(33), '%3Cscript%3E']) {
    await refused(t, w, 'GET', `/api/v1/maintenances/${reference}`, { status: 400, message: /^params\/reference must be 2 to 32 letters and digits$/, field: null })
    await refused(t, w, 'PATCH', `/api/v1/maintenances/${reference}`, { payload: { name: 'x' }, status: 400, message: /^params\/reference/ })
    await refused(t, w, 'POST', `/api/v1/maintenances/${reference}/updates`, { payload: { body: 'x' }, status: 400, message: /^params\/reference/ })
  }
})

t.test('every maintenance route wants a token', async (t) => {
  const w = await maintenanceWorld(t)
  const before = snapshot(w.app)
  const requests: Array<['GET' | 'POST' | 'PATCH', string, object | undefined]> = [
    ['GET', '/api/v1/maintenances', undefined],
    ['GET', '/api/v1/maintenances/MNT1', undefined],
    ['POST', '/api/v1/maintenances', { name: 'x', body: 'y', scheduled_for: start, scheduled_until: end }],
    ['PATCH', '/api/v1/maintenances/MNT1', { name: 'x' }],
    ['POST', '/api/v1/maintenances/MNT1/updates', { body: 'x', status: 'in_progress' }]
  ]
  for (const [method, url, payload] of requests) {
    const response = await call(w, method, url, { anonymous: true, ...(payload === undefined ? {} : { payload }) })
    t.equal(response.statusCode, 401, `${method} ${url}`)
  }
  t.same(snapshot(w.app), before)
})

// The bad input of each write route, in the patterns of bad-input.test.ts.

interface TextField { field: string, limit: number, multiLine: boolean }

interface WriteRoute {
  title: string
  method: 'POST' | 'PATCH'
  url: string
  valid: () => Record<string, unknown>
  success: number
  required: string[]
  text: TextField[]
  wrong: Record<string, unknown[]>
  enums: string[]
  /** The value of a text field as the write answered it. */
  written: (json: any, field: string) => unknown
}

const name: TextField = { field: 'name', limit: limits.name, multiLine: false }
const body: TextField = { field: 'body', limit: limits.body, multiLine: true }
const badTimes = ['yesterday', 1580738400000, '2020-02-03', '2020-02-03T14:00:00', '2020-13-03T14:00:00Z', '2021-02-30T10:00:00Z', '2020-02-03T25:00:00Z', '', null, true, []]
const badReferences = [202916, 'T', 'TM-202916', 'TM 202916', 'x'.repeat(33), '', null]
const badComponents = [{}, { 1: true }, 'Chat', 42, null, [0], [1.5], ['1'], [-1], [null], [[1]], Array.from({ length: 501 }, (_, i) => i + 1)]
const badBooleans = ['yes', 'true', 1, 0, null, []]
const badPostTexts = [42, '', ['x'], { text: 'x' }, 'x'.repeat(5001), 'a\u0000b']
const windowPayload = { scheduled_for: start, scheduled_until: end }

const routes: WriteRoute[] = [
  {
    title: 'POST /api/v1/maintenances',
    method: 'POST',
    url: '/api/v1/maintenances',
    valid: () => ({ name: 'Database upgrade', body: 'We will upgrade the database.', ...windowPayload, components: [1] }),
    success: 201,
    required: ['name', 'body', 'scheduled_for', 'scheduled_until'],
    text: [name, body],
    wrong: {
      name: [42, null, ['a']],
      body: [42, null, { text: 'x' }],
      scheduled_for: badTimes,
      scheduled_until: badTimes,
      components: badComponents,
      reference: badReferences,
      auto_start: badBooleans,
      auto_complete: badBooleans,
      notify: badBooleans,
      post_text: badPostTexts
    },
    enums: [],
    written: (json, field) => field === 'body' ? json.updates[0].body : json[field]
  },
  {
    title: 'PATCH /api/v1/maintenances/:reference',
    method: 'PATCH',
    url: '/api/v1/maintenances/MNT1',
    valid: () => ({ name: 'Chat upgrade, moved', scheduled_until: '2020-02-04T05:00:00Z' }),
    success: 200,
    required: [],
    text: [name],
    wrong: { name: [42, null], scheduled_for: badTimes, scheduled_until: badTimes, auto_start: badBooleans, auto_complete: badBooleans },
    enums: [],
    written: (json, field) => json[field]
  },
  {
    title: 'POST /api/v1/maintenances/:reference/updates',
    method: 'POST',
    url: '/api/v1/maintenances/MNT1/updates',
    valid: () => ({ body: 'We will start on time.' }),
    success: 201,
    required: ['body'],
    text: [body],
    wrong: { body: [42, null, ['x']], status: [1, null, ['in_progress'], true], notify: badBooleans, display_at: badTimes, post_text: badPostTexts },
    enums: ['status'],
    written: (json) => json.updates[0].body
  }
]

const controls = ['\u0000', '\u0007', '\u0008', '\u000B', '\u001B', '\u007F']
const lineControls = ['\n', '\r', '\t']

for (const route of routes) {
  t.test(`${route.title}: bad input`, async (t) => {
    const w = await maintenanceWorld(t)
    const rejects = async (t: Test, options: { payload?: unknown, raw?: string, contentType?: string | null, status: number, message: RegExp }): Promise<void> => {
      await refused(t, w, route.method, route.url, options)
    }

    t.test('malformed JSON, JSON that is not an object, prototype poisoning', async (t) => {
      for (const raw of ['{"name": ', '{name: "x"}', '{"a":1}}', '\u0000']) await rejects(t, { raw, status: 400, message: /not valid JSON/ })
      await rejects(t, { raw: '', status: 400, message: /empty/ })
      for (const raw of ['[]', 'null', '"text"', '42', 'true']) await rejects(t, { raw, status: 400, message: /^body must be object$/ })
      const valid = JSON.stringify(route.valid()).slice(0, -1)
      await rejects(t, { raw: `${valid},"__proto__":{"admin":true}}`, status: 400, message: /not valid JSON/ })
    })

    t.test('a body that is not JSON is 415', async (t) => {
      const raw = JSON.stringify(route.valid())
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html']) {
        await rejects(t, { raw, contentType, status: 415, message: /must be JSON sent with Content-Type: application\/json/ })
      }
      await rejects(t, { raw, contentType: null, status: 415, message: /not no Content-Type$/ })
    })

    t.test('a body over 1 MiB is 413', async (t) => {
      const field = route.text[0]?.field ?? 'name'
      await rejects(t, { payload: { ...route.valid(), [field]: 'x'.repeat(1024 * 1024) }, status: 413, message: /too large/ })
    })

    t.test('unknown fields', async (t) => {
      await rejects(t, { payload: { ...route.valid(), colour: 'red' }, status: 400, message: /^body has an unknown field 'colour'$/ })
      await rejects(t, { payload: { ...route.valid(), Scheduled_For: start }, status: 400, message: /unknown field 'Scheduled_For'/ })
      // Fields of the incident routes are not this route's.
      for (const field of ['impact', 'components_status']) {
        await rejects(t, { payload: { ...route.valid(), [field]: 'major' }, status: 400, message: new RegExp(`unknown field '${field}'`) })
      }
    })

    t.test('missing fields', async (t) => {
      for (const field of route.required) {
        const payload = route.valid()
        delete payload[field]
        await rejects(t, { payload, status: 400, message: new RegExp(`^body must have required property '${field}'$`) })
      }
      if (route.required.length === 0) await rejects(t, { payload: {}, status: 400, message: /^body must name at least one field to change$/ })
    })

    t.test('wrong types and shapes', async (t) => {
      for (const [field, values] of Object.entries(route.wrong)) {
        for (const value of values) {
          await rejects(t, { payload: { ...route.valid(), [field]: value }, status: 400, message: new RegExp(`^body/${field}\\b`) })
        }
      }
    })

    t.test('unknown enum values, an incident status among them', async (t) => {
      for (const field of route.enums) {
        for (const value of ['broken', 'Completed', 'IN_PROGRESS', ' scheduled', '', 'resolved', 'investigating']) {
          await rejects(t, { payload: { ...route.valid(), [field]: value }, status: 400, message: new RegExp(`^body/${field} must be one of scheduled, in_progress, verifying, completed, cancelled$`) })
        }
      }
    })

    t.test('text over its limit, blank, or with control characters', async (t) => {
      for (const { field, limit, multiLine } of route.text) {
        await rejects(t, { payload: { ...route.valid(), [field]: 'x'.repeat(limit + 1) }, status: 400, message: new RegExp(`^body/${field} must NOT have more than ${limit} characters$`) })
        await rejects(t, { payload: { ...route.valid(), [field]: '' }, status: 400, message: new RegExp(`^body/${field} must not be empty$`) })
        await rejects(t, { payload: { ...route.valid(), [field]: ' \n\t ' }, status: 400, message: new RegExp(`^body/${field} must be`) })
        for (const control of [...controls, ...(multiLine ? [] : lineControls)]) {
          await rejects(t, { payload: { ...route.valid(), [field]: `Chat${control}upgrade` }, status: 400, message: new RegExp(`^body/${field} must .*control characters`) })
        }
      }
    })

    t.test('markup, emoji and right-to-left text are stored exactly as typed and come back as JSON', async (t) => {
      // Composed and decomposed forms of é, a zero-width joiner sequence, a lone combining mark: nothing normalized.
      const unicode = 'Caf\u00E9 Cafe\u0301 \u{1F469}\u200D\u{1F527} \u0301 \uFEFFend'
      for (const { field } of route.text) {
        for (const text of [hostileText, unicode]) {
          const response = await call(w, route.method, route.url, { payload: { ...route.valid(), [field]: text } })
          t.equal(response.statusCode, route.success)
          t.match(response.headers['content-type'], /^application\/json/)
          t.equal(route.written(response.json(), field), text, `${field} round-trips`)
          const reference = response.json().reference as string
          const read = (await call(w, 'GET', `/api/v1/maintenances/${reference}`)).json()
          t.equal(route.written(read, field), text, `${field} reads back`)
        }
      }
    })

    t.test('text at its limit, and line breaks where they belong, are accepted', async (t) => {
      for (const { field, limit, multiLine } of route.text) {
        const atLimit = `${'\u{1F525}'.repeat(10)}${'y'.repeat(limit - 10)}`
        const response = await call(w, route.method, route.url, { payload: { ...route.valid(), [field]: atLimit } })
        t.equal(response.statusCode, route.success, `${field} of ${limit} characters, emoji counted as one`)
        t.equal(route.written(response.json(), field), atLimit)
        if (multiLine) {
          const lines = '**Update**\r\n\n- first\n\t- second\n'
          const multi = await call(w, route.method, route.url, { payload: { ...route.valid(), [field]: lines } })
          t.equal(multi.statusCode, route.success)
          t.equal(route.written(multi.json(), field), lines)
        }
      }
    })
  })
}

t.test('window rules of POST /api/v1/maintenances: a clear 400 naming the field, nothing stored', async (t) => {
  const w = await maintenanceWorld(t)
  const url = '/api/v1/maintenances'
  const base = { name: 'Upgrade', body: 'b', ...windowPayload }
  await refused(t, w, 'POST', url, { payload: { ...base, scheduled_until: start }, status: 400, message: /^scheduled_until must be after scheduled_for$/, field: 'scheduled_until' })
  await refused(t, w, 'POST', url, { payload: { ...base, scheduled_until: '2020-02-04T01:00:00Z' }, status: 400, message: /^scheduled_until must be after scheduled_for$/ })
  await refused(t, w, 'POST', url, { payload: { ...base, scheduled_for: '2020-02-03T10:00:00Z', scheduled_until: '2020-02-03T12:00:00Z' }, status: 400, message: /^scheduled_until is in the past/ })
  for (const time of ['2021-02-30T10:00:00Z', '2020-02-31T10:00:00+01:00', '2019-02-29T10:00:00Z', '2020-04-31T00:00:00Z']) {
    await refused(t, w, 'POST', url, { payload: { ...base, scheduled_until: time }, status: 400, message: /^body\/scheduled_until must be a date and time/, field: 'scheduled_until' })
  }
  await refused(t, w, 'POST', url, { payload: { ...base, scheduled_until: '2016-12-31T23:59:60Z' }, status: 400, message: /scheduled_until is not a time that exists/ })
  await refused(t, w, 'POST', url, { payload: { ...base, components: [w.chatId, 4242] }, status: 400, message: /^components: no component with id 4242$/, field: 'components' })
  await refused(t, w, 'POST', url, { payload: { ...base, reference: 'mnt1' }, status: 409, message: /reference mnt1 already exists/, field: 'reference' })
  await refused(t, w, 'POST', url, { payload: { name: 'Upgrade', ...windowPayload }, status: 400, message: /^body must have required property 'body'$/, field: 'body' })
  await refused(t, w, 'POST', url, { payload: { ...base, colour: 'red' }, status: 400, message: /^body has an unknown field 'colour'$/, field: null })
  const leap = await call(w, 'POST', url, { payload: { ...base, scheduled_for: '2020-02-29T02:00:00Z', scheduled_until: '2020-02-29T04:00:00Z' } })
  t.equal(leap.statusCode, 201, 'a leap day exists')

  await refused(t, w, 'PATCH', '/api/v1/maintenances/MNT1', { payload: { scheduled_until: '2021-02-30T10:00:00Z' }, status: 400, message: /^body\/scheduled_until must be a date and time/ })
  await refused(t, w, 'PATCH', '/api/v1/maintenances/MNT1', { payload: { scheduled_until: '2020-02-03T12:00:00Z' }, status: 400, message: /scheduled_until/ })
  await refused(t, w, 'POST', '/api/v1/maintenances/MNT1/updates', { payload: { body: 'b', display_at: '2021-02-30T10:00:00Z' }, status: 400, message: /^body\/display_at must be a date and time/ })
  // The rule of every update: not dated more than a minute ahead of the clock.
  await refused(t, w, 'POST', '/api/v1/maintenances/MNT1/updates', { payload: { body: 'b', display_at: '2030-01-01T00:00:00Z' }, status: 400, message: /^display_at is in the future/, field: 'display_at' })
})
