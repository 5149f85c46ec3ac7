// The shown time of the update form: typed in the operator's time zone (the maintenance forms' timeZone field and rules), as the UTC time an update is stored with.
import { incidentFieldMessages } from './incident-forms.js'
import { dateTimeLocalPattern, formTime, formTimeZone } from './maintenance-forms.js'

export interface TypedDisplayAt {
  /** The UTC time to show the update at; undefined for now (left empty) or when refused. */
  displayAt: string | undefined
  /** The zone to show the form again in: the canonical name sent, or UTC. */
  timeZone: string
  /** The messages for the fields, as the maintenance forms word them for a zone or a time that does not exist. */
  errors: Partial<Record<'displayAt' | 'timeZone', string>>
}

/**
 * A datetime-local value read in the zone the page's script sent (admin-time-zone.js), or in UTC without a
 * script. Empty: the update is dated now. Whether the time is in the future is the services' rule
 * (checkedDisplayAt), not the form's.
 */
export function typedDisplayAt (typed: string, body: unknown): TypedDisplayAt {
  const zone = formTimeZone(body)
  if (zone.error !== null) return { displayAt: undefined, timeZone: zone.zone, errors: { timeZone: zone.error } }
  const time = typed.trim()
  if (time === '') return { displayAt: undefined, timeZone: zone.zone, errors: {} }
  // Not even the shape of a date and a time: say how to write one; a shape that names no time there: say so, as the maintenance forms do.
  if (!new RegExp(dateTimeLocalPattern).test(time)) return { displayAt: undefined, timeZone: zone.zone, errors: { displayAt: incidentFieldMessages.displayAt as string } }
  const result = formTime(time, zone.zone)
  return 'time' in result
    ? { displayAt: result.time, timeZone: zone.zone, errors: {} }
    : { displayAt: undefined, timeZone: zone.zone, errors: { displayAt: result.error } }
}
