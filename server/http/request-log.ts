// The log: JSON lines, or lines for a person on a terminal; of a request, the URL with its secrets taken out and never a credential header.
import type { FastifyServerOptions, LogLevel } from 'fastify'
import type { Config } from '../config.js'

// Query parameters that carry a secret however they are spelled: the setup link's token, a token someone
// put in the URL instead of the Authorization header (refused, but still logged before).
const secretParameter = /([?&;](?:[^=&;#]*(?:token|secret|password|key)[^=&;#]*)=)[^&;#]*/gi

// A heartbeat's secret is its path (POST /api/v1/heartbeats/<secret>, and /fail): whoever reads the log could
// otherwise call it, and a job that stopped would look alive. Any case and repeated slashes, as for the query.
const secretPath = /(\/heartbeats\/+)[^/?#;]+/gi

/** The URL as logged: a heartbeat's secret and the value of every secret-looking query parameter become [redacted]. */
export function redactUrl (url: string): string {
  const path = url.replace(secretPath, '$1[redacted]')
  return path.includes('?') ? path.replace(secretParameter, '$1[redacted]') : path
}

interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

/**
 * Pino serializers for Fastify's logger: Fastify's own request serializer, with the URL redacted. Any
 * URL can carry a secret (a mistyped setup link, /admin//setup?token=…), so it is redacted everywhere
 * rather than on the routes that expect one.
 */
const requestLogSerializers = {
  req (request: LoggedRequest): Record<string, unknown> {
    return {
      method: request.method,
      url: redactUrl(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort
    }
  }
}

/**
 * Fastify's logger settings: JSON lines on standard output (what a collector or journald keeps), or,
 * when LOG_FORMAT says so or is `auto` on a terminal, the same records as coloured lines a person reads.
 */
export async function loggerOptions (config: Pick<Config, 'logLevel' | 'logFormat'>, terminal = process.stdout.isTTY === true): Promise<FastifyServerOptions['logger']> {
  const options = { level: config.logLevel, serializers: requestLogSerializers, redact: ['req.headers.authorization', 'req.headers.cookie'] }
  const readable = config.logFormat === 'pretty' || (config.logFormat === 'auto' && terminal)
  if (!readable) return options
  // Loaded only here: a server logging JSON (any but one on a terminal) keeps its memory for something else.
  const { default: pretty } = await import('pino-pretty')
  // A stream in this thread, not a transport's worker: a line is written before the process can exit.
  return { ...options, stream: pretty({ colorize: terminal, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l o', ignore: 'pid,hostname', sync: true }) }
}

const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']

/** A route's log level when its requests are not worth a line each (health probes, the setup page): warnings and worse, or less when LOG_LEVEL asks for less. */
export function quietLogLevel (configured: string): LogLevel {
  const index = levels.indexOf(configured as LogLevel)
  return index > levels.indexOf('warn') ? levels[index] as LogLevel : 'warn'
}
