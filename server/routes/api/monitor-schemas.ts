// The JSON schemas of the token API's monitor routes: what they accept and what they answer (also their OpenAPI document).
import { type Static, type TSchema, Type } from 'typebox'
import { monitorInputLimits } from '../../domain/monitor-input.js'
import {
  degradedStatuses, dnsRecordTypes, downStatuses, httpMethods, incidentModes, monitorKinds, monitorLimits, monitorStates, runResults
} from '../../domain/monitors.js'
import { idPattern } from './schemas.js'

// The schemas say each field's type; the rules (bounds, what a URL or a host may be, which fields a kind has)
// are the service's (domain/monitor-input.ts), one place for the API, the admin forms and monitors files,
// whose refusals name the field in the same words.
const Kind = Type.Enum([...monitorKinds], { description: 'http, tcp, dns and tls are checked on a schedule; a heartbeat waits to be called.' })
const fields = {
  name: Type.String({ description: `1 to ${monitorInputLimits.nameLength} characters, one line; unique whatever its case.` }),
  kind: Kind,
  paused: Type.Boolean({ description: 'false by default.' }),
  interval_seconds: Type.Integer({
    description: `How often it runs (a heartbeat: the period within which a call must arrive): ${monitorLimits.defaultIntervalS} by default (${monitorLimits.minTlsIntervalS} for tls), ` +
      `at least ${monitorLimits.minIntervalS} (${monitorLimits.minTlsIntervalS} for tls), at most ${monitorLimits.maxIntervalS}.`
  }),
  timeout_ms: Type.Integer({ description: `${monitorLimits.defaultTimeoutMs} by default, ${monitorLimits.minTimeoutMs} to ${monitorLimits.maxTimeoutMs}, below the interval. Not for a heartbeat.` }),
  failure_threshold: Type.Integer({ description: `Failed runs in a row before it is down: ${monitorLimits.defaultFailureThreshold} by default (a heartbeat: 1), 1 to ${monitorLimits.maxThreshold}.` }),
  success_threshold: Type.Integer({ description: `Successful runs in a row before it is up: ${monitorLimits.defaultSuccessThreshold} by default (a heartbeat: 1), 1 to ${monitorLimits.maxThreshold}.` }),
  latency_limit_ms: Type.Union([Type.Integer(), Type.Null()], { description: 'Slower than this is degraded; null (the default): never degraded. Below the timeout. Not for a heartbeat.' }),
  component: Type.Union([Type.String(), Type.Null()], { description: 'The name of the component it sets the status of (case aside); null: none.' }),
  component_id: Type.Union([Type.Integer(), Type.Null()], { description: 'The component by id, where two components share a name. Not with component.' }),
  down_status: Type.Enum([...downStatuses], { description: 'The status it gives the component when down: major_outage by default.' }),
  degraded_status: Type.Enum([...degradedStatuses], { description: 'The status it gives the component when degraded: degraded_performance by default.' }),
  incident_mode: Type.Enum([...incidentModes], { description: 'off (the default): the component status only; draft: opens a draft incident; publish: opens and resolves a public incident.' }),
  cert_warning_days: Type.Array(Type.Integer(), {
    description: `http (https) and tls: the days left at which the admins are warned about the certificate, 1 to ${monitorInputLimits.maxCertWarningDay}, at most ${monitorInputLimits.maxCertWarningDays}; [14, 7] by default.`
  }),
  url: Type.String({ description: `http: the http or https URL, at most ${monitorInputLimits.urlLength} characters, without user name, password or fragment. Private addresses are allowed.` }),
  method: Type.Enum([...httpMethods], { description: 'http: GET by default.' }),
  headers: Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: `http: header names to values, at most ${monitorInputLimits.maxHeaders} and ${monitorInputLimits.headersBytes} bytes in all; ` +
      'Host, Content-Length, Transfer-Encoding and Connection are Herald\'s. Shown to every holder of a token: keep long-lived secrets out.'
  }),
  body: Type.Union([Type.String(), Type.Null()], { description: `http: the request body (not with GET or HEAD), at most ${monitorInputLimits.bodyBytes} bytes.` }),
  expected_status: Type.Union([Type.Integer(), Type.String()], { description: 'http: the status code (200) or range ("200-299", the default) that is a success.' }),
  keyword: Type.Union([Type.String(), Type.Null()], { description: `http: text the body must contain (case-sensitive), at most ${monitorInputLimits.keywordLength} bytes; null: not checked.` }),
  json_path: Type.Union([
    Type.Object({
      path: Type.String({ description: 'A JSONPath starting with $, such as $.status.' }),
      equals: Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: 'Compared as text with the value found.' })
    }, { additionalProperties: false }),
    Type.Null()
  ], { description: 'http: the body is JSON and the value at path must equal this; null: not checked.' }),
  follow_redirects: Type.Boolean({ description: `http: follow up to ${monitorLimits.maxRedirects} redirects (true by default).` }),
  host: Type.String({ description: 'tcp: a host name or an IP address.' }),
  port: Type.Integer({ description: 'tcp: 1 to 65535.' }),
  hostname: Type.String({ description: 'dns: the name to resolve.' }),
  record_type: Type.Enum([...dnsRecordTypes], { description: 'dns: A by default.' }),
  expected: Type.Union([Type.String(), Type.Null()], { description: 'dns: one answer must equal this (an address for A and AAAA, a host name for CNAME, MX and NS); null: any answer.' }),
  target: Type.String({ description: 'tls: host:port, a host (port 443) or an https URL.' }),
  servername: Type.Union([Type.String(), Type.Null()], { description: 'tls: the name the certificate must be valid for; the host by default.' }),
  grace_seconds: Type.Integer({ description: `heartbeat: seconds after the period before a missing call counts, ${monitorLimits.defaultHeartbeatGraceS} by default, 0 to ${monitorInputLimits.maxGraceS}.` })
}

