// Opens Herald's SQLite file with the pragmas every connection needs; a new file is private to its owner.
import { type Stats, accessSync, closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { cannotOpen, fileProblemOf, readOnlyDatabase, unreadableDatabase, unwritableFolder } from './database-error.js'

export type Db = Database.Database

/**
 * Opens (creating when missing) the database at `path`. A file Herald cannot use, or a folder it
 * cannot write, is a DatabaseFileError naming the file and what to do, not a SQLite stack.
 */
export function openDatabase (path: string): Db {
  if (path === ':memory:') return configure(new Database(path))
  prepareFile(path)
  let db: Db | undefined
  try {
    db = new Database(path)
    return configure(db)
  } catch (error) {
    db?.close()
    throw fileProblemOf(path, error) ?? error
  }
}

/**
 * A second connection to the file `db` has open, for reads only (query_only: a write on it fails): a read
 * that takes several turns of the event loop holds its snapshot here (services/stepped-reads.ts), while the
 * first connection goes on writing. Undefined for a database in memory, which no other connection can see.
 */
export function openReadConnection (db: Db): Db | undefined {
  if (db.memory) return undefined
  const reader = configure(new Database(db.name, { fileMustExist: true }))
  reader.pragma('query_only = ON')
  return reader
}

/** SQLite's page cache of a connection, in KiB. */
export const pageCacheKib = 4000

function configure (db: Db): Db {
  // WAL lets the public read path run while a write transaction is open.
  db.pragma('journal_mode = WAL')
  // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commit.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  // Wait instead of failing when the command line writes while the server does.
  db.pragma('busy_timeout = 5000')
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection, which a five-year database fills
  // (the status page reads 90 days of it): 16 MB of the server's memory for pages the kernel keeps in its
  // own cache anyway, where a miss costs a read() of 4 KB. 4 MB holds what the renders read again and again
  // (the indexes, the recent rows): / and the history pages render in the same time as with 16 MB.
  db.pragma(`cache_size = -${pageCacheKib}`)
  return db
}

function allowed (path: string, mode: number): boolean {
  try {
    accessSync(path, mode)
    return true
  } catch {
    return false
  }
}

/**
 * Checks what SQLite would otherwise find out mid-way (a read-only file opens, then fails at the first
 * write, which may be long after start-up), and creates a missing file with mode 0600: it holds the
 * session secret and password hashes, and SQLite gives its -wal and -shm files the mode of the
 * database file. An existing file's mode is left as its owner set it.
 */
function prepareFile (path: string): void {
  const folder = dirname(path)
  try {
    mkdirSync(folder, { recursive: true })
  } catch (error) {
    throw cannotOpen(path, `its folder ${folder} cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error)
  }
  let stats: Stats | undefined
  try {
    stats = statSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotOpen(path, (error as Error).message, error)
  }
  if (stats?.isDirectory() === true) {
    throw cannotOpen(path, `it is a folder; set DATABASE_PATH to a file, such as ${join(path, 'herald.db')}`)
  }
  if (stats !== undefined) {
    if (!allowed(path, constants.R_OK)) throw unreadableDatabase(path)
    if (!allowed(path, constants.W_OK)) throw readOnlyDatabase(path)
  }
  if (!allowed(folder, constants.W_OK)) throw unwritableFolder(path, folder)
  if (stats === undefined) createPrivateFile(path)
}

function createPrivateFile (path: string): void {
  try {
    // An empty file is an empty SQLite database. 'wx': another process creating it first is fine.
    closeSync(openSync(path, 'wx', 0o600))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotOpen(path, (error as Error).message, error)
  }
}
