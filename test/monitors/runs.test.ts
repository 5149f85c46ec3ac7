// Recording runs: one write each with the state, counters and reason; the component a monitor moves and when it may not; certificates; heartbeats; pruning.
import t from 'tap'
import type { CheckOutcome } from '../../server/domain/monitors.js'
import type { Services } from '../../server/services/services.js'
import { buildServices } from '../fixtures/services.js'
import { addMonitor, certificateFacts, downOutcome, heartbeatMonitor, httpMonitor, slowOutcome, upOutcome } from './fixtures/engine.js'

type TestServices = ReturnType<typeof buildServices>

/** Records `outcomes` a minute apart, as the scheduler would. */
function runs (services: TestServices, id: number, ...outcomes: CheckOutcome[]): void {
  for (const outcome of outcomes) {
    services.clock.advance(60_000)
    services.monitorRuns.record(id, outcome)
  }
}

const contentVersion = (services: Services): number => services.context.stores.counters.get('content_version')
const count = (services: Services, table: string): number =>
  (services.context.stores.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

t.test('every run is stored; the state moves past the thresholds, with one event and its reason', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('Sign-in API'))
  const before = contentVersion(services)
  runs(services, id, upOutcome, upOutcome)
  t.match(services.monitorRuns.get(id), { state: 'up', successes: 2, failures: 0, lastResult: 'up', lastLatencyMs: 42 })
  runs(services, id, downOutcome, downOutcome)
  t.match(services.monitorRuns.get(id), { state: 'up', failures: 2, lastError: 'connect ECONNREFUSED 127.0.0.1:9' })
  runs(services, id, downOutcome)
  const down = services.monitorRuns.get(id)
  t.match(down, { state: 'down', failures: 3, successes: 0, stateSince: services.clock.now().toISOString() })
  const { monitors } = services.context.stores
  t.equal(monitors.recentRuns(id, 100).length, 5)
  t.match(monitors.recentRuns(id, 1)[0], { result: 'down', latencyMs: 3, statusCode: null, error: 'connect ECONNREFUSED 127.0.0.1:9', inMaintenance: false })
  t.match(monitors.events(id, 10), [
    { oldState: 'up', newState: 'down', reason: '3 failures in a row: connect ECONNREFUSED 127.0.0.1:9' },
    { oldState: 'pending', newState: 'up', reason: '2 successes in a row' }
  ])
  t.equal(contentVersion(services), before, 'runs of a monitor without a component leave the public pages\' cache alone')
})

t.test('a degraded run (over the latency limit) and a recorded run of a paused or removed monitor', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('Slow API', { latencyLimitMs: 1000, failureThreshold: 2 }))
  runs(services, id, upOutcome, upOutcome, slowOutcome, slowOutcome)
  t.match(services.monitorRuns.get(id), { state: 'degraded', lastResult: 'degraded', lastLatencyMs: 2500 })
  t.match(services.context.stores.monitors.events(id, 1), [{ reason: '2 slow runs in a row: 2500 ms, over the 1000 ms limit' }])
  const paused = addMonitor(services, httpMonitor('Paused', { paused: true }))
  t.equal(services.monitorRuns.record(paused, downOutcome), null)
  t.equal(services.monitorRuns.record(9999, downOutcome), null)
  t.equal(services.context.stores.monitors.recentRuns(paused, 10).length, 0, 'nothing recorded')
})

