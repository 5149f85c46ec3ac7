// The maintenance forms of the admin UI: their schemas (the incident forms' text rules), UTC times from datetime-local fields, component checkboxes.
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import type { Component } from '../../domain/model.js'
import { maintenanceStatuses } from '../../domain/statuses.js'
import { isoTime } from '../../domain/time.js'
import type { FieldMessages } from './forms.js'
import { incidentFieldMessages, newIncidentForm, unknownComponent } from './incident-forms.js'

// The same fields, limits and character rules as the incident forms, so both refuse the same text.
const { name: Name, reference: Reference, body: Body, postText: PostText, notify: Checkbox } = newIncidentForm.properties

// What a datetime-local field sends: to the minute, or with seconds when a browser offers them. No zone: read as UTC.
// A space for the T too: browsers without datetime-local send what was typed, as the page's examples write it.
const dateTimeLocalPattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?$'
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
  autoComplete: Checkbox
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
  autoComplete: Checkbox
})

export interface WindowFormFields {
  name: string
  scheduledFor?: string
  scheduledUntil?: string
  autoStart?: string
  autoComplete?: string
}

const dateTimeMessage = 'Give a date and a time in UTC, such as 2020-02-04 10:00.'

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

/**
 * A datetime-local value (to the minute, seconds optional) read as UTC, as an ISO time; null when
 * it is not a time that exists (30 February, 24:00).
 */
export function utcTime (typed: string): string | null {
  return new RegExp(dateTimeLocalPattern).test(typed) ? isoTime(`${dateTimeLocal(typed)}Z`) : null
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
