// Herald's settings, read from the environment and checked at start, with defaults for the embedded set-up.
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { type PasswordHashing, passwordHashingFloor } from './domain/accounts.js'
import { defaultMaintenancePrefix, isValidReferencePrefix } from './domain/references.js'
import { checkEmailAddress } from './domain/subscriber-targets.js'

export interface Config {
  host: string
  port: number
  databasePath: string
  publicUrl: string
  siteName: string
  incidentPrefix: string
  /** Upper case; the prefix of maintenances' generated references (MNT000001), their own sequence. */
  maintenancePrefix: string
  logLevel: string
  /** JSON lines for a log collector, or lines for a person; `auto` is pretty on a terminal, JSON elsewhere. */
  logFormat: 'auto' | 'json' | 'pretty'
  /** Cache-Control of public responses, for browsers and a CDN or proxy in front. */
  cache: CacheHeaders
  /** The CSP frame-ancestors of public pages: who may embed them ('none' unless FRAME_ANCESTORS says). */
  frameAncestors: string
  /** How long a request (headers and body) may take to arrive, and how many connections one address may hold. */
  limits: ServerLimits
  /** Where a static mirror of the public site is kept current; absent when none is kept. */
  exportDir?: string
  /** Cross-posting of updates; absent when no social channel is configured. */
  social?: SocialConfig
  /** Telling subscribers (email, webhooks, chats): always there; email is off without SMTP_URL. */
  subscriptions: SubscriptionsConfig
  /** The monitors' scheduler and what their checks trust and ask. */
  monitors: MonitorsConfig
  /**
   * The cost new passwords are hashed at. Not read from the environment: always the floor, which no operator
   * should lower. Only the tests lower it, so that hundreds of sign-ins do not spend minutes of CPU.
   */
  passwordHashing: PasswordHashing
}

export interface CacheHeaders {
  /** Seconds a browser or CDN may reuse a response without asking. */
  maxAge: number
  /** Seconds a cache in front may serve the last response while it fetches a new one, or while Herald is down. */
  stale: number
}

export interface ServerLimits {
  /** The longest a whole request (headers and body) may take to arrive. */
  requestTimeoutMs: number
  /** Open connections one address may hold (0: no cap); loopback, where a proxy connects from, is exempt. */
  connectionsPerAddress: number
  /** On SIGTERM, how long the server keeps serving with /readyz at 503 before it closes. */
  shutdownDrainMs: number
}

export interface TwitterConfig {
  apiKey: string
  apiSecret: string
  accessToken: string
  accessSecret: string
  /** Where the X API v2 is reached, ending in a slash. */
  apiUrl: string
}

export interface MastodonConfig {
  /** The instance, ending in a slash. */
  url: string
  token: string
  charLimit: number
}

export interface SocialConfig {
  twitter: TwitterConfig | null
  mastodon: MastodonConfig | null
  /** Whether this process runs the outbox worker (SOCIAL_WORKER=off leaves the sending to another). */
  worker: boolean
  /** The longest one request to a channel may take. */
  requestTimeoutMs: number
  /** Attempts before a delivery fails for good. */
  maxAttempts: number
  /** The first retry's delay; each later one doubles it, up to 15 minutes, with jitter. */
  retryBaseMs: number
}

export interface DkimConfig {
  /** The PEM private key, read from DKIM_PRIVATE_KEY_FILE at start. */
  privateKey: string
  domainName: string
  keySelector: string
}

export interface EmailConfig {
  /** smtp:// (STARTTLS when the server offers it) or smtps://, with the credentials if any. Never logged. */
  smtpUrl: string
  /** The From header: an address, or `Name <address>`. */
  from: string
  dkim: DkimConfig | null
}

export interface SubscriptionsConfig {
  /** null without SMTP_URL: nobody can subscribe by email. */
  email: EmailConfig | null
  /** SUBSCRIPTIONS_ALLOW_PRIVATE_URLS=1: webhooks may reach loopback and private addresses (tests, an intranet). */
  allowPrivateUrls: boolean
  /** SUBSCRIPTIONS_ALLOW_HTTP=1: webhook URLs may be plain http. */
  allowHttpUrls: boolean
  /** Whether this process runs the subscriber worker (SUBSCRIPTIONS_WORKER=off leaves the sending to another). */
  worker: boolean
  /** The longest one delivery (a webhook's answer, an SMTP exchange) may take. */
  requestTimeoutMs: number
  /** Attempts before a delivery fails for good. */
  maxAttempts: number
  /** The first retry's delay; each later one doubles it, with jitter. */
  retryBaseMs: number
  /** How long a webhook or chat may fail in a row before it is quarantined. */
  quarantineAfterMs: number
  /** ADMIN_NOTICE_EMAIL: who is emailed when a delivery fails for good (needs email on). */
  noticeEmail: string | null
  /** Days an unconfirmed email subscription is kept (fixed). */
  unconfirmedDays: number
}

