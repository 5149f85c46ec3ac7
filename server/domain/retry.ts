// When a failed send is tried again: exponential backoff, capped, with jitter (the social and subscriber outboxes share it).

export interface Backoff {
  /** The first retry's delay; each later one doubles it, up to capMs. */
  baseMs: number
  capMs: number
}

/**
 * The delay before the attempt after `attempts` attempts: half of it fixed, half random, so that the
 * retries of many deliveries that failed together (a receiver down for everyone) spread out.
 */
export function retryDelay (attempts: number, backoff: Backoff, random: () => number): number {
  const delay = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1))
  return Math.round(delay / 2 + random() * delay / 2)
}
