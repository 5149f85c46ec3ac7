// The maintenance forms of the admin UI: their schemas (the incident forms' text rules), times from datetime-local fields in the operator's zone, component checkboxes.
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import type { Component } from '../../domain/model.js'
import { maintenanceStatuses } from '../../domain/statuses.js'
import { canonicalTimeZone, defaultTimeZone, zonedToUtc } from '../../domain/zoned-time.js'
import type { FieldMessages } from './forms.js'
import { incidentFieldMessages, newIncidentForm, TimeZone, unknownComponent } from './incident-forms.js'

// The same fields, limits and character rules as the incident forms, so both refuse the same text.
const { name: Name, reference: Reference, body: Body, postText: PostText, notify: Checkbox } = newIncidentForm.properties

// What a datetime-local field sends: to the minute, or with seconds when a browser offers them. No zone: read in
// the form's time zone (timeZone). A space for the T too: browsers without datetime-local send what was typed,
// as the page's examples write it.
export const dateTimeLocalPattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?$'
const DateTime = Type.String({ minLength: 1, maxLength: 23, pattern: dateTimeLocalPattern })

export const newMaintenanceForm = Type.Object({
  name: Name,
  reference: Reference,
  scheduledFor: DateTime,
  scheduledUntil: DateTime,
  body: Body,
  postText: PostText,
  notify: Checkbox,
  autoStart: Checkbox,
  autoComplete: Checkbox,
  timeZone: TimeZone
})

export interface NewMaintenanceFormValues {
  name: string
  reference?: string
  scheduledFor: string
  scheduledUntil: string
  body: string
  postText?: string
  notify?: string
  autoStart?: string
  autoComplete?: string
  timeZone?: string
}

export const maintenanceUpdateForm = Type.Object({
  status: Type.Enum([...maintenanceStatuses]),
  body: Body,
  postText: PostText,
  notify: Checkbox
})

export interface MaintenanceUpdateFormValues {
  status: typeof maintenanceStatuses[number]
  body: string
  postText?: string
  notify?: string
}

/** The window form: each field is optional, as the form shows only what the maintenance's status lets change. */
export const windowForm = Type.Object({
  name: Name,
  scheduledFor: Type.Optional(DateTime),
  scheduledUntil: Type.Optional(DateTime),
  autoStart: Checkbox,
  autoComplete: Checkbox,
  timeZone: TimeZone
})

export interface WindowFormFields {
  name: string
  scheduledFor?: string
  scheduledUntil?: string
  autoStart?: string
  autoComplete?: string
  timeZone?: string
}

const dateTimeMessage = 'Give a date and a time, such as 2020-02-04 10:00.'

export const maintenanceFieldMessages: FieldMessages = {
  ...incidentFieldMessages,
  scheduledFor: dateTimeMessage,
  scheduledUntil: dateTimeMessage,
  status: 'Choose one of the statuses.'
}

/** A typed time spelt as a datetime-local field sends it: `2020-02-04 10:00` becomes `2020-02-04T10:00`. */
export function dateTimeLocal (typed: string): string {
  return typed.replace(' ', 'T')
}

export const noSuchTime = 'This date and time do not exist: check the day and the hour.'

/**
 * The zone a form's times are read in: the one it sent (by its canonical name), UTC when it sent none
 * (no JavaScript), or an error for its field when Intl knows no such zone.
 */
export function formTimeZone (body: unknown): { zone: string, error: string | null } {
  const sent = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const typed = typeof sent.timeZone === 'string' ? sent.timeZone.trim() : ''
  if (typed === '') return { zone: defaultTimeZone, error: null }
  const zone = canonicalTimeZone(typed)
  return zone === null
    ? { zone: defaultTimeZone, error: 'Herald does not know this time zone. Reload the page, or type the times in UTC.' }
    : { zone, error: null }
}

/**
 * A datetime-local value (to the minute, seconds optional) read in `zone`, as a stored UTC time; or the
 * message for its field when it is no time there (30 February, 24:00, or skipped as the clocks go forward).
 */
export function formTime (typed: string, zone: string): { time: string } | { error: string } {
  if (!new RegExp(dateTimeLocalPattern).test(typed)) return { error: noSuchTime }
  const result = zonedToUtc(dateTimeLocal(typed), zone)
  if (result.ok) return { time: result.time }
  return {
    error: result.reason === 'skipped'
      ? `This time does not exist in ${zone}: the clocks go forward over it. Choose a time before or after the change.`
      : noSuchTime
  }
}

export interface ComponentTicks {
  /** The ticked components' ids, in page order. */
  ids: number[]
  /** What was sent, to tick again when the form is shown again. */
  typed: string[]
  /** Set when an id names no component (deleted since the page was made, or made up). */
  error: string | null
}

/** Reads the components checkboxes (one field, sent once per ticked box). */
export function readComponentTicks (body: unknown, live: Component[]): ComponentTicks {
  const sent = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const raw = sent.components
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  const byId = new Map(live.map((component) => [String(component.id), component]))
  const typed: string[] = []
  let error: string | null = null
  for (const value of values) {
    const id = typeof value === 'string' ? value : ''
    if (parseId(id) === undefined || !byId.has(id)) {
      error ??= unknownComponent(id)
      continue
    }
    typed.push(id)
  }
  const ticked = new Set(typed)
  return { ids: live.filter((component) => ticked.has(String(component.id))).map((component) => component.id), typed, error }
}

/** A datetime-local value read as UTC (the postmortem form's publication time), as a stored time; null when it is no time there. */
export function utcTime (typed: string): string | null {
  const result = formTime(typed, defaultTimeZone)
  return 'time' in result ? result.time : null
}