export interface MonitorsConfig {
  /** Whether this process runs the monitors' checks and heartbeat deadlines (MONITORS_WORKER=off leaves them to another). */
  worker: boolean
  /** MONITORS_CA_FILE's certificates (PEM, read at start), trusted by the checks besides the system's. */
  trustedCertificates: string[]
  /** MONITORS_DNS_SERVERS: the resolvers DNS checks ask (`ip` or `ip:port`, `[ipv6]:port`); the system's when empty. */
  dnsServers: string[]
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

// The longest a Cache-Control time may be (RFC 9111 caches treat more as a year anyway).
const oneYear = 31_536_000

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function nonEmpty (env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

/** Reads the configuration; throws a ConfigError naming the variable and what it must be. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1'

  const port = wholeNumber(env, 'PORT', 3000, 0, 65535)

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
  if (!isValidReferencePrefix(incidentPrefix)) {
    throw new ConfigError(`INCIDENT_PREFIX must be 1 to 10 letters, such as TM, not "${incidentPrefix}"`)
  }
  const maintenancePrefix = nonEmpty(env, 'MAINTENANCE_PREFIX') ?? defaultMaintenancePrefix
  if (!isValidReferencePrefix(maintenancePrefix)) {
    throw new ConfigError(`MAINTENANCE_PREFIX must be 1 to 10 letters, such as MNT, not "${maintenancePrefix}"`)
  }

  const logLevel = nonEmpty(env, 'LOG_LEVEL') ?? 'info'
  if (!logLevels.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(', ')}, not "${logLevel}"`)
  const logFormat = oneOf(env, 'LOG_FORMAT', ['auto', 'json', 'pretty'], 'auto') as Config['logFormat']

  // A CDN or proxy in front may reuse a page for 10 s, and keep serving the last one for a day when Herald is down.
  const cache = { maxAge: wholeNumber(env, 'CACHE_MAX_AGE', 10, 0, oneYear), stale: wholeNumber(env, 'CACHE_STALE', 86_400, 0, oneYear) }

  // A body must arrive within seconds; a browser needs a handful of connections, an office behind one NAT some hundreds.
  const limits = {
    requestTimeoutMs: wholeNumber(env, 'REQUEST_TIMEOUT_MS', 10_000, 1_000, 300_000),
    connectionsPerAddress: wholeNumber(env, 'CONNECTIONS_PER_ADDRESS', 256, 0, 1_000_000),
    // Long enough for a balancer polling /readyz every second to see it; at most a minute, under a supervisor's kill timeout.
    shutdownDrainMs: wholeNumber(env, 'SHUTDOWN_DRAIN_MS', 1_000, 0, 60_000)
  }

  const frameAncestors = loadFrameAncestors(env)

  const subscriptions = loadSubscriptionsConfig(env)
  const monitors = loadMonitorsConfig(env)
  const config: Config = { host, port, databasePath, publicUrl, siteName, incidentPrefix: incidentPrefix.toUpperCase(), maintenancePrefix: maintenancePrefix.toUpperCase(), logLevel, logFormat, cache, limits, frameAncestors, subscriptions, monitors, passwordHashing: passwordHashingFloor }
  const exportDir = nonEmpty(env, 'EXPORT_DIR')
  if (exportDir !== undefined) config.exportDir = resolve(exportDir)
  const social = loadSocialConfig(env)
  if (social !== undefined) config.social = social
  return config
}

// A CSP source: a keyword, a scheme (https:), or a host with an optional scheme, *. prefix, port and path.
const frameSource = /^(?:'self'|\*|[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?(?:\/[^\s;,']*)?)$/i

/**
 * FRAME_ANCESTORS: the sites that may show the public pages in a frame, as CSP sources separated by
 * spaces ('self', https://intranet.example.com); 'none' by default. Quotes around self and none may be left out.
 */
function loadFrameAncestors (env: NodeJS.ProcessEnv): string {
  const text = nonEmpty(env, 'FRAME_ANCESTORS') ?? "'none'"
  const sources = text.split(/\s+/).map((source) => /^(?:'(?:self|none)'|self|none)$/i.test(source) ? `'${source.replace(/'/g, '').toLowerCase()}'` : source)
  const none = sources.includes("'none'")
  if ((none && sources.length > 1) || sources.some((source) => source !== "'none'" && !frameSource.test(source))) {
    throw new ConfigError(`FRAME_ANCESTORS must be 'none', or sources separated by spaces such as 'self' https://intranet.example.com, not "${text}"`)
  }
  return sources.join(' ')
}

const twitterVariables = ['TWITTER_API_KEY', 'TWITTER_API_SECRET', 'TWITTER_ACCESS_TOKEN', 'TWITTER_ACCESS_SECRET'] as const
const mastodonVariables = ['MASTODON_URL', 'MASTODON_TOKEN'] as const

/**
 * The social channels: each is on when its settings are all there; some of them only is a mistake that
 * stops start-up, naming what is missing. Messages never repeat a credential's value.
 */
function loadSocialConfig (env: NodeJS.ProcessEnv): SocialConfig | undefined {
  const twitter = allOrNone(env, twitterVariables, ['TWITTER_API_URL'], 'Twitter/X')
  const mastodon = allOrNone(env, mastodonVariables, ['MASTODON_CHAR_LIMIT'], 'Mastodon')
  const worker = oneOf(env, 'SOCIAL_WORKER', ['on', 'off'], 'on') === 'on'
  const requestTimeoutMs = wholeNumber(env, 'SOCIAL_REQUEST_TIMEOUT_MS', 10_000, 100, 120_000)
  const maxAttempts = wholeNumber(env, 'SOCIAL_MAX_ATTEMPTS', 8, 1, 100)
  const retryBaseMs = wholeNumber(env, 'SOCIAL_RETRY_BASE_MS', 5_000, 1, 3_600_000)
  if (twitter === undefined && mastodon === undefined) return undefined
  return {
    twitter: twitter === undefined
      ? null
      : {
          apiKey: credential(twitter, 'TWITTER_API_KEY'),
          apiSecret: credential(twitter, 'TWITTER_API_SECRET'),
          accessToken: credential(twitter, 'TWITTER_ACCESS_TOKEN'),
          accessSecret: credential(twitter, 'TWITTER_ACCESS_SECRET'),
          apiUrl: baseUrl(env, 'TWITTER_API_URL', 'https://api.x.com/')
        },
    mastodon: mastodon === undefined
      ? null
      : {
          url: baseUrl(env, 'MASTODON_URL', ''),
          token: credential(mastodon, 'MASTODON_TOKEN'),
          charLimit: wholeNumber(env, 'MASTODON_CHAR_LIMIT', 500, 100, 10_000)
        },
    worker,
    requestTimeoutMs,
    maxAttempts,
    retryBaseMs
  }
}

/** The monitors' settings: the worker switch, the extra trusted CAs (a file that is no PEM bundle stops start-up), the DNS servers. */
function loadMonitorsConfig (env: NodeJS.ProcessEnv): MonitorsConfig {
  const worker = oneOf(env, 'MONITORS_WORKER', ['on', 'off'], 'on') === 'on'
  const caFile = nonEmpty(env, 'MONITORS_CA_FILE')
  const trustedCertificates = caFile === undefined ? [] : loadCertificates(resolve(caFile))
  const serversText = nonEmpty(env, 'MONITORS_DNS_SERVERS')
  const dnsServers = serversText === undefined ? [] : serversText.split(',').map((server) => dnsServer(server.trim(), serversText))
  return { worker, trustedCertificates, dnsServers }
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g

function loadCertificates (file: string): string[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`MONITORS_CA_FILE cannot be read (${file}): ${String((error as NodeJS.ErrnoException).code)}`)
  }
  const certificates = text.match(pemCertificate) ?? []
  if (certificates.length === 0) throw new ConfigError(`MONITORS_CA_FILE (${file}) must hold PEM certificates (-----BEGIN CERTIFICATE-----)`)
  certificates.forEach((pem, index) => {
    try {
      // eslint-disable-next-line no-new
      new X509Certificate(pem)
    } catch {
      throw new ConfigError(`MONITORS_CA_FILE (${file}): certificate ${index + 1} of ${certificates.length} cannot be read`)
    }
  })
  return certificates
}

/** One resolver: an IPv4 or IPv6 address, with a port as 127.0.0.1:5353 or [::1]:5353. */
function dnsServer (text: string, all: string): string {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text)
  const withPort = /^([^:]+):(\d{1,5})$/.exec(text)
  const [address, port] = bracketed !== null ? [bracketed[1] as string, bracketed[2]] : withPort !== null ? [withPort[1] as string, withPort[2]] : [text, undefined]
  const valid = bracketed === null ? isIP(address) !== 0 : isIP(address) === 6
  if (!valid || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new ConfigError(`MONITORS_DNS_SERVERS must be IP addresses, each with an optional port (127.0.0.1:5353, [::1]:53), separated by commas, not "${all}"`)
  }
  return text
}

