// The database as a command sees it: opened from the configuration, migrated, with its stores and services.
import type { Config } from '../config.js'
import { checkDatabase } from '../db/check-database.js'
import { DatabaseFileError, fileProblemOf } from '../db/database-error.js'
import { MigrationError, migrate } from '../db/migrate.js'
import { type Db, openDatabase } from '../db/open-database.js'
import type { Clock } from '../domain/time.js'
import { type Services, createConfiguredServices } from '../services/services.js'
import { type Stores, createStores } from '../store/stores.js'
import { CliError } from './errors.js'

export interface CliDatabase {
  db: Db
  stores: Stores
  services: Services
}

/** Opens the configured file; a path that cannot be opened is the person's to fix, so it is one line. */
export function openConfiguredDatabase (config: Config): Db {
  try {
    return openDatabase(config.databasePath)
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error
    throw new CliError(`cannot open the database at ${config.databasePath}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * The error to report for `error`: when SQLite blames the file (read-only, damaged, not a database),
 * even from inside a migration, the one line that names the file and what to do; else `error` itself.
 */
export function inDatabaseTerms (path: string, error: unknown): unknown {
  const cause = error instanceof MigrationError ? error.cause : undefined
  return fileProblemOf(path, error) ?? fileProblemOf(path, cause) ?? error
}

export interface OpenOptions {
  /** Run quick_check before migrating (`migrate` and `serve`: a damaged file is refused at start-up). */
  check?: boolean
}

/** The configured database, checked when asked and migrated, with the migration files it applied. */
export function openMigratedDatabase (config: Config, options: OpenOptions = {}): { db: Db, applied: string[] } {
  const db = openConfiguredDatabase(config)
  try {
    if (options.check === true) checkDatabase(db)
    return { db, applied: migrate(db) }
  } catch (error) {
    db.close()
    throw inDatabaseTerms(config.databasePath, error)
  }
}

/**
 * Runs `work` over the migrated database and always closes it (which checkpoints the WAL); when the
 * work is async (a password being typed, scrypt), the database closes once it has settled.
 */
export function withDatabase<T> (config: Config, work: (database: CliDatabase) => T, clock: Clock = () => new Date()): T {
  const { db } = openMigratedDatabase(config)
  const fail = (error: unknown): never => { throw inDatabaseTerms(config.databasePath, error) }
  let result: T
  try {
    const stores = createStores(db)
    result = work({ db, stores, services: createConfiguredServices(config, stores, clock) })
  } catch (error) {
    db.close()
    return fail(error)
  }
  if (result instanceof Promise) return result.catch(fail).finally(() => db.close()) as T
  db.close()
  return result
}
