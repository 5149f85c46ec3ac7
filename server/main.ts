// The `herald` command line: serve, migrate, token, demo. User mistakes are one line on stderr and exit 1.
import { parseArgs } from 'node:util'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { MigrationError, migrate } from './db/migrate.js'
import { openDatabase } from './db/open-database.js'

const usage = `usage: herald <command>

commands:
  serve                  run the web server (what npm start does)
  migrate                apply pending database migrations
  token create <name>    create an API token and print it (shown once)
  token list             list API tokens
  token revoke <name>    delete an API token
  demo [--force]         load the TM202916 example into the database`

class UsageError extends Error {}

async function serve (): Promise<void> {
  const config = loadConfig()
  const app = await buildApp({ config })
  let closing = false
  const close = (signal: string): void => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: finishing requests in flight')
    // A second signal, or a close that hangs, must not leave the process around forever.
    setTimeout(() => process.exit(1), 10_000).unref()
    app.close().then(() => process.exit(0), (err: unknown) => {
      app.log.error({ err }, 'shutdown failed')
      process.exit(1)
    })
  }
  process.once('SIGINT', () => close('SIGINT'))
  process.once('SIGTERM', () => close('SIGTERM'))
  await app.listen({ host: config.host, port: config.port })
}

function migrateCommand (): void {
  const config = loadConfig()
  const db = openDatabase(config.databasePath)
  try {
    const applied = migrate(db)
    console.log(applied.length === 0 ? 'database is up to date' : `applied ${applied.join(', ')}`)
  } finally {
    db.close()
  }
}

export async function main (argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false })
  const [command] = positionals
  switch (command) {
    case 'serve': return await serve()
    case 'migrate': return migrateCommand()
    case undefined:
    case 'help':
      console.log(usage)
      return
    default:
      throw new UsageError(`unknown command "${command}"\n${usage}`)
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof MigrationError) {
    console.error(`herald: ${err.message}`)
  } else if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`herald: ${err.message}`)
  } else {
    console.error(err)
  }
  process.exitCode = 1
})
