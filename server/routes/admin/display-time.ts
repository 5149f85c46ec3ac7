// The display time of the update form: what the operator typed in their own time zone, as the UTC time an update is stored with.
import { utcTime } from './maintenance-forms.js'

/** The furthest any time zone is from UTC, in minutes (UTC+14, UTC-12, with room). */
const maxZoneOffset = 16 * 60

export type TypedDisplayAt =
  | { ok: true, displayAt: string | undefined }
  | { ok: false, field: 'displayAt' | 'displayZone' }

/**
 * A datetime-local value read in the zone whose offset the page's script sent (minutes, as JavaScript's
 * getTimezoneOffset gives them: UTC minus local), or in UTC without a script. Empty: undefined, the update
 * is dated now. Whether the time is in the future is the services' rule (checkedDisplayAt), not the form's.
 */
export function typedDisplayAt (typed: string, zone: string): TypedDisplayAt {
  if (typed.trim() === '') return { ok: true, displayAt: undefined }
  const offset = zone === '' ? 0 : Number(zone)
  if (!Number.isInteger(offset) || Math.abs(offset) > maxZoneOffset) return { ok: false, field: 'displayZone' }
  const asUtc = utcTime(typed.trim())
  if (asUtc === null) return { ok: false, field: 'displayAt' }
  return { ok: true, displayAt: new Date(Date.parse(asUtc) + offset * 60_000).toISOString() }
}
