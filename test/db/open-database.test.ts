// Opening the database file: created private, existing modes kept, and files Herald cannot use refused in one line naming them.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { checkDatabase } from '../../server/db/check-database.js'
import { DatabaseFileError, fileProblemOf } from '../../server/db/database-error.js'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase, pageCacheKib } from '../../server/db/open-database.js'
import { tempDir } from '../fixtures/build.js'

const mode = (path: string): number => statSync(path).mode & 0o777

/**
 * A migrated database with garbage over its pages from `first` (1-based) to the end, or to `last`. Page 1
 * holds the header (with user_version) and the start of the schema; page 2 is the root of a table.
 */
function corruptDatabaseAt (path: string, first: number, last?: number): void {
  const db = openDatabase(path)
  migrate(db)
  const pageSize = db.pragma('page_size', { simple: true }) as number
  // Closing checkpoints the WAL into the file, so the garbage lands on the only copy of the pages.
  db.close()
  const end = last === undefined ? statSync(path).size : last * pageSize
  const start = (first - 1) * pageSize
  const fd = openSync(path, 'r+')
  writeSync(fd, Buffer.alloc(end - start, 'garbage!'), 0, end - start, start)
  closeSync(fd)
}

t.test('every connection keeps a small page cache, not the 16 MB better-sqlite3 builds SQLite with', async (t) => {
  const db = openDatabase(join(tempDir(t), 'herald.db'))
  t.teardown(() => db.close())
  t.equal(db.pragma('cache_size', { simple: true }), -pageCacheKib, 'in KiB, as a negative cache_size is')
  t.ok(pageCacheKib <= 4000)
  const memory = openDatabase(':memory:')
  t.teardown(() => memory.close())
  t.equal(memory.pragma('cache_size', { simple: true }), -pageCacheKib, 'an in-memory one too')
})

t.test('a new database and its -wal and -shm files are readable by their owner only', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'data', 'herald.db')
  const db = openDatabase(path)
  t.teardown(() => db.close())
  migrate(db)
  db.exec("INSERT INTO settings (name, value) VALUES ('probe', 'x')")
  t.ok(existsSync(`${path}-wal`) && existsSync(`${path}-shm`), 'the WAL files exist while the database is open')
  t.equal(mode(path), 0o600, 'database')
  t.equal(mode(`${path}-wal`), 0o600, '-wal')
  t.equal(mode(`${path}-shm`), 0o600, '-shm')
})

t.test('an existing file keeps the mode its owner gave it', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'herald.db')
  openDatabase(path).close()
  chmodSync(path, 0o640)
  const db = openDatabase(path)
  t.teardown(() => db.close())
  migrate(db)
  t.equal(mode(path), 0o640)
})

t.test('a file that is not a database, or a folder, is refused naming it', async (t) => {
  const dir = tempDir(t)
  const text = join(dir, 'notes.db')
  writeFileSync(text, 'These are my notes, not a database.\n'.repeat(200))
  t.throws(() => openDatabase(text), {
    constructor: DatabaseFileError,
    problem: 'not-a-database',
    message: `the file at ${text} is not a SQLite database: set DATABASE_PATH to Herald's database, or move this file away to start a new one`
  })
  const folder = join(dir, 'folder')
  mkdirSync(folder)
  t.throws(() => openDatabase(folder), {
    constructor: DatabaseFileError,
    message: `cannot open the database at ${folder}: it is a folder; set DATABASE_PATH to a file, such as ${join(folder, 'herald.db')}`
  })
})

t.test('checkDatabase passes a sound file and refuses one with damaged pages', async (t) => {
  const dir = tempDir(t)
  const sound = openDatabase(join(dir, 'sound.db'))
  t.teardown(() => sound.close())
  migrate(sound)
  t.doesNotThrow(() => { checkDatabase(sound) })

  const path = join(dir, 'damaged.db')
  corruptDatabaseAt(path, 2, 2)
  const db = openDatabase(path)
  t.teardown(() => db.close())
  t.same(migrate(db), [], 'migrate alone finds nothing to do: the version is in the intact header')
  t.throws(() => { checkDatabase(db) }, {
    constructor: DatabaseFileError,
    problem: 'corrupt',
    // quick_check's own words, without its "*** in database main ***" heading, name the damaged page.
    message: new RegExp(`^the database at ${path} is damaged \\(quick_check: [^*]*page 2\\b.*\\): restore a backup, ` +
      'or recover what is left with the sqlite3 shell\'s \\.recover into a new file$')
  })

  // With the schema's own pages damaged too, SQLite already fails on opening: the same one line.
  const worse = join(dir, 'worse.db')
  corruptDatabaseAt(worse, 2)
  t.throws(() => openDatabase(worse), { constructor: DatabaseFileError, problem: 'corrupt', message: `the database at ${worse} is damaged (database disk image is malformed): restore a backup, or recover what is left with the sqlite3 shell's .recover into a new file` })
})

// As root (CI), a file's mode does not stop a write, so the read-only cases are also met from SQLite's side:
// the errors it raises for a read-only file, folder or mount become the same one line.
t.test('SQLite errors that blame the file become one line naming it; others stay as they are', async (t) => {
  const path = '/srv/herald/herald.db'
  const sqlite = (code: string, message: string): Error => Object.assign(new Error(message), { code })
  t.match(fileProblemOf(path, sqlite('SQLITE_READONLY', 'attempt to write a readonly database')),
    { problem: 'read-only', message: `the database at ${path} is read-only: make it writable by the user Herald runs as (chmod u+w, or chown)` })
  t.match(fileProblemOf(path, sqlite('SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database')), { problem: 'read-only' })
  t.match(fileProblemOf(path, sqlite('SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database')),
    { problem: 'folder', message: /^the folder \/srv\/herald of the database at \/srv\/herald\/herald\.db cannot be written/ })
  t.match(fileProblemOf(path, sqlite('SQLITE_CORRUPT', 'database disk image is malformed')), { problem: 'corrupt' })
  t.match(fileProblemOf(path, sqlite('SQLITE_NOTADB', 'file is not a database')), { problem: 'not-a-database' })
  t.match(fileProblemOf(path, sqlite('SQLITE_CANTOPEN', 'unable to open database file')),
    { problem: 'cannot-open', message: `cannot open the database at ${path}: unable to open database file` })
  t.equal(fileProblemOf(path, sqlite('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed')), undefined)
  t.equal(fileProblemOf(path, new TypeError('a bug')), undefined)
})
