// The monitor forms: typed text read into the external shape (headers by line, days, numbers, the component), and a service's refusal placed beside its field.
import t from 'tap'
import type { Component } from '../../server/domain/model.js'
import type { Monitor } from '../../server/domain/monitors.js'
import { InvalidInputError, NotFoundError } from '../../server/services/errors.js'
import { monitorRefusal, parseHeaders, parseWarningDays, readMonitorForm } from '../../server/routes/admin/monitor-forms.js'
import { monitorFormValues } from '../../server/views/admin/monitor-form-view.js'
import { buildServices } from '../fixtures/services.js'

const components: Component[] = [
  { id: 4, name: 'Sign-in', description: '', groupId: null, groupName: null, position: 1, status: 'operational', createdAt: '', updatedAt: '' }
]

t.test('headers: one Name: value a line, blank lines skipped, CRLF or LF', async (t) => {
  t.same(parseHeaders(''), { headers: {} })
  t.same(parseHeaders('Authorization: Bearer abc\r\n\r\nX-Trace:  on \nAccept: application/json'), {
    headers: { Authorization: 'Bearer abc', 'X-Trace': 'on', Accept: 'application/json' }
  })
  t.same(parseHeaders('X-Empty:'), { headers: { 'X-Empty': '' } })
  t.same(parseHeaders('X-Url: http://a:b@c/d'), { headers: { 'X-Url': 'http://a:b@c/d' } }, 'only the first colon separates')
})

t.test('a header line that is not one is refused naming its line', async (t) => {
  t.same(parseHeaders('Accept: text/plain\nno colon here'), { error: 'Line 2: write each header as Name: value.' })
  t.match(parseHeaders('\n\nBad Name: x'), { error: /^Line 3: a header name is letters, digits and -/ })
  t.match(parseHeaders('<script>: x'), { error: /^Line 1: a header name/ })
  t.match(parseHeaders(': x'), { error: /^Line 1: a header name/ })
  t.match(parseHeaders('X-A: b\rInjected: c'), { error: /^Line 1: the value has a control character/ }, 'a lone CR never reaches the wire')
  t.match(parseHeaders('X-A: b\u0000'), { error: /^Line 1: the value has a control character/ })
  t.match(parseHeaders('X-A: 1\nx-a: 2'), { error: 'Line 2: x-a is given twice.' })
  t.same(parseHeaders('X-A: tab\there'), { headers: { 'X-A': 'tab\there' } }, 'a tab is part of a value')
})

t.test('warning days: "14, 7" as numbers, empty for none', async (t) => {
  t.same(parseWarningDays('14, 7'), [14, 7])
  t.same(parseWarningDays(' 30,14 ,7 '), [30, 14, 7])
  t.same(parseWarningDays(''), [])
  for (const bad of ['14;7', 'fourteen', '14,', '-1', '1.5', '14 7', '123456']) t.equal(parseWarningDays(bad), undefined, bad)
})

t.test('an http form read into the external shape', async (t) => {
  const result = readMonitorForm('http', {
    name: '  Website ',
    url: ' https://example.com/health ',
    method: 'POST',
    headers: 'Authorization: Bearer x',
    body: '{"ping":true}',
    expected_status: '200-299',
    keyword: 'ok',
    json_path: '$.status',
    json_path_equals: 'green',
    follow_redirects: 'on',
    interval_seconds: '30',
    timeout_ms: '5000',
    failure_threshold: '2',
    success_threshold: '1',
    latency_limit_ms: '',
    component_id: '4',
    down_status: 'partial_outage',
    degraded_status: 'degraded_performance',
    incident_mode: 'draft',
    cert_warning_days: '21, 7',
    paused: 'on'
  }, components)
  t.same(result, {
    ok: true,
    input: {
      name: 'Website',
      kind: 'http',
      paused: true,
      interval_seconds: 30,
      failure_threshold: 2,
      success_threshold: 1,
      timeout_ms: 5000,
      latency_limit_ms: null,
      down_status: 'partial_outage',
      degraded_status: 'degraded_performance',
      incident_mode: 'draft',
      component_id: 4,
      cert_warning_days: [21, 7],
      url: 'https://example.com/health',
      method: 'POST',
      headers: { Authorization: 'Bearer x' },
      body: '{"ping":true}',
      expected_status: '200-299',
      keyword: 'ok',
      json_path: { path: '$.status', equals: 'green' },
      follow_redirects: true
    }
  })
})

