// State across a restart: the counters and the state persist, so a second Herald on the same file neither alerts again nor forgets, and its scheduler continues from the last run.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { downOutcome, upOutcome } from './fixtures/engine.js'

t.test('close, build again on the same file: no second event, no second incident, the failures go on counting', async (t) => {
  const dir = t.testdir()
  const clock = new TestClock()
  const check = async (): Promise<typeof downOutcome> => downOutcome
  const options = { dir, clock, env: { MONITORS_WORKER: 'on' }, monitors: { check, timers: false } }
  const first = await build(t, options)
  const { services } = first.herald
  const componentId = services.components.create({ name: 'Sign-in' }, 'user:alice').id
  const id = services.monitors.create({
    name: 'Sign-in API', kind: 'http', url: 'https://login.example.com/health', component: 'Sign-in', incident_mode: 'publish', interval_seconds: 60
  }, 'user:alice').monitor.id
  for (let i = 0; i < 3; i++) {
    clock.advance(60_000)
    services.monitorRuns.record(id, downOutcome)
  }
  const lastRun = clock.now().getTime()
  t.match(services.monitorRuns.get(id), { state: 'down', failures: 3 })
  t.equal(services.incidents.get('HR000001').status, 'investigating')
  await first.close()

  clock.advance(20_000)
  const second = await build(t, options)
  const again = second.herald.services
  t.match(again.monitorRuns.get(id), { state: 'down', failures: 3, incidentId: 1 }, 'the state and counters were kept')
  const scheduler = second.monitors.scheduler
  if (scheduler === null) throw new Error('the scheduler runs in the background')
  t.equal(scheduler.dueTimes().get(id), lastRun + 60_000, 'the scheduler continues from the last run, not from the start')
  clock.advance(40_000)
  scheduler.tick()
  await scheduler.settled()
  t.match(again.monitorRuns.get(id), { state: 'down', failures: 4 })
  t.match(second.herald.stores.monitors.events(id, 10), [{ oldState: 'pending', newState: 'down' }], 'one event, before the restart: none after')
  t.equal(again.incidents.find('HR000002'), undefined, 'no second incident: no re-alert')
  t.equal(again.components.get(componentId).status, 'major_outage')

  again.monitorRuns.record(id, upOutcome)
  clock.advance(60_000)
  again.monitorRuns.record(id, upOutcome)
  t.equal(again.monitorRuns.get(id).state, 'up')
  t.equal(again.incidents.get('HR000001').status, 'resolved', 'the incident opened before the restart is resolved after it')
})
