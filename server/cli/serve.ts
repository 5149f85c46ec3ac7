// `herald serve`: listens on HOST:PORT, prints the setup link while there is no user, and shuts down gracefully on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import { parseCommandArgs } from './args.js'
import { inDatabaseTerms, openMigratedDatabase } from './database.js'
import { issueSetupLink, setupLinkText } from './setup-link.js'

// Long enough for slow requests in flight, short enough for a supervisor's kill timeout.
const shutdownTimeoutMs = 10_000
// After the connections are cut, what the close has left to do (the database) takes well under this.
const forcedCloseMs = 2_000

/**
 * On the first SIGINT/SIGTERM, /readyz answers 503 at once. SIGTERM, what a supervisor or orchestrator
 * sends, then keeps serving for `drainMs`, so that a load balancer polling /readyz sees it and sends
 * no more; SIGINT, a person's Ctrl-C, goes on at once. Then: stop accepting connections, let requests in
 * flight finish, close the database (app.close runs the onClose hooks), and exit 0. A hung close exits
 * 1 after the timeout; a second signal ends the process at once (the handlers are `once`), as an
 * impatient Ctrl-C expects.
 */
function exitOnSignals (app: FastifyInstance, drainMs: number): void {
  let closing = false
  const close = (signal: NodeJS.Signals): void => {
    // SIGINT then SIGTERM (or the reverse) is still one shutdown.
    if (closing) return
    closing = true
    app.beginShutdown()
    const drain = signal === 'SIGTERM' ? drainMs : 0
    app.log.info({ signal, drainMs: drain }, 'shutting down: /readyz answers 503; finishing requests in flight')
    // A client that stops reading keeps its answer, and so the close, waiting: past the timeout its
    // connection is cut, and the database still closes cleanly; only a close that hangs even then exits 1.
    setTimeout(() => {
      app.log.warn('shutdown: connections still open after the timeout are closed')
      app.server.closeAllConnections()
      setTimeout(() => {
        app.log.error('shutdown timed out')
        process.exit(1)
      }, forcedCloseMs).unref()
    }, drain + shutdownTimeoutMs).unref()
    setTimeout(() => {
      app.close().then(() => process.exit(0), (err: unknown) => {
        app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      })
    }, drain)
  }
  process.once('SIGINT', close)
  process.once('SIGTERM', close)
}

/**
 * With no user yet, a new one-time link to create the first admin, printed as plain text so that it
 * stands out among the JSON log lines. Not through the logger: log files are kept and shipped, and
 * the link is a secret until it is used.
 */
function printSetupLink (app: FastifyInstance, write: (text: string) => void): void {
  const { config } = app.herald
  // PORT=0 listens on a free port, and the default PUBLIC_URL names port 0: the link names the one given.
  const address = app.server.address()
  const publicUrl = config.port === 0 && address !== null && typeof address === 'object' ? config.publicUrl.replace(/:0(?=\/|$)/, `:${address.port}`) : config.publicUrl
  const link = issueSetupLink(app.herald.services, publicUrl)
  if (link === undefined) return
  write(`\nHerald has no user yet. ${setupLinkText(link)}` +
    'A restart or "herald setup-link" gives a new one. Or, from the shell: herald user add <name> --role admin\n\n')
  app.log.info('no user yet: the setup link was printed on standard output')
}

export async function serveCommand (args: string[], env: NodeJS.ProcessEnv, write: (text: string) => void = (text) => process.stdout.write(text)): Promise<void> {
  parseCommandArgs('serve', args, {})
  const config = loadConfig(env)
  // Opened and checked here so that a file that cannot be used is one line, not a stack from inside buildApp.
  const { db } = openMigratedDatabase(config, { check: true })
  let app: FastifyInstance
  try {
    app = await buildApp({ config, db })
  } catch (error) {
    db.close()
    throw inDatabaseTerms(config.databasePath, error)
  }
  exitOnSignals(app, config.limits.shutdownDrainMs)
  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (error) {
    // EADDRINUSE and the like: close the database before the error is reported.
    await app.close()
    throw error
  }
  // Once listening, so that the link works as soon as it is shown.
  printSetupLink(app, write)
}
