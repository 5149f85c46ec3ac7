// The monitor forms' rules: their schema, the headers textarea and the other typed texts read into the external shape, and a refusal beside its field.
import { Type } from 'typebox'
import type { Component } from '../../domain/model.js'
import type { MonitorKind } from '../../domain/monitors.js'
import { degradedStatuses, dnsRecordTypes, downStatuses, httpMethods, incidentModes, monitorKinds } from '../../domain/monitors.js'
import { optionalMultiLinePattern, optionalSingleLinePattern, singleLinePattern } from '../../domain/text.js'
import { NotFoundError, ServiceError } from '../../services/errors.js'
import { type MonitorField, type MonitorFormValues, defaultFormValues, fieldsOf } from '../../views/admin/monitor-form-view.js'
import { type FieldErrors, typedText } from '../../views/admin/form-view.js'
import { type FieldMessages, checkForm } from './forms.js'

/** Longest texts the forms take; the services hold the rules of what is valid within them. */
export const monitorTextLimits = {
  name: 100,
  url: 2048,
  host: 253,
  headers: 16_384,
  body: 65_536,
  keyword: 1000,
  jsonPath: 500,
  number: 12,
  days: 100
} as const

const line = (maxLength: number): ReturnType<typeof Type.String> => Type.String({ maxLength, pattern: optionalSingleLinePattern })
const choice = (values: readonly string[]): ReturnType<typeof Type.Optional> => Type.Optional(Type.Enum([...values]))
const checkbox = Type.Optional(Type.Literal('on'))

/**
 * Every field of every kind, each optional but the name and kind: a kind's form sends its own fields only.
 * Texts stay texts here (numbers too), so what was typed comes back as typed beside its error.
 */
export const monitorForm = Type.Object({
  kind: Type.Enum([...monitorKinds]),
  name: Type.String({ minLength: 1, maxLength: monitorTextLimits.name, pattern: singleLinePattern }),
  interval_seconds: Type.Optional(line(monitorTextLimits.number)),
  timeout_ms: Type.Optional(line(monitorTextLimits.number)),
  failure_threshold: Type.Optional(line(monitorTextLimits.number)),
  success_threshold: Type.Optional(line(monitorTextLimits.number)),
  latency_limit_ms: Type.Optional(line(monitorTextLimits.number)),
  component_id: Type.Optional(Type.String({ pattern: '^(|[1-9][0-9]{0,14})$' })),
  down_status: choice(downStatuses),
  degraded_status: choice(degradedStatuses),
  incident_mode: choice(incidentModes),
  cert_warning_days: Type.Optional(line(monitorTextLimits.days)),
  paused: checkbox,
  url: Type.Optional(line(monitorTextLimits.url)),
  method: choice(httpMethods),
  headers: Type.Optional(Type.String({ maxLength: monitorTextLimits.headers, pattern: optionalMultiLinePattern })),
  body: Type.Optional(Type.String({ maxLength: monitorTextLimits.body, pattern: optionalMultiLinePattern })),
  expected_status: Type.Optional(line(monitorTextLimits.number)),
  keyword: Type.Optional(line(monitorTextLimits.keyword)),
  json_path: Type.Optional(line(monitorTextLimits.jsonPath)),
  json_path_equals: Type.Optional(line(monitorTextLimits.keyword)),
  follow_redirects: checkbox,
  host: Type.Optional(line(monitorTextLimits.host)),
  port: Type.Optional(line(monitorTextLimits.number)),
  hostname: Type.Optional(line(monitorTextLimits.host)),
  record_type: choice(dnsRecordTypes),
  expected: Type.Optional(line(monitorTextLimits.keyword)),
  target: Type.Optional(line(monitorTextLimits.url)),
  servername: Type.Optional(line(monitorTextLimits.host)),
  grace_seconds: Type.Optional(line(monitorTextLimits.number))
})

const oneLine = 'Write one line without control characters.'
const wholeNumber = 'Give a whole number.'

