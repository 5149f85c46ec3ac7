// Services built from the configuration queue deliveries by themselves, without a running server.
import { join } from 'node:path'
import t from 'tap'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { createConfiguredServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { loadConfig } from '../../server/config.js'
import { TestClock, tempDir, testConfig, testEnvironment, testPasswordHashing } from '../fixtures/build.js'

const mastodon = { MASTODON_URL: 'http://127.0.0.1:9/', MASTODON_TOKEN: 'not-used' }

t.test('an update written outside the server still queues one delivery per channel that is on', async (t) => {
  const dir = tempDir(t)
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  migrate(db)
  const stores = createStores(db)
  const services = createConfiguredServices(testConfig(dir, mastodon), stores, new TestClock().now)
  t.same(services.deliveries.channels(), ['mastodon'])
  services.incidents.open({ name: 'Sign-in failures', body: 'Investigating', reference: 'TM202916' }, 'cli')
  const deliveries = [...services.deliveries.forIncident('TM202916').values()].flat()
  t.match(deliveries, [{ channel: 'mastodon', state: 'pending' }])

  const quiet = createConfiguredServices(testConfig(tempDir(t)), stores, new TestClock().now)
  t.same(quiet.deliveries.channels(), [], 'no channel configured, none on')
})

t.test('a configured Herald hashes new passwords at the floor; a stored hash is verified at its own cost', async (t) => {
  const dir = tempDir(t)
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  migrate(db)
  const stores = createStores(db)
  const configured = createConfiguredServices(loadConfig(testEnvironment(dir)), stores, new TestClock().now)
  await configured.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const alice = stores.users.byName('alice')
  t.match(stores.users.passwordHash(alice?.id ?? 0), /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/, 'the production cost')

  // The tests' cheaper cost changes only what is hashed from now on: alice still signs in, bob is hashed cheaply.
  const cheap = createConfiguredServices(testConfig(dir), stores, new TestClock().now)
  t.match(await cheap.users.authenticate('alice', 'wonderland-password-1'), { name: 'alice' })
  t.equal(await cheap.users.authenticate('alice', 'wonderland-password-2'), undefined)
  await cheap.users.create('bob', 'builder-password-1', 'editor', 'cli')
  t.match(stores.users.passwordHash(stores.users.byName('bob')?.id ?? 0), new RegExp(`^scrypt\\$${testPasswordHashing.N}\\$8\\$1\\$`))
  t.match(await configured.users.authenticate('bob', 'builder-password-1'), { name: 'bob' }, 'verified at the cost it was stored with')
  t.equal(await configured.users.authenticate('carol', 'builder-password-1'), undefined, 'an unknown name is refused')
})

t.test('references come from INCIDENT_PREFIX and MAINTENANCE_PREFIX, each with its own sequence', async (t) => {
  const dir = tempDir(t)
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  migrate(db)
  const services = createConfiguredServices(testConfig(dir, { INCIDENT_PREFIX: 'tm', MAINTENANCE_PREFIX: 'chg' }), createStores(db), new TestClock('2020-02-03T13:00:00.000Z').now)
  const window = { body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T03:00:00.000Z' }
  t.equal(services.maintenances.nextReference(), 'CHG000001')
  t.equal(services.maintenances.schedule({ name: 'Upgrade', ...window }, 'cli').reference, 'CHG000001')
  t.equal(services.incidents.open({ name: 'Outage', body: 'b' }, 'cli').reference, 'TM000001')
  t.equal(services.maintenances.schedule({ name: 'Another', ...window }, 'cli').reference, 'CHG000002')
  const fallback = createConfiguredServices(testConfig(tempDir(t)), createStores(db), new TestClock('2020-02-03T13:00:00.000Z').now)
  t.equal(fallback.maintenances.nextReference(), 'MNT000003', 'MNT by default, on the same sequence')
})
