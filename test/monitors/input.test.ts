// The input rules of a monitor: defaults by kind, every bound, every refusal naming its field, and the external shape back from a definition.
import t from 'tap'
import {
  type ComponentLookup, changedFields, checkedHost, checkedMonitor, fieldName, fieldsOfKind, monitorInputOf
} from '../../server/domain/monitor-input.js'
import type { MonitorDefinition } from '../../server/domain/monitors.js'

const components: ComponentLookup = {
  idOf: (name) => ({ 'sign-in': 2, chat: 'ambiguous' as const })[name.toLowerCase()] ?? null,
  exists: (id) => id === 2 || id === 3
}

const http = { name: 'Sign-in API', kind: 'http', url: 'https://login.example.com/health' }
const tcp = { name: 'Database', kind: 'tcp', host: 'db.internal', port: 5432 }
const dns = { name: 'Resolver', kind: 'dns', hostname: 'login.example.com' }
const tls = { name: 'Certificate', kind: 'tls', target: 'login.example.com' }
const heartbeat = { name: 'Backup', kind: 'heartbeat' }

function ok (input: unknown): MonitorDefinition {
  const result = checkedMonitor(input, components)
  if (!result.ok) throw new Error(`refused: ${result.field}: ${result.message}`)
  return result.definition
}

/** The refusal of `input` as `field: message`. */
function refused (input: unknown): string {
  const result = checkedMonitor(input, components)
  return result.ok ? 'accepted' : `${result.field}: ${result.message}`
}

t.test('defaults by kind', async (t) => {
  t.same(ok(http), {
    kind: 'http',
    settings: { url: 'https://login.example.com/health', method: 'GET', headers: {}, body: null, expectedStatus: { min: 200, max: 299 }, keyword: null, jsonPath: null, followRedirects: true },
    name: 'Sign-in API',
    intervalS: 60,
    timeoutMs: 10_000,
    failureThreshold: 3,
    successThreshold: 2,
    latencyLimitMs: null,
    componentId: null,
    downStatus: 'major_outage',
    degradedStatus: 'degraded_performance',
    incidentMode: 'off',
    certWarningDays: [14, 7],
    paused: false
  })
  t.match(ok(tcp), { settings: { host: 'db.internal', port: 5432 }, intervalS: 60 })
  t.match(ok(dns), { settings: { name: 'login.example.com', recordType: 'A', expected: null } })
  t.match(ok(tls), { settings: { host: 'login.example.com', port: 443, servername: null }, intervalS: 300, timeoutMs: 10_000 })
  t.match(ok(heartbeat), { settings: { graceS: 60 }, failureThreshold: 1, successThreshold: 1, intervalS: 60, timeoutMs: 10_000, latencyLimitMs: null })
  t.equal(ok({ ...heartbeat, interval_seconds: 10 }).timeoutMs, 9000, 'the stored timeout stays below a short interval')
  t.equal(ok({ ...http, interval_seconds: 10 }).timeoutMs, 9000)
})

