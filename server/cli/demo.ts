// `herald demo [--force]`: loads the TM202916 example into the configured database and says what it added.
import { loadConfig } from '../config.js'
import { loadDemo } from '../demo/load-demo.js'
import { updateStatusLabels } from '../domain/statuses.js'
import { parseCommandArgs } from './args.js'
import { withDatabase } from './database.js'
import { CliError } from './errors.js'
import type { Print } from './output.js'

export function demoCommand (args: string[], env: NodeJS.ProcessEnv, print: Print, now = new Date()): void {
  const { values } = parseCommandArgs('demo', args, { force: { type: 'boolean', short: 'f' } })
  const force = values.force === true
  const config = loadConfig(env)
  const summary = withDatabase(config, ({ stores }) => {
    const existing = stores.incidents.page(1, 0).total
    if (existing > 0 && !force) {
      throw new CliError(`the database at ${config.databasePath} already has ${existing} incident${existing === 1 ? '' : 's'}; ` +
        'run "herald demo --force" to replace its incidents and components with the demo')
    }
    return loadDemo(stores, { now, incidentPrefix: config.incidentPrefix, replace: force })
  })

  const { open } = summary
  const last = open.updates[0]
  const minutesAgo = last === undefined ? 0 : Math.round((now.getTime() - Date.parse(last.displayAt)) / 60_000)
  print(`Loaded the demo into ${config.databasePath}:`)
  print(`  ${summary.components} components in ${summary.groups} groups`)
  print(`  ${summary.incidents} incidents with ${summary.updates} updates since ${summary.since.slice(0, 10)}`)
  print(`  open: ${open.reference} "${open.name}" (${updateStatusLabels[open.status]}, last update ${minutesAgo} minutes ago)`)
  print(`Start the server with "npm start" (or "herald serve") and open ${config.publicUrl}/`)
}
