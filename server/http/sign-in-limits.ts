// How many admin sign-in attempts are allowed: per network address (every attempt), per account from unknown devices and per known device (failed ones).
import type { Clock } from '../domain/time.js'
import { WindowCounter } from './window-counter.js'

const fifteenMinutes = 15 * 60_000

export const signInLimits = {
  /** Every attempt from one address counts: enough for a team behind one NAT, too few to guess with. */
  perAddress: { max: 20, windowMs: fifteenMinutes },
  /**
   * Failed attempts on one account from devices it has not signed in on, from anywhere: guessing one
   * person's password stays slow even from many addresses. Anyone can use these up, so they never
   * count against a known device.
   */
  perAccount: { maxFailures: 5, windowMs: fifteenMinutes },
  /** Failed attempts from one known device (a stolen laptop guessing a changed password, say): only that device is held back. */
  perKnownDevice: { maxFailures: 10, windowMs: fifteenMinutes }
} as const

/** The key an account is counted under: names are unique without regard to case, so 'Alice ' is 'alice'. */
export function accountKey (name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}

/** "try again in 1 minute" / "in 14 minutes", rounded up so that trying at the time said works. */
export function tryAgainIn (ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000))
  return `try again in ${minutes} minute${minutes === 1 ? '' : 's'}`
}

export interface AccountAttempt {
  allowed: boolean
  retryAfterMs: number
  /** Call when the password was right: a success does not count against the account. */
  succeeded: () => void
}

/**
 * Failed attempts per account from unknown devices, and per known device. An attempt is counted when it
 * starts and taken back when it succeeds, so that guesses sent all at once, still being checked, count too.
 */
export class AccountLimiter {
  readonly #failures: WindowCounter

  constructor (clock: Clock) {
    this.#failures = new WindowCounter(clock)
  }

  /** `knownDevice` is the id of a known-device cookie valid for this account, when the browser has one. */
  attempt (name: string, knownDevice?: string): AccountAttempt {
    const [key, { windowMs, maxFailures }] = knownDevice === undefined
      ? [`account:${accountKey(name)}`, signInLimits.perAccount]
      : [`device:${knownDevice}`, signInLimits.perKnownDevice]
    const { count, resetInMs } = this.#failures.hit(key, windowMs)
    const allowed = count <= maxFailures
    let counted = true
    return {
      allowed,
      retryAfterMs: allowed ? 0 : resetInMs,
      succeeded: () => {
        if (counted) this.#failures.undo(key)
        counted = false
      }
    }
  }
}
