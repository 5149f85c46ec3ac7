// A peer certificate judged as a monitor judges it: its facts, its days left, and what is wrong with it (expiry by Herald's clock, name, trust).
import { X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import type { PeerCertificate } from 'node:tls'
import type { CertificateFacts } from '../domain/monitors.js'
import { dayMs } from '../domain/time.js'

/** A distinguished name as one line, most general part first as node gives it: `C=US, O=Let's Encrypt, CN=R3`. */
function oneLineName (name: string): string {
  return name.split('\n').join(', ')
}

/**
 * The DNS names and IP addresses of a subjectAltName (`DNS:a.example, IP Address:127.0.0.1`); node quotes a
 * value holding a comma or a quote as a JSON string, so those are read as JSON.
 */
function altNames (subjectAltName: string): string[] {
  const names: string[] = []
  for (const match of subjectAltName.matchAll(/(DNS|IP Address|[A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g)) {
    const [, type, raw = ''] = match
    if (type !== 'DNS' && type !== 'IP Address') continue
    let value = raw
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string
      } catch {
        continue
      }
    }
    if (value !== '') names.push(value)
  }
  return names
}

/** The value of one attribute (CN, O) of a name as node gives it, or undefined. */
function nameAttribute (name: string, attribute: string): string | undefined {
  for (const line of name.split('\n')) {
    if (line.startsWith(`${attribute}=`)) return line.slice(attribute.length + 1)
  }
  return undefined
}

/** What Herald keeps of a certificate. */
export function certificateFacts (x509: X509Certificate): CertificateFacts {
  const fromAltNames = altNames(x509.subjectAltName ?? '')
  const commonName = nameAttribute(x509.subject, 'CN')
  return {
    fingerprint: x509.fingerprint256,
    subject: oneLineName(x509.subject),
    issuer: oneLineName(x509.issuer),
    names: fromAltNames.length > 0 ? fromAltNames : commonName === undefined ? [] : [commonName],
    validFrom: new Date(x509.validFrom).toISOString(),
    expiresAt: new Date(x509.validTo).toISOString()
  }
}

/** The issuer as a person names it: its common name (`R3`), else its organization, else the whole name. */
export function issuerName (facts: Pick<CertificateFacts, 'issuer'>): string {
  const parts = new Map<string, string>()
  for (const part of facts.issuer.split(', ')) {
    const at = part.indexOf('=')
    if (at > 0) parts.set(part.slice(0, at), part.slice(at + 1))
  }
  return parts.get('CN') ?? parts.get('O') ?? facts.issuer
}

/** Whole days left before the certificate expires, rounded down: 0 on its last day, negative once expired. */
export function daysLeft (facts: Pick<CertificateFacts, 'expiresAt'>, now: Date): number {
  return Math.floor((new Date(facts.expiresAt).getTime() - now.getTime()) / dayMs)
}

function days (count: number): string {
  return count === 1 ? '1 day' : `${count} days`
}

/** Why the certificate is not valid at `now` (Herald's clock, not OpenSSL's), or null. */
export function validityProblem (facts: CertificateFacts, now: Date): string | null {
  const time = now.getTime()
  const expiresAt = new Date(facts.expiresAt).getTime()
  if (time > expiresAt) {
    const ago = Math.floor((time - expiresAt) / dayMs)
    return `certificate expired ${ago === 0 ? 'today' : `${days(ago)} ago`} (${facts.expiresAt.slice(0, 10)})`
  }
  const validFrom = new Date(facts.validFrom).getTime()
  if (time < validFrom) {
    const ahead = Math.ceil((validFrom - time) / dayMs)
    return `certificate not valid until ${facts.validFrom.slice(0, 10)} (in ${days(ahead)})`
  }
  return null
}

/** Why the certificate does not name `servername` (a DNS name or an IP address), or null. */
export function nameProblem (x509: X509Certificate, facts: CertificateFacts, servername: string): string | null {
  const matched = isIP(servername) === 0 ? x509.checkHost(servername) : x509.checkIP(servername)
  if (matched !== undefined) return null
  const names = facts.names.length === 0 ? 'no name' : facts.names.slice(0, 5).join(', ') + (facts.names.length > 5 ? ', …' : '')
  return `certificate is for ${names}, not ${servername}`
}

// OpenSSL's verdicts, in words; the time ones are not here: Herald judges time by its own clock.
const trustReasons: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not known (unable to get local issuer certificate)',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer not known (unable to get issuer certificate)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer not known (unable to verify the first certificate)',
  CERT_SIGNATURE_FAILURE: 'bad signature',
  CERT_REVOKED: 'revoked',
  INVALID_CA: 'an issuer in the chain is not a CA',
  INVALID_PURPOSE: 'not for servers',
  CERT_UNTRUSTED: 'untrusted',
  CERT_REJECTED: 'rejected'
}

export const timeErrors = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CRL_HAS_EXPIRED', 'CRL_NOT_YET_VALID', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD'])

/** The certificates the peer sent, leaf first, from node's detailed peer certificate (its issuerCertificate links). */
export function presentedChain (peer: PeerCertificate & { issuerCertificate?: PeerCertificate }): X509Certificate[] {
  const chain: X509Certificate[] = []
  const seen = new Set<string>()
  for (let cert: typeof peer | undefined = peer; cert?.raw !== undefined && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
    seen.add(cert.fingerprint256)
    chain.push(new X509Certificate(cert.raw))
  }
  return chain
}

/**
 * Whether the chain leads to a trusted certificate, by signatures and names alone. Only used when OpenSSL's
 * verdict was about time: OpenSSL reports its last error, so an expired (by the machine's clock) certificate
 * hides whether its issuer is known, and Herald's clock may disagree with the machine's.
 */
export function chainProblem (chain: readonly X509Certificate[], trusted: readonly X509Certificate[]): string | null {
  const trustedPrints = new Set(trusted.map((cert) => cert.fingerprint256))
  const issuedBy = (cert: X509Certificate, issuer: X509Certificate): boolean => cert.checkIssued(issuer) && cert.verify(issuer.publicKey)
  let current = chain[0]
  for (let depth = 0; current !== undefined && depth <= chain.length; depth++) {
    if (trustedPrints.has(current.fingerprint256)) return null
    const cert: X509Certificate = current
    if (trusted.some((root) => issuedBy(cert, root))) return null
    const next = chain.find((candidate) => candidate !== cert && issuedBy(cert, candidate))
    if (next === undefined) {
      // Not checkIssued: a self-signed leaf has no right to sign certificates, and OpenSSL's check says so.
      if (cert.subject === cert.issuer && cert.verify(cert.publicKey)) return depth === 0 ? trustReasons.DEPTH_ZERO_SELF_SIGNED_CERT as string : trustReasons.SELF_SIGNED_CERT_IN_CHAIN as string
      return trustReasons.UNABLE_TO_GET_ISSUER_CERT_LOCALLY as string
    }
    current = next
  }
  return trustReasons.UNABLE_TO_GET_ISSUER_CERT_LOCALLY as string
}

/** OpenSSL's verify error code in words. */
export function trustReason (code: string): string {
  return trustReasons[code] ?? code.toLowerCase().replaceAll('_', ' ')
}
