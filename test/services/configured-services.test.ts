// Services built from the configuration queue deliveries by themselves, without a running server.
import { join } from 'node:path'
import t from 'tap'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { createConfiguredServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { TestClock, tempDir, testConfig } from '../fixtures/build.js'

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
