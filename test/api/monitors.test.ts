// The token API of monitors: every route behind the token, what it answers, each route's bad input refused naming the field with nothing stored, and its OpenAPI document.
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { heartbeatSecretHash } from '../../server/services/monitor-service.js'
import { attackCorpus, type FieldKind } from '../fixtures/attack-corpus.js'
import { TestClock, build } from '../fixtures/build.js'
import { storedRows } from '../fixtures/stored.js'
import { type ApiWorld, call, errorOf } from './fixtures/api-world.js'

const http = { name: 'Sign-in API', kind: 'http', url: 'https://login.example.com/health' }

async function send (w: ApiWorld, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return w.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${w.token}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> })
  })
}

/**
 * The API world (a token `ci`, Chat in Teams, Sign-in) on an app whose scheduler is off (MONITORS_WORKER=off):
 * the monitors made here point at names that must never be checked, and a run would add rows between two snapshots.
 */
async function monitorWorld (t: Test, clock?: TestClock): Promise<ApiWorld> {
  const app = await build(t, { env: { MONITORS_WORKER: 'off' }, ...(clock === undefined ? {} : { clock }) })
  const { tokens, components } = app.herald.services
  const token = tokens.create('ci', 'cli')
  const chatId = components.create({ name: 'Chat', group: 'Teams' }, 'cli').id
  const signInId = components.create({ name: 'Sign-in' }, 'cli').id
  return { app, token, chatId, signInId, reference: '', firstUpdateId: 0 }
}

/** Everything a monitor write may touch. */
function stored (w: ApiWorld): Record<string, unknown[]> {
  return storedRows(w.app.herald.stores.db, { tables: ['monitors', 'monitor_runs', 'monitor_events', 'audit_log', 'counters'] })
}

t.test('every monitor route asks for a token', async (t) => {
  const w = await monitorWorld(t)
  const id = w.app.herald.services.monitors.create(http, 'cli').monitor.id
  const routes: Array<[string, string]> = [
    ['GET', '/api/v1/monitors'], ['POST', '/api/v1/monitors'], ['GET', `/api/v1/monitors/${id}`], ['PUT', `/api/v1/monitors/${id}`],
    ['PATCH', `/api/v1/monitors/${id}`], ['DELETE', `/api/v1/monitors/${id}`], ['POST', `/api/v1/monitors/${id}/pause`],
    ['POST', `/api/v1/monitors/${id}/resume`], ['POST', `/api/v1/monitors/${id}/heartbeat-secret`], ['GET', `/api/v1/monitors/${id}/runs`],
    ['GET', `/api/v1/monitors/${id}/events`]
  ]
  const before = stored(w)
  for (const [method, url] of routes) {
    const response = await w.app.inject({ method: method as 'GET', url, payload: method === 'GET' || method === 'DELETE' ? undefined : {} })
    t.equal(response.statusCode, 401, `${method} ${url}`)
    const bad = await w.app.inject({ method: method as 'GET', url, headers: { authorization: 'Bearer nope' } })
    t.equal(bad.statusCode, 401, `${method} ${url} with a wrong token`)
  }
  t.same(stored(w), before)
})

