// The incident forms of the admin UI: their schemas, the messages for their fields, and the component selects.
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import type { Component } from '../../domain/model.js'
import type { ComponentStatus } from '../../domain/statuses.js'
import { impacts } from '../../domain/statuses.js'
import { maxCustomPostText } from '../../domain/post-text.js'
import { limits, multiLinePattern, optionalMultiLinePattern, singleLinePattern } from '../../domain/text.js'
import { type FieldErrors, formIncidentStatuses, isComponentStatus, typedCheckbox, typedText } from '../../views/admin/form-view.js'
import type { NewIncidentValues } from '../../views/admin/new-incident-view.js'
import type { FieldMessages } from './forms.js'

const Name = Type.String({ minLength: 1, maxLength: limits.name, pattern: singleLinePattern })
const Body = Type.String({ minLength: 1, maxLength: limits.body, pattern: multiLinePattern })
const IncidentStatus = Type.Enum([...formIncidentStatuses])
// Optional: empty (or only spaces) posts the generated text. Same control-character rules as the message.
const PostText = Type.String({ maxLength: maxCustomPostText, pattern: optionalMultiLinePattern })
// Any value means the box was ticked: browsers send nothing for an unticked one.
const Checkbox = Type.String({ maxLength: 10 })
/**
 * The zone a form's times are typed in, as the page's script (admin-time-zone.js) reads it from the browser: an
 * IANA name such as Europe/Berlin; absent or empty without JavaScript: UTC. Checked against what Intl knows by
 * formTimeZone (maintenance-forms.ts). The maintenance forms and the update form's shown time both take it.
 */
export const TimeZone = Type.Optional(Type.String({ maxLength: 64 }))

export const newIncidentForm = Type.Object({
  name: Name,
  // Empty: a reference is made from the configured prefix.
  reference: Type.Optional(Type.String({ maxLength: 32, pattern: '^([A-Za-z0-9]{2,32})?$' })),
  impact: Type.Optional(Type.Enum(['', ...impacts])),
  status: IncidentStatus,
  body: Body,
  postText: Type.Optional(PostText),
  notify: Type.Optional(Checkbox)
})

export interface NewIncidentFormValues {
  name: string
  reference?: string
  impact?: '' | typeof impacts[number]
  status: typeof formIncidentStatuses[number]
  body: string
  postText?: string
  notify?: string
}

export const updateForm = Type.Object({
  status: IncidentStatus,
  body: Body,
  postText: Type.Optional(PostText),
  notify: Type.Optional(Checkbox),
  from: Type.Optional(Type.Enum(['dashboard', 'incident'])),
  // Backdating: a datetime-local value in the form's time zone (read by display-time.ts); empty: now.
  displayAt: Type.Optional(Type.String({ maxLength: 23 })),
  timeZone: TimeZone
})

export interface UpdateValues {
  status: typeof formIncidentStatuses[number]
  body: string
  postText?: string
  notify?: string
  from?: 'dashboard' | 'incident'
  displayAt?: string
  timeZone?: string
}

/** Renaming an incident or changing its impact (the impact is then set by hand, no longer by the components). */
export const editIncidentForm = Type.Object({
  name: Name,
  impact: Type.Enum([...impacts])
})

export interface EditIncidentValues {
  name: string
  impact: typeof impacts[number]
}

export const editUpdateForm = Type.Object({ body: Body })

export interface EditUpdateValues { body: string }

export const incidentFieldMessages: FieldMessages = {
  name: 'Write a name: one line of visible text, without control characters.',
  reference: 'Use 2 to 32 letters and digits, such as TM202916, or leave it empty to have one made.',
  impact: 'Choose one of the impacts.',
  status: 'Choose one of the statuses.',
  body: 'Write a message with visible text and no control characters (tabs and line breaks are fine).',
  postText: 'Write the post without control characters (tabs and line breaks are fine), or leave it empty for the generated text.',
  from: 'This form came from an unknown page.',
  displayAt: 'Give a date and a time such as 2020-02-03 09:00, or leave it empty for now.'
}

/** The name and reference as they are saved: without spaces around them, which nobody means to type. */
export function trimmed<T extends { name?: unknown, reference?: unknown }> (body: unknown): T {
  const values = { ...(typeof body === 'object' && body !== null ? body : {}) } as Record<string, unknown>
  for (const field of ['name', 'reference']) {
    if (typeof values[field] === 'string') values[field] = values[field].trim()
  }
  return values as T
}

export interface ComponentChoices {
  /** Component id to the status the update gives it. */
  changes: Record<string, ComponentStatus>
  /** The names of the components that change, in page order (they fill a template's {component}). */
  names: string[]
  /** What each select sent, by field name, to show again. */
  typed: Record<string, string>
  /** The statuses the page showed, by component id. */
  was: Record<string, string>
  errors: FieldErrors
}

const componentFieldPattern = /^component-(.*)$/

/** The error of a component field naming no component now: deleted since the page was made, or made up. */
export function unknownComponent (id: string): string {
  return `There is no component with id ${id.slice(0, 20)} (it may have been deleted). Check the components below and send the form again.`
}

/**
 * Reads the component-<id> selects of a form. On a new incident, a status other than "no change"
 * is a change. On an update, the selects start at the statuses shown (sent back as was-<id>), and a
 * change is a status that differs from that: a status someone else changed meanwhile is not undone.
 */
export function readComponentChoices (body: unknown, live: Component[], mode: 'new' | 'update'): ComponentChoices {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const byId = new Map(live.map((component) => [String(component.id), component]))
  const result: ComponentChoices = { changes: {}, names: [], typed: {}, was: {}, errors: {} }
  for (const [field, value] of Object.entries(fields)) {
    const id = componentFieldPattern.exec(field)?.[1]
    if (id === undefined) continue
    const component = parseId(id) === undefined ? undefined : byId.get(id)
    if (component === undefined) {
      result.errors.components = unknownComponent(id)
      continue
    }
    const shown = fields[`was-${id}`]
    const was = isComponentStatus(shown) ? shown : component.status
    result.was[id] = was
    if (typeof value === 'string') result.typed[field] = value
    if (value === '' && mode === 'new') continue
    if (!isComponentStatus(value)) {
      result.errors[field] = 'Choose one of the statuses.'
      continue
    }
    if (mode === 'update' && value === was) continue
    result.changes[id] = value
  }
  result.names = live.filter((component) => result.changes[component.id] !== undefined).map((component) => component.name)
  return result
}

/** The new-incident form's fields as typed (a saved draft's form has the same), to show again. */
export function newIncidentValues (body: unknown): NewIncidentValues {
  return {
    name: typedText(body, 'name'),
    reference: typedText(body, 'reference'),
    impact: typedText(body, 'impact'),
    status: typedText(body, 'status'),
    body: typedText(body, 'body'),
    notify: typedCheckbox(body, 'notify'),
    postText: typedText(body, 'postText'),
    template: typedText(body, 'template')
  }
}

/** A custom post text as the services take it: null when left empty (the generated text is posted). */
export function customPostText (typed: string): string | null {
  return typed.trim() === '' ? null : typed
}
