// The maintenance clock: a running app starts and completes maintenances by itself, retries failures calmly, stops on close.
import { join } from 'node:path'
import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import heraldPlugin from '../../server/plugins/herald.js'
import maintenanceClockPlugin from '../../server/plugins/maintenance-clock.js'
import { createConfiguredServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { automaticBodies } from '../../server/services/maintenance-service.js'
import { type TestContext, TestClock, build, tempDir, testConfig } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/** Counts the clock's runs of runDue, so a test can wait for a run instead of sleeping past it. */
function countRuns (app: FastifyInstance): { readonly count: number } {
  const { maintenances } = app.herald.services
  const runDue = maintenances.runDue.bind(maintenances)
  const runs = { count: 0 }
  maintenances.runDue = () => { runs.count++; return runDue() }
  return runs
}

function statusOf (app: FastifyInstance, reference: string): string {
  return app.herald.services.maintenances.get(reference).status
}

/** An app on a database in `dir` whose log lines (JSON) are kept. */
async function loggedApp (t: TestContext, dir: string, clock: TestClock): Promise<{ app: FastifyInstance, logs: Array<{ msg: string, level: number }> }> {
  const logs: Array<{ msg: string, level: number }> = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter((l) => l !== '')) logs.push(JSON.parse(line))
      done()
    }
  })
  const app = await buildApp({ config: testConfig(dir), clock: clock.now, logger: { level: 'info', stream } })
  t.teardown(() => app.close())
  await app.ready()
  return { app, logs }
}

t.test('a maintenance whose start has passed is started by the clock right after it is announced', async (t) => {
  const clock = new TestClock('2020-02-04T02:30:00.000Z')
  const app = await build(t, { clock })
  const { components, maintenances } = app.herald.services
  const chat = components.create({ name: 'Teams chat' }, 'cli')
  maintenances.schedule({
    name: 'Late announcement',
    body: 'We are upgrading the servers.',
    scheduledFor: '2020-02-04T02:00:00.000Z',
    scheduledUntil: '2020-02-04T04:00:00.000Z',
    components: [chat.id]
  }, 'cli')
  t.equal(statusOf(app, 'MNT000001'), 'scheduled', 'the announcement commits first; the start follows on the next turn')
  await eventually(() => statusOf(app, 'MNT000001') === 'in_progress', 'the start')
  // Announced after its planned start, it starts when announced: never before its announcement.
  t.match(maintenances.get('MNT000001'), {
    startedAt: '2020-02-04T02:30:00.000Z',
    updates: [
      { status: 'in_progress', body: automaticBodies.start, displayAt: '2020-02-04T02:30:00.000Z' },
      { status: 'scheduled', displayAt: '2020-02-04T02:30:00.000Z' }
    ]
  })
  t.equal(components.get(chat.id).status, 'under_maintenance')
})

t.test('wake performs what the clock has made due: start, then completion', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const app = await build(t, { clock })
  const { components, maintenances } = app.herald.services
  const chat = components.create({ name: 'Teams chat' }, 'cli')
  const runs = countRuns(app)
  maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z', components: [chat.id] }, 'cli')
  await eventually(() => runs.count >= 1, 'the run the announcement wakes')
  t.equal(statusOf(app, 'MNT000001'), 'scheduled', 'not before its time')

  clock.set('2020-02-04T02:00:01.000Z')
  app.maintenanceClock.wake()
  await eventually(() => statusOf(app, 'MNT000001') === 'in_progress', 'the start')
  t.equal(components.get(chat.id).status, 'under_maintenance')

  clock.set('2020-02-04T04:10:00.000Z')
  app.maintenanceClock.wake()
  await eventually(() => statusOf(app, 'MNT000001') === 'completed', 'the completion')
  t.match(maintenances.get('MNT000001'), { resolvedAt: '2020-02-04T04:00:00.000Z' })
  t.equal(components.get(chat.id).status, 'operational')
  t.same(maintenances.get('MNT000001').updates.map((u) => u.status), ['completed', 'in_progress', 'scheduled'], 'each once')
})

t.test('the timer is armed for the next planned time, without a wake', async (t) => {
  const clock = new TestClock('2020-02-04T01:59:59.900Z')
  const app = await build(t, { clock })
  const { maintenances } = app.herald.services
  const runs = countRuns(app)
  // Due 100 ms after the test clock's now: the timer fires then; the test clock has not moved, so it re-arms.
  maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z' }, 'cli')
  await eventually(() => runs.count >= 2, 'the run the announcement wakes, then the armed timer')
  t.equal(statusOf(app, 'MNT000001'), 'scheduled', 'the timer fired and found it not yet due')
  clock.set('2020-02-04T02:00:00.000Z')
  await eventually(() => statusOf(app, 'MNT000001') === 'in_progress', 'the start by the timer alone')
})

