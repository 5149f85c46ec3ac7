// `herald restore <file>`: checks the backup, refuses while a server holds the database, keeps the one it replaces, migrates; one line for every refusal.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { backupCommand } from '../../server/cli/backup.js'
import { restoreCommand } from '../../server/cli/restore.js'
import { loadConfig } from '../../server/config.js'
import { migrate, readMigrations } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { createConfiguredServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { herald, heraldEnv, serve } from './fixtures/herald-process.js'

const newest = readMigrations().at(-1)?.version as number
const print = (): void => {}
const now = new Date('2026-12-01T03:15:00.000Z')

/** Opens an incident named `name` in the database of `env`. */
function openIncident (env: NodeJS.ProcessEnv, name: string): void {
  const config = loadConfig(env)
  const db = openDatabase(config.databasePath)
  migrate(db)
  createConfiguredServices(config, createStores(db), () => new Date()).incidents.open({ name, body: 'We are investigating.', components: {} }, 'cli')
  db.close()
}

// Not read-only: a read-only connection to a WAL database leaves its -wal and -shm behind when it closes.
function incidentNames (path: string): string[] {
  const db = new Database(path, { fileMustExist: true })
  try {
    return db.prepare('SELECT name FROM incidents ORDER BY id').pluck().all() as string[]
  } finally {
    db.close()
  }
}

/** A database with one incident, and a backup of it at `backup`. */
async function withBackup (t: Test): Promise<{ dir: string, env: NodeJS.ProcessEnv, live: string, backup: string }> {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  openIncident(env, 'Certificate expired')
  const backup = join(dir, 'backup.db')
  await backupCommand([backup], env, print)
  return { dir, env, live: env.DATABASE_PATH as string, backup }
}

t.test('a round trip: what was written after the backup is gone from the database and kept in the replaced file', async (t) => {
  const { dir, env, live, backup } = await withBackup(t)
  openIncident(env, 'Written after the backup')
  const lines: string[] = []
  await restoreCommand([backup], env, (line) => lines.push(line), now)
  const kept = `${live}.replaced-20261201T031500Z`
  t.same(lines, [`restored ${backup} into ${live} (schema version ${newest}); the replaced database is kept at ${kept}`])
  t.same(incidentNames(live), ['Certificate expired'], 'the database is the backup')
  t.same(incidentNames(kept), ['Certificate expired', 'Written after the backup'], 'the replaced one, whole')
  t.equal(statSync(kept).mode & 0o777, 0o600, 'the kept one is as private as the database')
  t.same(readdirSync(dir).sort(), ['backup.db', 'herald.db', 'herald.db.replaced-20261201T031500Z'], 'no -wal, -shm or -journal left behind')
  t.same(incidentNames(backup), ['Certificate expired'], 'the backup is left as it was')

  const db = openDatabase(live)
  t.teardown(() => db.close())
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok')
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal', 'Herald opens it in WAL mode again')
  createConfiguredServices(loadConfig(env), createStores(db), () => new Date()).incidents.open({ name: 'After the restore', body: 'Writes work.', components: {} }, 'cli')
  t.equal(db.prepare('SELECT count(*) FROM incidents').pluck().get(), 2)
})

t.test('an older backup is migrated to this version', async (t) => {
  const { dir, env, live } = await withBackup(t)
  // Made by the Herald before this one: every migration but the newest.
  const backup = join(dir, 'older.db')
  const old = new Database(backup)
  migrate(old, readMigrations().slice(0, -1))
  old.close()
  const lines: string[] = []
  await restoreCommand([backup], env, (line) => lines.push(line), now)
  t.match(lines, [`restored ${backup} into ${live} (schema version ${newest - 1}, migrated to ${newest}); `])
  const db = new Database(live, { readonly: true })
  t.teardown(() => db.close())
  t.equal(db.pragma('user_version', { simple: true }), newest)
})

t.test('onto a machine with no database yet: the file is made private, nothing is kept', async (t) => {
  const { dir, live, backup } = await withBackup(t)
  const fresh = heraldEnv(dir, { DATABASE_PATH: join(dir, 'new', 'herald.db') })
  mkdirSync(join(dir, 'new'))
  const lines: string[] = []
  await restoreCommand([backup], fresh, (line) => lines.push(line), now)
  t.same(lines, [`restored ${backup} into ${join(dir, 'new', 'herald.db')} (schema version ${newest})`])
  t.same(incidentNames(join(dir, 'new', 'herald.db')), ['Certificate expired'])
  t.equal(statSync(join(dir, 'new', 'herald.db')).mode & 0o777, 0o600)
  t.ok(existsSync(live))
})

t.test('over a database file that SQLite cannot read: it is moved aside as it is', async (t) => {
  const { env, live, backup } = await withBackup(t)
  writeFileSync(live, 'not a database at all, but a long enough line of text to fill a header of one hundred bytes...')
  await restoreCommand([backup], env, print, now)
  t.same(incidentNames(live), ['Certificate expired'])
  t.match(readFileSync(`${live}.replaced-20261201T031500Z`, 'utf8'), /^not a database at all/)
})

t.test('a backup that cannot be restored is refused in one line, and the database is left as it was', async (t) => {
  const { dir, env, live, backup } = await withBackup(t)
  openIncident(env, 'Written after the backup')
  const before = readdirSync(dir).sort()

  const text = join(dir, 'notes.txt')
  writeFileSync(text, 'These are not the rows you are looking for. '.repeat(10))
  const other = join(dir, 'other.db')
  const otherDb = new Database(other)
  otherDb.exec('CREATE TABLE recipes (name TEXT)')
  otherDb.close()
  const empty = join(dir, 'empty.db')
  writeFileSync(empty, '')
  // Pages of the incidents table overwritten in the middle: the header reads, the rows do not.
  const damaged = join(dir, 'damaged.db')
  const bytes = readFileSync(backup)
  const pageSize = bytes.readUInt16BE(16)
  for (let page = 2; page * pageSize < bytes.length; page++) bytes.fill(0x5a, (page - 1) * pageSize + 8, page * pageSize)
  writeFileSync(damaged, bytes)
  const newer = join(dir, 'newer.db')
  writeFileSync(newer, readFileSync(backup))
  const newerDb = new Database(newer)
  newerDb.pragma(`user_version = ${newest + 1}`)
  newerDb.close()

  const cases: Array<[string, string[], RegExp | string]> = [
    ['a text file', [text], `cannot restore ${text}: it is not a SQLite database; nothing was changed`],
    ['another program\'s database', [other], `cannot restore ${other}: it is not a Herald database (it has no components table); nothing was changed`],
    ['an empty file', [empty], `cannot restore ${empty}: it is not a Herald database (it has no components table); nothing was changed`],
    ['a damaged file', [damaged], new RegExp(`^cannot restore ${damaged}: it is damaged \\(.+\\); nothing was changed$`)],
    ['a file from a newer Herald', [newer], `the database at ${newer} has schema version ${newest + 1}, newer than this Herald knows (${newest}): upgrade Herald, or restore a backup made by this version`],
    ['a file that is not there', [join(dir, 'missing.db')], `there is no file at ${join(dir, 'missing.db')} to restore`],
    ['the database itself', [live], `${live} is the database itself: name a backup`],
    ['no file named', [], 'restore: name the one backup file to restore, as in herald restore /var/backups/herald.db']
  ]
  for (const [what, args, message] of cases) {
    await t.rejects(restoreCommand(args, env, print, now), { message }, what)
  }
  t.same(incidentNames(live), ['Certificate expired', 'Written after the backup'], 'the database is untouched')
  t.same(readdirSync(dir).sort(), [...before, 'damaged.db', 'empty.db', 'newer.db', 'notes.txt', 'other.db'].sort(), 'nothing was set aside')

  // As the command line shows it: one line, no stack.
  const result = await herald(['restore', damaged], env)
  t.equal(result.code, 1)
  t.match(result.stderr, new RegExp(`^herald: cannot restore ${damaged}: it is damaged \\(.+\\); nothing was changed\\n$`))
})

t.test('refused while a server holds the database; possible once it is gone, even killed with kill -9', async (t) => {
  const { env, live, backup } = await withBackup(t)
  openIncident(env, 'Written after the backup')
  const server = await serve(t, env)
  t.equal((await fetch(`${server.url}/readyz`)).status, 200)

  const refused = await herald(['restore', backup], env)
  t.equal(refused.code, 1)
  t.equal(refused.stderr, `herald: the database at ${live} is in use by another process (a running herald serve, or another herald command): ` +
    'stop it first, then restore; nothing was changed\n')
  t.equal((await fetch(`${server.url}/readyz`)).status, 200, 'the server still serves')
  t.match(await (await fetch(`${server.url}/history`)).text(), 'Written after the backup', 'from the database as it was')

  // Killed without a chance to close: its -wal and -shm stay, and no lock does.
  server.child.kill('SIGKILL')
  await server.exited
  t.ok(existsSync(`${live}-wal`), 'the dead server left its WAL')
  const restored = await herald(['restore', backup], env)
  t.equal(restored.code, 0, restored.stderr)
  t.same(incidentNames(live), ['Certificate expired'])
  const kept = restored.stdout.replace(/^.*kept at (.*)\n$/s, '$1')
  t.same(incidentNames(kept), ['Certificate expired', 'Written after the backup'], 'the replaced database holds what was in its WAL')
  t.notOk(existsSync(`${live}-wal`) && statSync(`${live}-wal`).size > 0, 'no stale WAL left to replay into the restored file')
})