t.test('create, read, list, replace, change, pause, resume, remove: the answers and what they store', async (t) => {
  const w = await monitorWorld(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const created = await send(w, 'POST', '/api/v1/monitors', { ...http, component: 'sign-in', latency_limit_ms: 800, cert_warning_days: [7, 30, 7] })
  t.equal(created.statusCode, 201)
  const monitor = created.json()
  t.match(monitor, {
    id: Number,
    name: 'Sign-in API',
    kind: 'http',
    paused: false,
    interval_seconds: 60,
    timeout_ms: 10_000,
    failure_threshold: 3,
    success_threshold: 2,
    latency_limit_ms: 800,
    component: 'Sign-in',
    component_id: w.signInId,
    down_status: 'major_outage',
    degraded_status: 'degraded_performance',
    incident_mode: 'off',
    cert_warning_days: [30, 7],
    url: 'https://login.example.com/health',
    method: 'GET',
    headers: {},
    body: null,
    expected_status: '200-299',
    keyword: null,
    json_path: null,
    follow_redirects: true,
    state: 'pending',
    failures: 0,
    successes: 0,
    last_run: null,
    certificate: null,
    has_heartbeat_secret: false,
    incident_id: null,
    draft_id: null
  })
  t.notOk('heartbeat_url' in monitor)
  t.notOk('host' in monitor, 'only the fields of its kind')
  const { monitors } = w.app.herald.stores
  t.equal(monitors.byId(monitor.id)?.name, 'Sign-in API')

  // What the engine records shows in the answer.
  monitors.saveStatus(monitor.id, { state: 'down', stateSince: '2020-02-03T12:00:00.000Z', failures: 3, successes: 0, lastRunAt: '2020-02-03T12:59:00.000Z', lastResult: 'down', lastLatencyMs: 12, lastError: 'status 500, expected 200-299' })
  monitors.setCertificate(monitor.id, { fingerprint: 'AB:CD', subject: 'CN=login.example.com', issuer: 'CN=Test CA', names: ['login.example.com'], validFrom: '2020-01-01T00:00:00.000Z', expiresAt: '2020-02-10T13:00:00.000Z' })
  monitors.insertRun({ monitorId: monitor.id, at: '2020-02-03T12:59:00.000Z', result: 'down', latencyMs: 12, statusCode: 500, error: 'status 500, expected 200-299', inMaintenance: false })
  monitors.insertEvent({ monitorId: monitor.id, at: '2020-02-03T12:59:00.000Z', oldState: 'up', newState: 'down', reason: '3 failures in a row' })
  const read = (await send(w, 'GET', `/api/v1/monitors/${monitor.id as number}`)).json()
  t.match(read, {
    state: 'down',
    failures: 3,
    last_run: { at: '2020-02-03T12:59:00.000Z', result: 'down', latency_ms: 12, error: 'status 500, expected 200-299' },
    certificate: { fingerprint: 'AB:CD', names: ['login.example.com'], expires_at: '2020-02-10T13:00:00.000Z', days_left: 7 }
  })
  t.same((await send(w, 'GET', `/api/v1/monitors/${monitor.id as number}/runs?limit=5`)).json(),
    [{ at: '2020-02-03T12:59:00.000Z', result: 'down', latency_ms: 12, status_code: 500, error: 'status 500, expected 200-299', in_maintenance: false }])
  t.same((await send(w, 'GET', `/api/v1/monitors/${monitor.id as number}/events`)).json(),
    [{ at: '2020-02-03T12:59:00.000Z', old_state: 'up', new_state: 'down', reason: '3 failures in a row' }])

  const list = await send(w, 'GET', '/api/v1/monitors')
  t.equal(list.statusCode, 200)
  t.same(list.json().map((m: { name: string }) => m.name), ['Sign-in API'])

  const replaced = await send(w, 'PUT', `/api/v1/monitors/${monitor.id as number}`, { ...http, interval_seconds: 30 })
  t.equal(replaced.statusCode, 200)
  t.match(replaced.json(), { interval_seconds: 30, component: null, component_id: null, latency_limit_ms: null, state: 'down' }, 'a PUT replaces: what it leaves out takes its default')
  const patched = await send(w, 'PATCH', `/api/v1/monitors/${monitor.id as number}`, { component_id: w.chatId, keyword: 'ok' })
  t.match(patched.json(), { interval_seconds: 30, component: 'Chat', component_id: w.chatId, keyword: 'ok' })

  t.match((await send(w, 'POST', `/api/v1/monitors/${monitor.id as number}/pause`, {})).json(), { state: 'paused', paused: true })
  t.match((await send(w, 'POST', `/api/v1/monitors/${monitor.id as number}/resume`, {})).json(), { state: 'pending', paused: false, failures: 0 })
  const actions = w.app.herald.stores.audit.list(10).map((entry) => [entry.action, entry.actor])
  t.same(actions.filter(([action]) => action?.startsWith('monitor.')).slice(0, 5),
    [['monitor.resume', 'token:ci'], ['monitor.pause', 'token:ci'], ['monitor.update', 'token:ci'], ['monitor.update', 'token:ci'], ['monitor.create', 'token:ci']])
  // Linked to Chat while down, the monitor moved Chat; paused, it let Chat go: both by the token that asked.
  t.same(actions.filter(([action]) => action === 'component.monitor'), [['component.monitor', 'token:ci'], ['component.monitor', 'token:ci']])
  t.equal(w.app.herald.services.components.get(w.chatId).status, 'operational')

  const removed = await send(w, 'DELETE', `/api/v1/monitors/${monitor.id as number}`)
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.equal((await send(w, 'GET', `/api/v1/monitors/${monitor.id as number}`)).statusCode, 404)
  t.equal((await send(w, 'DELETE', `/api/v1/monitors/${monitor.id as number}`)).statusCode, 404)
})

t.test('a heartbeat is created with its URL, shown once; a new secret replaces it', async (t) => {
  const w = await monitorWorld(t)
  const created = await send(w, 'POST', '/api/v1/monitors', { name: 'Nightly backup', kind: 'heartbeat', interval_seconds: 86_400 })
  t.equal(created.statusCode, 201)
  const json = created.json()
  t.match(json, { kind: 'heartbeat', grace_seconds: 60, failure_threshold: 1, success_threshold: 1, has_heartbeat_secret: true })
  t.notOk('timeout_ms' in json, 'a heartbeat has no timeout of its own')
  const match = /^https:\/\/status\.example\.com\/api\/v1\/heartbeats\/([A-Za-z0-9_-]{43})$/.exec(json.heartbeat_url)
  t.ok(match, 'PUBLIC_URL + /api/v1/heartbeats/<secret>')
  const { monitors } = w.app.herald.stores
  t.equal(monitors.byHeartbeatHash(heartbeatSecretHash(match?.[1] as string))?.id, json.id)
  const read = (await send(w, 'GET', `/api/v1/monitors/${json.id as number}`)).json()
  t.notOk('heartbeat_url' in read, 'never shown again')
  const renewed = await send(w, 'POST', `/api/v1/monitors/${json.id as number}/heartbeat-secret`, {})
  t.equal(renewed.statusCode, 200)
  t.not(renewed.json().heartbeat_url, json.heartbeat_url)
  const httpMonitor = (await send(w, 'POST', '/api/v1/monitors', http)).json()
  const refused = await send(w, 'POST', `/api/v1/monitors/${httpMonitor.id as number}/heartbeat-secret`, {})
  t.equal(refused.statusCode, 409)
  t.equal(errorOf(refused).field, 'kind')
})

t.test('bad input on every route: a 4xx naming the field, nothing stored', async (t) => {
  const w = await monitorWorld(t)
  const id = (await send(w, 'POST', '/api/v1/monitors', http)).json().id as number
  const before = stored(w)
  const bodies: Array<[unknown, string | undefined, RegExp]> = [
    [{ ...http, url: 'https://user:secret@login.example.com/' }, 'url', /user name or password/],
    [{ ...http, url: 'ftp://files.example.com/' }, 'url', /not ftp:/],
    [{ ...http, url: 'javascript:alert(1)' }, 'url', /not javascript:/],
    [{ ...http, url: 'https://login.example.com/#top' }, 'url', /fragment/],
    [{ ...http, url: `https://login.example.com/${'a'.repeat(2100)}` }, 'url', /at most 2048/],
    [{ ...http, interval_seconds: 5 }, 'interval_seconds', /at least 10 seconds/],
    [{ name: 'Cert', kind: 'tls', target: 'login.example.com', interval_seconds: 60 }, 'interval_seconds', /at least 300 seconds/],
    [{ ...http, interval_seconds: '60' }, 'interval_seconds', /integer/],
    [{ ...http, timeout_ms: 60_000 }, 'timeout_ms', /below the interval/],
    [{ ...http, headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])) }, 'headers', /at most 20 headers/],
    [{ ...http, headers: { 'X-Big': 'v'.repeat(9000) } }, 'headers', /8192 bytes/],
    [{ ...http, headers: { 'X-A': 'a\r\nInjected: yes' } }, 'headers.X-A', /one line/],
    [{ ...http, headers: { Host: 'evil.example' } }, 'headers.Host', /set by Herald/],
    [{ ...http, headers: { 'X-A': 1 } }, 'headers', /string/],
    [{ ...http, name: 'Sign\u0007in' }, 'name', /control characters/],
    [{ ...http, name: 'Bad \uD800 name' }, 'name', /surrogate/],
    [{ ...http, name: 'x'.repeat(101) }, 'name', /at most 100/],
    [{ ...http, name: '' }, 'name', /empty/],
    [{ ...http, colour: 'red' }, undefined, /unknown field 'colour'/],
    [{ ...http, host: 'db' }, 'host', /not a field of a http monitor/],
    [{ name: 'No kind' }, 'kind', /kind/],
    [{ ...http, kind: 'ping' }, 'kind', /must be one of/],
    [{ name: 'Port', kind: 'tcp', host: 'db.internal', port: 70000 }, 'port', /at most 65535/],
    [{ name: 'Host', kind: 'tcp', host: 'bad host!', port: 22 }, 'host', /host name/],
    [{ ...http, component: 'Nowhere' }, 'component', /no component is named/],
    [{ ...http, json_path: { path: 'status', equals: 'ok' } }, 'json_path.path', /start with \$/],
    [{ ...http, cert_warning_days: [1, 2, 3, 4, 5, 6] }, 'cert_warning_days', /at most 5/],
    [{ ...http, body: 'x', method: 'GET' }, 'body', /GET request has no body/],
    [{ ...http, method: 'POST', body: 'x'.repeat(70_000) }, 'body', /65536 bytes/],
    [[http], undefined, /object/]
  ]
  for (const [body, field, message] of bodies) {
    for (const [method, url] of [['POST', '/api/v1/monitors'], ['PUT', `/api/v1/monitors/${id}`]] as const) {
      const response = await send(w, method, url, body)
      const what = `${method} ${JSON.stringify(body).slice(0, 80)}`
      t.equal(response.statusCode, 400, what)
      t.match(errorOf(response).message, message, what)
      t.equal(errorOf(response).field, field, `${what}: names ${field ?? 'no field'}`)
    }
  }
  const conflict = await send(w, 'POST', '/api/v1/monitors', { ...http, name: 'SIGN-IN API' })
  t.equal(conflict.statusCode, 409)
  t.equal(errorOf(conflict).field, 'name')

  const patches: Array<[unknown, RegExp]> = [
    [{}, /at least one field/],
    [{ name: null }, /name/],
    [{ port: 80 }, /port: not a field of a http monitor/],
    [{ interval_seconds: 1 }, /at least 10 seconds/],
    [{ kind: 'tcp' }, /host: is required for a tcp monitor/],
    // A field that takes null already says so once.
    [{ keyword: 7 }, /^body\/keyword must be string or must be null$/],
    [{ interval_seconds: 'often' }, /^body\/interval_seconds must be integer or must be null$/]
  ]
  for (const [body, message] of patches) {
    const response = await send(w, 'PATCH', `/api/v1/monitors/${id}`, body)
    t.equal(response.statusCode, 400, JSON.stringify(body))
    t.match(errorOf(response).message, message)
  }
  for (const url of ['/api/v1/monitors/0', '/api/v1/monitors/abc', '/api/v1/monitors/1e3', '/api/v1/monitors/-1']) {
    t.equal((await send(w, 'GET', url)).statusCode, 400, url)
  }
  t.equal((await send(w, 'GET', '/api/v1/monitors/999')).statusCode, 404)
  t.equal((await send(w, 'PUT', '/api/v1/monitors/999', http)).statusCode, 404)
  for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'limit=5&other=1', 'limit=-1']) {
    t.equal((await send(w, 'GET', `/api/v1/monitors/${id}/runs?${query}`)).statusCode, 400, `runs?${query}`)
    t.equal((await send(w, 'GET', `/api/v1/monitors/${id}/events?${query}`)).statusCode, 400, `events?${query}`)
  }
  t.equal((await send(w, 'GET', '/api/v1/monitors?x=1')).statusCode, 400)
  t.equal((await send(w, 'POST', `/api/v1/monitors/${id}/pause`, { now: true })).statusCode, 400)
  t.equal((await send(w, 'POST', '/api/v1/monitors/999/pause', {})).statusCode, 404)
  t.equal((await send(w, 'GET', '/api/v1/monitors/999/runs')).statusCode, 404)
  const broken = await w.app.inject({ method: 'POST', url: '/api/v1/monitors', headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' }, payload: '{"name":' })
  t.equal(broken.statusCode, 400, 'broken JSON')
  const text = await w.app.inject({ method: 'POST', url: '/api/v1/monitors', headers: { authorization: `Bearer ${w.token}`, 'content-type': 'text/plain' }, payload: 'name: x' })
  t.equal(text.statusCode, 415)
  t.same(stored(w), before, 'nothing refused was stored, not even in part')
})

t.test('the OpenAPI document lists the monitor routes', async (t) => {
  const w = await monitorWorld(t)
  const doc = (await call(w, 'GET', '/api/v1/openapi.json', { anonymous: true })).json()
  const operations = Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>)
    .filter(([path]) => path.startsWith('/api/v1/monitors'))
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`)).sort()
  t.same(operations, [
    'DELETE /api/v1/monitors/{id} deleteMonitor',
    'GET /api/v1/monitors listMonitors',
    'GET /api/v1/monitors/{id} getMonitor',
    'GET /api/v1/monitors/{id}/events listMonitorEvents',
    'GET /api/v1/monitors/{id}/runs listMonitorRuns',
    'PATCH /api/v1/monitors/{id} changeMonitor',
    'POST /api/v1/monitors createMonitor',
    'POST /api/v1/monitors/{id}/heartbeat-secret newHeartbeatSecret',
    'POST /api/v1/monitors/{id}/pause pauseMonitor',
    'POST /api/v1/monitors/{id}/resume resumeMonitor',
    'POST /api/v1/monitors/{id}/run runMonitor',
    'PUT /api/v1/monitors/{id} replaceMonitor'
  ])
  const create = doc.paths['/api/v1/monitors'].post
  t.match(create.requestBody.content['application/json'].schema, { required: ['name', 'kind'], additionalProperties: false })
  t.match(create.description, /private addresses/)
})

t.test('the attack corpus on every text field: refused exactly where the field kind refuses (a header value, ASCII on one line, refuses more), never a 5xx, never half-stored; kept as typed when taken', async (t) => {
  const w = await monitorWorld(t)
  const fields: Array<{ field: string, kind: FieldKind, body: (text: string, n: number) => Record<string, unknown>, shown: (json: any) => unknown }> = [
    { field: 'name', kind: 'one-line', body: (text) => ({ ...http, name: text }), shown: (json) => json.name },
    { field: 'keyword', kind: 'optional-one-line', body: (text, n) => ({ ...http, name: `K${n}`, keyword: text }), shown: (json) => json.keyword },
    { field: 'body', kind: 'optional-multi-line', body: (text, n) => ({ ...http, name: `B${n}`, method: 'POST', body: text }), shown: (json) => json.body },
    { field: 'headers.X-Probe', kind: 'one-line', body: (text, n) => ({ ...http, name: `H${n}`, headers: { 'X-Probe': text } }), shown: (json) => json.headers['X-Probe'] }
  ]
  let n = 0
  let taken = 0
  for (const { field, kind, body, shown } of fields) {
    for (const { label, text, refusedBy } of attackCorpus) {
      const what = `${field}: ${label}`
      const before = stored(w)
      const response = await send(w, 'POST', '/api/v1/monitors', body(text, n++))
      if (response.statusCode === 201) {
        taken++
        if (refusedBy.includes(kind)) t.fail(`${what}: taken, but a ${kind} field refuses it`)
        const json = response.json()
        if (shown(json) !== (field === 'name' ? text.trim() : text)) t.fail(`${what}: not kept as typed`)
        const read = await send(w, 'GET', `/api/v1/monitors/${json.id as number}`)
        if (shown(read.json()) !== shown(json)) t.fail(`${what}: read back otherwise`)
        continue
      }
      if (response.statusCode !== 400) {
        t.fail(`${what}: ${response.statusCode}`)
        continue
      }
      if (!refusedBy.includes(kind) && field !== 'headers.X-Probe') t.fail(`${what}: refused, but a ${kind} field takes it`)
      if (errorOf(response).field !== field && !(field === 'headers.X-Probe' && errorOf(response).field === 'headers')) t.fail(`${what}: names ${String(errorOf(response).field)}`)
      if (JSON.stringify(stored(w)) !== JSON.stringify(before)) t.fail(`${what}: something was stored`)
    }
  }
  t.ok(taken > 40, `${taken} of ${fields.length * attackCorpus.length} taken as typed, the rest refused`)
  const list = await send(w, 'GET', '/api/v1/monitors')
  t.equal(list.statusCode, 200)
  t.equal(list.json().length, taken, 'the list of them all parses')
})
