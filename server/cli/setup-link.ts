// `herald setup-link`: a fresh one-time link to create the first admin (replacing the last one), and the text that shows a link.
import { loadConfig } from '../config.js'
import { SetupService, setupLinkLifetimeText } from '../services/setup-service.js'
import type { Services } from '../services/services.js'
import { parseCommandArgs } from './args.js'
import { withDatabase } from './database.js'
import { CliError } from './errors.js'
import type { Print } from './output.js'

/**
 * A new setup link while there is no user, or undefined. The link is on a line of its own so that it
 * can be copied, and stands out among JSON log lines.
 */
export function issueSetupLink (services: Services, publicUrl: string): string | undefined {
  const token = new SetupService(services.context).issue()
  return token === undefined ? undefined : `${publicUrl}/admin/setup?token=${token}`
}

export function setupLinkText (link: string): string {
  return `Create the first admin at this one-time link, valid for ${setupLinkLifetimeText}:\n\n  ${link}\n\n`
}

/**
 * Only writes the settings row, so it works while the server runs: the server reads the token on each
 * request, and the link printed at its start stops working.
 */
export function setupLinkCommand (args: string[], env: NodeJS.ProcessEnv, print: Print): void {
  parseCommandArgs('setup-link', args, {})
  const config = loadConfig(env)
  const link = withDatabase(config, ({ services }) => issueSetupLink(services, config.publicUrl))
  if (link === undefined) {
    throw new CliError(`the database at ${config.databasePath} already has a user, so there is no setup link: ` +
      `sign in at ${config.publicUrl}/admin, or add a user with herald user add <name> --role admin`)
  }
  print(`${setupLinkText(link)}Any link printed before no longer works.`)
}
