// Reads in steps: the status page's queries take turns with other work, on a second connection, and are still of one moment.
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { openDatabase, openReadConnection } from '../../server/db/open-database.js'
import { migrate } from '../../server/db/migrate.js'
import { openSoleConnection } from '../../server/db/sole-connection.js'
import { createServices } from '../../server/services/services.js'
import { SteppedReads } from '../../server/services/stepped-reads.js'
import { createSnapshotStores, createStores } from '../../server/store/stores.js'
import { type TestContext, TestClock, build, copyMigratedDatabase, tempDir, testConfig } from '../fixtures/build.js'

const window = { pastFrom: '2000-01-01T00:00:00.000Z', pastTo: '2100-01-01T00:00:00.000Z', uptimeFrom: '2000-01-01T00:00:00.000Z' }

/** The services as the server has them: the writes on one connection, the status page's read in steps on a second. */
function serverServices (t: TestContext): ReturnType<typeof createServices> {
  const db = openDatabase(copyMigratedDatabase(tempDir(t)))
  const reader = openReadConnection(db)
  if (reader === undefined) throw new Error('a file has a second connection')
  t.teardown(() => {
    reader.close()
    db.close()
  })
  const stepped = new SteppedReads(createSnapshotStores(reader))
  return createServices({ stores: createStores(db), stepped, clock: new TestClock().now, incidentPrefix: 'HR' })
}

t.test('between each query the read steps aside, and what is written then is not half seen: the read is of one moment', async (t) => {
  const s = serverServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  let steps = 0
  const facts = await s.reads.public.statusPage(window, async () => {
    steps++
    // After the first query (the components), an update is posted on the other connection, as a POST would be.
    if (steps === 1) s.incidents.open({ reference: 'TM202916', name: 'Teams outage', body: 'Investigating', impact: 'major', components: { [chat.id]: 'major_outage' } }, 'cli')
    await new Promise((resolve) => setImmediate(resolve))
  })
  t.equal(steps, 7, 'a step between each two of the eight queries')
  // Held while the read steps aside, the largest facts would outlive the collections that come meanwhile.
  t.same(Object.keys(facts).slice(-2), ['uptimeIncidents', 'changes'], 'the largest are read last, right before the view takes them')
  t.match(facts.components, [{ name: 'Teams chat', status: 'operational' }])
  t.same(facts.changes, [], 'the status change committed after the snapshot is not read')
  t.same(facts.openIncidents, [], 'nor its incident')
  t.same(facts.uptimeIncidents, [])
  const next = await s.reads.public.statusPage(window, async () => {})
  t.match(next.components, [{ status: 'major_outage' }], 'the next read sees it all')
  t.match(next.openIncidents, [{ reference: 'TM202916' }])
  t.equal(next.changes.length, 1)
})

t.test('one read holds the second connection at a time: the next starts once it has ended, with what was committed meanwhile', async (t) => {
  const s = serverServices(t)
  s.components.create({ name: 'Teams chat' }, 'cli')
  let letFirstGo!: () => void
  const gate = new Promise<void>((resolve) => { letFirstGo = resolve })
  let firstSteps = 0
  const first = s.reads.public.statusPage(window, async () => {
    if (++firstSteps === 1) await gate
  })
  let secondStarted = false
  const second = s.reads.public.statusPage(window, async () => { secondStarted = true })
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(secondStarted, false, 'the second waits while the first is between its steps')
  s.components.create({ name: 'Sign-in' }, 'cli')
  letFirstGo()
  t.equal((await first).components.length, 1, 'the first read is of its moment')
  t.equal((await second).components.length, 2, 'the second one of after the commit')
})

t.test('a query that fails ends its snapshot and lets the next read go', async (t) => {
  const s = serverServices(t)
  const { stepped } = s.context
  if (stepped === undefined) throw new Error('stepped reads')
  await t.rejects(stepped.read(() => ({
    first: () => 1,
    failing: (): number => { throw new Error('disk I/O error') }
  }), async () => {}), /disk I\/O error/)
  s.components.create({ name: 'Teams chat' }, 'cli')
  t.equal((await s.reads.public.statusPage(window, async () => {})).components.length, 1, 'the next read takes a new snapshot')
})

t.test('the second connection reads only; a database in memory has none', async (t) => {
  const db = openDatabase(copyMigratedDatabase(tempDir(t)))
  const reader = openReadConnection(db)
  t.teardown(() => {
    reader?.close()
    db.close()
  })
  t.throws(() => reader?.prepare("INSERT INTO components (name, created_at, updated_at) VALUES ('x', '', '')").run(),
    /readonly/, 'a write on it fails')
  const memory = openDatabase(':memory:')
  t.teardown(() => memory.close())
  t.equal(openReadConnection(memory), undefined)
})

t.test('without a second connection the status page is read in one turn, of one moment all the same', async (t) => {
  const db = openDatabase(copyMigratedDatabase(tempDir(t)))
  t.teardown(() => db.close())
  const s = createServices({ stores: createStores(db), clock: new TestClock().now, incidentPrefix: 'HR' })
  s.components.create({ name: 'Teams chat' }, 'cli')
  let steps = 0
  const facts = await s.reads.public.statusPage(window, async () => { steps++ })
  t.equal(steps, 0, 'no step')
  t.equal(facts.components.length, 1)
})

t.test('the server reads the status page on a second connection, and closes both when it closes', async (t) => {
  const dir = tempDir(t)
  const app = await build(t, { dir })
  t.ok(app.herald.services.context.stepped, 'its reads in steps are on')
  const page = await app.inject({ method: 'GET', url: '/' })
  t.equal(page.statusCode, 200)
  t.throws(() => openSoleConnection(`${dir}/herald.db`, 50), /in use|busy|locked/i, 'while it runs, its connections hold the file')
  await app.close()
  const sole = openSoleConnection(`${dir}/herald.db`, 50)
  sole.close()
  t.pass('closed, neither connection holds it')
})

t.test('a server on a database in memory has no second connection: it reads the status page in one turn', async (t) => {
  const db = openDatabase(':memory:')
  migrate(db)
  const app = await buildApp({ config: testConfig(tempDir(t)), db, background: false })
  t.teardown(() => app.close())
  t.equal(app.herald.services.context.stepped, undefined)
  t.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 200)
  await app.close()
  t.equal(db.open, false, 'closed with the server')
})
