// Applies the SQL files of migrations/ in order, each in its own transaction, tracked by PRAGMA user_version.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageDir } from '../package-info.js'
import { schemaTooNew } from './database-error.js'
import type { Db } from './open-database.js'

const defaultMigrationsDir = packageDir('migrations')

export interface Migration { version: number, file: string, sql: string }

export class MigrationError extends Error {
  constructor (readonly file: string, cause: unknown) {
    super(`migration ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

// Files are named NNN-description.sql; NNN is the version user_version records once it is applied.
export function readMigrations (dir = defaultMigrationsDir): Migration[] {
  const seen = new Set<number>()
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d+)-[\w-]+\.sql$/.exec(file)
      if (match === null) throw new Error(`migration file name ${file} must look like 001-name.sql`)
      const version = Number(match[1])
      if (seen.has(version)) throw new Error(`two migrations share version ${version}`)
      seen.add(version)
      return { version, file, sql: readFileSync(join(dir, file), 'utf8') }
    })
    .sort((a, b) => a.version - b.version)
}

/**
 * Runs the migrations newer than the database; returns the files it applied. A database a newer Herald
 * has migrated is refused (a DatabaseFileError): this code does not know its tables, and writing to them
 * could lose what the newer version stores.
 */
export function migrate (db: Db, migrations = readMigrations()): string[] {
  const newest = migrations.at(-1)?.version ?? 0
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > newest) throw schemaTooNew(db.name, version, newest)
  const applied: string[] = []
  for (const migration of migrations) {
    // The version is read inside the IMMEDIATE transaction, so two processes starting on a new
    // database at once apply each file once: the second waits, then sees it done.
    const ran = runInTransaction(db, migration)
    if (ran) applied.push(migration.file)
  }
  return applied
}

/**
 * Foreign keys are off while a migration runs (the pragma cannot change inside a transaction), so a
 * table can be rebuilt by copy, drop and rename without the drop cascading into the tables that
 * reference it; every reference is checked before the commit, so none is left dangling.
 */
function runInTransaction (db: Db, migration: Migration): boolean {
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number
  db.pragma('foreign_keys = OFF')
  try {
    return db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number
      if (migration.version <= current) return false
      db.exec(migration.sql)
      const dangling = db.pragma('foreign_key_check') as Array<{ table: string, parent: string }>
      if (dangling.length > 0) {
        const first = dangling[0] as { table: string, parent: string }
        throw new Error(`${dangling.length} rows of ${first.table} refer to missing rows of ${first.parent}`)
      }
      db.pragma(`user_version = ${migration.version}`)
      return true
    }).immediate()
  } catch (err) {
    throw new MigrationError(migration.file, err)
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`)
  }
}
