// The scheduler with a TestClock and a fake check: intervals from the last run, jitter, the cap of 10 in flight, run now, heartbeat deadlines, abort on close, pruning.
import t, { type Test } from 'tap'
import type { CheckOutcome, Monitor } from '../../server/domain/monitors.js'
import { type CheckFunction, MonitorScheduler } from '../../server/monitors/scheduler.js'
import { buildServices } from '../fixtures/services.js'
import { addMonitor, downOutcome, heartbeatMonitor, httpMonitor, upOutcome } from './fixtures/engine.js'

type TestServices = ReturnType<typeof buildServices>

interface PendingCheck {
  monitor: Monitor
  signal: AbortSignal
  answer: (outcome: CheckOutcome) => void
}

/** A check that waits until the test answers it, and remembers every call. */
function heldCheck (): { check: CheckFunction, pending: PendingCheck[], calls: string[] } {
  const pending: PendingCheck[] = []
  const calls: string[] = []
  const check: CheckFunction = async (monitor, signal) => await new Promise<CheckOutcome>((resolve, reject) => {
    calls.push(monitor.name)
    const entry: PendingCheck = { monitor, signal, answer: (outcome) => { pending.splice(pending.indexOf(entry), 1); resolve(outcome) } }
    pending.push(entry)
    signal.addEventListener('abort', () => { reject(new Error('aborted')) }, { once: true })
  })
  return { check, pending, calls }
}

/** A check answering at once with `outcome`. */
function instantCheck (outcome: CheckOutcome = upOutcome): { check: CheckFunction, calls: string[] } {
  const calls: string[] = []
  return { calls, check: async (monitor) => { calls.push(monitor.name); return outcome } }
}

const errors: unknown[] = []
const log = { error: (details: object) => { errors.push(details) }, warn: () => {} }

function scheduler (t: Test, services: TestServices, check: CheckFunction, random = () => 0.5): MonitorScheduler {
  const made = new MonitorScheduler({ runs: services.monitorRuns, check, clock: services.clock.now, log, random, timers: false })
  t.teardown(async () => { await made.close() })
  return made
}

t.test('new monitors are spread over their first interval; then each runs at its interval from its last run', async (t) => {
  const services = buildServices(t)
  const a = addMonitor(services, httpMonitor('A', { intervalS: 60 }))
  const b = addMonitor(services, httpMonitor('B', { intervalS: 10 }))
  const { check, calls } = instantCheck()
  const start = services.clock.now().getTime()
  const randoms = [0.25, 0.9]
  const s = scheduler(t, services, check, () => randoms.shift() ?? 0)
  s.start()
  t.same([...s.dueTimes()], [[a, start + 15_000], [b, start + 9_000]], 'jitter: anywhere in the first interval')
  services.clock.advance(9_000)
  s.tick()
  await s.settled()
  t.same(calls, ['B'])
  services.clock.advance(6_000)
  s.tick()
  await s.settled()
  t.same(calls, ['B', 'A'])
  t.equal(s.dueTimes().get(b), start + 19_000, 'B next at its last run + 10 s')
  services.clock.advance(4_000)
  s.tick()
  await s.settled()
  t.same(calls, ['B', 'A', 'B'])
  t.equal(services.context.stores.monitors.recentRuns(b, 10).length, 2, 'each run recorded')
})

t.test('a restart continues where it was: a monitor due later keeps its time, an overdue one runs within 30 s', async (t) => {
  const services = buildServices(t)
  const a = addMonitor(services, httpMonitor('A', { intervalS: 300 }))
  const b = addMonitor(services, httpMonitor('B', { intervalS: 300 }))
  services.monitorRuns.record(a, upOutcome)
  services.clock.advance(400_000)
  services.monitorRuns.record(b, upOutcome)
  const lastB = services.clock.now().getTime()
  services.clock.advance(100_000)
  const s = scheduler(t, services, instantCheck().check, () => 0.5)
  s.start()
  const now = services.clock.now().getTime()
  t.equal(s.dueTimes().get(b), lastB + 300_000, 'B: 300 s after its last run')
  t.equal(s.dueTimes().get(a), now + 15_000, 'A is overdue: spread over 30 s, not its whole interval')
})