const dkimVariables = ['DKIM_PRIVATE_KEY_FILE', 'DKIM_DOMAIN', 'DKIM_SELECTOR'] as const

/**
 * The subscriptions' settings. Email is on with SMTP_URL and MAIL_FROM together; DKIM with its three
 * settings together. Half a setting stops start-up naming what is missing; a message never repeats the
 * SMTP URL, which holds the password.
 */
function loadSubscriptionsConfig (env: NodeJS.ProcessEnv): SubscriptionsConfig {
  const email = loadEmailConfig(env)
  const noticeText = nonEmpty(env, 'ADMIN_NOTICE_EMAIL')
  let noticeEmail: string | null = null
  if (noticeText !== undefined) {
    const checked = checkEmailAddress(noticeText)
    if (!checked.ok) throw new ConfigError(`ADMIN_NOTICE_EMAIL must be an email address: ${checked.reason}`)
    if (email === null) throw new ConfigError('ADMIN_NOTICE_EMAIL needs SMTP_URL and MAIL_FROM: notices are sent by email')
    noticeEmail = checked.value
  }
  return {
    email,
    allowPrivateUrls: flag(env, 'SUBSCRIPTIONS_ALLOW_PRIVATE_URLS'),
    allowHttpUrls: flag(env, 'SUBSCRIPTIONS_ALLOW_HTTP'),
    worker: oneOf(env, 'SUBSCRIPTIONS_WORKER', ['on', 'off'], 'on') === 'on',
    requestTimeoutMs: wholeNumber(env, 'SUBSCRIPTIONS_REQUEST_TIMEOUT_MS', 10_000, 100, 120_000),
    maxAttempts: wholeNumber(env, 'SUBSCRIPTIONS_MAX_ATTEMPTS', 12, 1, 100),
    retryBaseMs: wholeNumber(env, 'SUBSCRIPTIONS_RETRY_BASE_MS', 30_000, 1, 3_600_000),
    quarantineAfterMs: wholeNumber(env, 'SUBSCRIPTIONS_QUARANTINE_AFTER_MS', 86_400_000, 1, 30 * 86_400_000),
    noticeEmail,
    unconfirmedDays: 7
  }
}

