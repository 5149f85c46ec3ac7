// Run now: the token API's POST /api/v1/monitors/:id/run and the admin's button, through the scheduler or without it, with their refusals.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import type { CheckOutcome, Monitor } from '../../server/domain/monitors.js'
import { runNotice } from '../../server/routes/admin/monitor-run.js'
import { withUsers } from '../admin/fixtures/admin-session.js'
import { TestClock, build } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { buildServices } from '../fixtures/services.js'
import { storedRows } from '../fixtures/stored.js'
import { leafCertificate, testCa } from './fixtures/certificates.js'
import { addMonitor, downOutcome, httpMonitor, upOutcome } from './fixtures/engine.js'
import { httpTarget } from './fixtures/http-target.js'

const stored = (app: FastifyInstance): Record<string, unknown[]> =>
  storedRows(app.herald.stores.db, { tables: ['monitors', 'monitor_runs', 'monitor_events', 'audit_log', 'counters'] })

async function world (t: Test, worker: 'on' | 'off', outcome: CheckOutcome = downOutcome): Promise<{ app: FastifyInstance, token: string, http: Monitor, beat: Monitor, checked: string[] }> {
  const checked: string[] = []
  const app = await build(t, {
    clock: new TestClock(),
    env: { MONITORS_WORKER: worker },
    monitors: { check: async (monitor) => { checked.push(monitor.name); return outcome }, timers: false }
  })
  const { monitors, tokens } = app.herald.services
  const token = tokens.create('ci', 'cli')
  // Long intervals: the scheduler runs nothing by itself within the test.
  const http = monitors.create({ name: 'Sign-in API', kind: 'http', url: 'https://login.example.com/health', interval_seconds: 86_400, failure_threshold: 1 }, 'cli').monitor
  const beat = monitors.create({ name: 'Backup', kind: 'heartbeat' }, 'cli').monitor
  return { app, token, http, beat, checked }
}

for (const worker of ['on', 'off'] as const) {
  t.test(`token API, MONITORS_WORKER=${worker}: the run recorded and what it changed`, async (t) => {
    const w = await world(t, worker)
    t.equal(w.app.monitors.scheduler === null, worker === 'off')
    const response = await w.app.inject({ method: 'POST', url: `/api/v1/monitors/${w.http.id}/run`, headers: { authorization: `Bearer ${w.token}` }, payload: {} })
    t.equal(response.statusCode, 200)
    t.match(response.json(), {
      run: { result: 'down', latency_ms: 3, status_code: null, error: 'connect ECONNREFUSED 127.0.0.1:9', in_maintenance: false },
      state: 'down',
      state_changed: true,
      reason: '1 failure in a row: connect ECONNREFUSED 127.0.0.1:9'
    })
    t.same(w.checked, ['Sign-in API'])
  })
}

t.test('token API refusals: no token, a heartbeat, a paused monitor, unknown and malformed ids, a body that is not {}', async (t) => {
  const w = await world(t, 'on')
  const auth = { authorization: `Bearer ${w.token}` }
  w.app.herald.services.monitors.create({ name: 'Paused', kind: 'tcp', host: 'db.example.com', port: 5432, paused: true }, 'cli')
  const paused = w.app.herald.services.monitors.list().find((monitor) => monitor.name === 'Paused') as Monitor
  const before = stored(w.app)
  const cases: Array<[string, Record<string, string>, unknown, number, RegExp]> = [
    [`/api/v1/monitors/${w.http.id}/run`, {}, {}, 401, /API token is required/],
    [`/api/v1/monitors/${w.beat.id}/run`, auth, {}, 409, /Backup is a heartbeat: it is not run/],
    [`/api/v1/monitors/${paused.id}/run`, auth, {}, 409, /Paused is paused: resume it to run it/],
    ['/api/v1/monitors/99999/run', auth, {}, 404, /no monitor with id 99999/],
    ['/api/v1/monitors/0/run', auth, {}, 400, /id/],
    ['/api/v1/monitors/1%00/run', auth, {}, 400, /id/],
    [`/api/v1/monitors/${'9'.repeat(20)}/run`, auth, {}, 400, /id/],
    [`/api/v1/monitors/${w.http.id}/run`, auth, { now: true }, 400, /now/],
    [`/api/v1/monitors/${w.http.id}/run`, auth, [], 400, /object/]
  ]
  for (const [url, headers, payload, status, message] of cases) {
    const response = await w.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })
    t.equal(response.statusCode, status, `${url} ${JSON.stringify(payload)}`)
    t.match(response.json().message, message)
  }
  t.same(stored(w.app), before, 'nothing recorded')
  t.same(w.checked, [])
})

t.test('admin: "Run now" runs it and says what happened on the monitor\'s page; editors and forged posts are refused', async (t) => {
  const w = await world(t, 'on', upOutcome)
  const { admin, editor } = await withUsers(w.app)
  const response = await admin.post(`/admin/monitors/${w.http.id}/run`, {}, { formPage: '/admin' })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, `/admin/monitors/${w.http.id}`)
  const next = await admin.get('/admin')
  t.match(next.body, /Ran Sign-in API now: the check succeeded in 42 ms\./)
  t.equal(w.app.herald.stores.monitors.recentRuns(w.http.id, 10).length, 1)

  const heartbeat = await admin.post(`/admin/monitors/${w.beat.id}/run`, {}, { formPage: '/admin' })
  t.equal(heartbeat.statusCode, 303)
  t.match((await admin.get('/admin')).body, /Not run: Backup is a heartbeat: it is not run, it waits for calls to its URL\./)

  const missing = await admin.post('/admin/monitors/99999/run', {}, { formPage: '/admin' })
  t.equal(missing.statusCode, 404)
  t.match(missing.body, /No such monitor/)
  const bad = await admin.post('/admin/monitors/abc/run', {}, { formPage: '/admin' })
  t.equal(bad.statusCode, 400)

  const before = stored(w.app)
  const asEditor = await editor.post(`/admin/monitors/${w.http.id}/run`, {}, { formPage: '/admin' })
  t.equal(asEditor.statusCode, 403)
  const forged = await admin.post(`/admin/monitors/${w.http.id}/run`, {}, { csrf: null })
  t.equal(forged.statusCode, 403)
  t.same(stored(w.app), before, 'nothing ran')
})

