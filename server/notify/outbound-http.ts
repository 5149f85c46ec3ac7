// The one way Herald sends HTTP to a subscriber's URL: only to public addresses (checked on the address connected to), no redirects, a time limit on the whole exchange, a bounded read.
import { lookup as dnsLookup } from 'node:dns'
import http, { type IncomingHttpHeaders } from 'node:http'
import https from 'node:https'
import { type LookupFunction, isIP } from 'node:net'
import { userAgent } from '../package-info.js'
import { isSpecialAddress } from './special-addresses.js'

/** What is read of an answer at most; the rest is never read (a receiver cannot make Herald buffer 10 MB). */
export const responseReadLimit = 64 * 1024

export interface OutboundHttpOptions {
  /** SUBSCRIPTIONS_ALLOW_PRIVATE_URLS: loopback, private and other special addresses may be reached (tests, an intranet). */
  allowPrivateUrls: boolean
  /** SUBSCRIPTIONS_ALLOW_HTTP: plain http URLs are allowed too. */
  allowHttpUrls: boolean
  /** The whole exchange, connecting included: past it, the request is given up. */
  requestTimeoutMs: number
  /** How host names are resolved (dns.lookup by default; tests give their own names). */
  lookup?: LookupFunction
}

export interface OutboundRequest {
  url: string
  headers: Record<string, string>
  body: string
  /** Aborts the request (Herald shutting down). */
  signal?: AbortSignal
}

export interface OutboundResponse {
  status: number
  headers: IncomingHttpHeaders
  /** The start of the answer's body, at most responseReadLimit bytes of it, as text. */
  bodyExcerpt: string
}

/**
 * Why nothing was delivered, in words a visitor can act on (none carries a secret):
 * - url: the URL is not one Herald sends to (scheme, credentials);
 * - address: it is, or resolves to, a loopback, private or otherwise special address;
 * - redirect: the receiver answered 3xx (redirects are not followed);
 * - timeout: no whole answer within the time limit;
 * - network: the connection failed (refused, reset, unknown name, TLS);
 * - aborted: Herald is shutting down.
 */
export type OutboundErrorKind = 'url' | 'address' | 'redirect' | 'timeout' | 'network' | 'aborted'

export class OutboundError extends Error {
  readonly kind: OutboundErrorKind
  /** The receiver's status, for a redirect. */
  readonly status: number | null

  constructor (kind: OutboundErrorKind, message: string, status: number | null = null) {
    super(message)
    this.name = 'OutboundError'
    this.kind = kind
    this.status = status
  }
}

// What a receiver wrote (a Location header, an error) shown in Herald's pages and logs: one short line.
export function shortText (text: string, limit = 200): string {
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim()
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line
}

const privateReason = 'resolves to a private address (loopback, private, link-local or reserved); such URLs are refused'

/** The URL checked before anything is sent: its scheme, no credentials, and an IP address written in it. */
export function checkOutboundUrl (text: string, options: Pick<OutboundHttpOptions, 'allowHttpUrls' | 'allowPrivateUrls'>): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new OutboundError('url', 'is not a URL')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttpUrls)) {
    throw new OutboundError('url', url.protocol === 'http:' ? 'must start with https:// (plain http is not allowed here)' : `must start with https://, not ${shortText(url.protocol, 20)}`)
  }
  if (url.username !== '' || url.password !== '') throw new OutboundError('url', 'must not carry a user name or password')
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  // The URL parser has turned every IPv4 spelling (0x7f.1, 2130706433) into a dotted quad: one check holds them all.
  if (isIP(host) !== 0 && !options.allowPrivateUrls && isSpecialAddress(host)) throw new OutboundError('address', privateReason.replace('resolves to', 'is'))
  return url
}

/**
 * The lookup of every connection: the names resolve as usual, and the addresses that are special are dropped
 * from the answer, so the socket can only connect to a public one. Checked here, where the connection gets its
 * address, a name that resolved to a public address once and to 127.0.0.1 the next time (DNS rebinding)
 * cannot slip through a check made before.
 */
