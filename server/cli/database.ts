// The database as a command sees it: opened from the configuration, migrated, with its stores and services.
import type { Config } from '../config.js'
import { migrate } from '../db/migrate.js'
import { type Db, openDatabase } from '../db/open-database.js'
import type { Clock } from '../services/context.js'
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
    throw new CliError(`cannot open the database at ${config.databasePath}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * Runs `work` over the migrated database and always closes it (which checkpoints the WAL); when the
 * work is async (a password being typed, scrypt), the database closes once it has settled.
 */
export function withDatabase<T> (config: Config, work: (database: CliDatabase) => T, clock: Clock = () => new Date()): T {
  const db = openConfiguredDatabase(config)
  let result: T
  try {
    migrate(db)
    const stores = createStores(db)
    result = work({ db, stores, services: createConfiguredServices(config, stores, clock) })
  } catch (error) {
    db.close()
    throw error
  }
  if (result instanceof Promise) return result.finally(() => db.close()) as T
  db.close()
  return result
}