type Fields = typeof fields
const optional = Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, Type.Optional(schema)])) as { [K in keyof Fields]: ReturnType<typeof Type.Optional<Fields[K]>> }

export const MonitorBody = Type.Object({ ...optional, name: fields.name, kind: fields.kind }, {
  additionalProperties: false,
  description: 'The whole monitor: what is left out takes its default. The fields of another kind are refused.'
})

/** Whether a field takes null already (a keyword: null is "not checked"): wrapped again, a wrong value's message said null twice. */
function takesNull (schema: TSchema): boolean {
  const alternatives = (schema as { anyOf?: Array<{ type?: unknown }> }).anyOf
  return alternatives?.some((alternative) => alternative.type === 'null') ?? false
}

// In a PATCH, null puts a field back to its default; the name and the kind are never null.
const nullable = Object.fromEntries(Object.entries(fields).map(([key, schema]) => [
  key,
  Type.Optional(key === 'name' || key === 'kind' || takesNull(schema as TSchema)
    ? schema
    : Type.Union([schema as TSchema, Type.Null()], { description: (schema as { description?: string }).description }))
]))

export const MonitorPatchBody = Type.Unsafe<Record<string, unknown>>(Type.Object(nullable, {
  additionalProperties: false,
  minProperties: 1,
  description: 'The fields to change; the others are kept, null sets one back to its default. A new kind keeps only the fields every kind has.'
}))

export const MonitorParams = Type.Object({ id: Type.String({ pattern: idPattern }) }, { additionalProperties: false })

export const LimitQuery = Type.Object({
  limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]{0,2}|1000)$', description: 'How many, newest first: 1 to 1000, 100 by default.' }))
}, { additionalProperties: false })

export const EmptyBody = Type.Object({}, { additionalProperties: false, description: 'An empty object.' })

const Time = Type.String({ format: 'date-time' })
const NullableInteger = Type.Union([Type.Integer(), Type.Null()])
const NullableString = Type.Union([Type.String(), Type.Null()])

// What a monitor shows: every field of its kind, component and component_id both, and its state.
const shownFields = Object.fromEntries(Object.entries(fields).map(([key, schema]) => [
  key, key === 'name' || key === 'kind' ? schema : Type.Optional(schema)
]))

export const MonitorJson = Type.Object({
  id: Type.Integer(),
  ...shownFields,
  component: NullableString,
  component_id: NullableInteger,
  state: Type.Enum([...monitorStates, 'paused'], { description: 'pending (no verdict yet), up, degraded, down; paused whatever it was.' }),
  state_since: Time,
  failures: Type.Integer({ description: 'Failed runs in a row.' }),
  successes: Type.Integer({ description: 'Successful runs in a row.' }),
  last_run: Type.Union([Type.Object({
    at: Time,
    result: Type.Enum([...runResults]),
    latency_ms: NullableInteger,
    error: NullableString
  }), Type.Null()], { description: 'The last check, or the last heartbeat call; null: none yet.' }),
  certificate: Type.Union([Type.Object({
    fingerprint: Type.String({ description: 'SHA-256.' }),
    subject: Type.String(),
    issuer: Type.String(),
    names: Type.Array(Type.String()),
    valid_from: Time,
    expires_at: Time,
    days_left: Type.Integer({ description: 'Whole days until it expires; negative once expired.' })
  }), Type.Null()], { description: 'https and tls: the certificate last seen.' }),
  has_heartbeat_secret: Type.Boolean({ description: 'heartbeat: whether it has a secret (shown only when made).' }),
  incident_id: NullableInteger,
  draft_id: NullableInteger,
  created_at: Time,
  updated_at: Time
}, { description: 'The monitor.' })

export const CreatedMonitorJson = Type.Object({
  ...MonitorJson.properties,
  heartbeat_url: Type.Optional(Type.String({ description: 'heartbeat: the URL to POST to, with its secret: shown this once.' }))
}, { description: 'The monitor; a heartbeat with the URL to call, shown this once.' })

export const HeartbeatSecretJson = Type.Object({
  heartbeat_url: Type.String({ description: 'The URL to POST to, with its new secret: shown this once. The old one stops working.' })
})

export const MonitorRunJson = Type.Object({
  at: Time,
  result: Type.Enum([...runResults]),
  latency_ms: NullableInteger,
  status_code: NullableInteger,
  error: NullableString,
  in_maintenance: Type.Boolean({ description: 'A maintenance named its component: not counted against uptime.' })
})

export const MonitorEventJson = Type.Object({
  at: Time,
  old_state: Type.Enum([...monitorStates, 'paused']),
  new_state: Type.Enum([...monitorStates, 'paused']),
  reason: Type.String()
})

export type MonitorJson = Static<typeof MonitorJson>
