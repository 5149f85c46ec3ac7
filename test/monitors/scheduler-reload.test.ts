// The scheduler notices, within a minute, monitors another process changed (herald monitors apply while Herald serves), which sends it no signal.
import t from 'tap'
import type { CheckFunction } from '../../server/monitors/scheduler.js'
import { MonitorScheduler } from '../../server/monitors/scheduler.js'
import { openDatabase } from '../../server/db/open-database.js'
import { createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { testPasswordHashing } from '../fixtures/build.js'
import { buildServices } from '../fixtures/services.js'
import { upOutcome } from './fixtures/engine.js'

t.test('a monitor another process adds is checked within a minute; one it removes is forgotten', async (t) => {
  const services = buildServices(t)
  const calls: string[] = []
  const check: CheckFunction = async (monitor) => { calls.push(monitor.name); return upOutcome }
  const log = { error: () => {}, warn: () => {} }
  const scheduler = new MonitorScheduler({ runs: services.monitorRuns, check, clock: services.clock.now, log, random: () => 0, timers: false })
  t.teardown(async () => { await scheduler.close() })
  scheduler.start()

  // The command line: its own connection to the same file, its own services and signals.
  const db = openDatabase(services.context.stores.db.name)
  t.teardown(() => db.close())
  const cli = createServices({ stores: createStores(db), clock: services.clock.now, incidentPrefix: 'HR', passwordHashing: testPasswordHashing })
  const report = cli.monitors.apply([{ name: 'Sign-in API', kind: 'http', url: 'https://login.example.com/health' }], 'cli', { prune: false, dryRun: false })
  t.same(report.created, ['Sign-in API'])

  services.clock.advance(59_000)
  scheduler.tick()
  await scheduler.settled()
  t.same(calls, [], 'no signal reached this process: not known yet')
  services.clock.advance(1_000)
  scheduler.tick()
  await scheduler.settled()
  t.same(calls, ['Sign-in API'], 'read again a minute after the last read, and checked')

  cli.monitors.apply([], 'cli', { prune: true, dryRun: false })
  services.clock.advance(60_000)
  scheduler.tick()
  await scheduler.settled()
  t.same([...scheduler.dueTimes().keys()], [], 'a monitor removed elsewhere is forgotten')
  t.same(calls, ['Sign-in API'])
})