t.test('at most 10 checks in flight: 11 slow monitors, the 11th waits for a slot', async (t) => {
  const services = buildServices(t)
  for (let i = 1; i <= 11; i++) addMonitor(services, httpMonitor(`M${i}`, { intervalS: 10 }))
  const { check, pending, calls } = heldCheck()
  const s = scheduler(t, services, check, () => 0)
  s.start()
  t.equal(s.inFlight, 10)
  t.equal(pending.length, 10)
  s.tick()
  t.equal(pending.length, 10, 'a tick starts no more')
  ;(pending[0] as PendingCheck).answer(upOutcome)
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(s.inFlight, 10, 'the 11th took the free slot')
  t.equal(calls.length, 11)
  t.equal(calls.filter((name) => name === 'M1').length, 1)
  for (const held of [...pending]) held.answer(upOutcome)
  await s.settled()
  t.equal(s.inFlight, 0)
})

t.test('close aborts the checks in flight and records nothing of them', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('Slow', { intervalS: 10 }))
  const { check, pending } = heldCheck()
  const s = new MonitorScheduler({ runs: services.monitorRuns, check, clock: services.clock.now, log, random: () => 0, timers: false })
  s.start()
  t.equal(pending.length, 1)
  const signal = (pending[0] as PendingCheck).signal
  await s.close()
  t.ok(signal.aborted, 'the check was told to stop')
  t.equal(services.context.stores.monitors.recentRuns(id, 10).length, 0)
  await t.rejects(s.runNow(id), /stopping/)
  s.tick()
  t.equal(s.inFlight, 0, 'nothing starts after close')
})

t.test('run now: ahead of the queue, resolves with the recorded run; heartbeats and paused monitors are refused', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('API', { intervalS: 600 }))
  const beat = addMonitor(services, heartbeatMonitor('Job'))
  const paused = addMonitor(services, httpMonitor('Paused', { paused: true }))
  const { check, calls } = instantCheck(downOutcome)
  const s = scheduler(t, services, check, () => 0.99)
  s.start()
  t.same(calls, [], 'not due yet')
  const recorded = await s.runNow(id)
  t.match(recorded, { run: { result: 'down', error: 'connect ECONNREFUSED 127.0.0.1:9' }, monitor: { failures: 1 } })
  t.equal(s.dueTimes().get(id), services.clock.now().getTime() + 600_000, 'the next run counts from this one')
  await t.rejects(s.runNow(beat), /is a heartbeat/)
  await t.rejects(s.runNow(paused), /is paused/)
  await t.rejects(s.runNow(4242), /no monitor with id 4242/)
})

t.test('run now of a monitor being checked runs it again after', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('API', { intervalS: 10 }))
  const { check, pending, calls } = heldCheck()
  const s = scheduler(t, services, check, () => 0)
  s.start()
  const asked = s.runNow(id)
  t.equal(calls.length, 1, 'not twice at once')
  ;(pending[0] as PendingCheck).answer(upOutcome)
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(calls.length, 2)
  ;(pending[0] as PendingCheck).answer(downOutcome)
  t.match(await asked, { run: { result: 'down' } })
})

t.test('heartbeat deadlines: a down run once the period and grace pass, one per missed period; a call moves the deadline', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, heartbeatMonitor('Backup', { intervalS: 600, graceS: 60 }), 'hash')
  const { check, calls } = instantCheck()
  const s = scheduler(t, services, check)
  s.start()
  const created = services.clock.now().getTime()
  t.equal(s.dueTimes().get(id), created + 660_000)
  services.clock.advance(300_000)
  t.equal(services.monitorRuns.heartbeat('hash', true), 'recorded')
  services.clock.advance(400_000)
  s.tick()
  t.equal(services.context.stores.monitors.recentRuns(id, 10).length, 1, 'the call moved the deadline: nothing missed yet')
  t.equal(s.dueTimes().get(id), created + 300_000 + 660_000)
  services.clock.advance(260_000)
  s.tick()
  t.match(services.monitorRuns.get(id), { state: 'down', lastError: `no heartbeat since ${new Date(created + 300_000).toISOString()}` })
  s.tick()
  t.equal(services.context.stores.monitors.recentRuns(id, 10).length, 2, 'one per missed period')
  services.clock.advance(660_000)
  s.tick()
  t.equal(services.context.stores.monitors.recentRuns(id, 10).length, 3)
  t.same(calls, [], 'a heartbeat is never checked')
})

t.test('reload: a changed, paused, resumed or removed monitor is read again', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('API', { intervalS: 60 }))
  const { check, calls } = instantCheck()
  const s = scheduler(t, services, check, () => 0)
  s.start()
  await s.settled()
  t.same(calls, ['API'])
  const { monitors, db } = services.context.stores
  db.transaction(() => { monitors.setPaused(id, true, services.clock.now().toISOString()) })()
  s.reload()
  t.equal(s.dueTimes().has(id), false, 'paused: not scheduled')
  services.clock.advance(120_000)
  s.tick()
  t.same(calls, ['API'])
  db.transaction(() => { monitors.setPaused(id, false, services.clock.now().toISOString()) })()
  s.reload()
  s.tick()
  await s.settled()
  t.same(calls, ['API', 'API'], 'resumed and overdue: run at once (no jitter here)')
  db.transaction(() => { monitors.remove(id) })()
  s.reload()
  t.equal(s.dueTimes().size, 0)
})

