// Opens Herald's database as the only connection to it, or not at all: how a restore knows that no server (or other command) is using it.
import Database from 'better-sqlite3'
import type { Db } from './open-database.js'

/**
 * Herald keeps its database in WAL mode, and every connection to a WAL database holds a shared lock on
 * the file for as long as it is open, idle or not. Taking the exclusive lock therefore fails (SQLITE_BUSY,
 * after `waitMs`) while any other process has the file open: a running `herald serve`, a `herald backup`.
 * The locks are the operating system's (POSIX advisory locks): a process killed with kill -9 holds none,
 * so nothing stale is ever left to clear by hand, unlike a lock file. They do not hold across machines
 * (a database on a network file system), where SQLite is not safe anyway.
 *
 * Once open, the connection keeps the exclusive lock until it is closed (locking_mode EXCLUSIVE), and the
 * file is in rollback mode with its WAL checkpointed into it and removed: the file alone is the whole
 * database, which can be copied as it is.
 */
export function openSoleConnection (path: string, waitMs = 1_000): Db {
  const db = new Database(path, { fileMustExist: true })
  try {
    db.pragma(`busy_timeout = ${waitMs}`)
    db.pragma('locking_mode = EXCLUSIVE')
    // Leaving WAL needs every other connection closed: this is the check. It also checkpoints.
    // SQLite says BUSY; a mode left unchanged is taken as the same answer.
    if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
    }
    // A file already in rollback mode (never opened by Herald) is locked by its first write transaction.
    db.exec('BEGIN EXCLUSIVE; COMMIT')
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/** Whether `error` is SQLite saying another connection holds the file. */
export function isBusy (error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
}
