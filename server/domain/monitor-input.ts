// A monitor as people write it (token API JSON and YAML, snake_case), the rules it must meet, and the same shape back from a stored definition.
import { isIP } from 'node:net'
import { domainToASCII } from 'node:url'
import {
  type DegradedStatus, type DnsRecordType, type DownStatus, type HttpMethod, type HttpSettings, type IncidentMode,
  type MonitorDefinition, type MonitorKind, type MonitorSettings, degradedStatuses, dnsRecordTypes, downStatuses, httpMethods,
  incidentModes, monitorKinds, monitorLimits
} from './monitors.js'
import { type TlsTarget, parseTlsTarget, tlsTargetText } from './tls-target.js'
import { optionalMultiLinePattern, optionalSingleLinePattern, singleLinePattern } from './text.js'

/** The external shape of a monitor: what the token API takes and shows, and one entry of a monitors file. */
export interface MonitorInput {
  name: string
  kind: MonitorKind
  paused?: boolean
  interval_seconds?: number
  timeout_ms?: number
  failure_threshold?: number
  success_threshold?: number
  latency_limit_ms?: number | null
  /** The component's name (null: none). */
  component?: string | null
  /** The component's id, where its name is not unique (two groups with a component of the same name). */
  component_id?: number | null
  down_status?: DownStatus
  degraded_status?: DegradedStatus
  incident_mode?: IncidentMode
  cert_warning_days?: number[]
  // http
  url?: string
  method?: HttpMethod
  headers?: Record<string, string>
  body?: string | null
  /** `200-299` or one code. */
  expected_status?: string | number
  keyword?: string | null
  json_path?: { path: string, equals: string } | null
  follow_redirects?: boolean
  // tcp
  host?: string
  port?: number
  // dns
  hostname?: string
  record_type?: DnsRecordType
  expected?: string | null
  // tls
  /** `host:port`, `host` (port 443) or an https URL. */
  target?: string
  servername?: string | null
  // heartbeat
  grace_seconds?: number
}

/** Where a refusal points: the field as a path of keys (`['headers', 'X-Token']`), and as one string (`headers.X-Token`). */
export interface MonitorInputError {
  field: string
  path: Array<string | number>
  /** What is wrong, without the field's name (`at least 10 seconds`). */
  message: string
}

export type MonitorCheck = { ok: true, definition: MonitorDefinition } | ({ ok: false } & MonitorInputError)

/** How a component named in the input is found: its id, null when no component has that name, or 'ambiguous'. */
export interface ComponentLookup {
  idOf: (name: string) => number | null | 'ambiguous'
  exists: (id: number) => boolean
}

export const monitorInputLimits = {
  nameLength: 100,
  urlLength: 2048,
  maxHeaders: 20,
  headersBytes: 8192,
  bodyBytes: 65_536,
  keywordLength: 1000,
  jsonPathLength: 1000,
  expectedLength: 255,
  maxCertWarningDays: 5,
  maxCertWarningDay: 365,
  maxGraceS: 86_400
} as const

// Fields every kind has, then each kind's own: a field of another kind is refused by name, as an unknown one is.
const commonFields = ['name', 'kind', 'paused', 'interval_seconds', 'failure_threshold', 'success_threshold', 'component', 'component_id',
  'down_status', 'degraded_status', 'incident_mode'] as const
// A check that runs has a timeout and a latency; a heartbeat is called, so it has neither.
const checkFields = ['timeout_ms', 'latency_limit_ms'] as const
const kindFields: Record<MonitorKind, readonly string[]> = {
  http: [...checkFields, 'cert_warning_days', 'url', 'method', 'headers', 'body', 'expected_status', 'keyword', 'json_path', 'follow_redirects'],
  tcp: [...checkFields, 'host', 'port'],
  dns: [...checkFields, 'hostname', 'record_type', 'expected'],
  tls: [...checkFields, 'cert_warning_days', 'target', 'servername'],
  heartbeat: ['grace_seconds']
}

/** Every field a monitor of this kind may have, in the order export writes them. */
export function fieldsOfKind (kind: MonitorKind): readonly string[] {
  return [...commonFields, ...kindFields[kind]]
}

