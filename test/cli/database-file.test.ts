// A database file Herald cannot use, met at start-up: one line naming the file and what to do, never a stack trace.
import { chmodSync, chownSync, closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp } from '../../server/app.js'
import { demoCommand } from '../../server/cli/demo.js'
import { exportCommand } from '../../server/cli/export.js'
import { setupLinkCommand } from '../../server/cli/setup-link.js'
import { userCommand } from '../../server/cli/user.js'
import { loadConfig } from '../../server/config.js'
import { DatabaseFileError } from '../../server/db/database-error.js'
import { migrate, readMigrations } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { tempDir } from '../fixtures/build.js'
import { type RunAs, herald, heraldEnv } from './fixtures/herald-process.js'

const newest = readMigrations().at(-1)?.version as number

function migrated (path: string): void {
  const db = openDatabase(path)
  migrate(db)
  db.close()
}

function oneLine (t: Test, result: { code: number | null, stdout: string, stderr: string }, expected: string | RegExp, what: string): void {
  t.equal(result.code, 1, `${what}: exit 1`)
  t.equal(result.stdout, '', `${what}: nothing on standard output`)
  if (typeof expected === 'string') t.equal(result.stderr, `herald: ${expected}\n`, what)
  else t.match(result.stderr, expected, what)
  t.notMatch(result.stderr, /\n\s+at |SqliteError|unexpected error/, `${what}: no stack trace`)
}

t.test('a database from a newer Herald is refused by every command that opens it', async (t) => {
  const dir = tempDir(t)
  const env = heraldEnv(dir)
  const path = env.DATABASE_PATH as string
  migrated(path)
  const db = openDatabase(path)
  db.pragma(`user_version = ${newest + 93}`)
  db.close()
  const message = `the database at ${path} has schema version ${newest + 93}, newer than this Herald knows (${newest}): ` +
    'upgrade Herald, or restore a backup made by this version'

  const [migrateResult, serveResult, tokenResult] = await Promise.all([
    herald(['migrate'], env), herald(['serve'], env), herald(['token', 'list'], env)
  ])
  oneLine(t, migrateResult, message, 'migrate')
  oneLine(t, serveResult, message, 'serve')
  oneLine(t, tokenResult, message, 'token list')

  // In process: the same refusal, without a child's start-up each.
  const print = (): void => {}
  await t.rejects(userCommand(['list'], env, print), { constructor: DatabaseFileError, message }, 'user list')
  t.throws(() => { demoCommand([], env, print) }, { constructor: DatabaseFileError, message }, 'demo')
  await t.rejects(exportCommand([join(dir, 'site')], env, print), { constructor: DatabaseFileError, message }, 'export')
  t.throws(() => { setupLinkCommand([], env, print) }, { constructor: DatabaseFileError, message }, 'setup-link')
  await t.rejects(buildApp({ config: loadConfig(env) }), { constructor: DatabaseFileError, message }, 'buildApp opening the file itself')
  const after = openDatabase(path)
  t.teardown(() => after.close())
  t.equal(after.pragma('user_version', { simple: true }), newest + 93, 'the version is left as it was')
})

t.test('a damaged file is refused at start-up by migrate and serve, which run quick_check', async (t) => {
  const dir = tempDir(t)
  const env = heraldEnv(dir)
  const path = env.DATABASE_PATH as string
  migrated(path)
  // Garbage over page 2, the root of a table: the header (and user_version) on page 1 stays readable, so
  // that without the check, migrate said "up to date" and serve started.
  const pageSize = 4096
  t.equal(statSync(path).size % pageSize, 0, 'the default page size')
  const fd = openSync(path, 'r+')
  writeSync(fd, Buffer.alloc(pageSize, 'garbage!'), 0, pageSize, pageSize)
  closeSync(fd)
  const expected = new RegExp(`^herald: the database at ${path} is damaged \\(quick_check: .+\\): restore a backup, or recover ` +
    'what is left with the sqlite3 shell\'s \\.recover into a new file\\n$')
  const [migrateResult, serveResult] = await Promise.all([herald(['migrate'], env), herald(['serve'], env)])
  oneLine(t, migrateResult, expected, 'migrate')
  oneLine(t, serveResult, expected, 'serve')
})