function loadEmailConfig (env: NodeJS.ProcessEnv): EmailConfig | null {
  const smtpText = nonEmpty(env, 'SMTP_URL')
  const fromText = nonEmpty(env, 'MAIL_FROM')
  const dkimGiven = dkimVariables.some((name) => nonEmpty(env, name) !== undefined)
  if (smtpText === undefined) {
    if (fromText !== undefined || dkimGiven) {
      const given = ['MAIL_FROM', ...dkimVariables].filter((name) => nonEmpty(env, name) !== undefined)
      throw new ConfigError(`SMTP_URL is missing: ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set, but email needs SMTP_URL (or none of them, to leave email off)`)
    }
    return null
  }
  let url: URL | undefined
  try {
    url = new URL(smtpText)
  } catch {}
  // The URL holds the password: the message says what is wrong without repeating it.
  if (url === undefined) throw new ConfigError('SMTP_URL must be a URL such as smtp://user:password@mail.example.com:587')
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('SMTP_URL must start with smtp:// or smtps://')
  if (url.hostname === '') throw new ConfigError('SMTP_URL must name the mail server\'s host')
  if (fromText === undefined) throw new ConfigError('MAIL_FROM is missing: with SMTP_URL, email needs the From address, such as "Status <status@example.com>"')
  const from = checkMailFrom(fromText)
  return { smtpUrl: smtpText, from, dkim: dkimGiven ? loadDkim(env) : null }
}

/**
 * MAIL_FROM: `address` or `Name <address>` (the name may be in double quotes). The name may not hold what
 * would break the header; one with a comma, a dot or another special of RFC 5322 is quoted, or a mailer
 * would read `Example, Inc <status@example.com>` as two addresses.
 */