t.test('a monitor moves its component as a person would, and back on recovery', async (t) => {
  const services = buildServices(t)
  const component = services.components.create({ name: 'Sign-in' }, 'user:alice')
  const id = addMonitor(services, httpMonitor('Sign-in API', { componentId: component.id }))
  runs(services, id, upOutcome, upOutcome)
  const before = contentVersion(services)
  runs(services, id, downOutcome, downOutcome)
  t.equal(contentVersion(services), before, 'runs that change nothing public leave the cache alone')
  runs(services, id, downOutcome)
  t.equal(services.components.get(component.id).status, 'major_outage')
  t.ok(contentVersion(services) > before, 'the component change is a public write')
  const { components } = services.context.stores
  t.equal(components.monitorStatus(component.id), 'major_outage')
  const entry = services.context.stores.db.prepare("SELECT actor, action, detail FROM audit_log WHERE action = 'component.monitor'").get() as { actor: string, detail: string }
  t.match(entry, { actor: 'monitor:Sign-in API' })
  t.match(JSON.parse(entry.detail), { from: 'operational', to: 'major_outage', monitor: 'Sign-in API' })
  t.equal(count(services, 'component_status_changes'), 1, 'the status history has the change (uptime)')
  runs(services, id, upOutcome, upOutcome)
  t.equal(services.components.get(component.id).status, 'operational', 'recovered: the monitor set it, so it goes back')
  t.equal(components.monitorStatus(component.id), null)
  t.equal(count(services, 'component_status_changes'), 2)
})

t.test('the component shows the worst of its linked, unpaused monitors', async (t) => {
  const services = buildServices(t)
  const component = services.components.create({ name: 'Meetings' }, 'user:alice')
  const a = addMonitor(services, httpMonitor('A', { componentId: component.id, failureThreshold: 1, successThreshold: 1, downStatus: 'partial_outage' }))
  const b = addMonitor(services, httpMonitor('B', { componentId: component.id, failureThreshold: 1, successThreshold: 1 }))
  runs(services, a, upOutcome)
  runs(services, b, upOutcome)
  runs(services, a, downOutcome)
  t.equal(services.components.get(component.id).status, 'partial_outage')
  runs(services, b, downOutcome)
  t.equal(services.components.get(component.id).status, 'major_outage')
  runs(services, b, upOutcome)
  t.equal(services.components.get(component.id).status, 'partial_outage', 'B recovered, A is still down')
  runs(services, a, upOutcome)
  t.equal(services.components.get(component.id).status, 'operational')
})

t.test('never overwritten: a status set by hand, a person changing it while down, an open incident, a maintenance in progress', async (t) => {
  t.test('set by hand before the monitor went down', async (t) => {
    const services = buildServices(t)
    const component = services.components.create({ name: 'Sign-in' }, 'user:alice')
    services.components.patch(component.id, { status: 'partial_outage' }, 'user:alice')
    const id = addMonitor(services, httpMonitor('Sign-in API', { componentId: component.id, failureThreshold: 1, successThreshold: 1 }))
    runs(services, id, upOutcome, downOutcome)
    t.equal(services.components.get(component.id).status, 'partial_outage')
    t.match(services.context.stores.monitors.events(id, 1), [{ newState: 'down', reason: /Sign-in left as it is: its status was set by hand/ }])
    runs(services, id, upOutcome)
    t.equal(services.components.get(component.id).status, 'partial_outage', 'nor put back to operational')
  })
  t.test('a person changes it while the monitor is down: the recovery leaves it', async (t) => {
    const services = buildServices(t)
    const component = services.components.create({ name: 'Sign-in' }, 'user:alice')
    const id = addMonitor(services, httpMonitor('Sign-in API', { componentId: component.id, failureThreshold: 1, successThreshold: 1 }))
    runs(services, id, upOutcome, downOutcome)
    t.equal(services.components.get(component.id).status, 'major_outage')
    services.components.patch(component.id, { status: 'partial_outage' }, 'user:alice')
    t.equal(services.context.stores.components.monitorStatus(component.id), null, 'a person\'s change clears the monitor\'s mark')
    runs(services, id, upOutcome)
    t.equal(services.components.get(component.id).status, 'partial_outage')
  })
  t.test('an open incident names the component: recorded, not changed', async (t) => {
    const services = buildServices(t)
    const component = services.components.create({ name: 'Sign-in' }, 'user:alice')
    const id = addMonitor(services, httpMonitor('Sign-in API', { componentId: component.id, failureThreshold: 1, successThreshold: 1 }))
    runs(services, id, upOutcome)
    const incident = services.incidents.open({ name: 'Sign-in trouble', body: 'Looking', components: { [component.id]: 'degraded_performance' } }, 'user:alice')
    runs(services, id, downOutcome)
    t.equal(services.components.get(component.id).status, 'degraded_performance')
    t.match(services.monitorRuns.get(id), { state: 'down' })
    t.match(services.context.stores.monitors.events(id, 1), [{ reason: /an open incident names it/ }])
    services.incidents.postUpdate(incident.reference, { status: 'resolved', body: 'Fixed' }, 'user:alice')
    t.equal(services.components.get(component.id).status, 'operational')
    runs(services, id, downOutcome)
    t.equal(services.components.get(component.id).status, 'operational', 'the state did not change: nothing is re-applied on every run')
  })
  t.test('a maintenance in progress: runs are marked, the component is left under maintenance', async (t) => {
    const services = buildServices(t)
    const component = services.components.create({ name: 'Sign-in' }, 'user:alice')
    const id = addMonitor(services, httpMonitor('Sign-in API', { componentId: component.id, failureThreshold: 1, successThreshold: 1 }))
    runs(services, id, upOutcome)
    const now = services.clock.now().getTime()
    const maintenance = services.maintenances.schedule({
      name: 'Database upgrade',
      body: 'Planned',
      scheduledFor: new Date(now + 60_000).toISOString(),
      scheduledUntil: new Date(now + 3_600_000).toISOString(),
      components: [component.id]
    }, 'user:alice')
    services.maintenances.postUpdate(maintenance.reference, { body: 'Started', status: 'in_progress' }, 'user:alice')
    t.equal(services.components.get(component.id).status, 'under_maintenance')
    runs(services, id, downOutcome)
    t.equal(services.components.get(component.id).status, 'under_maintenance')
    t.match(services.context.stores.monitors.recentRuns(id, 1)[0], { result: 'down', inMaintenance: true })
    t.match(services.context.stores.monitors.availability(id, '2000-01-01T00:00:00.000Z'), { up: 1, total: 1 }, 'the failure does not count against uptime')
    t.match(services.context.stores.monitors.events(id, 1), [{ reason: /a maintenance in progress names it/ }])
  })
})

