// `herald migrate`: checks the file, applies the pending migrations and says which, or that the database is up to date.
import { loadConfig } from '../config.js'
import { parseCommandArgs } from './args.js'
import { openMigratedDatabase } from './database.js'
import type { Print } from './output.js'

export function migrateCommand (args: string[], env: NodeJS.ProcessEnv, print: Print): void {
  parseCommandArgs('migrate', args, {})
  const config = loadConfig(env)
  const { db, applied } = openMigratedDatabase(config, { check: true })
  try {
    const version = db.pragma('user_version', { simple: true }) as number
    print(applied.length === 0
      ? `database ${config.databasePath} is up to date (version ${version})`
      : `applied ${applied.join(', ')} to ${config.databasePath} (now version ${version})`)
  } finally {
    db.close()
  }
}
