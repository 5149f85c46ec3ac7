// The IP addresses an outbound request to a subscriber's URL must never reach: this machine, its networks, and the ranges no public host has.
import { BlockList, isIP } from 'node:net'

// IANA's special-purpose registries (RFC 6890 and updates). Any of them reached from a subscriber's URL is a
// request into the machine's own network or somewhere no public receiver lives.
const ipv4Ranges: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", and the unspecified address
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4] // reserved, and the broadcast address 255.255.255.255
]

const ipv6Ranges: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback, and the deprecated IPv4-compatible addresses
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking 2001:2::/48, ORCHID)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, whose addresses embed any IPv4 address
  ['3fff::', 20], // documentation (RFC 9637)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8] // multicast
]

const special = new BlockList()
for (const [network, prefix] of ipv4Ranges) special.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of ipv6Ranges) special.addSubnet(network, prefix, 'ipv6')

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad included). */
function ipv6Groups (address: string): number[] {
  let text = address.toLowerCase()
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (quad !== null) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const part = (side: string): number[] => side === '' ? [] : side.split(':').map((group) => parseInt(group, 16))
  const left = part(head)
  const right = tail === undefined ? [] : part(tail)
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
}

/** The IPv4 address a valid IPv6 address stands for: IPv4-mapped (::ffff:a.b.c.d) or well-known NAT64 (64:ff9b::a.b.c.d). */
function embeddedIpv4 (address: string): string | undefined {
  const groups = ipv6Groups(address)
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0)
  if (!mapped && !nat64) return undefined
  const [high, low] = [groups[6] as number, groups[7] as number]
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`
}

/** Whether `address` (an IP address as text) is loopback, private, link-local or otherwise special; anything that is not an IP address is. */
export function isSpecialAddress (address: string): boolean {
  // A zone (fe80::1%eth0) only ever names a link of this machine.
  if (address.includes('%')) return true
  const family = isIP(address)
  if (family === 4) return special.check(address, 'ipv4')
  if (family !== 6) return true
  const ipv4 = embeddedIpv4(address)
  if (ipv4 !== undefined) return special.check(ipv4, 'ipv4')
  return special.check(address, 'ipv6')
}