t.test('common fields: name, intervals, timeout, thresholds, latency, statuses, modes, pause', async (t) => {
  t.equal(ok({ ...http, name: '  Sign-in API  ' }).name, 'Sign-in API', 'spaces around a name are dropped')
  t.equal(ok({ ...http, name: 'x'.repeat(100) }).name.length, 100)
  t.equal(ok({ ...http, name: 'Café ☕ <b>&amp;</b>' }).name, 'Café ☕ <b>&amp;</b>', 'markup is text, escaped on output')
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ kind: 'http', url: 'https://x.example' }, 'name: is required'],
    [{ ...http, name: 42 }, 'name: must be text, not a number'],
    [{ ...http, name: '' }, 'name: must not be empty'],
    [{ ...http, name: '   ' }, 'name: must not be empty'],
    [{ ...http, name: 'x'.repeat(101) }, 'name: must be at most 100 characters'],
    [{ ...http, name: 'line\nbreak' }, 'name: must not contain control characters or lone surrogates'],
    [{ ...http, name: 'nul\u0000' }, 'name: must not contain control characters or lone surrogates'],
    [{ ...http, name: 'abc\u202Edef' }, 'accepted'],
    [{ ...http, name: 'abc\u2067def' }, 'accepted'],
    [{ ...http, name: 'lone \uD800 surrogate' }, 'name: must not contain control characters or lone surrogates'],
    [{ ...http, name: 'zero\u200Bwidth' }, 'accepted'],
    [{ ...http, name: '\u0301\u0301' }, 'name: must show something'],
    [{ name: 'x' }, 'kind: is required'],
    [{ ...http, kind: 'icmp' }, 'kind: must be one of http, tcp, dns, tls, heartbeat'],
    [{ ...http, kind: ['http'] }, 'kind: must be one of http, tcp, dns, tls, heartbeat'],
    [{ ...http, interval_seconds: 9 }, 'interval_seconds: at least 10 seconds'],
    [{ ...http, interval_seconds: 86_401 }, 'interval_seconds: at most 86400 seconds'],
    [{ ...http, interval_seconds: 60.5 }, 'interval_seconds: must be a whole number, not 60.5'],
    [{ ...http, interval_seconds: '60' }, 'interval_seconds: must be a whole number, not a string'],
    [{ ...http, interval_seconds: Number.NaN }, 'interval_seconds: must be a whole number, not NaN'],
    [{ ...http, interval_seconds: 1e308 }, 'interval_seconds: at most 86400 seconds'],
    [{ ...tls, interval_seconds: 299 }, 'interval_seconds: at least 300 seconds'],
    [{ ...http, timeout_ms: 99 }, 'timeout_ms: at least 100 ms'],
    [{ ...http, timeout_ms: 120_001, interval_seconds: 600 }, 'timeout_ms: at most 120000 ms'],
    [{ ...http, timeout_ms: 10_000, interval_seconds: 10 }, 'timeout_ms: must be below the interval (10 seconds)'],
    [{ ...http, failure_threshold: 0 }, 'failure_threshold: at least 1'],
    [{ ...http, success_threshold: 101 }, 'success_threshold: at most 100'],
    [{ ...http, failure_threshold: null }, 'failure_threshold: must be a whole number, not null'],
    [{ ...http, latency_limit_ms: 0 }, 'latency_limit_ms: at least 1 ms'],
    [{ ...http, latency_limit_ms: 10_000 }, 'latency_limit_ms: must be below the timeout (10000 ms)'],
    [{ ...http, down_status: 'degraded_performance' }, 'down_status: must be one of partial_outage, major_outage'],
    [{ ...http, degraded_status: 'operational' }, 'degraded_status: must be one of degraded_performance, partial_outage, major_outage'],
    [{ ...http, incident_mode: 'yes' }, 'incident_mode: must be one of off, draft, publish'],
    [{ ...http, paused: 'true' }, 'paused: must be true or false, not a string'],
    [{ ...http, extra: 1 }, 'extra: unknown field'],
    [{ ...http, port: 1 }, 'port: not a field of a http monitor'],
    [{ ...heartbeat, timeout_ms: 1000 }, 'timeout_ms: not a field of a heartbeat monitor'],
    [{ ...heartbeat, latency_limit_ms: 1000 }, 'latency_limit_ms: not a field of a heartbeat monitor'],
    [{ ...tcp, cert_warning_days: [7] }, 'cert_warning_days: not a field of a tcp monitor'],
    [{ ...http, __proto__: { polluted: true }, constructor: 1 }, 'constructor: unknown field']
  ]
  for (const [input, expected] of cases) t.equal(refused(input), expected, JSON.stringify(input).slice(0, 90))
  t.match(ok({ ...http, latency_limit_ms: 800, failure_threshold: 1, success_threshold: 100, down_status: 'partial_outage', degraded_status: 'major_outage', incident_mode: 'draft', paused: true }),
    { latencyLimitMs: 800, failureThreshold: 1, successThreshold: 100, downStatus: 'partial_outage', degradedStatus: 'major_outage', incidentMode: 'draft', paused: true })
  t.equal(ok({ ...http, latency_limit_ms: null }).latencyLimitMs, null)
  for (const input of [null, 'http', 42, [http], true]) t.match(refused(input), /^monitor: a monitor must be a mapping of fields, not /)
})

