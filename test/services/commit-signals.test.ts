// The commit signals: listeners subscribed before or after the services were built hear each commit once, after it, never a rollback.
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { CommitSignals } from '../../server/services/commit-signals.js'
import { signalAfterCommit, write } from '../../server/services/context.js'
import { type Services, createConfiguredServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { type TestContext, TestClock, copyMigratedDatabase, tempDir, testConfig } from '../fixtures/build.js'

const mastodon = { MASTODON_URL: 'http://127.0.0.1:9/', MASTODON_TOKEN: 'not-used' }

/** Services with Mastodon on, over a migrated database, sending their signals to `signals`. */
function servicesWith (t: TestContext, signals: CommitSignals): Services {
  const dir = tempDir(t)
  const db = openDatabase(copyMigratedDatabase(dir))
  t.teardown(() => db.close())
  return createConfiguredServices(testConfig(dir, mastodon), createStores(db), new TestClock().now, signals)
}

/** What a listener saw each time it ran: whether a transaction was still open, and the deliveries stored by then. */
function recorder (services: Services): { calls: Array<{ inTransaction: boolean, deliveries: number }>, listener: () => void } {
  const { db } = services.context.stores
  const calls: Array<{ inTransaction: boolean, deliveries: number }> = []
  const listener = (): void => {
    calls.push({ inTransaction: db.inTransaction, deliveries: db.prepare('SELECT COUNT(*) FROM deliveries').pluck().get() as number })
  }
  return { calls, listener }
}

t.test('a listener subscribed before the services were built, or after their first write, hears every later commit, after it', async (t) => {
  const signals = new CommitSignals()
  const early = { calls: 0 }
  signals.subscribe('deliveriesDue', () => { early.calls++ })
  const services = servicesWith(t, signals)
  services.incidents.open({ name: 'Sign-in failures', body: 'Investigating.', reference: 'TM202916' }, 'cli')
  t.equal(early.calls, 1, 'the listener that came first heard the first update')

  const late = recorder(services)
  signals.subscribe('deliveriesDue', late.listener)
  services.incidents.postUpdate('TM202916', { status: 'identified', body: 'An expired certificate.' }, 'cli')
  t.equal(early.calls, 2)
  t.same(late.calls, [{ inTransaction: false, deliveries: 2 }], 'the one that came later heard the second, once it had committed')
})

t.test('each signal reaches only its own listeners, once per commit however often the write asks', async (t) => {
  const signals = new CommitSignals()
  const services = servicesWith(t, signals)
  const heard: string[] = []
  signals.subscribe('deliveriesDue', () => { heard.push('deliveriesDue') })
  signals.subscribe('maintenanceScheduleChanged', () => { heard.push('maintenanceScheduleChanged') })

  services.incidents.open({ name: 'Quiet', body: 'Investigating.', notify: false }, 'cli')
  t.same(heard, [], 'an update posted without notify makes nothing due')
  services.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z', notify: false }, 'cli')
  t.same(heard, ['maintenanceScheduleChanged'])

  heard.length = 0
  write(services.context, () => {
    signalAfterCommit(services.context, 'deliveriesDue')
    write(services.context, () => { signalAfterCommit(services.context, 'deliveriesDue') })
    t.same(heard, [], 'a write inside a write signals with the outer commit')
    signalAfterCommit(services.context, 'deliveriesDue')
  })
  t.same(heard, ['deliveriesDue'], 'once')
  t.throws(() => { signalAfterCommit(services.context, 'deliveriesDue') }, /outside a write/)
})

t.test('a write that rolls back signals nothing', async (t) => {
  const signals = new CommitSignals()
  const services = servicesWith(t, signals)
  const { calls, listener } = recorder(services)
  signals.subscribe('deliveriesDue', listener)
  signals.subscribe('maintenanceScheduleChanged', listener)
  // The audit entry is written after the update and its deliveries: the failure comes once the signal was asked for.
  services.context.stores.db.exec("CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END")
  t.throws(() => services.incidents.open({ name: 'Sign-in failures', body: 'Investigating.' }, 'cli'), /disk full/)
  t.throws(() => services.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z' }, 'cli'), /disk full/)
  t.throws(() => write(services.context, () => {
    signalAfterCommit(services.context, 'deliveriesDue')
    throw new Error('refused')
  }), /refused/)
  t.same(calls, [], 'no listener ran')

  services.context.stores.db.exec('DROP TRIGGER fail_audit')
  services.incidents.open({ name: 'Sign-in failures', body: 'Investigating.' }, 'cli')
  t.same(calls, [{ inTransaction: false, deliveries: 1 }], 'the next write that commits is heard, and only its delivery exists')
})

t.test('an unsubscribed listener hears nothing more; one that throws keeps no other from running', async (t) => {
  const signals = new CommitSignals()
  const services = servicesWith(t, signals)
  const heard: string[] = []
  const unsubscribe = signals.subscribe('deliveriesDue', () => { heard.push('gone') })
  signals.subscribe('deliveriesDue', () => { throw new Error('listener failed') })
  signals.subscribe('deliveriesDue', () => { heard.push('after the failing one') })
  unsubscribe()
  t.throws(() => services.incidents.open({ name: 'Sign-in failures', body: 'Investigating.', reference: 'TM202916' }, 'cli'), /listener failed/,
    'the listener\'s error reaches the writer')
  t.same(heard, ['after the failing one'])
  t.equal(services.incidents.get('TM202916').updates.length, 1, 'the write committed before its listeners ran')
})
