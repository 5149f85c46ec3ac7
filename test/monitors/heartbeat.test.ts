// The heartbeat URL: a call is a run (at most one a second), /fail a failed one, unknown or malformed secrets 404 with nothing stored, paused records nothing, GET 405, any small body.
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { storedRows } from '../fixtures/stored.js'

const stored = (app: FastifyInstance): Record<string, unknown[]> =>
  storedRows(app.herald.stores.db, { tables: ['monitors', 'monitor_runs', 'monitor_events', 'audit_log', 'counters', 'incidents', 'incident_drafts'] })

async function world (t: Test): Promise<{ app: FastifyInstance, clock: TestClock, secret: string, id: number }> {
  const clock = new TestClock()
  // The scheduler is off: this test steps the clock, and a missed period is the scheduler's (scheduler.test.ts).
  const app = await build(t, { clock, env: { MONITORS_WORKER: 'off' } })
  const created = app.herald.services.monitors.create({ name: 'Nightly backup', kind: 'heartbeat', interval_seconds: 3600, grace_seconds: 600, failure_threshold: 1, success_threshold: 1 }, 'user:alice')
  return { app, clock, secret: created.heartbeatSecret as string, id: created.monitor.id }
}

t.test('a call records an up run; within a second, another answers 200 and writes nothing; /fail records the job\'s failure', async (t) => {
  const { app, clock, secret, id } = await world(t)
  const version = app.herald.stores.counters.get('content_version')
  const first = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${secret}` })
  t.equal(first.statusCode, 200)
  t.same(first.json(), { ok: true })
  t.equal(first.headers['cache-control'], 'no-store')
  const { monitors } = app.herald.stores
  t.match(monitors.byId(id), { state: 'up', lastResult: 'up' })
  const before = stored(app)
  const again = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${secret}` })
  t.equal(again.statusCode, 200)
  t.same(stored(app), before, 'rate limited: nothing written')
  clock.advance(1000)
  const failed = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${secret}/fail` })
  t.equal(failed.statusCode, 200)
  t.match(monitors.byId(id), { state: 'down', lastError: 'the job reported a failure' })
  t.match(monitors.events(id, 1), [{ oldState: 'up', newState: 'down', reason: '1 failure in a row: the job reported a failure' }])
  t.equal(monitors.recentRuns(id, 10).length, 2)
  t.equal(app.herald.stores.counters.get('content_version'), version, 'no component: the public cache is left alone')
})

t.test('any body up to 1 KiB is taken and ignored; more is 413 and nothing is recorded', async (t) => {
  const { app, clock, secret, id } = await world(t)
  const bodies: Array<[string | undefined, string]> = [
    ['text/plain', 'backup done: 12 GB in 4 min'],
    ['application/json', '{"ok":'],
    ['application/x-www-form-urlencoded', ''],
    [undefined, '']
  ]
  for (const [type, payload] of bodies) {
    clock.advance(1000)
    const response = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${secret}`, payload, headers: type === undefined ? {} : { 'content-type': type } })
    t.equal(response.statusCode, 200, `${String(type)}: ${payload}`)
  }
  t.equal(app.herald.stores.monitors.recentRuns(id, 10).length, 4)
  clock.advance(1000)
  const before = stored(app)
  const big = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${secret}`, payload: 'x'.repeat(1025), headers: { 'content-type': 'text/plain' } })
  t.equal(big.statusCode, 413)
  t.same(stored(app), before)
})

t.test('unknown or malformed secrets: the same 404, nothing stored', async (t) => {
  const { app, secret } = await world(t)
  const before = stored(app)
  const wrong = ['A'.repeat(43), `${secret.slice(0, -1)}x`, 'short', '%00%01%02aaaaaaaaaaaaaaaaaaaaaaa', `${secret}%E2%80%AE`, '%3Cscript%3Ealert(1)%3C%2Fscript%3E', '%F0%9F%92%A5'.repeat(20), 'a'.repeat(5000), '%ED%A0%80aaaaaaaaaaaaaaaaaaaaa', '..%2F..%2Fadmin']
  for (const bad of wrong) {
    const response = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${bad}` })
    t.equal(response.statusCode, 404, bad.slice(0, 60))
    t.match(response.headers['content-type'], /application\/json/)
    t.notMatch(response.body, /<script>/)
  }
  const unknown = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${'A'.repeat(43)}` })
  t.same(unknown.json(), { statusCode: 404, error: 'Not Found', message: 'no heartbeat has this URL: check the secret, or make a new one' })
  t.same(stored(app), before)
  const query = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${secret}?rid=1` })
  t.equal(query.statusCode, 400, 'a query is refused, as everywhere in the API')
  t.same(stored(app), before)
})

t.test('a paused monitor answers 200 and records nothing; GET is 405 with Allow: POST', async (t) => {
  const { app, secret, id } = await world(t)
  app.herald.services.monitors.pause(id, 'user:alice')
  const before = stored(app)
  const response = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${secret}` })
  t.equal(response.statusCode, 200)
  t.same(stored(app), before)
  for (const path of [`/api/v1/heartbeats/${secret}`, `/api/v1/heartbeats/${secret}/fail`]) {
    const get = await app.inject({ method: 'GET', url: path })
    t.equal(get.statusCode, 405)
    t.equal(get.headers.allow, 'POST')
  }
  t.same(stored(app), before)
})

t.test('no token is needed, and a token is not looked at', async (t) => {
  const { app, secret } = await world(t)
  const response = await app.inject({ method: 'POST', url: `/api/v1/heartbeats/${secret}`, headers: { authorization: 'Bearer wrong' } })
  t.equal(response.statusCode, 200)
})
