// The http check: a request as the monitor describes it, redirects followed by hand, the status, body conditions and (https) certificate judged.
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http'
import net from 'node:net'
import type { Duplex } from 'node:stream'
import { type HttpSettings, monitorLimits } from '../domain/monitors.js'
import { userAgent } from '../package-info.js'
import type { Check, CheckContext } from './check-context.js'
import { connectTls } from './tls-check.js'

/** What is read of a body at most; past it the rest is never read, and the conditions judge the start. */
export const bodyReadLimit = 1024 * 1024

const redirectStatuses = new Set([301, 302, 303, 307, 308])

// Headers that carry the monitor's credentials for its target: never sent on to another origin by a redirect.
const credentialHeaders = new Set(['authorization', 'cookie', 'proxy-authorization'])

// Headers that describe a body: dropped with it when a redirect turns the request into a GET.
const bodyHeaders = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'])

interface Hop {
  url: URL
  method: string
  headers: Record<string, string>
  body: string | null
}

function hasHeader (headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name)
}

function withoutHeaders (headers: Record<string, string>, names: Set<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => !names.has(key.toLowerCase())))
}

/** Sends one request (over `socket` when given: an https hop whose certificate was judged) and resolves with the answer's head. */
function send (hop: Hop, socket: Duplex | undefined, context: CheckContext): Promise<IncomingMessage> {
  const https = hop.url.protocol === 'https:'
  const defaultPort = https ? 443 : 80
  const host = hop.url.hostname.replace(/^\[|\]$/g, '')
  const port = hop.url.port === '' ? defaultPort : Number(hop.url.port)
  return new Promise((resolve, reject) => {
    const request = http.request({
      host,
      port,
      defaultPort,
      path: `${hop.url.pathname}${hop.url.search}`,
      method: hop.method,
      headers: hop.headers as OutgoingHttpHeaders,
      // A connection of its own each time, nothing pooled: every run sees a fresh connect (and the target's certificate).
      // No agent at all (agent: false would build one per request): node then connects with createConnection and
      // asks for Connection: close. An https hop brings its socket, connected and judged already.
      createConnection: () => socket ?? net.connect({ host, port }),
      signal: context.signal
    }, resolve)
    request.on('error', reject)
    request.end(hop.body ?? undefined)
  })
}

/** The body, up to bodyReadLimit bytes, and whether there was more. */
async function readBody (response: IncomingMessage): Promise<{ text: string, truncated: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response as AsyncIterable<Buffer>) {
    const room = bodyReadLimit - size
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room))
      // Leaving the loop destroys the answer: the rest is never read.
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true }
    }
    chunks.push(chunk)
    size += chunk.length
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false }
}

function statusRange ({ min, max }: HttpSettings['expectedStatus']): string {
  return min === max ? String(min) : `${min}-${max}`
}

/** The next hop of a redirect, or why it cannot be followed. */
function redirected (hop: Hop, status: number, location: string): Hop | string {
  let url: URL
  try {
    url = new URL(location, hop.url)
  } catch {
    return `redirect to an invalid location ${JSON.stringify(location.slice(0, 200))}`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `redirect to an unsupported scheme ${JSON.stringify(url.protocol)}`
  if (url.username !== '' || url.password !== '') return 'redirect to a URL with credentials'
  // As browsers do: 303, and 301/302 after a POST, become a GET without the body.
  const toGet = (status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST')
  let headers = url.origin === hop.url.origin ? hop.headers : withoutHeaders(hop.headers, credentialHeaders)
  if (toGet) headers = withoutHeaders(headers, bodyHeaders)
  return { url, method: toGet ? 'GET' : hop.method, headers, body: toGet ? null : hop.body }
}

export const httpCheck: Check<HttpSettings> = async (settings, context) => {
  const headers = hasHeader(settings.headers, 'user-agent') ? { ...settings.headers } : { ...settings.headers, 'User-Agent': `${userAgent} (monitor)` }
  let hop: Hop = { url: new URL(settings.url), method: settings.method, headers, body: settings.body }
  for (let redirects = 0; ; redirects++) {
    let socket: Duplex | undefined
    if (hop.url.protocol === 'https:') {
      const port = hop.url.port === '' ? 443 : Number(hop.url.port)
      const secure = await connectTls(hop.url.hostname.replace(/^\[|\]$/g, ''), port, null, context)
      if (secure.problem !== null) {
        secure.socket.destroy()
        return redirects === 0 ? secure.problem : `${secure.problem} (after a redirect to ${hop.url.origin})`
      }
      socket = secure.socket
    }
    const response = await send(hop, socket, context)
    const status = response.statusCode ?? 0
    context.found.statusCode = status
    const location = response.headers.location
    if (settings.followRedirects && redirectStatuses.has(status) && location !== undefined) {
      response.destroy()
      if (redirects >= monitorLimits.maxRedirects) return `too many redirects (more than ${monitorLimits.maxRedirects})`
      const next = redirected(hop, status, location)
      if (typeof next === 'string') return next
      hop = next
      continue
    }
    const body = await readBody(response)
    // Nothing is pooled: the connection ends with the answer.
    response.destroy()
    const { min, max } = settings.expectedStatus
    if (status < min || status > max) return `status ${status}, expected ${statusRange(settings.expectedStatus)}`
    const readNote = body.truncated ? ` (only the first ${bodyReadLimit / 1024 / 1024} MiB of the body was read)` : ''
    if (settings.keyword !== null && !body.text.includes(settings.keyword)) {
      return `keyword ${JSON.stringify(settings.keyword.slice(0, 100))} not found in the body${readNote}`
    }
    if (settings.jsonPath !== null) {
      // jsonpath-plus is loaded by the first monitor that asks for a JSON path.
      const problem = (await import('./json-path.js')).jsonPathProblem(body.text, settings.jsonPath)
      if (problem !== null) return `${problem}${readNote}`
    }
    return null
  }
}