t.test('a file that is not a database is refused naming it', async (t) => {
  const dir = tempDir(t)
  const env = heraldEnv(dir)
  const path = env.DATABASE_PATH as string
  writeFileSync(path, 'DATABASE_PATH=/var/lib/herald/herald.db\n'.repeat(100))
  const [migrateResult, serveResult] = await Promise.all([herald(['migrate'], env), herald(['serve'], env)])
  const message = `the file at ${path} is not a SQLite database: set DATABASE_PATH to Herald's database, or move this file away to start a new one`
  oneLine(t, migrateResult, message, 'migrate')
  oneLine(t, serveResult, message, 'serve')
})

/**
 * File modes stop a write only for a user other than root, and tests run as root in CI: there the
 * children run as nobody (65534) over files that nobody owns, so each mode means what it says.
 */
function permissionCase (t: Test): { dir: string, env: NodeJS.ProcessEnv, runAs: RunAs | undefined, own: (path: string) => void } {
  const dir = tempDir(t)
  const root = process.getuid?.() === 0
  const runAs = root ? { uid: 65534, gid: 65534 } : undefined
  // The temporary folder is the test's own (0700): nobody must reach the files in it.
  chmodSync(dir, 0o755)
  const own = (path: string): void => { if (runAs !== undefined) chownSync(path, runAs.uid, runAs.gid) }
  // tap's process tracking, which it adds to every child, writes a record into .tap/ of the checkout on
  // exit; nobody cannot write there, so the child's record goes to a folder of its own.
  const tracking = join(dir, 'tap-tracking')
  mkdirSync(tracking)
  own(tracking)
  return { dir, env: { _TAPJS_PROCESSINFO_CWD_: tracking }, runAs, own }
}

t.test('a read-only or unreadable file, or a folder that cannot be written, is one line saying what to fix', async (t) => {
  const { dir, env, runAs, own } = permissionCase(t)
  const readOnly = join(dir, 'read-only.db')
  migrated(readOnly)
  own(readOnly)
  chmodSync(readOnly, 0o444)
  const unreadable = join(dir, 'unreadable.db')
  migrated(unreadable)
  own(unreadable)
  chmodSync(unreadable, 0o200)
  const folder = join(dir, 'locked')
  mkdirSync(folder)
  const inLockedFolder = join(folder, 'herald.db')
  migrated(inLockedFolder)
  own(inLockedFolder)
  own(folder)
  chmodSync(folder, 0o555)
  const newInLockedFolder = join(folder, 'new.db')
  t.teardown(() => { chmodSync(folder, 0o755) })

  const run = (args: string[], path: string): ReturnType<typeof herald> => herald(args, heraldEnv(dir, { ...env, DATABASE_PATH: path }), runAs)
  const [serveReadOnly, migrateReadOnly, tokenUnreadable, serveFolder, migrateNewFolder] = await Promise.all([
    run(['serve'], readOnly), run(['migrate'], readOnly), run(['token', 'list'], unreadable),
    run(['serve'], inLockedFolder), run(['migrate'], newInLockedFolder)
  ])
  const readOnlyMessage = `the database at ${readOnly} is read-only: make it writable by the user Herald runs as (chmod u+w, or chown)`
  // The crash this replaced: serve stopped with "SqliteError: attempt to write a readonly database" and its stack.
  oneLine(t, serveReadOnly, readOnlyMessage, 'serve, read-only file')
  oneLine(t, migrateReadOnly, readOnlyMessage, 'migrate, read-only file')
  oneLine(t, tokenUnreadable, `the database at ${unreadable} cannot be read: give read and write permission on it to the user ` +
    'Herald runs as (chmod u+rw, or chown)', 'token list, unreadable file')
  const folderMessage = (path: string): string => `the folder ${folder} of the database at ${path} cannot be written (SQLite keeps ` +
    'its -wal and -shm files next to the database): make it writable by the user Herald runs as'
  oneLine(t, serveFolder, folderMessage(inLockedFolder), 'serve, folder that cannot be written')
  oneLine(t, migrateNewFolder, folderMessage(newInLockedFolder), 'migrate, new file in a folder that cannot be written')
})