t.test('each kind reads its own fields; empty numbers are left to the defaults', async (t) => {
  t.same(readMonitorForm('tcp', { name: 'DB', host: 'db.internal', port: '5432', component_id: '' }, components), {
    ok: true, input: { name: 'DB', kind: 'tcp', paused: false, latency_limit_ms: null, component_id: null, host: 'db.internal', port: 5432 }
  })
  t.same(readMonitorForm('dns', { name: 'Name', hostname: 'example.com', record_type: 'AAAA', expected: '' }, components), {
    ok: true, input: { name: 'Name', kind: 'dns', paused: false, latency_limit_ms: null, component_id: null, hostname: 'example.com', record_type: 'AAAA', expected: null }
  })
  t.same(readMonitorForm('tls', { name: 'Cert', target: 'example.com:8443', servername: 'www.example.com', cert_warning_days: '' }, components), {
    ok: true, input: { name: 'Cert', kind: 'tls', paused: false, latency_limit_ms: null, component_id: null, cert_warning_days: [], target: 'example.com:8443', servername: 'www.example.com' }
  })
  t.same(readMonitorForm('heartbeat', { name: 'Backup', interval_seconds: '86400', grace_seconds: '600', timeout_ms: 'ignored', cert_warning_days: 'x' }, components), {
    ok: true, input: { name: 'Backup', kind: 'heartbeat', paused: false, interval_seconds: 86400, component_id: null, grace_seconds: 600 }
  }, 'a heartbeat has no timeout or certificate fields: whatever is sent for them is not read')
  t.same(readMonitorForm('http', { name: 'Plain', url: 'http://x', expected_status: '204' }, components), {
    ok: true,
    input: { name: 'Plain', kind: 'http', paused: false, latency_limit_ms: null, component_id: null, cert_warning_days: [], url: 'http://x', method: 'GET', headers: {}, body: null, expected_status: 204, keyword: null, json_path: null, follow_redirects: false }
  }, 'an unticked box is false, a field not sent is empty (no warnings); a single status is a number')
})

t.test('wrong texts are refused beside their fields, each at once', async (t) => {
  const result = readMonitorForm('http', {
    name: '',
    url: 'x'.repeat(3000),
    headers: 'nonsense',
    interval_seconds: 'ten',
    timeout_ms: '-5',
    failure_threshold: '1.5',
    latency_limit_ms: '9999999999',
    component_id: '99',
    cert_warning_days: '14 and 7',
    json_path_equals: 'green',
    method: 'BREW',
    incident_mode: ['off', 'draft'],
    paused: 'yes'
  }, components)
  t.equal(result.ok, false)
  t.same(result.ok ? {} : result.errors, {
    name: 'This field is required.',
    url: 'Use at most 2048 characters.',
    headers: 'Line 1: write each header as Name: value.',
    interval_seconds: 'Give a whole number of seconds.',
    timeout_ms: 'Give a whole number of milliseconds.',
    failure_threshold: 'Give a whole number.',
    latency_limit_ms: 'Give a whole number of milliseconds, or leave it empty.',
    component_id: 'This component no longer exists: choose another, or none.',
    cert_warning_days: 'Give whole numbers of days separated by commas, such as 14, 7.',
    json_path: 'Give the path whose value must equal this, such as $.status.',
    method: 'Choose one of the options.',
    incident_mode: 'Choose one of the options.',
    paused: 'Tick the box or leave it.'
  })
  const controls = readMonitorForm('tcp', { name: 'a\u0007b', host: 'h\u202eost\u0000', port: '70000000' }, components)
  t.match(controls, { ok: false, errors: { name: /one line of visible text/, host: 'Write one line without control characters.', port: 'Give a port number from 1 to 65535.' } })
  t.match(readMonitorForm('dns', { name: '\ud800', hostname: 'x' }, components), { ok: false, errors: { name: /one line of visible text/ } }, 'a lone surrogate')
})

