// Wall-clock times in a named time zone (IANA, as browsers name it): to UTC for storing, and back for a form.
import { isoTime } from './time.js'

/** The zone a form falls back to without JavaScript, and says so. */
export const defaultTimeZone = 'UTC'

const formats = new Map<string, Intl.DateTimeFormat>()

/** A formatter giving the wall-clock parts of an instant in `zone`; throws RangeError for a zone Intl does not know. */
function formatIn (zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
    })
    // Bounded by the zones Intl knows (a few hundred): a made-up name throws above and is never kept.
    formats.set(zone, format)
  }
  return format
}

/** The zone's canonical name (`Europe/Berlin`, `UTC`), or null when Intl does not know it. */
export function canonicalTimeZone (zone: string): string | null {
  // Intl accepts offsets such as +01:00 too, which follow no daylight saving: a form sends a named zone.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return null
  try {
    return formatIn(zone).resolvedOptions().timeZone
  } catch {
    return null
  }
}

/** The wall-clock time of an instant in `zone`, as milliseconds of the same digits read as UTC. */
function wallClockMs (instant: number, zone: string): number {
  const parts: Record<string, number> = {}
  for (const part of formatIn(zone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const { year, month, day, hour, minute, second } = parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>
  return Date.UTC(year, month - 1, day, hour, minute, second) + (instant % 1000 + 1000) % 1000
}

export type ZonedTime = { ok: true, time: string } | { ok: false, reason: 'no-such-date' | 'skipped' }

/**
 * A wall-clock date-time (`2026-03-29T02:30`, seconds optional, no offset) in `zone` (canonical, see
 * canonicalTimeZone) as the UTC time it names. `no-such-date`: no calendar has it (30 February, 24:00);
 * `skipped`: the zone's clocks jump over it (spring forward). A time the clocks pass twice (fall back) is
 * the first of the two, as the operator most likely means the earlier one and the window can still move.
 */
export function zonedToUtc (local: string, zone: string): ZonedTime {
  const asUtc = isoTime(`${local}Z`)
  if (asUtc === null) return { ok: false, reason: 'no-such-date' }
  const wall = Date.parse(asUtc)
  // The zone's offset a day either side of the time covers any one jump around it.
  const candidates = [...new Set([wall - 86_400_000, wall + 86_400_000].map((near) => wall - (wallClockMs(near, zone) - near)))]
    .filter((instant) => wallClockMs(instant, zone) === wall)
    .sort((a, b) => a - b)
  const first = candidates[0]
  return first === undefined ? { ok: false, reason: 'skipped' } : { ok: true, time: new Date(first).toISOString() }
}

/** A stored UTC time as a datetime-local field shows it in `zone`, to the minute: `2026-03-29T03:30`. */
export function utcToZoned (time: string, zone: string): string {
  return new Date(wallClockMs(Date.parse(time), zone)).toISOString().slice(0, 16)
}
