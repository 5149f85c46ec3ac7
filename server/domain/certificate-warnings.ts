// Which warning a certificate's days left call for: the smallest threshold crossed, once per certificate and threshold (pure).
import { dayMs } from './time.js'

/** Whole days from `now` until `expiresAt`, rounded down; negative once it has expired. */
export function daysLeft (expiresAt: string, now: Date): number {
  return Math.floor((Date.parse(expiresAt) - now.getTime()) / dayMs)
}

/**
 * The threshold to warn at: the smallest of `thresholds` (days) that `days` left is at or under, or null when
 * none is crossed yet. Only the smallest: a new certificate found with 5 days left warns once, at 7, not at
 * 14 and at 7; a later, smaller threshold (1) still warns when its day comes. The warning's row is unique per
 * monitor, certificate and threshold, so a run that finds the same one again warns nobody again.
 */
export function warningThreshold (days: number, thresholds: readonly number[]): number | null {
  let smallest: number | null = null
  for (const threshold of thresholds) {
    if (days <= threshold && (smallest === null || threshold < smallest)) smallest = threshold
  }
  return smallest
}
