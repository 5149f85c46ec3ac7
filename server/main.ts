// The `herald` command line: dispatches to the commands of server/cli/; user mistakes are one line on stderr and exit 1.
import { UsageError, reportError } from './cli/errors.js'
import { type Print, printToStdout } from './cli/output.js'
import { usage } from './cli/usage.js'
import { restartWithYoungGeneration } from './cli/young-generation.js'
import { keepTickShape } from './http/tick-shape.js'

// Each command is imported when it runs: `token create` need not load Fastify and every route.
export async function main (argv: string[], env: NodeJS.ProcessEnv = process.env, print: Print = printToStdout): Promise<void> {
  const [command, ...args] = argv
  switch (command) {
    case 'serve':
      // First of all: on Node 22 and later, this may replace the process with itself plus a V8 flag.
      restartWithYoungGeneration()
      // Before the server's modules load: their collections could drop the shape it keeps.
      await keepTickShape()
      return await (await import('./cli/serve.js')).serveCommand(args, env)
    case 'migrate': return (await import('./cli/migrate.js')).migrateCommand(args, env, print)
    case 'token': return (await import('./cli/token.js')).tokenCommand(args, env, print)
    case 'user': return await (await import('./cli/user.js')).userCommand(args, env, print)
    case 'export': return await (await import('./cli/export.js')).exportCommand(args, env, print)
    case 'demo': return (await import('./cli/demo.js')).demoCommand(args, env, print)
    case 'setup-link': return (await import('./cli/setup-link.js')).setupLinkCommand(args, env, print)
    case 'backup': return await (await import('./cli/backup.js')).backupCommand(args, env, print)
    case 'restore': return await (await import('./cli/restore.js')).restoreCommand(args, env, print)
    case 'monitors': return (await import('./cli/monitors.js')).monitorsCommand(args, env, print)
    case 'cert-check':
      // Its own exit statuses, for cron: 1 when a certificate fails or runs short, 2 for a wrong command line.
      process.exitCode = await (await import('./cli/cert-check.js')).certCheckCommand(args, print, (text) => process.stderr.write(text))
      return
    case 'version':
    case '--version':
      print(`herald ${(await import('./package-info.js')).version}`)
      return
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      print(usage)
      return
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  reportError(error, (text) => process.stderr.write(text))
  process.exitCode = 1
})