export const monitorFieldMessages: FieldMessages = {
  kind: 'Choose one of the kinds.',
  name: 'Write a name: one line of visible text, without control characters.',
  interval_seconds: 'Give a whole number of seconds.',
  timeout_ms: 'Give a whole number of milliseconds.',
  failure_threshold: wholeNumber,
  success_threshold: wholeNumber,
  latency_limit_ms: 'Give a whole number of milliseconds, or leave it empty.',
  component_id: 'Choose one of the components, or none.',
  cert_warning_days: 'Give whole numbers of days separated by commas, such as 14, 7.',
  url: oneLine,
  headers: 'Leave out control characters (one header a line).',
  body: 'Leave out control characters (tabs and line breaks are fine).',
  expected_status: 'Give a status such as 200, or a range such as 200-299.',
  keyword: oneLine,
  json_path: oneLine,
  json_path_equals: oneLine,
  host: oneLine,
  port: 'Give a port number from 1 to 65535.',
  hostname: oneLine,
  expected: oneLine,
  target: oneLine,
  servername: oneLine,
  grace_seconds: 'Give a whole number of seconds.',
  paused: 'Tick the box or leave it.',
  follow_redirects: 'Tick the box or leave it.'
}

// RFC 9110's token: what a header's name may be made of.
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Any control character but the tab: a lone carriage return would end the header on the wire.
const controlCharacter = /[\u0000-\u0008\u000A-\u001F\u007F]/

/**
 * The headers textarea, one `Name: value` a line (blank lines skipped), as the external shape's object; a line that
 * is not a header is refused with its number. A browser sends the textarea's line breaks as CRLF, so a line ends at
 * CRLF or LF; a carriage return left inside a line is refused, never sent on to the target.
 */
export function parseHeaders (text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {}
  const seen = new Set<string>()
  const lines = text.split(/\r?\n/)
  for (const [index, raw] of lines.entries()) {
    const number = index + 1
    if (raw.trim() === '') continue
    const colon = raw.indexOf(':')
    if (colon < 0) return { error: `Line ${number}: write each header as Name: value.` }
    const name = raw.slice(0, colon).trim()
    const value = raw.slice(colon + 1).trim()
    if (!headerName.test(name)) return { error: `Line ${number}: a header name is letters, digits and - (such as X-Api-Key), before the colon.` }
    if (controlCharacter.test(value)) return { error: `Line ${number}: the value has a control character (a line break inside a header is not allowed).` }
    if (seen.has(name.toLowerCase())) return { error: `Line ${number}: ${name} is given twice.` }
    seen.add(name.toLowerCase())
    headers[name] = value
  }
  return { headers }
}

/** "14, 7" as days; empty: no warnings. */
export function parseWarningDays (text: string): number[] | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return []
  if (!/^[0-9]{1,5}(\s*,\s*[0-9]{1,5})*$/.test(trimmed)) return undefined
  return trimmed.split(',').map((day) => Number(day.trim()))
}

/** The form's values as typed, to show again: a field not sent is empty, as a browser sends an emptied one; checkboxes 'on' or ''. */
export function typedMonitorValues (kind: MonitorKind, body: unknown): MonitorFormValues {
  const values = defaultFormValues(kind)
  for (const field of Object.keys(values) as MonitorField[]) {
    const isCheckbox = field === 'paused' || field === 'follow_redirects'
    values[field] = isCheckbox ? (typedText(body, field) === '' ? '' : 'on') : typedText(body, field)
  }
  return values
}

/** The external shape (API JSON, YAML) a form gives the monitor service. */
export type MonitorFormInput = Record<string, unknown> & { name: string, kind: MonitorKind }

export type MonitorFormResult =
  | { ok: true, input: MonitorFormInput }
  | { ok: false, errors: FieldErrors }

/**
 * Reads a submitted form: the schema first (types, lengths, control characters), then the texts that carry a
 * structure (numbers, headers, days, the component). The ranges and the rules between fields are the service's,
 * so they read the same in the form, the API and YAML. An empty number is left out: the service's default.
 */
