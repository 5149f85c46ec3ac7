// A service's refusal shown on an HTML form beside the field it names: the admin UI's forms and the public subscription form.
import { NotFoundError, type RefusalRule, ServiceError } from '../services/errors.js'

/** A field as the services and the token API name it (`scheduled_until`) in the forms' terms (`scheduledUntil`). */
export function formField (serviceField: string): string {
  return serviceField.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase())
}

/** A form's own words for a rule's refusal, given the form field it is about; absent: the service's message. */
export type RefusalWords = Partial<Record<RefusalRule, (field: string) => string>>

export interface FormRefusal {
  /** The form field to show it next to, or 'form' (above the form). */
  field: string
  message: string
  statusCode: number
}

/**
 * A service's refusal, shown where the form's own checks would be: next to the field it names when the
 * form has that field (`fields`), in the form's words for its rule when it has some, else as the service
 * says it; above the form when it names no field of the form. The rule itself is the service's: the form
 * checks only what the schema does. Anything but a refusal is thrown on, and so is a record not found
 * (the page's own 404).
 */
export function formRefusal (err: unknown, fields: readonly string[], words: RefusalWords = {}): FormRefusal {
  if (!(err instanceof ServiceError) || err instanceof NotFoundError) throw err
  const named = err.field === undefined ? undefined : formField(err.field)
  const field = named !== undefined && fields.includes(named) ? named : undefined
  // The form's own words for the rule need the field they are said beside; above the form, the service's words.
  const worded = field === undefined || err.rule === undefined ? undefined : words[err.rule]?.(field)
  return { field: field ?? 'form', message: worded ?? `Nothing was saved: ${err.message}.`, statusCode: err.statusCode }
}
