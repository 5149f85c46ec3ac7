// `herald export <dir>`: the public site written as files from the shell, again with only the changes, and clear refusals.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { UsageError, userMessage } from '../../server/cli/errors.js'
import { exportCommand } from '../../server/cli/export.js'
import { serveCommand } from '../../server/cli/serve.js'
import { loadConfig } from '../../server/config.js'
import { migrate } from '../../server/db/migrate.js'
import { type Db, openDatabase } from '../../server/db/open-database.js'
import { type Services, createConfiguredServices } from '../../server/services/services.js'
import { ExportError } from '../../server/export/export-error.js'
import { createStores } from '../../server/store/stores.js'
import { testEnvironment } from '../fixtures/build.js'
import { herald, heraldEnv, lines } from './fixtures/herald-process.js'

t.test('export writes the site from the command line, and a second run writes only what changed', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  t.equal((await herald(['demo'], env)).code, 0)
  // TM202916 resolved: while it is open, the minutes it has affected today grow with the clock, and a second run a
  // minute later would rightly rewrite the status page. Resolved, nothing on the pages moves with the clock.
  const db = openDatabase(loadConfig(env).databasePath)
  const services = createConfiguredServices(loadConfig(env), createStores(db), () => new Date())
  const operational = Object.fromEntries(services.components.list().map((component) => [component.id, 'operational' as const]))
  services.incidents.postUpdate('TM202916', { status: 'resolved', body: 'Resolved.', components: operational }, 'test')
  db.close()
  const mirror = join(dir, 'site')
  const first = await herald(['export', mirror], env)
  t.equal(first.code, 0, first.stderr)
  t.equal(first.stderr, '')
  t.match(lines(first.stdout)[0], new RegExp(`^Exported (\\d+) files to ${mirror} in [\\d.]+ s \\(\\1 written, 0 unchanged, 0 removed\\)\\.$`))
  t.match(lines(first.stdout)[1], 'Serve the folder at https://status.example.com/ with any static web server')
  t.match(readFileSync(join(mirror, 'incidents/TM202916/index.html'), 'utf8'), 'Users may be unable to access Microsoft Teams')
  t.match(readFileSync(join(mirror, 'api/v2/incidents.json'), 'utf8'), '"TM202916"')

  // In process from here: the child's start-up is what makes these tests slow.
  const printed: string[] = []
  await exportCommand([mirror], env, (line) => { printed.push(line) })
  t.match(printed[0], /\(0 written, (\d+) unchanged, 0 removed\)/, 'nothing changed: nothing rewritten')
})

t.test('export refuses a missing or extra folder, an unknown option and a folder that is not its own', async (t) => {
  const dir = t.testdir()
  const env = testEnvironment(dir)
  const print = (): void => {}
  await t.rejects(exportCommand([], env, print), new UsageError('export needs a folder: herald export <dir>'))
  await t.rejects(exportCommand(['a', 'b'], env, print), new UsageError('export takes one folder, not also "b"'))
  await t.rejects(exportCommand([''], env, print), new UsageError('export needs a folder: herald export <dir>'), 'an empty name is not the working folder')
  await t.rejects(exportCommand(['--zip', 'a'], env, print), { message: /^export: Unknown option '--zip'/ })
  const foreign = join(dir, 'www')
  mkdirSync(foreign)
  writeFileSync(join(foreign, 'index.html'), 'mine')
  await t.rejects(exportCommand([foreign], env, print), { name: 'ExportError', message: /is not empty and holds no Herald export/ })
  t.equal(readFileSync(join(foreign, 'index.html'), 'utf8'), 'mine')
  await t.rejects(exportCommand(['site'], { ...env, PORT: 'x' }, print), { name: 'ConfigError' })

  const failed = await herald(['export', foreign], heraldEnv(dir))
  t.equal(failed.code, 1)
  t.match(failed.stderr, /^herald: .*www is not empty and holds no Herald export: give an empty or new folder\n$/, 'one line, no stack')
})

t.test('without PUBLIC_URL, export says where its links point', async (t) => {
  const dir = t.testdir()
  const { PUBLIC_URL: _unset, ...env } = testEnvironment(dir, { PORT: '3999' })
  const printed: string[] = []
  await exportCommand([join(dir, 'site')], env, (line) => { printed.push(line) })
  t.equal(printed[2], 'PUBLIC_URL is not set: the files link to http://127.0.0.1:3999; set it to the address the folder is served at.')
  const quiet: string[] = []
  await exportCommand([join(dir, 'site')], testEnvironment(dir), (line) => { quiet.push(line) })
  t.equal(quiet.length, 2, 'no warning when it is set')
})

t.test('export sends no post and performs no maintenance transition', async (t) => {
  const dir = t.testdir()
  // Mastodon is on (at an address where nothing listens), and a maintenance is long due to start.
  const env = testEnvironment(dir, { MASTODON_URL: 'http://127.0.0.1:9/', MASTODON_TOKEN: 'token' })
  const config = loadConfig(env)
  const seed = (work: (db: Db, services: Services) => void): void => {
    const db = openDatabase(config.databasePath)
    migrate(db)
    work(db, createConfiguredServices(config, createStores(db), () => new Date('2020-01-01T00:00:00.000Z')))
    db.close()
  }
  let reference = ''
  seed((_db, services) => {
    reference = services.maintenances.schedule({
      name: 'Upgrade', body: 'Planned.', scheduledFor: '2020-01-02T00:00:00.000Z', scheduledUntil: '2020-01-02T01:00:00.000Z'
    }, 'test').reference
  })
  const printed: string[] = []
  await exportCommand([join(dir, 'site')], env, (line) => { printed.push(line) })
  t.match(printed[0], /^Exported \d+ files/)
  t.match(readFileSync(join(dir, 'site', `incidents/${reference}/index.html`), 'utf8'), 'Planned.')
  seed((db) => {
    t.equal(db.prepare('SELECT status FROM incidents WHERE reference = ?').pluck().get(reference), 'scheduled', 'not started by the export')
    t.same(db.prepare('SELECT state, attempts FROM deliveries').all(), [{ state: 'pending', attempts: 0 }], 'its announcement not sent, tried or retired')
  })
})

t.test('serve with an EXPORT_DIR it cannot use does not start, and says why', async (t) => {
  const dir = t.testdir()
  writeFileSync(join(dir, 'file'), 'x')
  const env = testEnvironment(dir, { EXPORT_DIR: join(dir, 'file'), PORT: '0' })
  await t.rejects(serveCommand([], env, () => {}), { name: 'ExportError', message: /cannot use .*file for the static mirror/ })
  t.equal(userMessage(new ExportError('x')), 'x', 'shown as one line, as the export command shows it')
})