t.test('prunes runs older than 90 days once an hour', async (t) => {
  const services = buildServices(t)
  const old = addMonitor(services, httpMonitor('Old', { intervalS: 86_400 }))
  services.monitorRuns.record(old, upOutcome)
  services.clock.advance(91 * 86_400_000)
  const s = scheduler(t, services, instantCheck().check, () => 0.99)
  s.start()
  t.equal(services.context.stores.monitors.recentRuns(old, 10).length, 0, 'pruned at start')
  // A run dated 91 days back (as if recorded then).
  services.monitorRuns.record(old, upOutcome, new Date(services.clock.now().getTime() - 91 * 86_400_000).toISOString())
  services.clock.advance(3_599_999)
  s.tick()
  t.equal(services.context.stores.monitors.recentRuns(old, 10).length, 1, 'not again within the hour')
  services.clock.advance(1)
  s.tick()
  t.equal(services.context.stores.monitors.recentRuns(old, 10).length, 0, 'an hour later')
  await s.settled()
})

t.test('a check that throws is logged, not recorded, and the monitor runs again at its interval', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, httpMonitor('Broken', { intervalS: 10 }))
  errors.length = 0
  const s = scheduler(t, services, async () => { throw new Error('bug') }, () => 0)
  s.start()
  await s.settled()
  t.equal(errors.length, 1)
  t.equal(services.context.stores.monitors.recentRuns(id, 10).length, 0)
  t.equal(s.dueTimes().get(id), services.clock.now().getTime() + 10_000)
})

t.test('close refuses the runs still waiting for a slot', async (t) => {
  const services = buildServices(t)
  for (let i = 1; i <= 10; i++) addMonitor(services, httpMonitor(`M${i}`, { intervalS: 10 }))
  const waiting = addMonitor(services, httpMonitor('Waiting', { intervalS: 600 }))
  const { check, pending } = heldCheck()
  const s = new MonitorScheduler({ runs: services.monitorRuns, check, clock: services.clock.now, log, random: () => 0, timers: false })
  s.start()
  t.equal(pending.length, 10)
  const asked = s.runNow(waiting)
  t.equal(s.inFlight, 10, 'the cap holds for run now too')
  await s.close()
  await t.rejects(asked, /the monitors are stopping/)
})

t.test('a missed heartbeat that cannot be recorded is logged and tried again a minute later', async (t) => {
  const services = buildServices(t)
  const id = addMonitor(services, heartbeatMonitor('Backup', { intervalS: 600, graceS: 60 }))
  const real = services.monitorRuns
  const runs = {
    list: () => real.list(),
    get: (monitorId: number) => real.get(monitorId),
    find: (monitorId: number) => real.find(monitorId),
    prune: () => real.prune(),
    missedHeartbeat: () => { throw new Error('database is locked') }
  } as unknown as typeof real
  errors.length = 0
  const s = new MonitorScheduler({ runs, check: instantCheck().check, clock: services.clock.now, log, timers: false })
  t.teardown(async () => { await s.close() })
  s.start()
  services.clock.advance(660_000)
  s.tick()
  t.match(errors, [{ monitorId: id }])
  t.equal(s.dueTimes().get(id), services.clock.now().getTime() + 60_000)
})

t.test('a prune that fails is logged, and the checks go on', async (t) => {
  const services = buildServices(t)
  addMonitor(services, httpMonitor('API', { intervalS: 10 }))
  const real = services.monitorRuns
  const runs = {
    list: () => real.list(),
    get: (monitorId: number) => real.get(monitorId),
    find: (monitorId: number) => real.find(monitorId),
    record: (monitorId: number, outcome: CheckOutcome, at: string) => real.record(monitorId, outcome, at),
    prune: () => { throw new Error('database is locked') }
  } as unknown as typeof real
  errors.length = 0
  const { check, calls } = instantCheck()
  const s = new MonitorScheduler({ runs, check, clock: services.clock.now, log, random: () => 0, timers: false })
  t.teardown(async () => { await s.close() })
  s.start()
  await s.settled()
  t.equal(errors.length, 1)
  t.same(calls, ['API'])
})
