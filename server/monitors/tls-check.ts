// The tls check, and the TLS connection the https check opens too: a handshake, then the certificate judged by Herald (clock, trust, name).
import type { X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import tls, { type TLSSocket } from 'node:tls'
import type { TlsSettings } from '../domain/monitors.js'
import { certificateFacts, chainProblem, nameProblem, presentedChain, timeErrors, trustReason, validityProblem } from './certificate.js'
import { type Check, type CheckContext, type Trust, trustOf } from './check-context.js'

/**
 * Why the chain is not trusted, or null. OpenSSL's time complaints are set aside (Herald's clock decides), and so is
 * node's name check (done by nameProblem, in words): node runs it only when OpenSSL found nothing wrong.
 */
function trustProblem (socket: TLSSocket, chain: X509Certificate[], trust: Trust): string | null {
  const error = socket.authorizationError as unknown
  if (error === null || error === undefined) return null
  const code = String(error)
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return null
  const reason = timeErrors.has(code) ? chainProblem(chain, trust.roots()) : trustReason(code)
  return reason === null ? null : `certificate not trusted: ${reason}`
}

export interface SecureConnection {
  socket: TLSSocket
  /** Why the certificate is not good for `servername` now, or null. */
  problem: string | null
}

/**
 * Connects and completes a handshake without letting OpenSSL refuse the certificate: OpenSSL judges expiry by the
 * machine's clock and stops at its first complaint, while Herald judges by its own clock and says what is wrong.
 * Nothing is sent before the certificate is judged. The first certificate seen is kept in context.found.
 */
export function connectTls (host: string, port: number, servername: string | null, context: CheckContext): Promise<SecureConnection> {
  const name = servername ?? host
  const trust = trustOf(context.env)
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      // SNI carries names only; an address is checked against the certificate's IP names instead.
      servername: isIP(name) === 0 ? name : undefined,
      secureContext: trust.secureContext,
      rejectUnauthorized: false
    })
    const abort = (): void => { socket.destroy() }
    context.signal.addEventListener('abort', abort, { once: true })
    socket.once('close', () => {
      context.signal.removeEventListener('abort', abort)
      reject(new Error('connection closed during the TLS handshake'))
    })
    socket.once('error', reject)
    socket.once('secureConnect', () => {
      // The detailed peer certificate first: in Node 20, once getPeerX509Certificate() has been called, it comes back empty.
      const chain = presentedChain(socket.getPeerCertificate(true))
      const x509 = chain[0]
      if (x509 === undefined) {
        resolve({ socket, problem: 'no certificate was presented' })
        return
      }
      const facts = certificateFacts(x509)
      context.found.certificate ??= facts
      resolve({ socket, problem: validityProblem(facts, context.env.clock()) ?? trustProblem(socket, chain, trust) ?? nameProblem(x509, facts, name) })
    })
  })
}

export const tlsCheck: Check<TlsSettings> = async (settings, context) => {
  const { socket, problem } = await connectTls(settings.host, settings.port, settings.servername, context)
  socket.destroy()
  return problem
}
