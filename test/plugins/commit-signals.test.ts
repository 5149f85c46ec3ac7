// The outbox worker and the maintenance clock are woken by the services' commits whichever of their plugins registers first.
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import heraldPlugin from '../../server/plugins/herald.js'
import maintenanceClockPlugin from '../../server/plugins/maintenance-clock.js'
import socialPlugin from '../../server/plugins/social.js'
import { TestClock, tempDir, testConfig } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { FakeMastodon, mastodonEnv } from '../fixtures/fake-mastodon.js'

/** A bare Fastify app with only the herald plugin, on a new database, cross-posting to a fake Mastodon: the test registers the rest. */
async function heraldOnMastodon (t: Test, clock: () => Date): Promise<{ mastodon: FakeMastodon, app: FastifyInstance }> {
  const mastodon = await FakeMastodon.start()
  t.teardown(() => mastodon.close())
  const config = testConfig(tempDir(t), mastodonEnv(mastodon))
  const db = openDatabase(config.databasePath)
  migrate(db)
  const app: FastifyInstance = Fastify()
  await app.register(heraldPlugin, { config, db, clock })
  return { mastodon, app }
}

const orders = {
  'the outbox first': [socialPlugin, maintenanceClockPlugin],
  'the maintenance clock first': [maintenanceClockPlugin, socialPlugin]
} as const

for (const [name, plugins] of Object.entries(orders)) {
  t.test(`${name}: a committed update wakes the outbox worker and an announced maintenance wakes the clock`, async (t) => {
    const { mastodon, app } = await heraldOnMastodon(t, new TestClock('2020-02-04T02:30:00.000Z').now)
    for (const plugin of plugins) await app.register(plugin)
    // Registered before the fakes' teardown runs: teardowns run last-registered first.
    t.teardown(() => app.close())
    await app.ready()

    const worker = app.outbox
    if (worker === null) throw new Error('no outbox worker')
    // The worker also sweeps every 5 s: counting its wakes tells the signal from the sweep.
    let wakes = 0
    const wake = worker.wake.bind(worker)
    worker.wake = () => { wakes++; wake() }
    const { incidents, maintenances } = app.herald.services
    incidents.open({ name: 'Sign-in failures', body: 'Investigating.', reference: 'TM202916' }, 'cli')
    t.equal(wakes, 1, 'the worker was woken by the commit')
    await mastodon.waitForPosts(1)
    await worker.settled()

    // Announced after its planned start: the clock (re-checking by itself only each minute) starts it on the wake.
    maintenances.schedule({ name: 'Late announcement', body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z', notify: false }, 'cli')
    await eventually(() => maintenances.get('MNT000001').status === 'in_progress', 'the start by the woken clock')
    t.equal(wakes, 1, 'a maintenance announced without notify makes no delivery due')
  })
}

t.test('the outbox worker stops listening when the app closes', async (t) => {
  const { app } = await heraldOnMastodon(t, () => new Date())
  await app.register(socialPlugin)
  await app.ready()
  const worker = app.outbox
  if (worker === null) throw new Error('no outbox worker')
  let wakes = 0
  worker.wake = () => { wakes++ }
  // The signals as the services hold them: they outlive the app (a CLI writer's would go on sending).
  const signals = app.herald.services.context.signals
  signals.emit(['deliveriesDue'])
  t.equal(wakes, 1, 'subscribed while the app runs')
  await app.close()
  signals.emit(['deliveriesDue'])
  t.equal(wakes, 1, 'not after the close')
})