export function publicOnlyLookup (resolve: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, '', 4)
        return
      }
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }])
      const allowed = list.filter(({ address }) => !isSpecialAddress(address))
      if (allowed.length === 0) {
        callback(new OutboundError('address', privateReason), '', 4)
        return
      }
      if (options.all === true) (callback as unknown as (error: null, addresses: typeof allowed) => void)(null, allowed)
      else callback(null, (allowed[0] as { address: string }).address, (allowed[0] as { family: number }).family)
    })
  }
}

/** What a failed connection says, without its addresses' secrets (there are none) or a stack. */
function networkError (error: Error & { code?: string }): OutboundError {
  if (error instanceof OutboundError) return error
  const code = error.code
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new OutboundError('network', 'its host name does not resolve')
  if (code === 'ECONNREFUSED') return new OutboundError('network', 'refused the connection')
  return new OutboundError('network', `could not be reached: ${shortText(code ?? error.message, 120)}`)
}

export class OutboundHttp {
  readonly #options: OutboundHttpOptions
  readonly #lookup: LookupFunction
  // Keep-alive: a receiver sent to for every update of an incident reuses its connection.
  // An idle connection is closed after 4 s, before most servers drop theirs (often at 5 s): reusing one the server
  // has just closed would fail a delivery for nothing.
  readonly #agents = {
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16, timeout: 4000 }),
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16, timeout: 4000 })
  }

  constructor (options: OutboundHttpOptions) {
    this.#options = options
    const resolve = options.lookup ?? (dnsLookup as LookupFunction)
    this.#lookup = options.allowPrivateUrls ? resolve : publicOnlyLookup(resolve)
  }

  /** POSTs `body` to `url`; resolves with any answer but a 3xx, throws an OutboundError otherwise. */
  async post (request: OutboundRequest): Promise<OutboundResponse> {
    const url = checkOutboundUrl(request.url, this.#options)
    const seconds = Math.round(this.#options.requestTimeoutMs / 100) / 10
    if (request.signal?.aborted === true) throw new OutboundError('aborted', 'Herald is shutting down')
    return await new Promise<OutboundResponse>((resolve, reject) => {
      const body = Buffer.from(request.body)
      const transport = url.protocol === 'https:' ? https : http
      const outgoing = transport.request(url, {
        method: 'POST',
        agent: this.#agents[url.protocol as 'https:' | 'http:'],
        lookup: this.#lookup,
        headers: { ...request.headers, 'user-agent': userAgent, 'content-length': String(body.length) }
      })
      let settled = false
      const finish = (error: OutboundError | null, response?: OutboundResponse): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        request.signal?.removeEventListener('abort', onAbort)
        if (error === null) resolve(response as OutboundResponse)
        else {
          outgoing.destroy()
          reject(error)
        }
      }
      // Listening before anything can fail: the destroy of a settled request emits an error nobody else hears.
      outgoing.on('error', (error) => { finish(networkError(error)) })
      const timer = setTimeout(() => { finish(new OutboundError('timeout', `no answer within ${seconds} s`)) }, this.#options.requestTimeoutMs)
      const onAbort = (): void => { finish(new OutboundError('aborted', 'Herald is shutting down')) }
      request.signal?.addEventListener('abort', onAbort, { once: true })
      outgoing.on('response', (response) => {
        // Always set on a client's response.
        const status = response.statusCode as number
        if (status >= 300 && status < 400) {
          const location = response.headers.location
          response.destroy()
          finish(new OutboundError('redirect', `redirects are not followed (${status}${location === undefined ? '' : ` to ${shortText(location, 120)}`})`, status))
          return
        }
        const chunks: Buffer[] = []
        let read = 0
        const done = (): void => {
          finish(null, { status, headers: response.headers, bodyExcerpt: Buffer.concat(chunks).toString('utf8') })
        }
        response.on('data', (chunk: Buffer) => {
          if (settled) return
          chunks.push(chunk.subarray(0, responseReadLimit - read))
          read += chunk.length
          if (read >= responseReadLimit) {
            // The rest is dropped unread: the connection is closed rather than drained.
            response.destroy()
            done()
          }
        })
        response.on('end', done)
        response.on('error', (error) => { finish(networkError(error)) })
      })
      outgoing.end(body)
    })
  }

  /** Closes the kept-alive connections. */
  close (): void {
    this.#agents['https:'].destroy()
    this.#agents['http:'].destroy()
  }
}