t.test('components: by name (case aside), by id, never both; unknown and ambiguous names refused', async (t) => {
  t.equal(ok({ ...http, component: 'SIGN-IN' }).componentId, 2)
  t.equal(ok({ ...http, component_id: 3 }).componentId, 3)
  t.equal(ok({ ...http, component: null, component_id: null }).componentId, null)
  t.equal(refused({ ...http, component: 'Nowhere' }), 'component: no component is named "Nowhere"')
  t.equal(refused({ ...http, component: 'Chat' }), 'component: more than one component is named "Chat": give its component_id instead')
  t.equal(refused({ ...http, component_id: 4 }), 'component_id: no component has id 4')
  t.equal(refused({ ...http, component_id: '2' }), 'component_id: must be a whole number, not a string')
  t.equal(refused({ ...http, component: 'Sign-in', component_id: 2 }), 'component_id: give component or component_id, not both')
  t.equal(refused({ ...http, component: 2 }), 'component: must be text, not a number')
})

t.test('http: URLs, methods, headers, body, status, keyword, JSON path, redirects', async (t) => {
  t.match(ok({ ...http, url: 'HTTP://Login.Example.COM:8080/a%20b' }), { settings: { url: 'http://login.example.com:8080/a%20b' } }, 'stored as the URL parser writes it')
  t.match(ok({ ...http, url: 'http://10.0.0.5:8080/status' }), { settings: { url: 'http://10.0.0.5:8080/status' } }, 'a private address is allowed: only admins manage monitors')
  t.match(ok({ ...http, url: 'http://[::1]/' }), { settings: { url: 'http://[::1]/' } })
  t.match(ok({ ...http, url: 'https://bücher.example/x' }), { settings: { url: 'https://xn--bcher-kva.example/x' } }, 'stored as parsed')
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ name: 'x', kind: 'http' }, 'url: is required for a http monitor'],
    [{ ...http, url: 'https://user:pass@login.example.com/' }, 'url: must not contain a user name or password (send credentials in a header)'],
    [{ ...http, url: 'https://user@login.example.com/' }, 'url: must not contain a user name or password (send credentials in a header)'],
    [{ ...http, url: 'ftp://files.example.com/' }, 'url: must start with http:// or https://, not ftp:'],
    [{ ...http, url: 'javascript:alert(1)' }, 'url: must start with http:// or https://, not javascript:'],
    [{ ...http, url: 'file:///etc/passwd' }, 'url: must start with http:// or https://, not file:'],
    [{ ...http, url: 'gopher://x.example/' }, 'url: must start with http:// or https://, not gopher:'],
    [{ ...http, url: 'login.example.com/health' }, 'url: must be an absolute URL such as https://example.com/health'],
    [{ ...http, url: 'https://login.example.com/#frag' }, 'url: must not have a fragment (#...), which is never sent'],
    [{ ...http, url: 'https://login.example.com/#' }, 'url: must not have a fragment (#...), which is never sent'],
    [{ ...http, url: `https://login.example.com/${'a'.repeat(2048)}` }, 'url: must be at most 2048 characters'],
    [{ ...http, url: 'https://login.example.com/\r\nHost: evil' }, 'url: must not contain control or invisible characters (a line break, a bidi override, a lone surrogate)'],
    [{ ...http, url: 'https://login.example.com/a b' }, 'url: must not contain spaces'],
    [{ ...http, url: '' }, 'url: must not be empty'],
    [{ ...http, url: 12 }, 'url: must be text, not a number'],
    [{ ...http, url: 'https://bad_host!.example/' }, 'url: host must be a host name such as status.example.com, or an IP address'],
    [{ ...http, url: 'https://10.0.0.300/' }, 'url: must be an absolute URL such as https://example.com/health'],
    [{ ...http, url: `https://login.example.com/${'é'.repeat(500)}` }, 'url: must be at most 2048 characters'],
    [{ ...http, expected_status: '050-200' }, 'expected_status: status codes are from 100 to 599'],
    [{ ...http, json_path: { path: '$.a', equals: 'a\u202Eb' } }, 'accepted'],
    [{ ...http, json_path: { path: '$.a', equals: 'a\nb' } }, 'json_path.equals: must not contain control characters or lone surrogates'],
    [{ ...http, json_path: { path: '$.checks[?(@.ok==true)]', equals: 'x' } }, 'json_path.path: must not hold a filter or script ([?(…)], [(…)]): name the value, such as $.checks[0].ok'],
    [{ ...http, json_path: { path: '$[ (@.length-1)]', equals: 'x' } }, 'json_path.path: must not hold a filter or script ([?(…)], [(…)]): name the value, such as $.checks[0].ok'],
    [{ ...http, method: 'TRACE' }, 'method: must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'],
    [{ ...http, method: 'get' }, 'method: must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'],
    [{ ...http, headers: [] }, 'headers: must be a mapping of header names to values, not a list'],
    [{ ...http, headers: 'X-A: 1' }, 'headers: must be a mapping of header names to values, not a string'],
    [{ ...http, headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-${i}`, '1'])) }, 'headers: at most 20 headers'],
    [{ ...http, headers: { 'X-A': 'a'.repeat(5000), 'X-B': 'b'.repeat(5000) } }, 'headers: at most 8192 bytes of header names and values in all'],
    [{ ...http, headers: { 'X A': '1' } }, 'headers.X A: a header name is letters, digits and !#$%&\'*+.^_`|~- only'],
    [{ ...http, headers: { 'X:A': '1' } }, 'headers.X:A: a header name is letters, digits and !#$%&\'*+.^_`|~- only'],
    [{ ...http, headers: { '': '1' } }, 'headers.: a header name is letters, digits and !#$%&\'*+.^_`|~- only'],
    [{ ...http, headers: { host: 'evil.example' } }, 'headers.host: host is set by Herald and cannot be given'],
    [{ ...http, headers: { 'Content-Length': '0' } }, 'headers.Content-Length: Content-Length is set by Herald and cannot be given'],
    [{ ...http, headers: { 'transfer-encoding': 'chunked' } }, 'headers.transfer-encoding: transfer-encoding is set by Herald and cannot be given'],
    [{ ...http, headers: { Connection: 'close' } }, 'headers.Connection: Connection is set by Herald and cannot be given'],
    [{ ...http, headers: { 'X-A': '1', 'x-a': '2' } }, 'headers.x-a: x-a is given twice'],
    [{ ...http, headers: { 'X-A': 'ok\r\nX-Injected: 1' } }, 'headers.X-A: a header value is printable ASCII on one line (no line breaks or control characters)'],
    [{ ...http, headers: { 'X-A': 'ok\nX-Injected: 1' } }, 'headers.X-A: a header value is printable ASCII on one line (no line breaks or control characters)'],
    [{ ...http, headers: { 'X-A': 'nul\u0000' } }, 'headers.X-A: a header value is printable ASCII on one line (no line breaks or control characters)'],
    [{ ...http, headers: { 'X-A': 'caf\u00E9' } }, 'headers.X-A: a header value is printable ASCII on one line (no line breaks or control characters)'],
    [{ ...http, headers: { 'X-A': 1 } }, 'headers.X-A: must be text, not a number'],
    [{ ...http, headers: { 'X-A': null } }, 'headers.X-A: must be text, not null'],
    [{ ...http, body: 'x' }, 'body: a GET request has no body'],
    [{ ...http, method: 'HEAD', body: 'x' }, 'body: a HEAD request has no body'],
    [{ ...http, method: 'POST', body: 'x'.repeat(65_537) }, 'body: must be at most 65536 bytes'],
    [{ ...http, method: 'POST', body: 'é'.repeat(32_769) }, 'body: must be at most 65536 bytes'],
    [{ ...http, method: 'POST', body: 'a\u0000b' }, 'body: must not contain control characters (but tab and line breaks) or lone surrogates'],
    [{ ...http, method: 'POST', body: { a: 1 } }, 'body: must be text, not a mapping'],
    [{ ...http, expected_status: 99 }, 'expected_status: at least 100'],
    [{ ...http, expected_status: 600 }, 'expected_status: at most 599'],
    [{ ...http, expected_status: '300-200' }, 'expected_status: the range must go from the smaller code to the larger'],
    [{ ...http, expected_status: '200-999' }, 'expected_status: status codes are from 100 to 599'],
    [{ ...http, expected_status: '2xx' }, 'expected_status: must be a status code (200) or a range ("200-299")'],
    [{ ...http, expected_status: true }, 'expected_status: must be a status code (200) or a range ("200-299"), not a boolean'],
    [{ ...http, keyword: '' }, 'keyword: must not be empty (leave it out to not check the body)'],
    [{ ...http, keyword: 'k'.repeat(1001) }, 'keyword: must be at most 1000 characters'],
    [{ ...http, keyword: 'a\u202Eb' }, 'accepted'],
    [{ ...http, keyword: 'a\nb' }, 'keyword: must not contain control characters or lone surrogates'],
    [{ ...http, json_path: '$.status' }, 'json_path: must be a mapping with path and equals, not a string'],
    [{ ...http, json_path: { path: '$.status' } }, 'json_path.equals: is required'],
    [{ ...http, json_path: { equals: 'ok' } }, 'json_path.path: is required'],
    [{ ...http, json_path: { path: 'status', equals: 'ok' } }, 'json_path.path: must start with $ (such as $.status)'],
    [{ ...http, json_path: { path: '$.a', equals: 'ok', eval: true } }, 'json_path.eval: unknown field (json_path has path and equals)'],
    [{ ...http, json_path: { path: '$.a', equals: null } }, 'json_path.equals: must be text, a number or true/false, not null'],
    [{ ...http, json_path: { path: '$.a', equals: ['x'] } }, 'json_path.equals: must be text, a number or true/false, not a list'],
    [{ ...http, json_path: { path: '$.a', equals: 'x'.repeat(1001) } }, 'json_path.equals: must be at most 1000 characters'],
    [{ ...http, json_path: { path: `$${'.a'.repeat(600)}`, equals: 'x' } }, 'json_path.path: must be at most 1000 characters'],
    [{ ...http, follow_redirects: 'no' }, 'follow_redirects: must be true or false, not a string'],
    [{ ...http, cert_warning_days: [0] }, 'cert_warning_days.0: at least 1 day'],
    [{ ...http, cert_warning_days: [366] }, 'cert_warning_days.0: at most 365 days'],
    [{ ...http, cert_warning_days: [1, 2, 3, 4, 5, 6] }, 'cert_warning_days: at most 5 days'],
    [{ ...http, cert_warning_days: Array(1000).fill(7) }, 'cert_warning_days: at most 5 days'],
    [{ ...http, cert_warning_days: [7.5] }, 'cert_warning_days.0: must be a whole number, not 7.5'],
    [{ ...http, cert_warning_days: 14 }, 'cert_warning_days: must be a list of whole days, not a number']
  ]
  for (const [input, expected] of cases) t.equal(refused(input), expected, JSON.stringify(input).slice(0, 90))
  t.match(ok({
    ...http,
    method: 'POST',
    body: '{"probe":\ttrue}\r\n',
    headers: { Authorization: 'Bearer x', 'X-Empty': '' },
    expected_status: '200 - 204',
    keyword: 'ok',
    json_path: { path: '$.checks[0].ok', equals: true },
    follow_redirects: false
  }).settings, {
    method: 'POST',
    body: '{"probe":\ttrue}\r\n',
    headers: { Authorization: 'Bearer x', 'X-Empty': '' },
    expectedStatus: { min: 200, max: 204 },
    keyword: 'ok',
    jsonPath: { path: '$.checks[0].ok', equals: 'true' },
    followRedirects: false
  })
  t.same(ok({ ...http, expected_status: 204 }).settings, { ...ok(http).settings, expectedStatus: { min: 204, max: 204 } })
  t.same(ok({ ...http, json_path: { path: '$.n', equals: 1 } }).settings, { ...ok(http).settings, jsonPath: { path: '$.n', equals: '1' } })
  t.same(ok({ ...http, cert_warning_days: [7, 30, 7, 1] }).certWarningDays, [30, 7, 1], 'de-duplicated, largest first')
  t.same(ok({ ...http, cert_warning_days: [] }).certWarningDays, [], 'no warnings at all')
  t.match(ok({ ...http, headers: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`X-${i}`, '1'])) }), { settings: { headers: { 'X-19': '1' } } }, '20 headers are fine')
})

