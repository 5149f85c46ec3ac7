// `herald backup <file>`: a consistent, checked, private copy taken while the server writes; never over a file unless --force.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { backupCommand } from '../../server/cli/backup.js'
import { loadConfig } from '../../server/config.js'
import { migrate, readMigrations } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { createConfiguredServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { eventually } from '../fixtures/eventually.js'
import { herald, heraldEnv, serve } from './fixtures/herald-process.js'

const newest = readMigrations().at(-1)?.version as number

/** A database of some megabytes: one incident with `count` updates of about 4 KB each. */
function grownDatabase (env: NodeJS.ProcessEnv, count: number): { reference: string } {
  const config = loadConfig(env)
  const db = openDatabase(config.databasePath)
  migrate(db)
  const services = createConfiguredServices(config, createStores(db), () => new Date())
  const incident = services.incidents.open({ name: 'Users may be unable to access Microsoft Teams', body: 'We are investigating.', components: {} }, 'cli')
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      services.incidents.postUpdate(incident.reference, { status: 'identified', body: `History ${i}: ${'the certificate expired. '.repeat(160)}` }, 'cli')
    }
  })()
  db.close()
  return { reference: incident.reference }
}

t.test('while the server takes a stream of updates, the copy passes integrity_check and holds every update acknowledged before it began', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const { reference } = grownDatabase(env, 400)
  const token = (await herald(['token', 'create', 'ci'], env)).stdout.trim()
  const server = await serve(t, env)

  const acknowledged: string[] = []
  const stopWriting = new AbortController()
  const writer = (async () => {
    for (let i = 0; !stopWriting.signal.aborted; i++) {
      const body = `Concurrent ${i}: the updated certificate is being deployed.`
      const response = await fetch(`${server.url}/api/v1/incidents/${reference}/updates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'identified', body })
      })
      // Read whole: a response left unread holds its connection busy, and the server's shutdown with it.
      const text = await response.text()
      if (response.status !== 201) throw new Error(`update ${i}: ${response.status} ${text}`)
      acknowledged.push(body)
    }
  })()
  // Some updates in before the backup starts, and more while it runs.
  await eventually(() => acknowledged.length >= 20, 'twenty updates acknowledged', 60_000)
  const before = [...acknowledged]
  const target = join(dir, 'backups', 'herald-copy.db')
  mkdirSync(join(dir, 'backups'))
  const result = await herald(['backup', target], env)
  const duringBackup = acknowledged.length - before.length
  stopWriting.abort()
  await writer

  t.equal(result.code, 0, result.stderr)
  t.equal(result.stderr, '')
  t.match(result.stdout, new RegExp(`^backed up ${env.DATABASE_PATH as string} to ${target}: \\d+(\\.\\d)? (KiB|MiB), schema version ${newest}\\n$`), 'one line: the path, the size and the schema version')
  t.ok(duringBackup > 0, `${duringBackup} updates were acknowledged while the backup ran`)
  t.equal(statSync(target).mode & 0o777, 0o600, 'private to its owner')
  t.same(readdirSync(join(dir, 'backups')), ['herald-copy.db'], 'no temporary file or -wal/-shm beside it')

  const copy = new Database(target, { readonly: true, fileMustExist: true })
  t.teardown(() => copy.close())
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
  t.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'one file that stands alone')
  const bodies = new Set(copy.prepare("SELECT body FROM updates WHERE body LIKE 'Concurrent %'").pluck().all() as string[])
  t.same(before.filter((body) => !bodies.has(body)), [], 'every update acknowledged before the backup began is in the copy')
  t.equal(copy.prepare("SELECT count(*) FROM updates WHERE body LIKE 'History %'").pluck().get(), 400, 'and all the history')
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('an existing file is not overwritten unless --force; then it is replaced whole', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  grownDatabase(env, 3)
  const target = join(dir, 'herald-copy.db')
  writeFileSync(target, 'yesterday\'s backup')
  const lines: string[] = []
  await t.rejects(backupCommand([target], env, (line) => lines.push(line)),
    { message: `${target} already exists: name a new file, or add --force to replace it` })
  t.equal(readFileSync(target, 'utf8'), 'yesterday\'s backup', 'left as it was')
  t.same(lines, [])

  await backupCommand([target, '--force'], env, (line) => lines.push(line))
  t.match(lines, [/^backed up .* to .*herald-copy\.db: /])
  const copy = new Database(target, { readonly: true })
  t.teardown(() => copy.close())
  t.equal(copy.prepare('SELECT count(*) FROM updates').pluck().get(), 4, 'the new copy')
  t.same(readdirSync(dir).sort(), ['herald-copy.db', 'herald.db'], 'nothing else left in the folder')
})

t.test('mistakes are one line, and nothing is written', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const print = (): void => {}
  const database = env.DATABASE_PATH as string
  await t.rejects(backupCommand([join(dir, 'copy.db')], env, print), { message: `there is no database at ${database} to back up: check DATABASE_PATH` })
  t.same(readdirSync(dir), [], 'no empty database made on the way')
  grownDatabase(env, 1)
  await t.rejects(backupCommand([database, '--force'], env, print), { message: `${database} is the database itself: name another file` })
  await t.rejects(backupCommand([dir], env, print), { message: `${dir} is a folder: name a file in it, such as ${join(dir, 'herald.db')}` })
  await t.rejects(backupCommand([join(dir, 'missing', 'copy.db')], env, print), { message: `the folder ${join(dir, 'missing')} does not exist: create it first` })
  await t.rejects(backupCommand([], env, print), { message: 'backup: name the one file to write, as in herald backup /var/backups/herald.db' })
  t.same(readdirSync(dir).sort(), ['herald.db'])

  const result = await herald(['backup', join(dir, 'missing', 'copy.db')], env)
  t.equal(result.code, 1)
  t.equal(result.stderr, `herald: the folder ${join(dir, 'missing')} does not exist: create it first\n`, 'one line from the command line')
})