function checkMailFrom (text: string): string {
  const named = /^([\s\S]*?)\s*<([^<>]*)>$/.exec(text)
  const address = named === null ? text : (named[2] as string)
  const checked = checkEmailAddress(address)
  if (!checked.ok) throw new ConfigError(`MAIL_FROM must be an address or Name <address>: ${checked.reason}`)
  const name = named === null ? '' : (named[1] as string).replace(/^"(.*)"$/, '$1').trim()
  if (/[\u0000-\u001F\u007F-\u009F<>"\\]/.test(name)) {
    throw new ConfigError('MAIL_FROM\'s name must not contain control characters, quotes, backslashes or angle brackets')
  }
  if (name === '') return checked.value
  return /[()[\]:;@,.]/.test(name) ? `"${name}" <${checked.value}>` : `${name} <${checked.value}>`
}

function loadDkim (env: NodeJS.ProcessEnv): DkimConfig {
  const missing = dkimVariables.filter((name) => nonEmpty(env, name) === undefined)
  if (missing.length > 0) {
    throw new ConfigError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: DKIM signing needs ${dkimVariables.join(', ')} (or none of them, to send unsigned)`)
  }
  const file = resolve(nonEmpty(env, 'DKIM_PRIVATE_KEY_FILE') as string)
  let privateKey: string
  try {
    privateKey = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`DKIM_PRIVATE_KEY_FILE cannot be read (${file}): ${String((error as NodeJS.ErrnoException).code)}`)
  }
  if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(privateKey)) {
    throw new ConfigError(`DKIM_PRIVATE_KEY_FILE (${file}) must hold a PEM private key (-----BEGIN PRIVATE KEY-----)`)
  }
  const domainName = (nonEmpty(env, 'DKIM_DOMAIN') as string).toLowerCase()
  if (!/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(domainName)) throw new ConfigError(`DKIM_DOMAIN must be a domain name such as example.com, not "${domainName}"`)
  const keySelector = nonEmpty(env, 'DKIM_SELECTOR') as string
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})$/.test(keySelector)) throw new ConfigError(`DKIM_SELECTOR must be letters, digits, dots, hyphens and underscores, not "${keySelector}"`)
  return { privateKey, domainName, keySelector }
}

/** A switch that is on only when set to 1 (or true, yes, on). */
function flag (env: NodeJS.ProcessEnv, name: string): boolean {
  const text = nonEmpty(env, name)
  if (text === undefined) return false
  if (/^(?:1|true|yes|on)$/i.test(text)) return true
  if (/^(?:0|false|no|off)$/i.test(text)) return false
  throw new ConfigError(`${name} must be 1 or 0, not "${text}"`)
}

/** The required values of a channel when all are set, undefined when none (nor any optional one) is. */
function allOrNone (env: NodeJS.ProcessEnv, required: readonly string[], optional: string[], channel: string): Map<string, string> | undefined {
  const values = new Map(required.flatMap((name) => {
    const value = nonEmpty(env, name)
    return value === undefined ? [] : [[name, value]]
  }))
  if (values.size === 0 && optional.every((name) => nonEmpty(env, name) === undefined)) return undefined
  const missing = required.filter((name) => !values.has(name))
  if (missing.length > 0) {
    throw new ConfigError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: ${channel} needs ${required.join(', ')} (or none of them, to leave it off)`)
  }
  return values
}

function credential (values: Map<string, string>, name: string): string {
  const value = values.get(name) as string
  // A credential goes into a request header: spaces or controls in it are a copy-paste mistake.
  if (/[\s\u0000-\u001F\u007F]/.test(value)) throw new ConfigError(`${name} must not contain spaces or control characters`)
  return value
}

function baseUrl (env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const text = nonEmpty(env, name) ?? fallback
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, not "${text}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must start with http:// or https://, not "${text}"`)
  // Credentials in a URL would end up in error messages; a query or fragment cannot be a base.
  if (url.username !== '' || url.password !== '') throw new ConfigError(`${name} must not contain a user name or password`)
  if (url.search !== '' || url.hash !== '') throw new ConfigError(`${name} must not have a query or fragment, not "${text}"`)
  return url.href.endsWith('/') ? url.href : `${url.href}/`
}

function wholeNumber (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = nonEmpty(env, name)
  if (text === undefined) return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`)
  return value
}

function oneOf (env: NodeJS.ProcessEnv, name: string, values: string[], fallback: string): string {
  const value = nonEmpty(env, name) ?? fallback
  if (!values.includes(value)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, not "${value}"`)
  return value
}
