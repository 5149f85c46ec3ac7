// The server checkpoints the WAL while its event loop is idle, not inside a write; SQLite's own checkpoint is only a bound.
import { statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { migrate } from '../../server/db/migrate.js'
import { type Db, openDatabase } from '../../server/db/open-database.js'
import { busyCheckpointPages } from '../../server/db/wal-checkpoint.js'
import heraldPlugin from '../../server/plugins/herald.js'
import walCheckpointsPlugin, { type WalCheckpointsOptions } from '../../server/plugins/wal-checkpoints.js'
import { buildApp } from '../../server/app.js'
import { TestClock, build, copyMigratedDatabase, tempDir, testConfig } from '../fixtures/build.js'

const everyMs = 10

interface Checkpointed {
  app: FastifyInstance
  db: Db
  /** The WAL file's size in bytes: it grows only when a write goes past its largest size so far. */
  walBytes: () => number
  errors: string[]
}

async function heraldWithCheckpoints (t: Test, options: WalCheckpointsOptions): Promise<Checkpointed> {
  const config = testConfig(tempDir(t))
  const db = openDatabase(config.databasePath)
  migrate(db)
  const errors: string[] = []
  const stream = { write: (line: string) => { if (JSON.parse(line).level >= 50) errors.push(line) } }
  const app: FastifyInstance = Fastify({ logger: { level: 'error', stream } })
  await app.register(heraldPlugin, { config, db, clock: new TestClock().now })
  await app.register(walCheckpointsPlugin, { everyMs, ...options })
  t.teardown(() => app.close())
  await app.ready()
  return { app, db, walBytes: () => statSync(`${config.databasePath}-wal`).size, errors }
}

const pageBytes = 4096

/**
 * 150 incidents opened, ten at a time with a pause between: some 2,000 WAL pages. Gives the WAL's size in pages
 * after the first 50 and after all: the first writes run code not compiled yet, slowly, and on a busy machine the
 * loop may be busy through the looks of those first pauses.
 */
async function openIncidents (app: FastifyInstance, walBytes: () => number): Promise<{ early: number, end: number }> {
  let early = 0
  for (let n = 0; n < 150; n++) {
    app.herald.services.incidents.open({ name: `Teams outage ${n}`, body: 'We are investigating.' }, 'cli')
    if (n % 10 === 9) await sleep(everyMs * 3)
    if (n === 49) early = walBytes() / pageBytes
  }
  return { early, end: walBytes() / pageBytes }
}

t.test('while the event loop is idle, the WAL goes back into the database file: the file is reused from its start and stays small', async (t) => {
  const { app, db, walBytes, errors } = await heraldWithCheckpoints(t, {})
  t.equal(db.pragma('wal_autocheckpoint', { simple: true }), busyCheckpointPages, 'SQLite\'s own checkpoint only past the bound')
  const wal = await openIncidents(app, walBytes)
  t.ok(wal.end - wal.early < 300, `the last 100 writes (some 1,300 pages) grew the WAL by under 300 pages (${wal.early} -> ${wal.end})`)
  t.same(errors, [])
})

t.test('while the event loop is busy, it is left for later: the WAL grows, up to SQLite\'s bound', async (t) => {
  let looks = 0
  const { app, walBytes } = await heraldWithCheckpoints(t, { utilization: () => { looks++; return 0.9 } })
  const wal = await openIncidents(app, walBytes)
  t.ok(looks > 10, 'the loop was looked at')
  t.ok(wal.end - wal.early > 1000, `the last 100 writes grew the WAL by over 1,000 pages (${wal.early} -> ${wal.end})`)
  t.ok(wal.end < busyCheckpointPages + 100, 'and not past the bound')
})

t.test('a checkpoint that fails is logged, and the next idle moment checkpoints', async (t) => {
  const { app, db, walBytes, errors } = await heraldWithCheckpoints(t, { utilization: () => 0 })
  const pragma = db.pragma.bind(db)
  let failures = 0
  db.pragma = ((source: string, options?: Parameters<Db['pragma']>[1]) => {
    if (source.startsWith('wal_checkpoint') && failures < 3) {
      failures++
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })
    }
    return pragma(source, options)
  }) as Db['pragma']
  const wal = await openIncidents(app, walBytes)
  t.equal(failures, 3)
  t.equal(errors.length, 3)
  t.match(JSON.parse(errors[0] as string), { msg: 'WAL checkpoint failed', module: 'wal', err: { message: 'disk I/O error' } })
  t.ok(wal.end - wal.early < 300, `then it went on checkpointing (${wal.early} -> ${wal.end})`)
})

t.test('closing stops the checkpoints before the database closes', async (t) => {
  let looks = 0
  const { app, errors } = await heraldWithCheckpoints(t, { utilization: () => { looks++; return 0 } })
  await sleep(everyMs * 3)
  await app.close()
  const before = looks
  await sleep(everyMs * 5)
  t.equal(looks, before, 'no look after the close')
  t.same(errors, [], 'nothing checkpointed a closed database')
})

t.test('the server checkpoints so; a command that only reads the site (no background work) leaves SQLite\'s default', async (t) => {
  const served = await build(t)
  t.equal(served.herald.stores.db.pragma('wal_autocheckpoint', { simple: true }), busyCheckpointPages)
  const dir = tempDir(t)
  copyMigratedDatabase(dir)
  const reading = await buildApp({ config: testConfig(dir), background: false })
  t.teardown(() => reading.close())
  t.equal(reading.herald.stores.db.pragma('wal_autocheckpoint', { simple: true }), 1000)
})
