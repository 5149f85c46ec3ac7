// `herald cert-check <host[:port]|https-url>...`: each certificate's days left, issuer and names, from cron, with no server, database or settings.
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { daysLeft } from '../domain/certificate-warnings.js'
import { type MonitorDefinition, monitorLimits } from '../domain/monitors.js'
import { type TlsTarget, parseTlsTarget, tlsTargetText } from '../domain/tls-target.js'
import { issuerName } from '../monitors/certificate.js'
import { pemCertificates } from '../monitors/check-context.js'
import { errorLine, runCheck } from '../monitors/run-check.js'
import { parseCommandArgs } from './args.js'
import { CliError, UsageError, reportError } from './errors.js'
import type { Print } from './output.js'

export const certCheckUsage = 'herald cert-check <host[:port]|https-url>... [--days N] [--ca FILE] [--timeout SECONDS]'

/** Exit statuses: every certificate passed; one is under the threshold, invalid or unreachable; the command line is wrong. */
export const exitStatus = { passed: 0, failed: 1, usage: 2 } as const

const defaultDays = 14
const defaultTimeoutS = 10
const maxNamesShown = 10

// Control characters and bidi overrides, shown escaped when an argument is quoted back: a terminal never gets them raw.
const unprintable = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udfff]/g

function quoted (argument: string, limit = 100): string {
  const shown = argument.length > limit ? `${argument.slice(0, limit - 1)}…` : argument
  return `"${shown.replace(/["\\]/g, '\\$&').replace(unprintable, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`
}

const help = `usage: ${certCheckUsage}

Prints each target's TLS certificate: days left, expiry date, issuer and names, or why it fails
(expired, not yet valid, not trusted, for another name, unreachable). A target is host (port 443),
host:port, [IPv6]:port or an https:// URL.

  --days N             fewer than N days left fails (default ${defaultDays})
  --ca FILE            a PEM file of CA certificates to trust besides the system's
  --timeout SECONDS    per target (default ${defaultTimeoutS}); the targets are checked side by side

Exit status: 0 all passed, 1 one failed or is under N days, 2 a wrong command line.`

interface Settings {
  help: boolean
  targets: TlsTarget[]
  days: number
  timeoutMs: number
  trusted: string[]
}

function readCa (file: string): string[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`cert-check: cannot read --ca ${quoted(file, 4096)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  const pems = pemCertificates(text)
  if (pems.length === 0) throw new UsageError(`cert-check: --ca ${quoted(file, 4096)} holds no PEM certificate`)
  for (const pem of pems) {
    try {
      // eslint-disable-next-line no-new
      new X509Certificate(pem)
    } catch {
      throw new UsageError(`cert-check: --ca ${quoted(file, 4096)} holds a certificate that cannot be read`)
    }
  }
  return pems
}

function parseSettings (args: string[]): Settings {
  const { values, positionals } = parseCommandArgs('cert-check', args, {
    days: { type: 'string' },
    ca: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }, true)
  if (values.help === true) return { help: true, targets: [], days: defaultDays, timeoutMs: defaultTimeoutS * 1000, trusted: [] }
  if (positionals.length === 0) throw new UsageError(`cert-check needs at least one target: ${certCheckUsage}`)
  const targets = positionals.map((text) => {
    const parsed = parseTlsTarget(text)
    if ('error' in parsed) throw new UsageError(`cert-check: target ${quoted(text)} ${parsed.error}`)
    return parsed
  })
  const daysText = values.days ?? String(defaultDays)
  if (!/^[0-9]{1,4}$/.test(daysText) || Number(daysText) > 3650) {
    throw new UsageError(`cert-check: --days must be a whole number of days from 0 to 3650, not ${quoted(daysText)}`)
  }
  const timeoutText = values.timeout ?? String(defaultTimeoutS)
  const timeoutS = /^[0-9]{1,3}(\.[0-9]{1,3})?$/.test(timeoutText) ? Number(timeoutText) : Number.NaN
  const { minTimeoutMs, maxTimeoutMs } = monitorLimits
  if (!(timeoutS * 1000 >= minTimeoutMs && timeoutS * 1000 <= maxTimeoutMs)) {
    throw new UsageError(`cert-check: --timeout must be seconds from ${minTimeoutMs / 1000} to ${maxTimeoutMs / 1000}, not ${quoted(timeoutText)}`)
  }
  return {
    help: false,
    targets,
    days: Number(daysText),
    timeoutMs: Math.round(timeoutS * 1000),
    trusted: values.ca === undefined ? [] : readCa(values.ca)
  }
}

function tlsDefinition (target: TlsTarget, timeoutMs: number): MonitorDefinition {
  return {
    kind: 'tls',
    settings: { host: target.host, port: target.port, servername: null },
    name: tlsTargetText(target),
    intervalS: monitorLimits.minTlsIntervalS,
    timeoutMs,
    failureThreshold: 1,
    successThreshold: 1,
    latencyLimitMs: null,
    componentId: null,
    downStatus: 'major_outage',
    degradedStatus: 'degraded_performance',
    incidentMode: 'off',
    certWarningDays: [],
    paused: false
  }
}

/** Runs the command; resolves with its exit status (usage mistakes are written to `printError` as one line). */
export async function certCheckCommand (args: string[], print: Print, printError: (text: string) => void): Promise<number> {
  let settings: Settings
  try {
    settings = parseSettings(args)
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof CliError)) throw error
    reportError(error, printError)
    return exitStatus.usage
  }
  if (settings.help) {
    print(help)
    return exitStatus.passed
  }
  const now = new Date()
  const env = { clock: () => now, trustedCertificates: settings.trusted }
  // Side by side: one unreachable target costs the run its timeout once, not once per target.
  const outcomes = await Promise.all(settings.targets.map((target) => runCheck(tlsDefinition(target, settings.timeoutMs), env)))
  const width = Math.max(...settings.targets.map((target) => tlsTargetText(target).length))
  let status: number = exitStatus.passed
  outcomes.forEach((outcome, index) => {
    const target = tlsTargetText(settings.targets[index] as TlsTarget).padEnd(width)
    const certificate = outcome.certificate
    if (!outcome.ok || certificate === null) {
      status = exitStatus.failed
      print(`${target}  FAILED: ${outcome.error ?? 'no certificate'}`)
      return
    }
    const left = daysLeft(certificate.expiresAt, now)
    const names = certificate.names.slice(0, maxNamesShown).join(', ') +
      (certificate.names.length > maxNamesShown ? `, … (${certificate.names.length} names)` : '')
    const under = left < settings.days ? `  UNDER ${settings.days} DAYS` : ''
    if (under !== '') status = exitStatus.failed
    print(`${target}  ${left === 1 ? '1 day' : `${left} days`} left (${certificate.expiresAt.slice(0, 10)})  ` +
      `issuer ${quoted(errorLine(issuerName(certificate)))}  names ${errorLine(names)}${under}`)
  })
  return status
}