t.test('a certificate is kept, and warned about once per certificate and threshold', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('Sign-in API', { certWarningDays: [14, 7, 1] }))
  let signals = 0
  services.context.signals.subscribe('certificateWarningsDue', () => { signals++ })
  const { monitors } = services.context.stores
  const check = (certificate: ReturnType<typeof certificateFacts>): void => runs(services, id, { ...upOutcome, certificate })
  check(certificateFacts(services.clock.now(), 30))
  t.match(monitors.byId(id)?.certificate, { fingerprint: 'AA:BB:CC', issuer: 'CN=Example CA' })
  t.equal(monitors.unsentWarnings().length, 0, '30 days left: no warning')
  check(certificateFacts(services.clock.now(), 5))
  t.match(monitors.unsentWarnings(), [{ days: 7, fingerprint: 'AA:BB:CC' }], '5 days left, first seen: one warning, at 7')
  t.equal(signals, 1)
  check(certificateFacts(services.clock.now(), 5))
  check(certificateFacts(services.clock.now(), 4))
  t.equal(monitors.unsentWarnings().length, 1, 'seen again: no second warning')
  t.equal(signals, 1)
  check(certificateFacts(services.clock.now(), 0))
  t.match(monitors.unsentWarnings(), [{ days: 7 }, { days: 1 }], 'a later threshold still warns')
  check(certificateFacts(services.clock.now(), 6, 'DD:EE:FF'))
  t.match(monitors.unsentWarnings().map((w) => [w.fingerprint, w.days]), [['AA:BB:CC', 7], ['AA:BB:CC', 1], ['DD:EE:FF', 7]], 'a new certificate warns again')
  t.equal(monitors.byId(id)?.certificate?.fingerprint, 'DD:EE:FF')
  runs(services, id, { ...downOutcome, certificate: null })
  t.equal(monitors.byId(id)?.certificate?.fingerprint, 'DD:EE:FF', 'a run that saw no certificate keeps the last one')
})

