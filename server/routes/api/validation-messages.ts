// Validation failures of the token API as one message that names the field and says, in words, what it must be.
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify'
import { referencePattern } from '../../domain/references.js'
import { multiLinePattern, optionalMultiLinePattern, singleLinePattern } from '../../domain/text.js'
import { idPattern } from './schemas.js'

type SchemaErrorFormatter = Parameters<FastifyInstance['setSchemaErrorFormatter']>[0]

// A regular expression means nothing to most people; these say what it asks for.
const patternWords: Record<string, string> = {
  [singleLinePattern]: 'must be one line of text that shows something (not only spaces or invisible characters), without control characters or unpaired surrogates',
  [multiLinePattern]: 'must be text that shows something (not only spaces or invisible characters), without control characters other than tab and line breaks, or unpaired surrogates',
  [optionalMultiLinePattern]: 'must not contain control characters other than tab and line breaks, or unpaired surrogates',
  [referencePattern]: 'must be 2 to 32 letters and digits',
  [idPattern]: 'must be a whole number id'
}

const formatWords: Record<string, string> = {
  'date-time': 'must be a date and time with its zone, such as 2020-02-03T14:00:00Z'
}

function words (error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties':
      return `has an unknown field '${String(params.additionalProperty)}'`
    case 'pattern':
      return patternWords[String(params.pattern)] ?? error.message ?? 'is not valid'
    case 'format':
      return formatWords[String(params.format)] ?? error.message ?? 'is not valid'
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : error.message ?? 'is too short'
    case 'minProperties':
      return params.limit === 1 ? 'must name at least one field to change' : error.message ?? 'has too few fields'
    default:
      return error.message ?? 'is not valid'
  }
}

/**
 * The body field a failed validation is about, which the answer names as `field` (plugins/errors.ts):
 * none for the body as a whole (an unknown field, no field to change), a path or a query.
 */
function bodyField (error: FastifySchemaValidationError | undefined, dataVar: string): string | undefined {
  if (error === undefined || dataVar !== 'body') return undefined
  if (error.keyword === 'required') return String((error.params as { missingProperty?: unknown }).missingProperty)
  const top = error.instancePath.split('/')[1]
  return top === undefined || top === '' ? undefined : top
}

/**
 * Fastify's schemaErrorFormatter. With allErrors off there is one error, except for `anyOf`
 * (a group name or null), where each alternative reports before the anyOf itself and they are said
 * as one, and for a bad map key, reported once with the key.
 */
export const validationMessage: SchemaErrorFormatter = (errors, dataVar) => {
  const parts: string[] = []
  let alternatives: string[] = []
  for (const error of errors) {
    const where = `${dataVar}${error.instancePath}`
    // A bad key of a map (component id to status) reports itself, then a wrapper that names nothing.
    const key = (error as { propertyName?: string }).propertyName
    if (error.keyword === 'propertyNames') continue
    if (key !== undefined) {
      parts.push(`${where} key '${key}' ${words(error)}`)
    } else if (error.keyword === 'anyOf') {
      parts.push(`${where} ${alternatives.join(' or ')}`)
      alternatives = []
    } else if (error.schemaPath.includes('/anyOf/')) {
      alternatives.push(words(error))
    } else {
      parts.push(`${where} ${words(error)}`)
    }
  }
  const field = bodyField(errors[0], dataVar)
  return Object.assign(new Error(parts.join(', ')), field === undefined ? {} : { field })
}
