// SQLite's online backup through better-sqlite3: a consistent copy of a database other processes keep writing to, and what a copy holds.
import Database from 'better-sqlite3'
import type { Db } from './open-database.js'

// better-sqlite3 copies 100 pages a step by default, and SQLite starts the copy over whenever another
// connection (the server) writes between two steps: a steady stream of updates could keep a large copy
// from ever finishing. In one step, the copy is one read transaction: the database as of one moment,
// which in WAL mode holds up no writer.
const allPages = 0x7fffffff

/** Copies the database of `source` into the file at `target` (created, or overwritten page by page). */
export async function onlineBackup (source: Db, target: string): Promise<void> {
  await source.backup(target, { progress: () => allPages })
}

/** What a copy holds, as far as restoring it goes. */
export interface CopyFacts {
  /** The first problem integrity_check found, or undefined when the file is sound. */
  problem: string | undefined
  /** PRAGMA user_version: the last migration applied to it. */
  schemaVersion: number
  /** The tables it has, by name. */
  tables: Set<string>
}

/**
 * integrity_check (the whole check, indexes against tables too), the schema version and the tables of an
 * open database. SQLite's own errors (not a database, damaged beyond reading) are thrown as they are.
 */
export function examineCopy (db: Db): CopyFacts {
  const rows = db.pragma('integrity_check(1)') as Array<{ integrity_check: string }>
  const first = rows[0]?.integrity_check
  const problem = first === undefined || first === 'ok' ? undefined : first.replace(/^\*\*\* in database \w+ \*\*\*\s*/, '').replace(/\s+/g, ' ')
  const schemaVersion = db.pragma('user_version', { simple: true }) as number
  const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[])
  return { problem, schemaVersion, tables }
}

/**
 * Checks a new backup file and makes it stand alone: the copy of a WAL database says WAL in its header,
 * and would want -wal and -shm files beside it wherever it is opened (also where only reading is
 * allowed); in rollback mode it is one file. Herald sets WAL again when it opens a restored database.
 */
export function sealBackup (path: string): CopyFacts {
  const db = new Database(path, { fileMustExist: true })
  try {
    db.pragma('journal_mode = DELETE')
    return examineCopy(db)
  } finally {
    db.close()
  }
}