/** The fields every kind shares (what a PATCH that changes the kind keeps of the monitor). */
export const sharedMonitorFields: readonly string[] = commonFields

/** The fields that say what is watched: changing one (or the kind) makes the monitor's state pending again. */
export const targetFields: readonly string[] = ['url', 'method', 'host', 'port', 'hostname', 'record_type', 'target', 'servername']

class Refusal extends Error {
  constructor (readonly path: Array<string | number>, message: string) {
    super(message)
  }
}

function refuse (path: Array<string | number>, message: string): never {
  throw new Refusal(path, message)
}

// Never typed in a one-line value: C0 and C1 controls (CR and LF among them), DEL, lone surrogates,
// noncharacters, and the invisible format characters (bidi overrides and isolates, zero-width characters,
// the byte-order mark) that make one name look like another or reverse the text after it.
const invisible = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u
// That is for what names a target (a host, a URL, a JSON path). What a person writes for people or matches
// in a body (a name, a keyword, a request body, an expected value) keeps the rules of every other text Herald
// stores (domain/text.ts): bidi controls are allowed there and isolated wherever the text is shown.
const oneLine = new RegExp(optionalSingleLinePattern, 'u')
const manyLines = new RegExp(optionalMultiLinePattern, 'u')
const showsSomething = new RegExp(singleLinePattern, 'u')
const invisibleWhat = 'must not contain control or invisible characters (a line break, a bidi override, a lone surrogate)'
const controlsWhat = 'must not contain control characters or lone surrogates'

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function typeName (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`
}

function text (path: Array<string | number>, value: unknown, max: number): string {
  if (typeof value !== 'string') refuse(path, `must be text, not ${typeName(value)}`)
  if (invisible.test(value)) refuse(path, invisibleWhat)
  if (value.trim() === '') refuse(path, 'must not be empty')
  if (value.length > max) refuse(path, `must be at most ${max} characters`)
  return value.trim()
}

function integer (path: Array<string | number>, value: unknown, min: number, max: number, unit = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) refuse(path, `must be a whole number, not ${typeof value === 'number' ? value : typeName(value)}`)
  // `1 day`, `10 seconds`.
  const suffix = (n: number): string => (unit === '' ? '' : ` ${n === 1 && unit !== 'ms' ? unit.replace(/s$/, '') : unit}`)
  if (value < min) refuse(path, `at least ${min}${suffix(min)}`)
  if (value > max) refuse(path, `at most ${max}${suffix(max)}`)
  return value
}

function boolean (path: Array<string | number>, value: unknown): boolean {
  if (typeof value !== 'boolean') refuse(path, `must be true or false, not ${typeName(value)}`)
  return value
}

function oneOf<T extends string> (path: Array<string | number>, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    refuse(path, `must be one of ${allowed.join(', ')}`)
  }
  return value as T
}

// A host name as DNS has it (IDN converted to punycode): labels of letters, digits, inner hyphens and
// underscores (service names such as _dmarc), a final dot dropped. One label is fine (`db` on the internal network).
const hostLabel = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/

/** A host name or an IP address as stored (lower-case, punycode, IPv6 without brackets), or the reason it is not one. */
export function checkedHost (value: string): string | { reason: string } {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value
  if (isIP(bare) !== 0) return bare.toLowerCase()
  const trimmed = value.endsWith('.') ? value.slice(0, -1) : value
  const ascii = domainToASCII(trimmed.toLowerCase())
  if (ascii === '' || ascii.length > 253 || !ascii.split('.').every((label) => hostLabel.test(label))) {
    return { reason: 'must be a host name such as status.example.com, or an IP address' }
  }
  // An all-digit last label is a mistyped IPv4 address (10.0.0.300), which no resolver answers.
  if (/(^|\.)[0-9]+$/.test(ascii)) return { reason: 'is neither a valid IP address nor a host name' }
  return ascii
}

function host (path: Array<string | number>, value: unknown): string {
  const typed = text(path, value, 255)
  const checked = checkedHost(typed)
  if (typeof checked !== 'string') refuse(path, checked.reason)
  return checked
}

function port (path: Array<string | number>, value: unknown): number {
  return integer(path, value, 1, 65_535)
}

// Schemes someone may paste by mistake or malice, named in the refusal.
const namedSchemes = new Set(['file:', 'javascript:', 'data:', 'vbscript:', 'ftp:', 'mailto:', 'blob:', 'ws:', 'wss:'])

function httpUrl (path: Array<string | number>, value: unknown): URL {
  if (typeof value !== 'string') refuse(path, `must be text, not ${typeName(value)}`)
  if (invisible.test(value)) refuse(path, invisibleWhat)
  const typed = value.trim()
  if (typed === '') refuse(path, 'must not be empty')
  if (typed.length > monitorInputLimits.urlLength) refuse(path, `must be at most ${monitorInputLimits.urlLength} characters`)
  if (/\s/u.test(typed)) refuse(path, 'must not contain spaces')
  let url: URL
  try {
    url = new URL(typed)
  } catch {
    return refuse(path, 'must be an absolute URL such as https://example.com/health')
  }
  if (namedSchemes.has(url.protocol)) refuse(path, `must start with http:// or https://, not ${url.protocol}`)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse(path, `must start with http:// or https://, not ${url.protocol}`)
  // Credentials would be kept and shown in plain text: they belong in a header.
  if (url.username !== '' || url.password !== '') refuse(path, 'must not contain a user name or password (send credentials in a header)')
  if (url.hash !== '' || typed.includes('#')) refuse(path, 'must not have a fragment (#...), which is never sent')
  const checked = checkedHost(url.hostname)
  if (typeof checked !== 'string') refuse(path, `host ${checked.reason}`)
  if (url.href.length > monitorInputLimits.urlLength) refuse(path, `must be at most ${monitorInputLimits.urlLength} characters`)
  return url
}

