// Migrations: from empty, re-run, a failing one that leaves the database as it was, and a database from a newer Herald refused.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DatabaseFileError } from '../../server/db/database-error.js'
import { MigrationError, migrate, readMigrations } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { tempDir } from '../fixtures/build.js'

t.test('applies every migration to an empty database, then nothing on a re-run', async (t) => {
  const dir = tempDir(t)
  const db = openDatabase(join(dir, 'a.db'))
  t.teardown(() => db.close())
  const files = readMigrations().map((m) => m.file)
  t.same(migrate(db), files)
  t.same(migrate(db), [], 'nothing runs twice')
  t.equal(db.pragma('user_version', { simple: true }), readMigrations().at(-1)?.version)
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all()
  for (const table of ['api_tokens', 'audit_log', 'component_groups', 'component_status_changes', 'components', 'counters', 'deliveries', 'incident_components', 'incidents', 'sessions', 'settings', 'updates', 'users']) {
    t.ok(tables.includes(table), `table ${table}`)
  }
  const strict = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE '%STRICT%'").pluck().all()
  t.same(strict, [], 'every table is STRICT')
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.pragma('foreign_keys', { simple: true }), 1)
})

t.test('a failing migration names its file and leaves the database as it was', async (t) => {
  const dir = tempDir(t)
  const migrations = join(dir, 'migrations')
  mkdirSync(migrations)
  writeFileSync(join(migrations, '001-first.sql'), 'CREATE TABLE a (x INTEGER) STRICT;')
  writeFileSync(join(migrations, '002-broken.sql'), 'CREATE TABLE b (y INTEGER) STRICT;\nINSERT INTO nowhere VALUES (1);')
  const db = openDatabase(join(dir, 'b.db'))
  t.teardown(() => db.close())
  const error = t.throws(() => migrate(db, readMigrations(migrations))) as unknown
  t.type(error, MigrationError)
  t.match((error as Error).message, /002-broken\.sql.*no such table: nowhere/)
  t.equal(db.pragma('user_version', { simple: true }), 1, 'the first migration stays applied')
  t.same(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all(), ['a'], 'table b was rolled back')
  writeFileSync(join(migrations, '002-broken.sql'), 'CREATE TABLE b (y INTEGER) STRICT;')
  t.same(migrate(db, readMigrations(migrations)), ['002-broken.sql'], 'the fixed file applies on the next run')
})

t.test('refuses badly named or duplicate migration files', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'first.sql'), '')
  t.throws(() => readMigrations(dir), /must look like 001-name\.sql/)
  const dup = join(dir, 'dup')
  mkdirSync(dup)
  writeFileSync(join(dup, '001-a.sql'), '')
  writeFileSync(join(dup, '01-b.sql'), '')
  t.throws(() => readMigrations(dup), /two migrations share version 1/)
})

t.test('refuses a database that a newer Herald has migrated, naming the file and both versions', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'c.db')
  const db = openDatabase(path)
  t.teardown(() => db.close())
  const newest = readMigrations().at(-1)?.version as number
  db.pragma(`user_version = ${newest + 93}`)
  const error = t.throws(() => migrate(db)) as unknown
  t.type(error, DatabaseFileError)
  t.match(error, { path, problem: 'newer' })
  t.equal((error as Error).message, `the database at ${path} has schema version ${newest + 93}, newer than this Herald knows ` +
    `(${newest}): upgrade Herald, or restore a backup made by this version`)
  t.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get(), 0, 'nothing was applied')
})
