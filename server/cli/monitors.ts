// `herald monitors apply|export|list`: monitors as code, from a YAML file, and the list of them with their state.
import { readFileSync, statSync } from 'node:fs'
import { loadConfig } from '../config.js'
import { tlsTargetText } from '../domain/tls-target.js'
import type { Monitor } from '../domain/monitors.js'
import { ApplyInputError, type ApplyReport } from '../services/monitor-service.js'
import { parseCommandArgs } from './args.js'
import { withDatabase } from './database.js'
import { CliError, UsageError } from './errors.js'
import { maxMonitorsFileBytes, monitorsFileText, parseMonitorsFile } from './monitors-file.js'
import { type Print, formatTable, formatUtc } from './output.js'

const actor = 'cli'

function readMonitorsFile (file: string): string {
  try {
    // Refused before it is read: a file of gigabytes would otherwise be loaded whole.
    if (statSync(file).size > maxMonitorsFileBytes) throw new CliError(`${file}: the file is over 1 MiB`)
    return readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof CliError) throw error
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
}

/** What apply did, one line per monitor, then the heartbeat URLs (shown this once) and a summary. */
function reportLines (report: ApplyReport, dryRun: boolean, publicUrl: string): string[] {
  const verb = (done: string, would: string): string => (dryRun ? would : done)
  const lines = [
    ...report.created.map((name) => `${verb('created', 'would create')}: ${name}`),
    ...report.updated.map(({ name, fields }) => `${verb('updated', 'would update')}: ${name} (${fields.join(', ')})`),
    ...report.unchanged.map((name) => `unchanged: ${name}`),
    ...report.removed.map((name) => `${verb('removed', 'would remove')}: ${name}`)
  ]
  for (const { name, secret } of report.heartbeatSecrets) {
    lines.push(`heartbeat ${name}: POST ${publicUrl}/api/v1/heartbeats/${secret} (shown this once)`)
  }
  const counts = `${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.removed.length} removed`
  lines.push(dryRun ? `dry run, nothing written: ${counts}` : counts)
  return lines
}

/** What a monitor watches, in a few words for the list. */
function targetOf (monitor: Monitor): string {
  switch (monitor.kind) {
    case 'http': return `${monitor.settings.method} ${monitor.settings.url}`
    case 'tcp': return tlsTargetText(monitor.settings)
    case 'dns': return `${monitor.settings.recordType} ${monitor.settings.name}`
    case 'tls': return tlsTargetText(monitor.settings)
    case 'heartbeat': return `every ${monitor.intervalS} s + ${monitor.settings.graceS} s`
  }
}

function formatMonitorTable (monitors: Monitor[]): string {
  if (monitors.length === 0) return 'no monitors yet; add them with: herald monitors apply <file.yaml>'
  return formatTable([
    ['NAME', 'KIND', 'STATE', 'LAST RUN', 'TARGET'],
    ...monitors.map((monitor) => [
      monitor.name,
      monitor.kind,
      monitor.paused ? 'paused' : monitor.state,
      monitor.lastRunAt === null ? 'never' : formatUtc(monitor.lastRunAt),
      targetOf(monitor)
    ])
  ])
}

function apply (rest: string[], env: NodeJS.ProcessEnv, print: Print): void {
  const { values, positionals } = parseCommandArgs('monitors apply', rest, { 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' } }, true)
  const [file, extra] = positionals
  if (file === undefined) throw new UsageError('monitors apply needs a file: herald monitors apply <file.yaml> [--dry-run] [--prune]')
  if (extra !== undefined) throw new UsageError(`monitors apply takes one file, not also "${extra}"`)
  const parsed = parseMonitorsFile(file, readMonitorsFile(file))
  const config = loadConfig(env)
  const options = { dryRun: values['dry-run'] === true, prune: values.prune === true }
  const report = withDatabase(config, ({ services }) => {
    try {
      return services.monitors.apply(parsed.entries, actor, options)
    } catch (error) {
      if (!(error instanceof ApplyInputError)) throw error
      const reason = error.message.replace(/^monitor \d+: /, '')
      throw new CliError(`${file}:${parsed.lineOf(error.index, error.path)}: ${reason}`)
    }
  })
  for (const line of reportLines(report, options.dryRun, config.publicUrl)) print(line)
}

export function monitorsCommand (args: string[], env: NodeJS.ProcessEnv, print: Print): void {
  const [action, ...rest] = args
  switch (action) {
    case 'apply':
      apply(rest, env, print)
      return
    case 'export': {
      parseCommandArgs('monitors export', rest, {})
      // The text ends with its own newline; print adds one.
      print(monitorsFileText(withDatabase(loadConfig(env), ({ services }) => services.monitors.exportAll())).replace(/\n$/, ''))
      return
    }
    case 'list': {
      parseCommandArgs('monitors list', rest, {})
      print(formatMonitorTable(withDatabase(loadConfig(env), ({ services }) => services.monitors.list())))
      return
    }
    case undefined:
      throw new UsageError('monitors needs an action: apply <file.yaml>, export or list')
    default:
      throw new UsageError(`unknown monitors action "${action}": use apply <file.yaml>, export or list`)
  }
}
