// Where a TLS certificate is fetched from, as a person writes it: host, host:port, [IPv6]:port, or an https URL; checked, pure.
import { isIP } from 'node:net'
import { domainToASCII } from 'node:url'

export interface TlsTarget {
  /** A DNS name (ASCII, lower case, no final dot) or an IP address (IPv6 without brackets). */
  host: string
  port: number
}

// Control characters, bidi overrides and lone surrogates: nothing a person means in a host name.
const invisible = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const label = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?'
const dnsName = new RegExp(`^${label}(?:\\.${label})*$`)

/** The host as kept, or null when it is no DNS name or IP address. */
function checkedHost (text: string): string | null {
  if (isIP(text) !== 0) return text.toLowerCase()
  const ascii = domainToASCII(text).replace(/\.$/, '')
  return ascii.length > 0 && ascii.length <= 253 && dnsName.test(ascii) ? ascii : null
}

function checkedPort (text: string | undefined, fallback: number): number | string {
  if (text === undefined) return fallback
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : 0
  return port >= 1 && port <= 65_535 ? port : 'the port must be from 1 to 65535'
}

/** A target as written, or why it is not one (a sentence without the text itself, for a person to read beside it). */
export function parseTlsTarget (text: string): TlsTarget | { error: string } {
  if (text === '') return { error: 'is empty' }
  if (invisible.test(text)) return { error: 'must not contain control characters, bidi overrides or lone surrogates' }
  if (text.length > 2_048) return { error: 'must be at most 2048 characters' }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return { error: 'is not a valid URL' }
    }
    if (url.protocol !== 'https:') return { error: `must be an https URL or host:port, not ${url.protocol}` }
    if (url.username !== '' || url.password !== '') return { error: 'must not carry a user name or password' }
    const host = checkedHost(url.hostname.replace(/^\[|\]$/g, ''))
    if (host === null) return { error: 'has no valid host name' }
    return { host, port: url.port === '' ? 443 : Number(url.port) }
  }
  if (isIP(text) === 6) return { host: text.toLowerCase(), port: 443 }
  const match = /^\[([^\]]*)\](?::(.*))?$/.exec(text) ?? /^([^:[\]]*)(?::(.*))?$/.exec(text)
  if (match === null) return { error: 'must be host, host:port, [IPv6]:port or an https URL' }
  const [, rawHost = '', rawPort] = match
  const bracketed = text.startsWith('[')
  const host = bracketed ? (isIP(rawHost) === 6 ? rawHost.toLowerCase() : null) : checkedHost(rawHost)
  if (host === null) return { error: bracketed ? 'has no valid IPv6 address in brackets' : 'has no valid host name' }
  const port = checkedPort(rawPort, 443)
  return typeof port === 'string' ? { error: port } : { host, port }
}

/** `host:port` as written back (an IPv6 address in brackets). */
export function tlsTargetText (target: TlsTarget): string {
  return `${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`
}
