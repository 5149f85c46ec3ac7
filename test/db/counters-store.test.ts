// CountersStore.recent: the content version without a read per request, never stale for this process's writes.
import { join } from 'node:path'
import t from 'tap'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { CountersStore } from '../../server/store/counters-store.js'
import { tempDir } from '../fixtures/build.js'

t.test('recent keeps a value for its age, forgets it on a bump here, and sees another connection after the age', async (t) => {
  const path = join(tempDir(t), 'herald.db')
  const db = openDatabase(path)
  migrate(db)
  const other = openDatabase(path)
  t.teardown(() => { db.close(); other.close() })
  const counters = new CountersStore(db)
  const elsewhere = new CountersStore(other)

  const start = counters.recent('content_version', 60_000)
  t.equal(counters.bump('content_version'), start + 1)
  t.equal(counters.recent('content_version', 60_000), start + 1, 'this process’s bump is seen at once')

  elsewhere.bump('content_version')
  t.equal(counters.recent('content_version', 60_000), start + 1, 'another connection’s bump waits out the age')
  t.equal(counters.get('content_version'), start + 2, 'get always reads')
  await new Promise((resolve) => setTimeout(resolve, 5))
  t.equal(counters.recent('content_version', 1), start + 2, 'and is seen once the kept value is older than the age')

  // A value read inside a transaction that rolls back must never be kept.
  t.throws(() => db.transaction(() => {
    counters.bump('content_version')
    t.equal(counters.recent('content_version', 60_000), start + 3, 'inside the transaction, its own bump')
    throw new Error('rolled back')
  })())
  t.equal(counters.recent('content_version', 60_000), start + 2, 'after the rollback, the committed value')
})
