// What every check is given: the environment Herald runs it in, the signal that ends it, and where it leaves what it found.
import { X509Certificate } from 'node:crypto'
import tls, { type SecureContext } from 'node:tls'
import type { CertificateFacts } from '../domain/monitors.js'
import type { Clock } from '../domain/time.js'

export interface CheckEnvironment {
  /** Days left, expiry and not-yet-valid are judged by this clock. */
  clock: Clock
  /** Extra CA certificates (PEM, one or a bundle each), trusted besides node's tls.rootCertificates. */
  trustedCertificates?: readonly string[]
  /** DNS servers for dns checks (`127.0.0.1:5353`); the system's when absent. */
  dnsServers?: readonly string[]
  /** The scheduler aborts checks in flight when Herald closes. */
  signal?: AbortSignal
}

export interface CheckContext {
  env: CheckEnvironment
  /** Aborted when the check's time is up or Herald closes: every socket of the check is closed on it. */
  signal: AbortSignal
  timeoutMs: number
  /** What the check saw, kept even when it fails or times out later (the certificate of the first hop). */
  found: { statusCode: number | null, certificate: CertificateFacts | null }
}

/** A check: resolves with why it failed, or null when every condition held; a network error may reject. */
export type Check<S> = (settings: S, context: CheckContext) => Promise<string | null>

export interface Trust {
  /** What tls.connect is given: undefined is node's own roots. */
  secureContext: SecureContext | undefined
  /** Node's roots and the extra ones, parsed, for judging a chain without OpenSSL's clock (certificate.ts). */
  roots: () => readonly X509Certificate[]
}

/** Each PEM certificate of a text that may hold several. */
export function pemCertificates (text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
}

let nodeRoots: X509Certificate[] | undefined

function parsedNodeRoots (): X509Certificate[] {
  nodeRoots ??= tls.rootCertificates.map((pem) => new X509Certificate(pem))
  return nodeRoots
}

// A secure context holding 140 roots costs milliseconds to build: one per set of extra CAs, kept.
const trusts = new Map<string, Trust>()

/** The trust of an environment, built once per distinct set of extra CAs. */
export function trustOf (env: CheckEnvironment): Trust {
  const extra = (env.trustedCertificates ?? []).flatMap(pemCertificates)
  const key = extra.join('\n')
  let trust = trusts.get(key)
  if (trust === undefined) {
    let roots: X509Certificate[] | undefined
    trust = {
      secureContext: extra.length === 0 ? undefined : tls.createSecureContext({ ca: [...tls.rootCertificates, ...extra] }),
      roots: () => {
        roots ??= [...parsedNodeRoots(), ...extra.map((pem) => new X509Certificate(pem))]
        return roots
      }
    }
    trusts.set(key, trust)
  }
  return trust
}
