// `herald demo [--force]`: loads the TM202916 example into the configured database, also while a server runs on it, and says what it added.
import { loadConfig } from '../config.js'
import { DemoRefusedError, loadDemo } from '../demo/load-demo.js'
import { updateStatusLabels } from '../domain/statuses.js'
import { parseCommandArgs } from './args.js'
import { withDatabase } from './database.js'
import { CliError } from './errors.js'
import type { Print } from './output.js'

/** `2020-02-06 02:00 UTC`. */
function utcMinute (iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

export function demoCommand (args: string[], env: NodeJS.ProcessEnv, print: Print, now = new Date()): void {
  const { values } = parseCommandArgs('demo', args, { force: { type: 'boolean', short: 'f' } })
  const force = values.force === true
  const config = loadConfig(env)
  const path = config.databasePath
  const { summary, users } = withDatabase(config, ({ stores, services }) => {
    try {
      // The configured channels, so that each update gets its skipped deliveries like any update posted without notify.
      const summary = loadDemo(stores, { now, incidentPrefix: config.incidentPrefix, replace: force, ...(services.context.social === undefined ? {} : { social: services.context.social }) })
      return { summary, users: stores.users.list().length }
    } catch (error) {
      if (!(error instanceof DemoRefusedError)) throw error
      throw new CliError(error.demoLoaded
        ? `the demo is already in ${path}; "herald demo --force" loads it afresh, replacing every incident, maintenance and component`
        : `the database at ${path} already has ${error.existing} incident${error.existing === 1 ? '' : 's'} or maintenance${error.existing === 1 ? '' : 's'}; ` +
          'the demo loads only into a database without any ("herald demo --force" replaces them and the components with the demo)')
    }
  })

  const { open } = summary
  const last = open.updates[0]
  const minutesAgo = last === undefined ? 0 : Math.floor((now.getTime() - Date.parse(last.displayAt)) / 60_000)
  print(`Loaded the demo into ${path}:`)
  print(`  ${summary.components} components in ${summary.groups} groups, ${summary.templates} incident templates`)
  print(`  ${summary.incidents} incidents and ${summary.maintenances} maintenances with ${summary.updates} updates since ${summary.since.slice(0, 10)}`)
  print(`  open: ${open.reference} "${open.name}" (${updateStatusLabels[open.status]}, last update ${minutesAgo} minutes ago)`)
  for (const maintenance of summary.upcoming) {
    print(`  upcoming: ${maintenance.reference} "${maintenance.name}" on ${utcMinute(maintenance.maintenance?.scheduledFor ?? '')}`)
  }
  print(`Open ${config.publicUrl}/ : a running server shows the demo on the next request; otherwise start it with "npm start" (or "herald serve").`)
  if (users === 0) print('To sign in at /admin, create the first admin: "herald setup-link" prints a one-time link.')
}
