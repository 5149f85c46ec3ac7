// Herald's settings, read from the environment and checked at start, with defaults for the embedded set-up.
import { resolve } from 'node:path'

export interface Config {
  host: string
  port: number
  databasePath: string
  publicUrl: string
  siteName: string
  incidentPrefix: string
  logLevel: string
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function nonEmpty (env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

/** Reads the configuration; throws a ConfigError naming the variable and what it must be. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1'

  const portText = nonEmpty(env, 'PORT') ?? '3000'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${portText}"`)
  }

  const databasePath = resolve(nonEmpty(env, 'DATABASE_PATH') ?? 'data/herald.db')

  const urlText = nonEmpty(env, 'PUBLIC_URL') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let url: URL
  try {
    url = new URL(urlText)
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL such as https://status.example.com, not "${urlText}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_URL must start with http:// or https://, not "${urlText}"`)
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`PUBLIC_URL must not have a query or fragment, not "${urlText}"`)
  }
  // Kept without a trailing slash so that links are PUBLIC_URL + '/path'.
  const publicUrl = url.href.replace(/\/+$/, '')

  const siteName = nonEmpty(env, 'SITE_NAME') ?? 'Herald Status'
  if (siteName.length > 100) throw new ConfigError('SITE_NAME must be at most 100 characters')

  const incidentPrefix = nonEmpty(env, 'INCIDENT_PREFIX') ?? 'INC'
  if (!/^[A-Za-z]{1,10}$/.test(incidentPrefix)) {
    throw new ConfigError(`INCIDENT_PREFIX must be 1 to 10 letters, such as TM, not "${incidentPrefix}"`)
  }

  const logLevel = nonEmpty(env, 'LOG_LEVEL') ?? 'info'
  if (!logLevels.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(', ')}, not "${logLevel}"`)

  return { host, port, databasePath, publicUrl, siteName, incidentPrefix: incidentPrefix.toUpperCase(), logLevel }
}