t.test('tcp, dns, tls and heartbeat settings', async (t) => {
  t.match(ok({ ...tcp, host: ' DB.Internal. ' }).settings, { host: 'db.internal' })
  t.match(ok({ ...tcp, host: '192.168.1.10', port: 1 }).settings, { host: '192.168.1.10', port: 1 })
  t.match(ok({ ...tcp, host: '[2001:DB8::1]', port: 65_535 }).settings, { host: '2001:db8::1', port: 65_535 })
  t.match(ok({ ...tcp, host: 'localhost' }).settings, { host: 'localhost' })
  t.match(ok({ ...dns, hostname: '_dmarc.example.com', record_type: 'TXT', expected: 'v=DMARC1; p=none' }).settings, { name: '_dmarc.example.com', recordType: 'TXT', expected: 'v=DMARC1; p=none' })
  t.match(ok({ ...dns, record_type: 'A', expected: '192.0.2.1' }).settings, { expected: '192.0.2.1' })
  t.match(ok({ ...dns, record_type: 'AAAA', expected: '2001:DB8::1' }).settings, { expected: '2001:db8::1' })
  t.match(ok({ ...dns, record_type: 'CNAME', expected: 'Edge.Example.NET.' }).settings, { expected: 'edge.example.net' })
  t.match(ok({ ...dns, record_type: 'MX', expected: 'mx.example.com' }).settings, { expected: 'mx.example.com' })
  t.match(ok({ ...tls, target: 'login.example.com:8443' }).settings, { host: 'login.example.com', port: 8443 })
  t.match(ok({ ...tls, target: 'https://login.example.com/anything' }).settings, { host: 'login.example.com', port: 443 })
  t.match(ok({ ...tls, target: 'https://login.example.com:9443' }).settings, { host: 'login.example.com', port: 9443 })
  t.match(ok({ ...tls, target: '[2001:db8::1]:8443' }).settings, { host: '2001:db8::1', port: 8443 })
  t.match(ok({ ...tls, target: '2001:db8::1' }).settings, { host: '2001:db8::1', port: 443 })
  t.match(ok({ ...tls, target: '10.0.0.1', servername: 'Login.Example.com' }).settings, { host: '10.0.0.1', servername: 'login.example.com' })
  t.match(ok({ ...heartbeat, grace_seconds: 0, interval_seconds: 86_400 }), { settings: { graceS: 0 }, intervalS: 86_400 })
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ ...tcp, port: undefined }, 'port: is required for a tcp monitor'],
    [{ ...tcp, port: 0 }, 'port: at least 1'],
    [{ ...tcp, port: 65_536 }, 'port: at most 65535'],
    [{ ...tcp, port: '22' }, 'port: must be a whole number, not a string'],
    [{ ...tcp, host: 'bad host' }, 'host: must be a host name such as status.example.com, or an IP address'],
    [{ ...tcp, host: 'a..b' }, 'host: must be a host name such as status.example.com, or an IP address'],
    [{ ...tcp, host: '-a.example' }, 'host: must be a host name such as status.example.com, or an IP address'],
    [{ ...tcp, host: `${'a'.repeat(64)}.example` }, 'host: must be a host name such as status.example.com, or an IP address'],
    [{ ...tcp, host: '10.0.0.256' }, 'host: must be a host name such as status.example.com, or an IP address'],
    [{ ...tcp, host: '0x7f.1' }, 'host: is neither a valid IP address nor a host name'],
    [{ ...tcp, host: 'db\u202E' }, 'host: must not contain control or invisible characters (a line break, a bidi override, a lone surrogate)'],
    [{ ...tcp, host: 'x'.repeat(256) }, 'host: must be at most 255 characters'],
    [{ ...tcp, url: 'https://x.example' }, 'url: not a field of a tcp monitor'],
    [{ ...dns, hostname: undefined }, 'hostname: is required for a dns monitor'],
    [{ ...dns, hostname: '192.0.2.1' }, 'hostname: must be a name to resolve, not an IP address'],
    [{ ...dns, record_type: 'SRV' }, 'record_type: must be one of A, AAAA, CNAME, MX, NS, TXT'],
    [{ ...dns, expected: 'example.com' }, 'expected: an A record is an IPv4 address such as 192.0.2.1'],
    [{ ...dns, record_type: 'AAAA', expected: '192.0.2.1' }, 'expected: an AAAA record is an IPv6 address such as 2001:db8::1'],
    [{ ...dns, record_type: 'CNAME', expected: '192.0.2.1' }, 'expected: a CNAME record is a host name such as mail.example.com'],
    [{ ...dns, record_type: 'TXT', expected: 'x'.repeat(256) }, 'expected: must be at most 255 characters'],
    [{ ...dns, record_type: 'TXT', expected: 'a\nb' }, 'expected: must not contain control or invisible characters (a line break, a bidi override, a lone surrogate)'],
    [{ ...tls, target: undefined }, 'target: is required for a tls monitor'],
    [{ ...tls, target: 'http://login.example.com' }, 'target: must be an https URL or host:port, not http:'],
    [{ ...tls, target: 'ftp://login.example.com' }, 'target: must be an https URL or host:port, not ftp:'],
    [{ ...tls, target: 'login.example.com:0' }, 'target: the port must be from 1 to 65535'],
    [{ ...tls, target: 'login.example.com:99999' }, 'target: the port must be from 1 to 65535'],
    [{ ...tls, target: 'login.example.com:https' }, 'target: the port must be from 1 to 65535'],
    [{ ...tls, target: 'bad host:443' }, 'target: has no valid host name'],
    [{ ...tls, target: 'https://u:p@login.example.com' }, 'target: must not carry a user name or password'],
    [{ ...tls, servername: '10.0.0.1' }, 'servername: must be a host name (an IP address is no server name)'],
    [{ ...tls, servername: 'bad name' }, 'servername: must be a host name such as status.example.com, or an IP address'],
    [{ ...heartbeat, grace_seconds: -1 }, 'grace_seconds: at least 0 seconds'],
    [{ ...heartbeat, grace_seconds: 86_401 }, 'grace_seconds: at most 86400 seconds'],
    [{ ...heartbeat, url: 'https://x.example' }, 'url: not a field of a heartbeat monitor']
  ]
  for (const [input, expected] of cases) t.equal(refused(input), expected, JSON.stringify(input).slice(0, 90))
})

