// `herald restore <file>`: checks a backup, puts it in place of the database (the one replaced is kept beside it), and migrates.
import { closeSync, copyFileSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import { loadConfig } from '../config.js'
import { fileProblemOf, schemaTooNew } from '../db/database-error.js'
import { isDiskFull } from '../db/disk-full.js'
import { readMigrations } from '../db/migrate.js'
import { examineCopy, onlineBackup } from '../db/online-backup.js'
import type { Db } from '../db/open-database.js'
import { isBusy, openSoleConnection } from '../db/sole-connection.js'
import { parseCommandArgs } from './args.js'
import { inDatabaseTerms, openMigratedDatabase } from './database.js'
import { CliError, UsageError } from './errors.js'
import type { Print } from './output.js'

// The tables of Herald's first migration: a file without them is some other program's database.
const heraldTables = ['components', 'incidents', 'updates']

/** A time for a file name, in UTC, sorting in order: 20261201T031500Z. */
function fileTime (now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}

/** Opens the backup read-only and checks it is a sound Herald database this version can migrate; returns its schema version. */
function checkBackup (file: string, newest: number): { db: Db, schemaVersion: number } {
  const refuse = (why: string): CliError => new CliError(`cannot restore ${file}: ${why}; nothing was changed`)
  let db: Db | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const facts = examineCopy(db)
    if (facts.problem !== undefined) throw refuse(`it is damaged (integrity_check: ${facts.problem})`)
    const missing = heraldTables.filter((table) => !facts.tables.has(table))
    if (missing.length > 0) throw refuse(`it is not a Herald database (it has no ${missing[0] as string} table)`)
    if (facts.schemaVersion === 0) throw refuse('it is not a Herald database (its schema version is 0)')
    if (facts.schemaVersion > newest) throw schemaTooNew(file, facts.schemaVersion, newest)
    return { db, schemaVersion: facts.schemaVersion }
  } catch (error) {
    db?.close()
    if (error instanceof CliError) throw error
    const problem = fileProblemOf(file, error)
    if (problem?.problem === 'not-a-database') throw refuse('it is not a SQLite database')
    if (problem?.problem === 'corrupt') throw refuse(`it is damaged (${(error as Error).message})`)
    if (problem?.problem === 'cannot-open') throw refuse(`it cannot be opened (${(error as Error).message})`)
    throw problem ?? error
  }
}

/**
 * Moves the database out of the way, keeping it as `kept`, and leaves `live` ready to be written: its
 * WAL checkpointed into it and gone, no -shm. Refuses while another process has the file open.
 * A file SQLite cannot read at all (not a database, damaged) cannot be locked either; no server can
 * be serving from it, so it is renamed as it is, its WAL with it.
 */
function setAside (live: string, kept: string): void {
  let sole: Db
  try {
    sole = openSoleConnection(live)
  } catch (error) {
    if (isBusy(error)) {
      throw new CliError(`the database at ${live} is in use by another process (a running herald serve, or another herald command): ` +
        'stop it first, then restore; nothing was changed')
    }
    const problem = fileProblemOf(live, error)
    if (problem?.problem !== 'not-a-database' && problem?.problem !== 'corrupt') throw problem ?? error
    renameSync(live, kept)
    if (statSync(`${live}-wal`, { throwIfNoEntry: false }) !== undefined) renameSync(`${live}-wal`, `${kept}-wal`)
    rmSync(`${live}-shm`, { force: true })
    closeSync(openSync(live, 'wx', 0o600))
    return
  }
  try {
    // Locked and in rollback mode, the file alone is the whole database: a plain copy is a consistent one.
    copyFileSync(live, kept)
    rmSync(`${live}-shm`, { force: true })
  } finally {
    sole.close()
  }
}

export async function restoreCommand (args: string[], env: NodeJS.ProcessEnv, print: Print, now = new Date()): Promise<void> {
  const { positionals } = parseCommandArgs('restore', args, {}, true)
  if (positionals.length !== 1) throw new UsageError('restore: name the one backup file to restore, as in herald restore /var/backups/herald.db')
  const config = loadConfig(env)
  const live = config.databasePath
  const file = resolve(positionals[0] as string)
  const found = statSync(file, { throwIfNoEntry: false })
  if (found === undefined) throw new CliError(`there is no file at ${file} to restore`)
  if (!found.isFile()) throw new CliError(`${file} is not a file: name a backup made by herald backup`)
  const current = statSync(live, { throwIfNoEntry: false })
  if (current !== undefined && current.dev === found.dev && current.ino === found.ino) throw new CliError(`${file} is the database itself: name a backup`)

  const newest = readMigrations().at(-1)?.version ?? 0
  const backup = checkBackup(file, newest)
  const kept = `${live}.replaced-${fileTime(now)}`
  try {
    if (current === undefined) closeSync(openSync(live, 'wx', 0o600))
    else setAside(live, kept)
    // SQLite writes the pages into the file in place, in one transaction: a process opening it meanwhile
    // sees the old database or the new, never a mix, and no -wal of the old one is left to replay.
    await onlineBackup(backup.db, live)
  } catch (error) {
    if (error instanceof CliError) throw error
    if (isDiskFull(error)) throw new CliError(`the disk of ${live} is full: free some space and restore again${current === undefined ? '' : `; the database as it was is kept at ${kept}`}`)
    if (isBusy(error)) throw new CliError(`a process opened ${live} during the restore: stop it, then restore again${current === undefined ? '' : `; the database as it was is kept at ${kept}`}`)
    throw inDatabaseTerms(live, error)
  } finally {
    backup.db.close()
  }

  const { db, applied } = openMigratedDatabase(config, { check: true })
  let version: number
  try {
    version = db.pragma('user_version', { simple: true }) as number
  } finally {
    db.close()
  }
  const migrated = applied.length === 0 ? '' : `, migrated to ${version}`
  print(`restored ${file} into ${live} (schema version ${backup.schemaVersion}${migrated})` +
    (current === undefined ? '' : `; the replaced database is kept at ${kept}`))
}