t.test('a service refusal lands beside the field it names, in a sentence, or above the form', async (t) => {
  t.same(monitorRefusal(new InvalidInputError('interval_seconds: at least 10 seconds', { field: 'interval_seconds' }), 'http'),
    { field: 'interval_seconds', message: 'At least 10 seconds.', statusCode: 400 })
  t.same(monitorRefusal(new InvalidInputError('json_path.equals: too long', { field: 'json_path.equals' }), 'http'),
    { field: 'json_path_equals', message: 'Too long.', statusCode: 400 })
  t.same(monitorRefusal(new InvalidInputError('headers.X-A: a header value may not hold a line break', { field: 'headers.X-A' }), 'http'),
    { field: 'headers', message: 'X-A: A header value may not hold a line break.', statusCode: 400 })
  t.same(monitorRefusal(new InvalidInputError('cert_warning_days[1]: at most 365', { field: 'cert_warning_days[1]' }), 'tls'),
    { field: 'cert_warning_days', message: 'At most 365.', statusCode: 400 })
  t.same(monitorRefusal(new InvalidInputError('timeout_ms: below the interval', { field: 'timeout_ms' }), 'heartbeat'),
    { field: 'form', message: 'Nothing was saved: timeout_ms: below the interval.', statusCode: 400 }, 'a field the form does not show: above it')
  t.same(monitorRefusal(new InvalidInputError('something else'), 'tcp'), { field: 'form', message: 'Nothing was saved: something else.', statusCode: 400 })
  t.throws(() => monitorRefusal(new NotFoundError('no such monitor'), 'tcp'), /no such monitor/, 'a missing record is the page\'s own 404')
  t.throws(() => monitorRefusal(new Error('boom'), 'tcp'), /boom/)
})

t.test('a monitor\'s edit form, sent back unchanged, gives the same monitor: every kind and setting round-trips', async (t) => {
  const services = buildServices(t)
  const group = services.components.create({ name: 'API', group: 'Backend' }, 'test')
  const inputs: Array<Record<string, unknown>> = [
    {
      name: 'Full http',
      kind: 'http',
      url: 'https://api.example.com/v1/health?deep=1',
      method: 'POST',
      headers: { Authorization: 'Bearer x', 'X-Trace': 'a b' },
      body: '{"ping": true}\n',
      expected_status: '200-204',
      keyword: '<ok>',
      json_path: { path: '$.checks[0].status', equals: 'green' },
      follow_redirects: false,
      interval_seconds: 45,
      timeout_ms: 2500,
      failure_threshold: 5,
      success_threshold: 4,
      latency_limit_ms: 750,
      component_id: group.id,
      down_status: 'partial_outage',
      degraded_status: 'major_outage',
      incident_mode: 'publish',
      cert_warning_days: [30, 7],
      paused: true
    },
    { name: 'Plain http', kind: 'http', url: 'http://intranet.example/', expected_status: 200 },
    { name: 'Port', kind: 'tcp', host: '2001:db8::5', port: 5432 },
    { name: 'Lookup', kind: 'dns', hostname: 'example.com', record_type: 'MX', expected: 'mail.example.com' },
    { name: 'Cert v6', kind: 'tls', target: '[2001:db8::7]:8443', servername: 'secure.example.com', cert_warning_days: [] },
    { name: 'Cert 443', kind: 'tls', target: 'example.com' },
    { name: 'Beat', kind: 'heartbeat', interval_seconds: 3600, grace_seconds: 0 }
  ]
  const definition = (monitor: Monitor): unknown => {
    const { id, createdAt, updatedAt, stateSince, ...rest } = monitor
    return rest
  }
  for (const input of inputs) {
    const { monitor } = services.monitors.create(input, 'test')
    // What a browser sends for the form drawn from it: every field, the unticked boxes left out.
    const sent = Object.fromEntries(Object.entries(monitorFormValues(monitor)).filter(([, value]) => value !== ''))
    const read = readMonitorForm(monitor.kind, sent, services.components.list())
    if (!read.ok) {
      t.fail(`${monitor.name}: ${JSON.stringify(read.errors)}`)
      continue
    }
    const saved = services.monitors.update(monitor.id, read.input, 'test')
    t.same(definition(saved), definition(monitor), `${monitor.name}: unchanged`)
  }
})
