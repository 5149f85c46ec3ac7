// The dns check: a name resolves (through the given servers or the system's) to any answer, or to the expected one.
import { promises as dns } from 'node:dns'
import { isIP } from 'node:net'
import type { DnsRecordType, DnsSettings } from '../domain/monitors.js'
import type { Check } from './check-context.js'

// c-ares error codes, in words.
const reasons: Record<string, string> = {
  ENOTFOUND: 'no such name (NXDOMAIN)',
  ENODATA: 'no record of this type',
  ESERVFAIL: 'the server failed (SERVFAIL)',
  EREFUSED: 'the server refused the query',
  ETIMEOUT: 'no answer from the DNS server',
  ECONNREFUSED: 'the DNS server refused the connection',
  EBADRESP: 'a malformed answer',
  ECANCELLED: 'cancelled'
}

/** Addresses compared as addresses (`::1` is `0:0:0:0:0:0:0:1`), names without the final dot and case. */
export function normalizeAnswer (text: string): string {
  const trimmed = text.trim()
  if (isIP(trimmed) === 6) return new URL(`http://[${trimmed}]/`).hostname
  return trimmed.replace(/\.$/, '').toLowerCase()
}

async function answers (resolver: dns.Resolver, name: string, type: DnsRecordType): Promise<string[]> {
  switch (type) {
    case 'A': return await resolver.resolve4(name)
    case 'AAAA': return await resolver.resolve6(name)
    case 'CNAME': return await resolver.resolveCname(name)
    case 'NS': return await resolver.resolveNs(name)
    case 'MX': return (await resolver.resolveMx(name)).map((record) => record.exchange)
    case 'TXT': return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))
  }
}

function listed (values: string[]): string {
  const shown = values.slice(0, 5).map((value) => value.length > 100 ? `${value.slice(0, 99)}…` : value)
  return JSON.stringify(shown.join(', ') + (values.length > 5 ? `, … (${values.length} answers)` : ''))
}

export const dnsCheck: Check<DnsSettings> = async (settings, context) => {
  const resolver = new dns.Resolver({ timeout: context.timeoutMs, tries: 1 })
  if (context.env.dnsServers !== undefined) resolver.setServers([...context.env.dnsServers])
  const cancel = (): void => { resolver.cancel() }
  context.signal.addEventListener('abort', cancel, { once: true })
  let found: string[]
  try {
    found = await answers(resolver, settings.name, settings.recordType)
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException).code)
    return `${settings.name} ${settings.recordType}: ${code} (${reasons[code] ?? 'lookup failed'})`
  } finally {
    context.signal.removeEventListener('abort', cancel)
  }
  if (found.length === 0) return `${settings.name} ${settings.recordType}: no answer`
  if (settings.expected === null) return null
  const expected = normalizeAnswer(settings.expected)
  if (found.some((answer) => normalizeAnswer(answer) === expected)) return null
  return `${settings.name} ${settings.recordType}: got ${listed(found)}, expected ${JSON.stringify(settings.expected)}`
}