t.test('heartbeats: a call is a run, at most one a second; unknown and paused write nothing; a missed period is a down run', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, heartbeatMonitor('Nightly backup', { intervalS: 3600, graceS: 300 }), 'hash-1')
  addMonitor(services, heartbeatMonitor('Paused job', { paused: true }), 'hash-2')
  const { monitorRuns } = services
  t.equal(monitorRuns.heartbeat('nope', true), 'unknown')
  t.equal(monitorRuns.heartbeat('hash-2', true), 'paused')
  t.equal(monitorRuns.heartbeat('hash-1', true), 'recorded')
  t.equal(monitorRuns.heartbeat('hash-1', true), 'limited', 'within a second')
  services.clock.advance(1000)
  t.equal(monitorRuns.heartbeat('hash-1', false), 'recorded', 'the job reports its own failure')
  t.match(monitorRuns.get(id), { state: 'down', lastError: 'the job reported a failure' })
  services.clock.advance(1000)
  t.equal(monitorRuns.heartbeat('hash-1', true), 'recorded')
  const lastCall = services.clock.now().toISOString()
  t.match(monitorRuns.get(id), { state: 'up' })
  t.equal(services.context.stores.monitors.recentRuns(id, 10).length, 3)

  services.clock.advance((3600 + 300) * 1000 - 1)
  t.equal(monitorRuns.missedHeartbeat(id), null, 'not yet: the period and grace have not passed')
  services.clock.advance(1)
  t.match(monitorRuns.missedHeartbeat(id)?.monitor, { state: 'down', lastError: `no heartbeat since ${lastCall}` })
  t.equal(monitorRuns.missedHeartbeat(id), null, 'one per missed period')
  services.clock.advance((3600 + 300) * 1000)
  t.ok(monitorRuns.missedHeartbeat(id), 'the next period missed too')
  t.equal(services.context.stores.monitors.recentRuns(id, 10).length, 5)
})

t.test('pruning removes runs and events older than 90 days', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('Old', { failureThreshold: 1, successThreshold: 1 }))
  runs(services, id, upOutcome, downOutcome)
  services.clock.advance(89 * 86_400_000)
  runs(services, id, upOutcome)
  t.same(services.monitorRuns.prune(), { runs: 0, events: 0 })
  services.clock.advance(2 * 86_400_000)
  t.same(services.monitorRuns.prune(), { runs: 2, events: 2 })
  t.equal(services.context.stores.monitors.recentRuns(id, 10).length, 1)
})

t.test('a heartbeat monitor cannot be run now', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, heartbeatMonitor('Job'))
  t.throws(() => { services.monitorRuns.checkRunnable(services.monitorRuns.get(id)) }, /is a heartbeat: it is not run/)
  t.throws(() => services.monitorRuns.get(12345), /no monitor with id 12345/)
})

t.test('settleComponent: a paused down monitor no longer holds its component; a removal likewise', async (t) => {
  const services = buildServices(t)
  const component = services.components.create({ name: 'Sign-in' }, 'user:alice')
  const id = addMonitor(services, httpMonitor('Sign-in API', { componentId: component.id, failureThreshold: 1 }))
  runs(services, id, downOutcome)
  t.equal(services.components.get(component.id).status, 'major_outage')
  const { monitors, db } = services.context.stores
  db.transaction(() => { monitors.setPaused(id, true, services.clock.now().toISOString()) })()
  t.equal(services.monitorRuns.settleComponent(component.id, 'user:alice'), null)
  t.equal(services.components.get(component.id).status, 'operational')
  const entry = db.prepare("SELECT actor FROM audit_log WHERE action = 'component.monitor' ORDER BY id DESC").get()
  t.same(entry, { actor: 'user:alice' }, 'the person who paused it is the actor')
  t.equal(services.monitorRuns.settleComponent(null, 'user:alice'), null, 'no component: nothing to do')
  services.components.patch(component.id, { status: 'partial_outage' }, 'user:alice')
  db.transaction(() => { monitors.setPaused(id, false, services.clock.now().toISOString()) })()
  runs(services, id, downOutcome)
  t.match(services.monitorRuns.settleComponent(component.id, 'user:alice'), /set by hand/)
})