t.test('the external shape: every field of the kind in one order; applied back, the same definition; changed fields by name', async (t) => {
  const reference = (id: number): { component: string } => ({ component: `Component ${id}` })
  const inputs = [
    { ...http, method: 'POST', body: 'x', headers: { A: 'b' }, expected_status: 204, keyword: 'ok', json_path: { path: '$.a', equals: 'b' }, follow_redirects: false, latency_limit_ms: 50, component_id: 2 },
    { ...http, expected_status: '200-204' },
    { ...tcp, host: '2001:db8::1' },
    { ...dns, record_type: 'MX', expected: 'mx.example.com' },
    { ...tls, target: '[2001:db8::1]:8443', servername: 'login.example.com', cert_warning_days: [30] },
    { ...heartbeat, grace_seconds: 5, paused: true }
  ]
  for (const input of inputs) {
    const definition = ok(input)
    const shown = monitorInputOf(definition, reference) as unknown as Record<string, unknown>
    t.same(Object.keys(shown).filter((key) => key !== 'component'), fieldsOfKind(definition.kind).filter((key) => !key.startsWith('component')), `${definition.kind}: every field of the kind, in order`)
    const back = ok({ ...shown, component: undefined, component_id: definition.componentId })
    t.same(back, definition, `${definition.kind}: the shape checks back into the same definition`)
    t.same(changedFields(definition, back), [])
  }
  t.equal(monitorInputOf(ok(http), reference).component, null)
  t.same(monitorInputOf(ok({ ...http, component_id: 3 }), () => ({ component_id: 3 })).component_id, 3)
  t.same(changedFields(ok(http), ok({ ...http, interval_seconds: 30, component: 'sign-in', headers: { A: 'b' } })), ['interval_seconds', 'component', 'headers'])
  t.same(changedFields(ok(http), ok({ ...tcp, name: http.name })), ['kind', 'timeout_ms', 'cert_warning_days', 'url', 'method', 'headers', 'body', 'expected_status', 'keyword', 'json_path', 'follow_redirects', 'host', 'port'].filter((key) => key !== 'timeout_ms'))
})

t.test('helpers: host names, TLS targets as text, field names', async (t) => {
  t.equal(checkedHost('Example.COM.'), 'example.com')
  t.equal(checkedHost('[::1]'), '::1')
  t.same(checkedHost('1.2.3'), { reason: 'is neither a valid IP address nor a host name' })
  t.same(checkedHost(''), { reason: 'must be a host name such as status.example.com, or an IP address' })
  t.equal(fieldName([]), 'monitor')
  t.equal(fieldName(['headers', 'X-A']), 'headers.X-A')
  t.equal(fieldName(['cert_warning_days', 2]), 'cert_warning_days.2')
})
