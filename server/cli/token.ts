// `herald token create|list|revoke`: API tokens for scripts and monitors, from the machine's shell.
import { loadConfig } from '../config.js'
import type { ApiToken } from '../domain/accounts.js'
import { parseCommandArgs } from './args.js'
import { withDatabase } from './database.js'
import { UsageError } from './errors.js'
import { type Print, formatTable, formatUtc } from './output.js'

const actor = 'cli'

function formatTokenTable (tokens: ApiToken[]): string {
  if (tokens.length === 0) return 'no API tokens yet; create one with: herald token create <name>'
  return formatTable([
    ['NAME', 'CREATED', 'LAST USED'],
    ...tokens.map((token) => [token.name, formatUtc(token.createdAt), token.lastUsedAt === null ? 'never' : formatUtc(token.lastUsedAt)])
  ])
}

/** The single name argument of `token create` / `token revoke`. */
function nameArgument (action: string, rest: string[]): string {
  const { positionals } = parseCommandArgs(`token ${action}`, rest, {}, true)
  const [name, extra] = positionals
  if (name === undefined) throw new UsageError(`token ${action} needs a name: herald token ${action} <name>`)
  if (extra !== undefined) throw new UsageError(`token ${action} takes one name, not also "${extra}"`)
  return name
}

export function tokenCommand (args: string[], env: NodeJS.ProcessEnv, print: Print): void {
  const [action, ...rest] = args
  switch (action) {
    case 'create': {
      const name = nameArgument(action, rest)
      // Only the token goes to stdout, so that TOKEN=$(herald token create ci) captures exactly it.
      const token = withDatabase(loadConfig(env), ({ services }) => services.tokens.create(name, actor))
      print(token)
      return
    }
    case 'list': {
      parseCommandArgs('token list', rest, {})
      print(formatTokenTable(withDatabase(loadConfig(env), ({ services }) => services.tokens.list())))
      return
    }
    case 'revoke': {
      const name = nameArgument(action, rest)
      withDatabase(loadConfig(env), ({ services }) => services.tokens.revoke(name, actor))
      print(`revoked token ${name}`)
      return
    }
    case undefined:
      throw new UsageError('token needs an action: create <name>, list or revoke <name>')
    default:
      throw new UsageError(`unknown token action "${action}": use create <name>, list or revoke <name>`)
  }
}
