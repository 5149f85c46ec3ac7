// A cap on the connections one network address may hold open at once: one client cannot use up the process's file descriptors.
import type { Server } from 'node:net'

export interface ConnectionLimitOptions {
  /** Open connections one address may hold; 0 turns the cap off. */
  perAddress: number
  /** Addresses the cap does not apply to (a reverse proxy on the same machine carries every visitor's requests). */
  exempt: (address: string) => boolean
}

/** Loopback addresses: where a trusted reverse proxy (nginx terminating TLS) connects from. */
export function isLoopback (address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.')
}

/**
 * Counts open connections per remote address and destroys a new one past the cap before it is read.
 * Node has no such setting: `server.maxConnections` is one total, which an attacker fills as easily as
 * the descriptors. A refused connection is closed at once, without an answer: a client holding that many
 * has no request worth reading. Returns the live counts, for tests and the logs.
 */
export function limitConnectionsPerAddress (server: Server, options: ConnectionLimitOptions): Map<string, number> {
  const open = new Map<string, number>()
  if (options.perAddress <= 0) return open
  server.on('connection', (socket) => {
    const address = socket.remoteAddress
    if (address === undefined || options.exempt(address)) return
    const count = (open.get(address) ?? 0) + 1
    if (count > options.perAddress) {
      socket.destroy()
      return
    }
    open.set(address, count)
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1
      if (left <= 0) open.delete(address)
      else open.set(address, left)
    })
  })
  return open
}
