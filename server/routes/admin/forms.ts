// Form checking for the admin UI: a TypeBox schema per form, every field's error in words (a service's refusal too), typed values kept.
import type { FastifyRequest } from 'fastify'
import { type TSchema, Type } from 'typebox'
import { Value } from 'typebox/value'

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

// Shared with the public subscription form: http/form-refusal.ts.
export { type FormRefusal, type RefusalWords, formField, formRefusal } from '../../http/form-refusal.js'