t.test("an admin's pause, relink and removal settle the components the monitor leaves, in the same write", async (t) => {
  const services = buildServices(t)
  const signIn = services.components.create({ name: 'Sign-in' }, 'user:alice')
  const chat = services.components.create({ name: 'Chat' }, 'user:alice')
  const a = addMonitor(services, httpMonitor('A', { componentId: signIn.id, failureThreshold: 1 }))
  const b = addMonitor(services, httpMonitor('B', { componentId: chat.id, failureThreshold: 1 }))
  runs(services, a, downOutcome)
  runs(services, b, downOutcome)
  t.equal(services.components.get(signIn.id).status, 'major_outage')
  t.equal(services.components.get(chat.id).status, 'major_outage')
  const { db } = services.context.stores
  const lastActor = (): unknown => db.prepare("SELECT actor FROM audit_log WHERE action = 'component.monitor' ORDER BY id DESC").get()

  services.monitors.pause(a, 'user:alice')
  t.equal(services.components.get(signIn.id).status, 'operational', 'paused: it no longer holds Sign-in down')
  t.same(lastActor(), { actor: 'user:alice' }, 'the person who paused it is the actor')
  services.monitors.resume(a, 'user:alice')
  t.equal(services.components.get(signIn.id).status, 'operational', 'resumed: pending asks for nothing')

  services.monitors.patch(b, { component_id: signIn.id }, 'user:alice')
  t.equal(services.components.get(chat.id).status, 'operational', 'linked elsewhere: Chat is let go')
  t.equal(services.components.get(signIn.id).status, 'major_outage', 'and Sign-in shows that B is down')

  services.monitors.remove(b, 'user:alice')
  t.equal(services.components.get(signIn.id).status, 'operational', 'removed: Sign-in is let go')

  services.components.patch(signIn.id, { status: 'partial_outage' }, 'user:alice')
  const c = addMonitor(services, httpMonitor('C', { componentId: signIn.id, failureThreshold: 1 }))
  runs(services, c, downOutcome)
  services.monitors.remove(c, 'user:alice')
  t.equal(services.components.get(signIn.id).status, 'partial_outage', 'a status set by hand stays')
})

t.test('a run that changes no state answers the monitor exactly as it is now stored', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('A'))
  const certificate = { fingerprint: 'AA:BB', subject: 'CN=teams.example.com', issuer: 'CN=Test CA', names: ['teams.example.com'], validFrom: '2020-01-01T00:00:00.000Z', expiresAt: '2021-01-01T00:00:00.000Z' }
  // Pending, then up after two successes; then a certificate and one failure change no state.
  const outcomes = [upOutcome, upOutcome, { ...upOutcome, certificate }, downOutcome]
  t.same(outcomes.map((outcome) => {
    const recorded = services.monitorRuns.record(id, outcome)
    t.same(recorded?.monitor, services.context.stores.monitors.byId(id))
    return recorded?.changed
  }), [false, true, false, false])
})

t.test('between up and degraded, the streak counts the runs before this one and this one once', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('Slow API', { latencyLimitMs: 1000, failureThreshold: 3, successThreshold: 3 }))
  runs(services, id, upOutcome, upOutcome, upOutcome, slowOutcome, slowOutcome)
  t.equal(services.monitorRuns.get(id).state, 'up', 'two slow runs of three')
  runs(services, id, slowOutcome)
  t.match(services.monitorRuns.get(id), { state: 'degraded' })
  t.match(services.context.stores.monitors.events(id, 1), [{ reason: '3 slow runs in a row: 2500 ms, over the 1000 ms limit' }])
  runs(services, id, upOutcome, upOutcome)
  t.equal(services.monitorRuns.get(id).state, 'degraded', 'two fast runs of three')
  runs(services, id, upOutcome)
  t.match(services.context.stores.monitors.events(id, 1), [{ newState: 'up', reason: '3 fast runs in a row, within the 1000 ms limit' }])
})