t.test('the real check, wired with MONITORS_CA_FILE: an https target signed by that CA is up and its certificate kept; without it, untrusted', async (t) => {
  const target = await httpTarget(t, { tls: leafCertificate() })
  target.set('/health', { body: 'ok' })
  const dir = t.testdir()
  const caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, testCa().cert)
  for (const [env, result] of [[{ MONITORS_CA_FILE: caFile }, 'up'], [{}, 'down']] as const) {
    const app = await build(t, { env: { MONITORS_WORKER: 'off', ...env } })
    const id = app.herald.services.monitors.create({ name: 'Local', kind: 'http', url: `${target.url}/health`, failure_threshold: 1 }, 'user:alice').monitor.id
    const recorded = await app.monitors.runNow(id)
    t.equal(recorded?.run.result, result, JSON.stringify(env))
    t.match(recorded?.monitor.certificate, { names: ['localhost', '127.0.0.1'] }, 'the certificate is kept either way')
    if (result === 'down') t.match(recorded?.run.error, /certificate|trust|issuer/i)
  }
})

t.test('with its own timer, the scheduler runs a monitor when it is due', async (t) => {
  const checked: string[] = []
  const app = await build(t, { monitors: { check: async (monitor) => { checked.push(monitor.name); return upOutcome } } })
  const { services, stores } = app.herald
  const id = services.monitors.create({ name: 'Due soon', kind: 'tcp', host: '127.0.0.1', port: 9, interval_seconds: 10 }, 'user:alice').monitor.id
  // Its last run 9.9 s ago (by the real clock this app runs on): due in about 100 ms.
  const last = new Date(Date.now() - 9_900).toISOString()
  stores.db.transaction(() => { stores.monitors.saveStatus(id, { state: 'up', stateSince: last, failures: 0, successes: 2, lastRunAt: last, lastResult: 'up', lastLatencyMs: 1, lastError: null }) })()
  // The monitorsChanged signal of a person's change is what re-reads it; a rename sends it.
  services.monitors.update(id, { name: 'Due soon', kind: 'tcp', host: '127.0.0.1', port: 9, interval_seconds: 10 }, 'user:alice')
  await eventually(() => checked.length > 0, 'the scheduled run')
  t.same(checked, ['Due soon'])
})

t.test('a monitor paused while its check ran records nothing: the API answers 409, the admin says so', async (t) => {
  let pauseDuringCheck = (): void => {}
  const app = await build(t, { env: { MONITORS_WORKER: 'off' }, monitors: { check: async () => { pauseDuringCheck(); return upOutcome } } })
  const { monitors, tokens } = app.herald.services
  const token = tokens.create('ci', 'cli')
  const make = (name: string): number => monitors.create({ name, kind: 'tcp', host: 'db.example.com', port: 5432 }, 'cli').monitor.id
  const viaApi = make('Via API')
  pauseDuringCheck = () => { monitors.pause(viaApi, 'user:bob') }
  const response = await app.inject({ method: 'POST', url: `/api/v1/monitors/${viaApi}/run`, headers: { authorization: `Bearer ${token}` }, payload: {} })
  t.equal(response.statusCode, 409)
  t.match(response.json().message, /paused or removed while it ran: nothing was recorded/)
  const viaAdmin = make('Via admin')
  pauseDuringCheck = () => { monitors.pause(viaAdmin, 'user:bob') }
  const { admin } = await withUsers(app)
  t.equal((await admin.post(`/admin/monitors/${viaAdmin}/run`, {}, { formPage: '/admin' })).statusCode, 303)
  t.match((await admin.get('/admin')).body, /Not run: the monitor was paused or removed while it ran\./)
  t.equal(app.herald.stores.monitors.recentRuns(viaApi, 10).length + app.herald.stores.monitors.recentRuns(viaAdmin, 10).length, 0)
})

t.test('the admin\'s notice of a run: failed, slow, without a latency, and a change of state', async (t) => {
  const services = buildServices(t)
  const monitor = services.monitorRuns.get(addMonitor(services, httpMonitor('API')))
  const run = { monitorId: monitor.id, at: '2020-02-03T13:00:00.000Z', result: 'up' as const, latencyMs: 42, statusCode: 200, error: null, inMaintenance: false }
  t.equal(runNotice({ monitor, run, changed: false, reason: null }), 'Ran API now: the check succeeded in 42 ms.')
  t.equal(runNotice({ monitor, run: { ...run, result: 'degraded', latencyMs: 2500 }, changed: false, reason: null }), 'Ran API now: the check was slow in 2500 ms.')
  t.equal(runNotice({ monitor, run: { ...run, latencyMs: null }, changed: false, reason: null }), 'Ran API now: the check succeeded.')
  t.equal(runNotice({ monitor: { ...monitor, state: 'down' }, run: { ...run, result: 'down', error: 'status 500\u0007, expected 200-299' }, changed: true, reason: '1 failure in a row' }),
    'Ran API now: the check failed: status 500 , expected 200-299. It is now down: 1 failure in a row.')
})