// RFC 9110's token: the characters a header name may have.
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Herald sets these itself: a typed one would contradict the request it sends (or smuggle a second one).
const reservedHeaders = new Set(['host', 'content-length', 'transfer-encoding', 'connection'])
// Visible ASCII, space and tab: Node refuses other characters in a header value, and CR or LF would start a new header.
const headerValue = /^[\t\u0020-\u007E]*$/

function headers (path: Array<string | number>, value: unknown): Record<string, string> {
  if (!isRecord(value)) refuse(path, `must be a mapping of header names to values, not ${typeName(value)}`)
  const entries = Object.entries(value)
  if (entries.length > monitorInputLimits.maxHeaders) refuse(path, `at most ${monitorInputLimits.maxHeaders} headers`)
  const seen = new Set<string>()
  let bytes = 0
  const result: Record<string, string> = {}
  for (const [name, raw] of entries) {
    const at = [...path, name]
    if (!headerName.test(name)) refuse(at, 'a header name is letters, digits and !#$%&\'*+.^_`|~- only')
    const key = name.toLowerCase()
    if (reservedHeaders.has(key)) refuse(at, `${name} is set by Herald and cannot be given`)
    if (seen.has(key)) refuse(at, `${name} is given twice`)
    seen.add(key)
    if (typeof raw !== 'string') refuse(at, `must be text, not ${typeName(raw)}`)
    if (!headerValue.test(raw)) refuse(at, 'a header value is printable ASCII on one line (no line breaks or control characters)')
    bytes += name.length + raw.length
    if (bytes > monitorInputLimits.headersBytes) refuse(path, `at most ${monitorInputLimits.headersBytes} bytes of header names and values in all`)
    result[name] = raw
  }
  return result
}

/** A line as typed (a keyword to find in a body): kept as it is, spaces included. */
function oneLineText (path: Array<string | number>, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') refuse(path, `must be text, not ${typeName(value)}`)
  if (!oneLine.test(value)) refuse(path, controlsWhat)
  if ([...value].length > maxLength) refuse(path, `must be at most ${maxLength} characters`)
  return value
}

