// `herald user add|passwd|remove|list`: the admin UI's users from the machine's shell.
import { type Config, loadConfig } from '../config.js'
import { type Role, type User, roles } from '../domain/accounts.js'
import { ConflictError, NotFoundError } from '../services/errors.js'
import type { Services } from '../services/services.js'
import { UserInputError, userNameProblem } from '../services/user-service.js'
import { parseCommandArgs } from './args.js'
import { withDatabase } from './database.js'
import { UsageError } from './errors.js'
import { type Print, formatTable, formatUtc } from './output.js'
import { type PasswordStreams, readNewPassword } from './password-input.js'

const actor = 'cli'
const actions = 'add <name> --role admin|editor, passwd <name>, remove <name> or list'

/** The services over the migrated database, closed once the (async) work has settled. */
async function withServices<T> (config: Config, work: (services: Services) => Promise<T>): Promise<T> {
  return await withDatabase(config, async ({ services }) => await work(services))
}

function formatUserTable (users: User[]): string {
  if (users.length === 0) return 'no users yet; add the first admin with: herald user add <name> --role admin'
  return formatTable([['NAME', 'ROLE', 'CREATED'], ...users.map((user) => [user.name, user.role, formatUtc(user.createdAt)])])
}

/** The single name argument of an action, after its options. */
function nameArgument (action: string, positionals: string[]): string {
  const [name, extra] = positionals
  if (name === undefined) throw new UsageError(`user ${action} needs a name: herald user ${action} <name>`)
  if (extra !== undefined) throw new UsageError(`user ${action} takes one name, not also "${extra}"`)
  return name
}

function existingUser (services: Services, name: string): User {
  const user = services.users.byName(name)
  if (user === undefined) throw new NotFoundError(`no user named ${name}; see herald user list`)
  return user
}

const defaultStreams: PasswordStreams = { input: process.stdin, prompts: process.stderr }

export async function userCommand (args: string[], env: NodeJS.ProcessEnv, print: Print, streams: PasswordStreams = defaultStreams): Promise<void> {
  const [action, ...rest] = args
  switch (action) {
    case 'add': {
      const { values, positionals } = parseCommandArgs('user add', rest, { role: { type: 'string', short: 'r' } }, true)
      const name = nameArgument(action, positionals)
      const role = values.role
      if (role === undefined) throw new UsageError('user add needs a role: --role admin or --role editor')
      if (!roles.includes(role as Role)) throw new UsageError(`user add: the role must be admin or editor, not "${role}"`)
      const user = await withServices(loadConfig(env), async (services) => {
        // Checked before the password is asked for, so that nobody types one for nothing.
        const problem = userNameProblem(name)
        if (problem !== undefined) throw new UserInputError('name', problem)
        if (services.users.byName(name) !== undefined) throw new ConflictError(`a user named ${name} already exists`)
        const password = await readNewPassword(streams, name)
        return await services.users.create(name, password, role as Role, actor)
      })
      print(`added ${user.role} ${user.name}`)
      return
    }
    case 'passwd': {
      const name = nameArgument(action, parseCommandArgs('user passwd', rest, {}, true).positionals)
      const user = await withServices(loadConfig(env), async (services) => {
        const user = existingUser(services, name)
        await services.users.changePassword(user.name, await readNewPassword(streams, user.name), actor)
        return user
      })
      print(`changed the password of ${user.name}; their sessions are signed out`)
      return
    }
    case 'remove': {
      const name = nameArgument(action, parseCommandArgs('user remove', rest, {}, true).positionals)
      const user = await withServices(loadConfig(env), async (services) => {
        const user = existingUser(services, name)
        services.users.remove(user.name, actor)
        return user
      })
      print(`removed ${user.role} ${user.name}; their sessions are signed out`)
      return
    }
    case 'list': {
      parseCommandArgs('user list', rest, {})
      print(formatUserTable(await withServices(loadConfig(env), async (services) => services.users.list())))
      return
    }
    case undefined:
      throw new UsageError(`user needs an action: ${actions}`)
    default:
      throw new UsageError(`unknown user action "${action}": use ${actions}`)
  }
}