export function readMonitorForm (kind: MonitorKind, body: unknown, components: readonly Component[]): MonitorFormResult {
  const fields = fieldsOf(kind)
  const checked = checkForm<Record<string, unknown>>(monitorForm, { ...(typeof body === 'object' && body !== null ? body : {}), kind }, monitorFieldMessages)
  const errors: FieldErrors = {}
  for (const [field, message] of Object.entries(checked.errors)) {
    if (field === 'kind' || fields.includes(field as MonitorField)) errors[field] = message
  }
  const values = typedMonitorValues(kind, body)
  const text = (field: MonitorField): string => values[field].trim()
  const input: MonitorFormInput = { name: text('name'), kind, paused: values.paused === 'on' }
  const set = (field: string, value: unknown): void => { (input as Record<string, unknown>)[field] = value }

  const number = (field: MonitorField, emptyAs?: null): void => {
    if (errors[field] !== undefined) return
    const typed = text(field)
    if (typed === '') {
      if (emptyAs === null) set(field, null)
      return
    }
    if (/^[0-9]{1,9}$/.test(typed)) set(field, Number(typed))
    else errors[field] = monitorFieldMessages[field] as string
  }
  const optionalText = (field: MonitorField, key: string = field): void => {
    if (errors[field] === undefined) set(key, text(field) === '' ? null : text(field))
  }

  number('interval_seconds')
  number('failure_threshold')
  number('success_threshold')
  if (fields.includes('timeout_ms')) number('timeout_ms')
  if (fields.includes('latency_limit_ms')) number('latency_limit_ms', null)
  for (const field of ['down_status', 'degraded_status', 'incident_mode'] as const) {
    if (errors[field] === undefined && text(field) !== '') set(field, text(field))
  }
  // By id: two groups may each have a component of the same name.
  if (errors.component_id === undefined) {
    const id = text('component_id')
    const component = id === '' ? null : components.find((each) => String(each.id) === id)
    if (component === undefined) errors.component_id = 'This component no longer exists: choose another, or none.'
    else input.component_id = component?.id ?? null
  }
  if (fields.includes('cert_warning_days') && errors.cert_warning_days === undefined) {
    const days = parseWarningDays(values.cert_warning_days)
    if (days === undefined) errors.cert_warning_days = monitorFieldMessages.cert_warning_days as string
    else input.cert_warning_days = days
  }

  switch (kind) {
    case 'http': {
      input.url = text('url')
      input.method = text('method') === '' ? 'GET' : text('method')
      if (errors.headers === undefined) {
        const parsed = parseHeaders(values.headers)
        if ('error' in parsed) errors.headers = parsed.error
        else input.headers = parsed.headers
      }
      if (errors.body === undefined) input.body = values.body === '' ? null : values.body
      if (errors.expected_status === undefined && text('expected_status') !== '') {
        const typed = text('expected_status')
        input.expected_status = /^[0-9]{1,3}$/.test(typed) ? Number(typed) : typed
      }
      optionalText('keyword')
      if (errors.json_path === undefined && errors.json_path_equals === undefined) {
        if (text('json_path') !== '') input.json_path = { path: text('json_path'), equals: values.json_path_equals.trim() }
        else if (text('json_path_equals') !== '') errors.json_path = 'Give the path whose value must equal this, such as $.status.'
        else input.json_path = null
      }
      input.follow_redirects = values.follow_redirects === 'on'
      break
    }
    case 'tcp':
      input.host = text('host')
      if (errors.port === undefined) {
        if (/^[0-9]{1,5}$/.test(text('port'))) input.port = Number(text('port'))
        else errors.port = monitorFieldMessages.port as string
      }
      break
    case 'dns':
      input.hostname = text('hostname')
      if (errors.record_type === undefined) input.record_type = text('record_type') === '' ? 'A' : text('record_type')
      optionalText('expected')
      break
    case 'tls':
      input.target = text('target')
      optionalText('servername')
      break
    case 'heartbeat':
      number('grace_seconds')
      break
  }
  return Object.keys(errors).length === 0 ? { ok: true, input } : { ok: false, errors }
}

/**
 * The form field a service's refusal is about: the service names the external shape's field (`interval_seconds`,
 * `json_path.equals`, `headers.X-Api-Key`, `cert_warning_days[1]`), which is the form's own name but for the parts
 * under a field. A refusal naming no field of this form is shown above it ('form').
 */
export function monitorRefusal (err: unknown, kind: MonitorKind): { field: string, message: string, statusCode: number } {
  if (!(err instanceof ServiceError) || err instanceof NotFoundError) throw err
  const named = err.field ?? ''
  const field = named === 'json_path.equals' ? 'json_path_equals' : named.split(/[.[]/)[0] ?? ''
  const shown = (fieldsOf(kind) as string[]).includes(field) ? field : 'form'
  // The service words it as a clause after its field's name ("interval_seconds: at least 10 seconds"): beside the field, the clause alone.
  if (shown === 'form') return { field: shown, message: `Nothing was saved: ${err.message}.`, statusCode: err.statusCode }
  const clause = err.message.startsWith(`${named}: `) ? err.message.slice(named.length + 2) : err.message
  const sentence = `${clause.charAt(0).toUpperCase()}${clause.slice(1)}${/[.!?]$/.test(clause) ? '' : '.'}`
  // A header is named by its own name, as typed on its line: "X-Api-Key: …".
  const header = field === 'headers' && named.startsWith('headers.') ? named.slice('headers.'.length) : ''
  return { field: shown, message: header === '' ? sentence : `${header}: ${sentence}`, statusCode: err.statusCode }
}
