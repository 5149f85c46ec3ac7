// Form checking for the admin UI: a TypeBox schema per form, every field's error in words (a service's refusal too), typed values kept.
import type { FastifyRequest } from 'fastify'
import { type TSchema, Type } from 'typebox'
import { Value } from 'typebox/value'
import { NotFoundError, type RefusalRule, ServiceError } from '../../services/errors.js'

export type FieldErrors = Record<string, string>

export interface FormResult<T> {
  ok: boolean
  /** The checked values when ok. */
  values: T
  /** One message per field that is wrong, keyed by field name ('form' for the form as a whole). */
  errors: FieldErrors
}

/** Messages for a field's pattern or enum, where the schema's own words would be cryptic. */
export type FieldMessages = Record<string, string>

interface SchemaError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
}

function describe (error: SchemaError, field: string, messages: FieldMessages): string {
  const custom = messages[field]
  switch (error.keyword) {
    case 'required': return 'This field is required.'
    case 'minLength': return error.params.limit === 1 ? 'This field is required.' : `Use at least ${String(error.params.limit)} characters.`
    case 'maxLength': return `Use at most ${String(error.params.limit)} characters.`
    case 'pattern': return custom ?? 'This contains characters that are not allowed (control characters or unpaired surrogates), or nothing visible.'
    case 'const':
    case 'anyOf':
    case 'enum': return custom ?? 'Choose one of the options.'
    case 'type': return custom ?? 'This value has the wrong form.'
    default: return custom ?? 'This value is not valid.'
  }
}

/**
 * Checks a submitted form against its schema and returns every field's first error. Unknown
 * fields are ignored (browsers send buttons and the CSRF token); missing optional fields stay unset.
 */
export function checkForm<T> (schema: TSchema, body: unknown, messages: FieldMessages = {}): FormResult<T> {
  const values = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const errors: FieldErrors = {}
  for (const error of Value.Errors(schema, values) as unknown as SchemaError[]) {
    if (error.keyword === 'additionalProperties' || error.keyword === 'boolean') continue
    // One 'required' error names every missing field at once.
    const fields = error.keyword === 'required'
      ? (error.params.requiredProperties as string[] | undefined) ?? []
      : [error.instancePath.replace(/^\//, '').split('/')[0] ?? '']
    for (const field of fields) errors[field] ??= describe(error, field, messages)
  }
  return { ok: Object.keys(errors).length === 0, values: values as T, errors }
}

/** The body of a form with no field but its CSRF token: a confirmation (delete, revoke, retry, sign out). */
export const confirmationForm = Type.Object({})

/**
 * An admin form route declares its schema on the body (Fastify's record of the route, and the type of
 * request.body) with `attachValidation: true`, so that checkForm words each failure beside its field.
 * Only the body is left to checkForm: a params or querystring failure is still the 400 of every other route.
 */
export function refuseBadAddress (request: FastifyRequest): void {
  if (request.validationError !== undefined && request.validationError.validationContext !== 'body') throw request.validationError
}

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
