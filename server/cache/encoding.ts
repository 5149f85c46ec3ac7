// Content-coding negotiation: which of the cached variants (br, gzip, identity) a client accepts best.

export type Encoding = 'br' | 'gzip' | 'identity'

/**
 * Reads Accept-Encoding with its q-values (RFC 9110, 12.5.3). Brotli wins a tie (smaller), then gzip;
 * identity is acceptable unless refused explicitly (`identity;q=0`, or `*;q=0` without it).
 */
export function chooseEncoding (header: string | undefined): Encoding {
  if (header === undefined || header.trim() === '') return 'identity'
  const weights = new Map<string, number>()
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (name === undefined || name === '') continue
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const weight = q === undefined ? 1 : Number(q.slice(2))
    weights.set(name, Number.isFinite(weight) ? weight : 0)
  }
  // An unlisted identity stays acceptable, but below any coding the client did list.
  const weightOf = (encoding: Encoding): number => weights.get(encoding) ?? weights.get('*') ?? (encoding === 'identity' ? 0.001 : 0)
  const ranked = (['br', 'gzip', 'identity'] as const).filter((encoding) => weightOf(encoding) > 0)
  ranked.sort((a, b) => weightOf(b) - weightOf(a))
  return ranked[0] ?? 'identity'
}