function multiLineText (path: Array<string | number>, value: unknown, maxBytes: number, what: string): string {
  if (typeof value !== 'string') refuse(path, `must be text, not ${typeName(value)}`)
  if (!manyLines.test(value)) refuse(path, 'must not contain control characters (but tab and line breaks) or lone surrogates')
  if (Buffer.byteLength(value, 'utf8') > maxBytes) refuse(path, `must be at most ${maxBytes} ${what}`)
  return value
}

function expectedStatus (path: Array<string | number>, value: unknown): { min: number, max: number } {
  if (typeof value === 'number') {
    const code = integer(path, value, 100, 599)
    return { min: code, max: code }
  }
  if (typeof value !== 'string') refuse(path, `must be a status code (200) or a range ("200-299"), not ${typeName(value)}`)
  const match = /^\s*([0-9]{3})\s*(?:-\s*([0-9]{3})\s*)?$/.exec(value)
  if (match === null) refuse(path, 'must be a status code (200) or a range ("200-299")')
  const min = Number(match[1])
  const max = match[2] === undefined ? min : Number(match[2])
  if (min < 100 || max > 599) refuse(path, 'status codes are from 100 to 599')
  if (min > max) refuse(path, 'the range must go from the smaller code to the larger')
  return { min, max }
}

function jsonPath (path: Array<string | number>, value: unknown): { path: string, equals: string } {
  if (!isRecord(value)) refuse(path, `must be a mapping with path and equals, not ${typeName(value)}`)
  for (const key of Object.keys(value)) {
    if (key !== 'path' && key !== 'equals') refuse([...path, key], 'unknown field (json_path has path and equals)')
  }
  if (value.path === undefined) refuse([...path, 'path'], 'is required')
  if (value.equals === undefined) refuse([...path, 'equals'], 'is required')
  const expression = text([...path, 'path'], value.path, monitorInputLimits.jsonPathLength)
  if (!expression.startsWith('$')) refuse([...path, 'path'], 'must start with $ (such as $.status)')
  // A filter or script ([?(…)], [(…)]) is code: the check never runs one (eval off), so it is refused here, not at the first run.
  if (/\[\s*\??\s*\(/.test(expression)) refuse([...path, 'path'], 'must not hold a filter or script ([?(…)], [(…)]): name the value, such as $.checks[0].ok')
  const equals = value.equals
  // YAML reads `equals: true` or `equals: 1` as a boolean or a number: the body's value is compared as text.
  const typed = typeof equals === 'number' || typeof equals === 'boolean' ? String(equals) : equals
  if (typeof typed !== 'string') refuse([...path, 'equals'], `must be text, a number or true/false, not ${typeName(equals)}`)
  if (!oneLine.test(typed)) refuse([...path, 'equals'], controlsWhat)
  if (typed.length > monitorInputLimits.jsonPathLength) refuse([...path, 'equals'], `must be at most ${monitorInputLimits.jsonPathLength} characters`)
  return { path: expression, equals: typed }
}

function certWarningDays (path: Array<string | number>, value: unknown): number[] {
  if (!Array.isArray(value)) refuse(path, `must be a list of whole days, not ${typeName(value)}`)
  if (value.length > monitorInputLimits.maxCertWarningDays * 4) refuse(path, `at most ${monitorInputLimits.maxCertWarningDays} days`)
  const days = [...new Set(value.map((day, index) => integer([...path, index], day, 1, monitorInputLimits.maxCertWarningDay, 'days')))]
  if (days.length > monitorInputLimits.maxCertWarningDays) refuse(path, `at most ${monitorInputLimits.maxCertWarningDays} days`)
  return days.sort((a, b) => b - a)
}

/** A TLS target: `host:port`, `[v6]:port`, `host` (443), or an https URL. */
function tlsTarget (path: Array<string | number>, value: unknown): TlsTarget {
  if (typeof value !== 'string') refuse(path, `must be text, not ${typeName(value)}`)
  // The one reading of a TLS target, shared with herald cert-check.
  const target = parseTlsTarget(value.trim())
  if ('error' in target) refuse(path, target.error)
  return target
}

function dnsExpected (path: Array<string | number>, value: unknown, recordType: DnsRecordType): string {
  const typed = text(path, value, monitorInputLimits.expectedLength)
  if (recordType === 'A' && isIP(typed) !== 4) refuse(path, 'an A record is an IPv4 address such as 192.0.2.1')
  if (recordType === 'AAAA' && isIP(typed) !== 6) refuse(path, 'an AAAA record is an IPv6 address such as 2001:db8::1')
  if (recordType === 'AAAA') return typed.toLowerCase()
  if (recordType === 'CNAME' || recordType === 'NS' || recordType === 'MX') {
    const checked = checkedHost(typed)
    if (typeof checked !== 'string' || isIP(checked) !== 0) refuse(path, `a ${recordType} record is a host name such as mail.example.com`)
    return checked
  }
  return typed
}

function nameOf (path: Array<string | number>, value: unknown): string {
  if (typeof value !== 'string') refuse(path, `must be text, not ${typeName(value)}`)
  if (!oneLine.test(value)) refuse(path, controlsWhat)
  if (value.trim() === '') refuse(path, 'must not be empty')
  const name = value.trim()
  if ([...name].length > monitorInputLimits.nameLength) refuse(path, `must be at most ${monitorInputLimits.nameLength} characters`)
  // Must show something: not only combining marks or other characters that show nothing.
  if (!showsSomething.test(name)) refuse(path, 'must show something')
  return name
}

function settingsOf (input: Record<string, unknown>, kind: MonitorKind): MonitorSettings {
  const required = (key: string): unknown => {
    if (input[key] === undefined) refuse([key], `is required for a ${kind} monitor`)
    return input[key]
  }
  const optional = (key: string): unknown => input[key] ?? null
  switch (kind) {
    case 'http': {
      const url = httpUrl(['url'], required('url'))
      const method = input.method === undefined ? 'GET' : oneOf(['method'], input.method, httpMethods)
      const body = optional('body') === null ? null : multiLineText(['body'], input.body, monitorInputLimits.bodyBytes, 'bytes')
      if (body !== null && (method === 'GET' || method === 'HEAD')) refuse(['body'], `a ${method} request has no body`)
      const keyword = optional('keyword')
      const settings: HttpSettings = {
        url: url.href,
        method,
        headers: input.headers === undefined ? {} : headers(['headers'], input.headers),
        body,
        expectedStatus: input.expected_status === undefined ? { min: 200, max: 299 } : expectedStatus(['expected_status'], input.expected_status),
        keyword: keyword === null ? null : oneLineText(['keyword'], keyword, monitorInputLimits.keywordLength),
        jsonPath: optional('json_path') === null ? null : jsonPath(['json_path'], input.json_path),
        followRedirects: input.follow_redirects === undefined ? true : boolean(['follow_redirects'], input.follow_redirects)
      }
      if (settings.keyword === '') refuse(['keyword'], 'must not be empty (leave it out to not check the body)')
      return { kind, settings }
    }
    case 'tcp':
      return { kind, settings: { host: host(['host'], required('host')), port: port(['port'], required('port')) } }
    case 'dns': {
      const recordType = input.record_type === undefined ? 'A' : oneOf(['record_type'], input.record_type, dnsRecordTypes)
      const name = host(['hostname'], required('hostname'))
      if (isIP(name) !== 0) refuse(['hostname'], 'must be a name to resolve, not an IP address')
      const expected = optional('expected')
      return { kind, settings: { name, recordType, expected: expected === null ? null : dnsExpected(['expected'], expected, recordType) } }
    }
    case 'tls': {
      const { host: targetHost, port: targetPort } = tlsTarget(['target'], required('target'))
      const servername = optional('servername') === null ? null : host(['servername'], input.servername)
      if (servername !== null && isIP(servername) !== 0) refuse(['servername'], 'must be a host name (an IP address is no server name)')
      return { kind, settings: { host: targetHost, port: targetPort, servername } }
    }
    case 'heartbeat':
      return {
        kind,
        settings: {
          graceS: input.grace_seconds === undefined ? monitorLimits.defaultHeartbeatGraceS : integer(['grace_seconds'], input.grace_seconds, 0, monitorInputLimits.maxGraceS, 'seconds')
        }
      }
  }
}

function componentOf (input: Record<string, unknown>, components: ComponentLookup): number | null {
  const byName = input.component ?? null
  const byId = input.component_id ?? null
  if (byName !== null && byId !== null) refuse(['component_id'], 'give component or component_id, not both')
  if (byId !== null) {
    const id = integer(['component_id'], byId, 1, Number.MAX_SAFE_INTEGER)
    if (!components.exists(id)) refuse(['component_id'], `no component has id ${id}`)
    return id
  }
  if (byName === null) return null
  const name = text(['component'], byName, 200)
  const id = components.idOf(name)
  if (id === null) refuse(['component'], `no component is named "${name}"`)
  if (id === 'ambiguous') refuse(['component'], `more than one component is named "${name}": give its component_id instead`)
  return id
}

function checked (input: unknown, components: ComponentLookup): MonitorDefinition {
  if (!isRecord(input)) refuse([], `a monitor must be a mapping of fields, not ${typeName(input)}`)
  if (input.kind === undefined) refuse(['kind'], 'is required')
  const kind = oneOf(['kind'], input.kind, monitorKinds)
  const allowed = new Set(fieldsOfKind(kind))
  for (const key of Object.keys(input)) {
    if (allowed.has(key)) continue
    const owner = monitorKinds.find((other) => kindFields[other].includes(key))
    refuse([key], owner === undefined ? 'unknown field' : `not a field of a ${kind} monitor`)
  }
  if (input.name === undefined) refuse(['name'], 'is required')
  const name = nameOf(['name'], input.name)
  const { settings } = settingsOf(input, kind)
  const minInterval = kind === 'tls' ? monitorLimits.minTlsIntervalS : monitorLimits.minIntervalS
  const intervalS = input.interval_seconds === undefined
    ? Math.max(monitorLimits.defaultIntervalS, minInterval)
    : integer(['interval_seconds'], input.interval_seconds, minInterval, monitorLimits.maxIntervalS, 'seconds')
  const timeoutMs = input.timeout_ms === undefined
    ? Math.min(monitorLimits.defaultTimeoutMs, intervalS * 1000 - 1000)
    : integer(['timeout_ms'], input.timeout_ms, monitorLimits.minTimeoutMs, monitorLimits.maxTimeoutMs, 'ms')
  if (timeoutMs >= intervalS * 1000) refuse(['timeout_ms'], `must be below the interval (${intervalS} seconds)`)
  const latency = input.latency_limit_ms ?? null
  const latencyLimitMs = latency === null ? null : integer(['latency_limit_ms'], latency, 1, monitorLimits.maxTimeoutMs, 'ms')
  if (latencyLimitMs !== null && latencyLimitMs >= timeoutMs) refuse(['latency_limit_ms'], `must be below the timeout (${timeoutMs} ms)`)
  const thresholds = defaultThresholds(kind)
  return {
    kind,
    settings,
    name,
    intervalS,
    timeoutMs,
    failureThreshold: input.failure_threshold === undefined
      ? thresholds.failureThreshold
      : integer(['failure_threshold'], input.failure_threshold, 1, monitorLimits.maxThreshold),
    successThreshold: input.success_threshold === undefined
      ? thresholds.successThreshold
      : integer(['success_threshold'], input.success_threshold, 1, monitorLimits.maxThreshold),
    latencyLimitMs,
    componentId: componentOf(input, components),
    downStatus: input.down_status === undefined ? 'major_outage' : oneOf(['down_status'], input.down_status, downStatuses),
    degradedStatus: input.degraded_status === undefined ? 'degraded_performance' : oneOf(['degraded_status'], input.degraded_status, degradedStatuses),
    incidentMode: input.incident_mode === undefined ? 'off' : oneOf(['incident_mode'], input.incident_mode, incidentModes),
    certWarningDays: input.cert_warning_days === undefined ? [...monitorLimits.defaultCertWarningDays] : certWarningDays(['cert_warning_days'], input.cert_warning_days),
    paused: input.paused === undefined ? false : boolean(['paused'], input.paused)
  } as MonitorDefinition
}

/** The path as one string: `headers.X-Token`, `cert_warning_days.2`. */
export function fieldName (path: ReadonlyArray<string | number>): string {
  return path.length === 0 ? 'monitor' : path.join('.')
}

/**
 * A monitor as typed (JSON, or one entry of a YAML file: anything), checked against the rules of issue 15
 * and completed with the defaults; or the first refusal, naming its field. Nothing is trimmed silently but
 * the spaces around a name or host.
 */
/** The thresholds a kind gets unless given: one missed period (plus grace) is a heartbeat down, one call up. */
export function defaultThresholds (kind: MonitorKind): { failureThreshold: number, successThreshold: number } {
  return kind === 'heartbeat'
    ? { failureThreshold: 1, successThreshold: 1 }
    : { failureThreshold: monitorLimits.defaultFailureThreshold, successThreshold: monitorLimits.defaultSuccessThreshold }
}

export function checkedMonitor (input: unknown, components: ComponentLookup): MonitorCheck {
  try {
    return { ok: true, definition: checked(input, components) }
  } catch (error) {
    if (!(error instanceof Refusal)) throw error
    return { ok: false, field: fieldName(error.path), path: error.path, message: error.message }
  }
}

/** How a component is named in the external shape: by name where it is unique, else by id. */
export type ComponentReference = { component: string } | { component_id: number }

/**
 * The external shape of a definition, complete (every field, defaults included) in a stable key order, so an
 * export applied again changes nothing. Secrets are not part of a definition: a heartbeat's is never shown.
 */
export function monitorInputOf (definition: MonitorDefinition, componentReference: (id: number) => ComponentReference): MonitorInput {
  const common = {
    name: definition.name,
    kind: definition.kind,
    paused: definition.paused,
    interval_seconds: definition.intervalS,
    failure_threshold: definition.failureThreshold,
    success_threshold: definition.successThreshold,
    ...(definition.componentId === null ? { component: null } : componentReference(definition.componentId)),
    down_status: definition.downStatus,
    degraded_status: definition.degradedStatus,
    incident_mode: definition.incidentMode
  }
  const check = { timeout_ms: definition.timeoutMs, latency_limit_ms: definition.latencyLimitMs }
  switch (definition.kind) {
    case 'http': {
      const s = definition.settings
      const { min, max } = s.expectedStatus
      return {
        ...common,
        ...check,
        cert_warning_days: [...definition.certWarningDays],
        url: s.url,
        method: s.method,
        headers: { ...s.headers },
        body: s.body,
        expected_status: min === max ? min : `${min}-${max}`,
        keyword: s.keyword,
        json_path: s.jsonPath === null ? null : { path: s.jsonPath.path, equals: s.jsonPath.equals },
        follow_redirects: s.followRedirects
      }
    }
    case 'tcp':
      return { ...common, ...check, host: definition.settings.host, port: definition.settings.port }
    case 'dns':
      return { ...common, ...check, hostname: definition.settings.name, record_type: definition.settings.recordType, expected: definition.settings.expected }
    case 'tls':
      return {
        ...common,
        ...check,
        cert_warning_days: [...definition.certWarningDays],
        target: tlsTargetText(definition.settings),
        servername: definition.settings.servername
      }
    case 'heartbeat':
      return { ...common, grace_seconds: definition.settings.graceS }
  }
}

/**
 * The external fields in which two definitions differ (`interval_seconds`, `url`), in export order: what
 * `herald monitors apply` reports as updated. Compared in the external shape so the names are the ones typed.
 */
export function changedFields (before: MonitorDefinition, after: MonitorDefinition): string[] {
  // Component by id on both sides: a rename of the component is no change of the monitor.
  const byId = (id: number): ComponentReference => ({ component_id: id })
  const a = monitorInputOf(before, byId) as unknown as Record<string, unknown>
  const b = monitorInputOf(after, byId) as unknown as Record<string, unknown>
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
  return keys
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .map((key) => (key === 'component_id' ? 'component' : key))
    .filter((key, index, all) => all.indexOf(key) === index)
}