t.test('a transition that keeps failing is logged and retried later, not in a busy loop; the others go on', async (t) => {
  const clock = new TestClock('2020-02-04T03:00:00.000Z')
  const { app, logs } = await loggedApp(t, tempDir(t), clock)
  const { maintenances } = app.herald.services
  let runs = 0
  const runDue = maintenances.runDue.bind(maintenances)
  maintenances.runDue = () => { runs++; return runDue() }
  app.herald.stores.db.exec(`CREATE TEMP TRIGGER fail_start BEFORE INSERT ON updates
    WHEN NEW.status = 'in_progress' AND NEW.incident_id = (SELECT id FROM incidents WHERE reference = 'MNTA')
    BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
  maintenances.schedule({ name: 'Failing', body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z', reference: 'MNTA' }, 'cli')
  maintenances.schedule({ name: 'Fine', body: 'b', scheduledFor: '2020-02-04T02:30:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z', reference: 'MNTB' }, 'cli')
  await eventually(() => logs.some((line) => line.msg === 'scheduled maintenance transitions failed'), 'the failure in the log')
  t.equal(statusOf(app, 'MNTB'), 'in_progress', 'the other one started')
  t.equal(statusOf(app, 'MNTA'), 'scheduled')
  const runsAfterFailure = runs
  // A rate (runs per 300 ms) is what a busy loop breaks: only letting the time pass can show it.
  await sleep(300)
  t.ok(runs - runsAfterFailure <= 1, `no busy retry loop (${runs - runsAfterFailure} more runs in 300 ms)`)
  t.match(logs.find((line) => line.msg === 'scheduled maintenance transitions failed'), { level: 50, err: { message: /disk full/ } })

  app.herald.stores.db.exec('DROP TRIGGER fail_start')
  app.maintenanceClock.wake()
  await eventually(() => statusOf(app, 'MNTA') === 'in_progress', 'the retried start')
})

t.test('closing the app stops the clock', async (t) => {
  const dir = tempDir(t)
  const clock = new TestClock('2020-02-04T01:59:59.950Z')
  const { app, logs } = await loggedApp(t, dir, clock)
  // Armed to fire 50 ms from now: after the close, it must not run against the closed database.
  app.herald.services.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z' }, 'cli')
  await sleep(20)
  await app.close()
  clock.set('2020-02-04T05:00:00.000Z')
  app.maintenanceClock.wake()
  // Nothing to wait for after a close (that is the point): only passing the 50 ms timer shows it never fires.
  await sleep(200)
  t.same(logs.filter((line) => line.level >= 40), [], 'nothing ran after the close (it would fail on the closed database)')
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  t.same(db.prepare('SELECT status FROM updates ORDER BY id').pluck().all(), ['scheduled'], 'nothing was started')
})

t.test('a maintenance planned by another process, with nothing planned before, is started without a wake', async (t) => {
  const clock = new TestClock('2020-02-04T01:00:00.000Z')
  const dir = tempDir(t)
  const config = testConfig(dir)
  const db = openDatabase(config.databasePath)
  migrate(db)
  // The clock alone, with a short recheck: the app's database has nothing planned when it starts.
  const app = Fastify()
  await app.register(heraldPlugin, { config, db, clock: clock.now })
  await app.register(maintenanceClockPlugin, { recheckMs: 20 })
  t.teardown(() => app.close())
  await app.ready()

  // Another process (herald demo, the command line) on the same file: its services wake nobody here.
  const other = openDatabase(config.databasePath)
  t.teardown(() => other.close())
  const services = createConfiguredServices(config, createStores(other), clock.now)
  const chat = services.components.create({ name: 'Teams chat' }, 'cli')
  services.maintenances.schedule({
    name: 'Planned elsewhere',
    body: 'We are upgrading the servers.',
    scheduledFor: '2020-02-04T02:00:00.000Z',
    scheduledUntil: '2020-02-04T04:00:00.000Z',
    components: [chat.id]
  }, 'cli')
  clock.set('2020-02-04T02:00:00.000Z')
  await eventually(() => statusOf(app as unknown as FastifyInstance, 'MNT000001') === 'in_progress', 'the start by the clock')
  t.pass('started')
})
