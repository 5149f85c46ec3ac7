// Times as Herald stores them: UTC ISO-8601 with milliseconds, parsed strictly, and the UTC day arithmetic built on them.

/** Where Herald reads the time: the system clock in production, a settable one in tests. */
export type Clock = () => Date

export const dayMs = 86_400_000

/**
 * A typed time as stored (`2020-02-03T14:00:00.000Z`), or null when it names no real moment. Date
 * would roll 2021-02-30 over into March and 24:00 into the next day; those are refused instead.
 */
export function isoTime (text: string): string | null {
  const time = new Date(text)
  if (Number.isNaN(time.getTime())) return null
  const typed = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(text)
  if (typed !== null) {
    const [year, month, day, hours, minutes] = typed.slice(1).map((part) => (part === undefined ? undefined : Number(part)))
    const check = new Date(Date.UTC(year as number, (month as number) - 1, day as number))
    if (check.getUTCMonth() !== (month as number) - 1 || check.getUTCDate() !== day) return null
    if (hours !== undefined && (hours > 23 || (minutes as number) > 59)) return null
  }
  return time.toISOString()
}

/** The UTC day (YYYY-MM-DD) of a time. */
export function utcDay (time: string | Date): string {
  return new Date(time).toISOString().slice(0, 10)
}

/** Midnight UTC `daysAgo` days before the UTC day of `now`, in milliseconds. */
export function utcDayStart (now: Date, daysAgo = 0): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * dayMs
}
