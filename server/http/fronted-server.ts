// The HTTP server under Fastify: the public front door first, timeouts against slow clients, a per-address cap, a gentle close.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { PublicFront } from '../cache/public-front.js'
import type { ServerLimits } from '../config.js'
import { isLoopback, limitConnectionsPerAddress } from './connection-limit.js'

/** The headers must arrive within this (or the request timeout, when shorter): an idle new connection is one with none. */
const headersTimeoutMs = 5_000

/** How often Node looks for requests past their timeouts; its default (30 s) would let a stalled body live 30 s longer. */
const timeoutCheckMs = 1_000

/**
 * How long a connection idle when the server starts closing is kept: a request a client has already
 * written may be in the socket's buffer, not yet read, and destroying the socket then resets it.
 * Requests that arrive meanwhile are answered (with `Connection: close`, by Fastify while closing).
 */
const closeGraceMs = 1_000

// A client that stops reading a response (or sends nothing) for this long is dropped. Above the
// keep-alive timeout, so that an idle keep-alive connection is ended by that, with no reset.
const socketIdleMs = 75_000
const keepAliveMs = 72_000

/**
 * A stalled request body used to hold its connection forever (Fastify's default timeouts are 0), and
 * about a thousand of them kept every other visitor out. Node ends a request that has not fully arrived
 * within the request timeout with 408, and checks every `timeoutCheckMs`.
 */
export function frontedServer (front: PublicFront, handler: (request: IncomingMessage, response: ServerResponse) => void, limits: ServerLimits): Server {
  const server = createServer({
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(headersTimeoutMs, limits.requestTimeoutMs),
    connectionsCheckingInterval: timeoutCheckMs
  }, (request, response) => {
    if (!front.answer(request, response)) handler(request, response)
  })
  server.keepAliveTimeout = keepAliveMs
  server.setTimeout(socketIdleMs)
  limitConnectionsPerAddress(server, { perAddress: limits.connectionsPerAddress, exempt: isLoopback })
  closeIdleGently(server)
  return server
}

/**
 * server.close() (and Fastify, on close) destroys the connections idle at that moment. Each is given
 * `closeGraceMs` first: what was written before the signal is read and answered, and the server closes
 * the connection after that answer; whatever is still idle then is closed as before.
 */
function closeIdleGently (server: Server): void {
  const closeNow = server.closeIdleConnections.bind(server)
  let scheduled = false
  server.closeIdleConnections = () => {
    if (scheduled) return
    scheduled = true
    setTimeout(closeNow, closeGraceMs).unref()
  }
}
