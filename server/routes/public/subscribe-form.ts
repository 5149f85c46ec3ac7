// The subscribe form and the manage form: their schemas, and what a visitor sent turned into checked values or errors beside each field.
import type { FastifySchemaValidationError } from 'fastify'
import { Type } from 'typebox'
import type { Component } from '../../domain/model.js'
import type { SubscriberKind } from '../../domain/subscribers.js'
import type { SubscribeErrors, SubscribeValues } from '../../views/subscribe-view.js'

const componentId = Type.String({ pattern: '^[1-9][0-9]{0,8}$' })

/** One id, or several (a form sends a repeated field as an array): at most as many as a page could list. */
const componentIds = Type.Union([componentId, Type.Array(componentId, { maxItems: 1000 })])

/** Limits of RFC 5321 for an address, and of the column for a URL. */
export const maxEmailLength = 254
export const maxUrlLength = 2048

export const subscribeForm = Type.Object({
  kind: Type.String({ maxLength: 16 }),
  email: Type.Optional(Type.String({ maxLength: maxEmailLength })),
  url: Type.Optional(Type.String({ maxLength: maxUrlLength })),
  contactEmail: Type.Optional(Type.String({ maxLength: maxEmailLength })),
  scope: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('some')])),
  components: Type.Optional(componentIds)
}, { additionalProperties: false })

export const manageForm = Type.Object({
  scope: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('some')])),
  components: Type.Optional(componentIds)
}, { additionalProperties: false })

/** A token of a link (43 characters, or an id, a dot and 43); over 100 the app answers not found before any route. */
export const tokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) })

type Field = keyof SubscribeErrors

const formFields: readonly Field[] = ['kind', 'email', 'url', 'contactEmail', 'components']

function messageOf (error: FastifySchemaValidationError, field: Field): string {
  switch (error.keyword) {
    case 'maxLength': return `Use at most ${String(error.params.limit)} characters.`
    case 'maxItems': return 'Choose fewer components.'
    case 'required': return field === 'kind' ? 'Choose how to be told.' : 'This field is required.'
    default:
      if (field === 'components') return 'Choose components from the list.'
      if (field === 'kind') return 'Choose one of the ways offered.'
      return 'This value has the wrong form.'
  }
}

/** The field a schema error is about, or 'form' (a field the form does not have, a body that is no form). */
export function schemaErrors (errors: readonly FastifySchemaValidationError[]): SubscribeErrors {
  const found: SubscribeErrors = {}
  for (const error of errors) {
    const missing = error.params.missingProperty
    const name = typeof missing === 'string' ? missing : error.instancePath.replace(/^\//, '').split('/')[0] ?? ''
    const field = formFields.find((candidate) => candidate === name) ?? 'form'
    found[field] ??= field === 'form' ? 'The form was not sent as this page sends it. Reload the page and try again.' : messageOf(error, field)
  }
  return found
}

function textOf (body: Record<string, unknown>, field: string): string {
  const value = body[field]
  return typeof value === 'string' ? value : ''
}

/** The ids a form sent, whether one (a string) or several (an array); anything else is none. */
export function idsOf (value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value]
  return [...new Set(list.filter((id): id is string => typeof id === 'string' && /^[1-9][0-9]{0,8}$/.test(id)).map(Number))]
}

/** What the form sent, kept as typed for the page that comes back (a bad kind falls back to the first offered). */
export function keptValues (body: unknown, kinds: readonly SubscriberKind[]): SubscribeValues {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const kind = kinds.find((offered) => offered === fields.kind) ?? kinds[0] ?? 'webhook'
  return {
    kind,
    email: textOf(fields, 'email'),
    url: textOf(fields, 'url'),
    contactEmail: textOf(fields, 'contactEmail'),
    scope: fields.scope === 'some' ? 'some' : 'all',
    components: idsOf(fields.components)
  }
}

/**
 * The components asked for: 'all', or the chosen ids, each a component on the page. Choosing "only these"
 * with none ticked is an error rather than a subscription to nothing.
 */
export function chosenComponents (values: Pick<SubscribeValues, 'scope' | 'components'>, components: readonly Component[]): { ok: true, components: number[] | 'all' } | { ok: false, error: string } {
  if (values.scope === 'all') return { ok: true, components: 'all' }
  if (values.components.length === 0) return { ok: false, error: 'Tick at least one component, or choose all components.' }
  const known = new Set(components.map((component) => component.id))
  if (!values.components.every((id) => known.has(id))) return { ok: false, error: 'A component you chose is no longer on the page. Choose again.' }
  return { ok: true, components: values.components }
}
