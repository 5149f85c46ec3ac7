// The admin's monitor pages: admins only, each kind created through its form, edit, pause and resume, delete after asking, a heartbeat's URL shown once, bad input refused beside its field with nothing stored, and the dashboard's certificates and warnings.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { CertificateFacts, Monitor } from '../../server/domain/monitors.js'
import { TestClock, build } from '../fixtures/build.js'
import { type FormFields, withUsers } from './fixtures/admin-session.js'
import { fieldError, inputValue, markedInvalid, notice, selectedValue, textareaValue, unescapeHtml } from './fixtures/admin-forms.js'
import { databaseSnapshot } from './fixtures/database-snapshot.js'

const start = '2026-03-01T12:00:00.000Z'

/** A whole http form as a browser sends it: every field of the kind, boxes ticked or left out. */
function httpForm (over: FormFields = {}): FormFields {
  return {
    kind: 'http',
    name: 'Website',
    url: 'https://status-target.example.com/health',
    method: 'GET',
    headers: '',
    body: '',
    expected_status: '200-299',
    keyword: '',
    json_path: '',
    json_path_equals: '',
    follow_redirects: 'on',
    interval_seconds: '60',
    timeout_ms: '10000',
    failure_threshold: '3',
    success_threshold: '2',
    latency_limit_ms: '',
    component_id: '',
    down_status: 'major_outage',
    degraded_status: 'degraded_performance',
    incident_mode: 'off',
    cert_warning_days: '14, 7',
    ...over
  }
}

const newHttp = '/admin/monitors/new?kind=http'

function onlyMonitor (app: FastifyInstance): Monitor {
  const all = app.herald.services.monitors.list()
  if (all.length !== 1) throw new Error(`expected one monitor, found ${all.length}`)
  return all[0] as Monitor
}

function certificate (expiresAt: string, subject = 'CN=example.com'): CertificateFacts {
  return { fingerprint: `AA:${expiresAt}`, subject, issuer: 'CN=Test CA', names: ['example.com'], validFrom: '2026-01-01T00:00:00.000Z', expiresAt }
}

t.test('admins only: editors get 403 on every page and action, anonymous visitors go to sign in', async (t) => {
  const app = await build(t, { clock: new TestClock(start) })
  const { admin, editor, anonymous } = await withUsers(app)
  const { monitor } = app.herald.services.monitors.create({ name: 'Probe', kind: 'tcp', host: 'db.internal', port: 5432 }, 'cli')
  const pages = [
    '/admin/monitors', '/admin/monitors?state=down', '/admin/monitors/new', ...['http', 'tcp', 'dns', 'tls', 'heartbeat'].map((kind) => `/admin/monitors/new?kind=${kind}`),
    `/admin/monitors/${monitor.id}`, `/admin/monitors/${monitor.id}/edit`, `/admin/monitors/${monitor.id}/delete`
  ]
  for (const page of pages) {
    t.equal((await admin.get(page)).statusCode, 200, `${page}: admin`)
    t.equal((await editor.get(page)).statusCode, 403, `${page}: editor`)
    const anon = await anonymous.get(page)
    t.equal(anon.statusCode, 302, `${page}: anonymous`)
    t.equal(anon.headers.location, `/admin/sign-in?next=${encodeURIComponent(page)}`)
  }
  const before = databaseSnapshot(app)
  const actions: Array<[string, FormFields]> = [
    ['/admin/monitors', httpForm({ name: 'By an editor' })],
    [`/admin/monitors/${monitor.id}/edit`, { kind: 'tcp', name: 'Renamed', host: 'x', port: '1' }],
    [`/admin/monitors/${monitor.id}/pause`, {}],
    [`/admin/monitors/${monitor.id}/resume`, {}],
    [`/admin/monitors/${monitor.id}/delete`, {}],
    [`/admin/monitors/${monitor.id}/secret`, {}],
    ['/admin/monitors/warnings/1/dismiss', {}]
  ]
  for (const [url, fields] of actions) {
    t.equal((await editor.post(url, fields, { formPage: '/admin' })).statusCode, 403, `${url}: editor`)
  }
  t.same(databaseSnapshot(app), before, 'nothing changed')
  t.match((await admin.get('/admin')).body, /<a href="\/admin\/monitors">Monitors<\/a>/, 'the nav has Monitors for an admin')
  t.notMatch((await editor.get('/admin')).body, /href="\/admin\/monitors"/, 'and not for an editor')
})

t.test('the empty list explains monitors; the kind comes first, then its form', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const empty = await admin.get('/admin/monitors')
  t.match(empty.body, /No monitors yet\. A monitor checks a website/)
  t.match(empty.body, /<a class="button primary" href="\/admin\/monitors\/new">New monitor<\/a>/)
  const kinds = await admin.get('/admin/monitors/new')
  for (const kind of ['http', 'tcp', 'dns', 'tls', 'heartbeat']) t.match(unescapeHtml(kinds.body), `href="/admin/monitors/new?kind=${kind}"`)
  t.equal((await admin.get('/admin/monitors/new?kind=ftp')).statusCode, 400, 'an unknown kind')
  const form = await admin.get('/admin/monitors/new?kind=http')
  t.match(form.body, /<form method="post" action="\/admin\/monitors" class="form">/, 'the form posts to the list')
  t.equal(inputValue(form.body, 'interval_seconds'), '60', 'the defaults written out')
  t.equal(inputValue(form.body, 'expected_status'), '200-299')
  t.equal(inputValue(form.body, 'cert_warning_days'), '14, 7')
  t.equal(selectedValue(form.body, 'component_id'), '')
  t.equal(inputValue((await admin.get('/admin/monitors/new?kind=tls')).body, 'interval_seconds'), '300', 'TLS at most every 5 minutes')
  const heartbeat = (await admin.get('/admin/monitors/new?kind=heartbeat')).body
  t.notMatch(heartbeat, /id="timeout_ms"|id="latency_limit_ms"|id="cert_warning_days"/, 'a heartbeat has no timeout, latency or certificate')
  t.match(heartbeat, /id="grace_seconds"/)
})

t.test('an http monitor created through the form, listed, shown, edited', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  const { admin } = await withUsers(app)
  const signIn = app.herald.services.components.create({ name: 'Sign-in' }, 'cli')
  const created = await admin.post('/admin/monitors', httpForm({
    headers: 'Authorization: Bearer secret-value\r\nX-Trace: 1',
    keyword: '<script>alert(1)</script>',
    latency_limit_ms: '800',
    component_id: String(signIn.id),
    down_status: 'partial_outage',
    incident_mode: 'draft'
  }), { formPage: newHttp })
  t.equal(created.statusCode, 303, created.body)
  const monitor = onlyMonitor(app)
  t.equal(created.headers.location, `/admin/monitors/${monitor.id}`)
  t.match(monitor, {
    name: 'Website',
    kind: 'http',
    componentId: signIn.id,
    downStatus: 'partial_outage',
    incidentMode: 'draft',
    latencyLimitMs: 800,
    certWarningDays: [14, 7],
    settings: { url: 'https://status-target.example.com/health', headers: { Authorization: 'Bearer secret-value', 'X-Trace': '1' }, keyword: '<script>alert(1)</script>', followRedirects: true }
  })
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:alice', action: 'monitor.create' })

  const page = await admin.get(`/admin/monitors/${monitor.id}`)
  t.equal(notice(page.body), '“Website” is created.')
  t.match(page.body, /<span class="monitor-state monitor-state-pending" data-state="pending">Pending<\/span>/)
  t.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/<wbr>script&gt;/, 'the keyword escaped')
  t.notMatch(page.body, /<script>alert/)
  t.notMatch(page.body, /secret-value/, 'header values are not shown, only their names')
  t.match(page.body, /<dd><bdi>Authorization, X-Trace<wbr><\/bdi><\/dd>/)
  t.match(page.body, /<form method="post" action="\/admin\/monitors\/\d+\/run"/, 'Run now posts to the run route')

  const list = await admin.get('/admin/monitors')
  t.match(list.body, new RegExp(`<a href="/admin/monitors/${monitor.id}"><bdi>Website</bdi></a>`))
  t.match(list.body, /HTTP · <bdi class="monitor-target">GET https:\/<wbr>\/<wbr>status-target.example.com\/<wbr>health<wbr><\/bdi>/)
  t.match(list.body, /<td data-label="Component"><bdi>Sign-in<\/bdi><\/td>/)
  t.match(list.body, /<svg class="sparkline" role="img"[^>]*><title>No runs yet<\/title>/)

  const edit = await admin.get(`/admin/monitors/${monitor.id}/edit`)
  t.match(edit.body, `<form method="post" action="/admin/monitors/${monitor.id}/edit" class="form">`)
  t.equal(textareaValue(edit.body, 'headers'), 'Authorization: Bearer secret-value\nX-Trace: 1', 'the edit form has every value, headers included')
  t.equal(inputValue(edit.body, 'keyword'), '<script>alert(1)</script>')
  t.equal(selectedValue(edit.body, 'component_id'), String(signIn.id))
  t.equal(selectedValue(edit.body, 'incident_mode'), 'draft')

  clock.advance(60_000)
  const saved = await admin.post(`/admin/monitors/${monitor.id}/edit`, httpForm({ name: 'Web site', kind: 'tcp', expected_status: '204', follow_redirects: undefined, cert_warning_days: '30, 14, 7' }))
  t.equal(saved.statusCode, 303)
  t.match(onlyMonitor(app), { name: 'Web site', kind: 'http', componentId: null, settings: { expectedStatus: { min: 204, max: 204 }, followRedirects: false, headers: {} }, certWarningDays: [30, 14, 7] },
    'a full replace; the kind stays what it was whatever the form says')
  t.equal(notice((await admin.get(`/admin/monitors/${monitor.id}`)).body), '“Web site” is saved.')
})

t.test('tcp, dns and tls monitors through their forms', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const common = { interval_seconds: '60', timeout_ms: '5000', failure_threshold: '3', success_threshold: '2', latency_limit_ms: '', component_id: '', down_status: 'major_outage', degraded_status: 'degraded_performance', incident_mode: 'off' }
  const forms: Array<[string, FormFields, Partial<Monitor>]> = [
    ['tcp', { ...common, name: 'Database', host: 'db.internal', port: '5432' }, { settings: { host: 'db.internal', port: 5432 } } as Partial<Monitor>],
    ['dns', { ...common, name: 'Resolver', hostname: 'example.com', record_type: 'AAAA', expected: '2001:db8::1' }, { settings: { name: 'example.com', recordType: 'AAAA', expected: '2001:db8::1' } } as Partial<Monitor>],
    ['tls', { ...common, interval_seconds: '300', cert_warning_days: '21', name: 'Certificate', target: 'example.com:8443', servername: 'www.example.com' }, { certWarningDays: [21], settings: { host: 'example.com', port: 8443, servername: 'www.example.com' } } as Partial<Monitor>]
  ]
  for (const [kind, fields, expected] of forms) {
    const response = await admin.post('/admin/monitors', { kind, ...fields }, { formPage: `/admin/monitors/new?kind=${kind}` })
    t.equal(response.statusCode, 303, `${kind}: ${response.body.slice(0, 200)}`)
    const monitor = app.herald.services.monitors.byName(fields.name as string)
    t.match(monitor, { kind, ...expected }, kind)
    const page = await admin.get(`/admin/monitors/${monitor?.id ?? 0}/edit`)
    for (const [field, value] of Object.entries(fields)) {
      if (['component_id', 'down_status', 'degraded_status', 'incident_mode', 'record_type'].includes(field)) t.equal(selectedValue(page.body, field), value, `${kind} ${field} again`)
      else t.equal(inputValue(page.body, field), value, `${kind} ${field} again`)
    }
  }
})

t.test('a heartbeat\'s push URL is shown once, with a curl line; a new one replaces it', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const created = await admin.post('/admin/monitors', {
    kind: 'heartbeat', name: 'Nightly backup', interval_seconds: '86400', grace_seconds: '1800', failure_threshold: '1', success_threshold: '1', component_id: '', down_status: 'major_outage', degraded_status: 'degraded_performance', incident_mode: 'off'
  }, { formPage: '/admin/monitors/new?kind=heartbeat' })
  t.equal(created.statusCode, 201)
  const url = /<input id="push-url" class="account-token" type="text" value="(https:\/\/status\.example\.com\/api\/v1\/heartbeats\/[^"]+)" readonly/.exec(created.body)?.[1]
  t.ok(url, 'the URL in a read-only field')
  t.match(created.body, /Copy the URL now: it is shown only this once/)
  t.match(unescapeHtml(created.body), `curl -fsS -X POST ${url ?? ''}`)
  const secret = (url ?? '').split('/').pop() as string
  const monitor = onlyMonitor(app)
  t.match(monitor, { kind: 'heartbeat', intervalS: 86400, settings: { graceS: 1800 }, hasHeartbeatSecret: true })
  const page = await admin.get(`/admin/monitors/${monitor.id}`)
  t.notMatch(page.body, secret, 'never shown again')
  t.notMatch(page.body, /action="[^"]*\/run"/, 'a heartbeat has nothing to run')
  t.notOk(JSON.stringify(databaseSnapshot(app)).includes(secret), 'only its hash is stored')

  const renewed = await admin.post(`/admin/monitors/${monitor.id}/secret`, {}, { formPage: `/admin/monitors/${monitor.id}` })
  t.equal(renewed.statusCode, 200)
  const next = /value="https:\/\/status\.example\.com\/api\/v1\/heartbeats\/([^"]+)"/.exec(renewed.body)?.[1]
  t.ok(next !== undefined && next !== secret, 'a new secret')
  t.match(app.herald.stores.audit.list(1)[0], { action: 'monitor.secret' })
  const http = app.herald.services.monitors.create({ name: 'Not a heartbeat', kind: 'tcp', host: 'x.internal', port: 1 }, 'cli').monitor
  t.equal((await admin.post(`/admin/monitors/${http.id}/secret`, {}, { formPage: '/admin/monitors' })).statusCode, 404, 'only a heartbeat has a URL')
})

t.test('pause and resume; delete asks first', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const { monitor } = app.herald.services.monitors.create({ name: 'Probe', kind: 'tcp', host: 'db.internal', port: 5432 }, 'cli')
  const href = `/admin/monitors/${monitor.id}`
  const paused = await admin.post(`${href}/pause`, {}, { formPage: href })
  t.equal(paused.statusCode, 303)
  t.equal(paused.headers.location, href)
  t.equal(onlyMonitor(app).paused, true)
  const page = await admin.get(href)
  t.match(notice(page.body), /is paused/)
  t.match(page.body, /data-state="paused">Paused</)
  t.match(page.body, new RegExp(`action="${href}/resume"`))
  t.match((await admin.get('/admin/monitors?state=paused')).body, /1 of 1 monitor: Paused/)
  t.match((await admin.get('/admin/monitors?state=up')).body, /No monitor is Up now/)
  t.equal((await admin.get('/admin/monitors?state=sideways')).statusCode, 400)

  t.equal((await admin.post(`${href}/resume`, {}, { formPage: href })).statusCode, 303)
  t.match(onlyMonitor(app), { paused: false, state: 'pending' })

  const confirm = await admin.get(`${href}/delete`)
  t.match(confirm.body, /<h1>Delete <bdi>Probe<\/bdi>\?<\/h1>/)
  t.equal(app.herald.services.monitors.list().length, 1, 'asking deletes nothing')
  const deleted = await admin.post(`${href}/delete`, {})
  t.equal(deleted.statusCode, 303)
  t.equal(deleted.headers.location, '/admin/monitors')
  t.equal(app.herald.services.monitors.list().length, 0)
  t.equal(notice((await admin.get('/admin/monitors')).body), '“Probe” is deleted.')
  for (const url of [href, `${href}/edit`, `${href}/delete`, '/admin/monitors/abc', '/admin/monitors/007']) {
    const gone = await admin.get(url)
    t.equal(gone.statusCode, 404, url)
    t.match(gone.body, /Monitor not found/)
  }
  t.equal((await admin.post(`${href}/delete`, {}, { formPage: '/admin/monitors' })).statusCode, 404)
  t.equal((await admin.post(`${href}/pause`, {}, { formPage: '/admin/monitors' })).statusCode, 404)
})

t.test('bad input is refused beside its field, kept as typed, and stores nothing', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  app.herald.services.monitors.create({ name: 'Taken', kind: 'tcp', host: 'db.internal', port: 5432 }, 'cli')
  const before = databaseSnapshot(app)
  const headers21 = Array.from({ length: 21 }, (_, i) => `X-H${i}: v`).join('\r\n')
  const cases: Array<[string, FormFields, string, RegExp]> = [
    ['interval below the minimum', { interval_seconds: '5' }, 'interval_seconds', /^At least 10 seconds/],
    ['a URL with credentials', { url: 'https://user:pass@example.com/' }, 'url', /user name or password/],
    ['ftp:', { url: 'ftp://example.com/file' }, 'url', /http/],
    ['21 headers', { headers: headers21 }, 'headers', /At most 20 headers/],
    ['a CR inside a header', { headers: 'X-A: b\rInjected: c' }, 'headers', /^Line 1: the value has a control character/],
    ['a header line without a colon', { headers: 'X-A: 1\r\nnonsense' }, 'headers', /^Line 2: write each header as Name: value/],
    ['a header name with HTML', { headers: '<script>alert(1)</script>: x' }, 'headers', /^Line 1: a header name/],
    ['the name taken, in another case', { name: 'TAKEN' }, 'name', /already exists/],
    ['a control character', { name: 'Web\u0007site' }, 'name', /one line of visible text/],
    ['a control character', { name: 'Web\u0007site' }, 'name', /control/],
    ['a huge name', { name: 'x'.repeat(101) }, 'name', /at most 100 characters/],
    ['a huge body', { body: 'x'.repeat(70_000) }, 'body', /at most 65536 characters/],
    ['wrong types (a field twice)', { interval_seconds: ['60', '70'] }, 'interval_seconds', /^Give a whole number of seconds/],
    ['a word for a number', { timeout_ms: 'soon' }, 'timeout_ms', /whole number of milliseconds/],
    ['a status out of range', { expected_status: '200-700' }, 'expected_status', /100 to 599/],
    ['days that are not days', { cert_warning_days: 'fortnight' }, 'cert_warning_days', /separated by commas/],
    ['a component that is not there', { component_id: '999' }, 'component_id', /no longer exists/],
    ['a method that is not one', { method: 'BREW' }, 'method', /Choose one/],
    ['an HTML name', { name: '<script>alert(1)</script>', url: 'ftp://x' }, 'url', /http/]
  ]
  for (const [what, over, field, message] of cases) {
    const response = await admin.post('/admin/monitors', httpForm(over), { formPage: newHttp })
    t.equal(response.statusCode >= 400 && response.statusCode < 500, true, `${what}: ${response.statusCode}`)
    t.match(fieldError(response.body, field), message, what)
    t.ok(markedInvalid(response.body, field), `${what}: marked invalid`)
    t.notMatch(response.body, /<script>alert/, `${what}: escaped`)
  }
  // A lone surrogate cannot come from a browser (a form is sent as UTF-8 and it arrives as U+FFFD): monitor-forms.test.ts checks the schema refuses one.
  const kept = await admin.post('/admin/monitors', httpForm({ name: '<b>Mine</b>', interval_seconds: '5', headers: 'X-A: 1\r\nX-B: 2' }), { formPage: newHttp })
  t.equal(inputValue(kept.body, 'name'), '<b>Mine</b>', 'what was typed comes back')
  t.equal(textareaValue(kept.body, 'headers'), 'X-A: 1\r\nX-B: 2')
  t.equal(inputValue(kept.body, 'interval_seconds'), '5')
  const forged = await admin.post('/admin/monitors', httpForm({ kind: 'gopher' }), { formPage: newHttp })
  t.equal(forged.statusCode, 400, 'a kind that is none')
  t.same(databaseSnapshot(app), before, 'nothing stored')

  const { monitor } = app.herald.services.monitors.create({ name: 'Edited', kind: 'http', url: 'https://example.com/' }, 'cli')
  const snapshot = databaseSnapshot(app)
  const edit = await admin.post(`/admin/monitors/${monitor.id}/edit`, httpForm({ name: 'Edited', url: 'https://a:b@example.com/' }))
  t.equal(edit.statusCode, 400)
  t.match(fieldError(edit.body, 'url'), /user name or password/)
  t.match(edit.body, /<h1>Edit <bdi>Edited<\/bdi><\/h1>/)
  const editTyped = await admin.post(`/admin/monitors/${monitor.id}/edit`, httpForm({ name: 'Edited', latency_limit_ms: 'fast' }))
  t.match(fieldError(editTyped.body, 'latency_limit_ms'), /whole number of milliseconds/)
  t.same(databaseSnapshot(app), snapshot, 'the edit stored nothing either')
})

t.test('a monitor\'s page: state with its reason, availability, the certificate, runs with escaped errors, state changes', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  const { admin } = await withUsers(app)
  const { monitor } = app.herald.services.monitors.create({ name: 'API', kind: 'http', url: 'https://api.example.com/' }, 'cli')
  const store = app.herald.stores.monitors
  const at = (minutesAgo: number): string => new Date(Date.parse(start) - minutesAgo * 60_000).toISOString()
  store.insertRun({ monitorId: monitor.id, at: at(40 * 24 * 60), result: 'down', latencyMs: null, statusCode: null, error: 'long ago', inMaintenance: false })
  store.insertRun({ monitorId: monitor.id, at: at(3 * 24 * 60), result: 'down', latencyMs: 20, statusCode: 500, error: 'status 500', inMaintenance: false })
  store.insertRun({ monitorId: monitor.id, at: at(2 * 24 * 60), result: 'down', latencyMs: null, statusCode: null, error: 'maintenance', inMaintenance: true })
  store.insertRun({ monitorId: monitor.id, at: at(30), result: 'up', latencyMs: 120, statusCode: 200, error: null, inMaintenance: false })
  store.insertRun({ monitorId: monitor.id, at: at(20), result: 'degraded', latencyMs: 900, statusCode: 200, error: null, inMaintenance: false })
  store.insertRun({ monitorId: monitor.id, at: at(10), result: 'down', latencyMs: null, statusCode: null, error: '<script>alert("x")</script> \u202eevil', inMaintenance: false })
  store.insertEvent({ monitorId: monitor.id, at: at(10), oldState: 'up', newState: 'down', reason: '3 failures in a row: <b>connect ECONNREFUSED</b>' })
  store.saveStatus(monitor.id, { state: 'down', stateSince: at(10), failures: 3, successes: 0, lastRunAt: at(10), lastResult: 'down', lastLatencyMs: null, lastError: '<script>alert("x")</script>' })
  store.setCertificate(monitor.id, certificate('2026-03-06T12:00:00.000Z', 'CN=<api>.example.com'))

  const opened = app.herald.services.incidents.open({ name: 'API <down>', reference: 'MON1', body: 'Checking.' }, 'monitor:API')
  store.setIncident(monitor.id, opened.id)
  const draft = app.herald.services.drafts.create({ name: 'API draft <b>', body: 'status 500' }, 'monitor:API', { monitorId: monitor.id })
  store.setDraft(monitor.id, draft.id)
  const page = (await admin.get(`/admin/monitors/${monitor.id}`)).body
  t.match(page, /It keeps an incident open: <a href="\/admin\/incidents\/MON1">MON1<\/a> <bdi>API &lt;down&gt;<\/bdi>/)
  t.match(page, new RegExp(`It opened a draft incident, not public yet: <a href="/admin/drafts/${draft.id}"><bdi>API draft &lt;b&gt;</bdi></a>`))
  t.match(page, /data-state="down">Down<\/span> since <time datetime="2026-03-01T11:50:00.000Z" data-ago title="1 Mar 2026, 11:50 UTC">10 minutes ago<\/time>: <bdi class="monitor-reason">3 failures in a row: &lt;b&gt;connect ECONNREFUSED&lt;\/b&gt;<\/bdi>/)
  t.match(page, /Availability: 66\.66 % of 3 runs over 24 hours, 50\.00 % of 4 runs over 30 days/, 'degraded counts as up; maintenance and older runs left out')
  t.match(page, /<span class="cert-days cert-urgent"><strong>Renew now:<\/strong> 5 days left<\/span>/)
  t.match(page, /<dd><bdi>CN&#x3D;&lt;api&gt;.example.com<\/bdi><\/dd>/)
  t.notMatch(page, /<script>alert/, 'errors escaped')
  t.match(page, /<bdi class="monitor-error">&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; \u202eevil<\/bdi>/, 'in a bdi, so a bidi override stays inside')
  t.match(page, /<td data-label="Status code">500<\/td>/)
  t.match(page, /Down<\/span> <span class="muted">\(maintenance\)<\/span>/)
  t.match(page, /<title>6 runs, latency 20 to 900 ms, 4 down<\/title>/)
  t.match(page, /<span class="monitor-state monitor-state-up">Up<\/span> <span aria-hidden="true">→<\/span><span class="visually-hidden">to<\/span> <span class="monitor-state monitor-state-down">Down<\/span>/)

  const list = (await admin.get('/admin/monitors')).body
  t.match(list, /<span class="cert-days cert-urgent">5 days left<\/span>/)
  t.match(list, /<time datetime="2026-03-01T11:50:00.000Z" data-ago title="1 Mar 2026, 11:50 UTC">10 minutes ago<\/time>/, 'last check: an age, the exact time as its title')
  t.equal([...list.matchAll(/<circle class="sparkline-down"/g)].length, 4, 'down runs marked')
  t.match((await admin.get('/admin/monitors?state=down')).body, /1 of 1 monitor: Down/)
})

t.test('the dashboard: counts by state, certificates soonest first in colour and words, warnings dismissed', async (t) => {
  const clock = new TestClock(start)
  const app = await build(t, { clock })
  const { admin, editor } = await withUsers(app)
  t.notMatch((await admin.get('/admin')).body, /id="monitors-heading"/, 'nothing to show without monitors')
  const { monitors } = app.herald.services
  const make = (name: string): number => monitors.create({ name, kind: 'tls', target: `${name.toLowerCase()}.example.com` }, 'cli').monitor.id
  const late = make('Late')
  const expired = make('Expired')
  const soon = make('Soon')
  const urgent = make('Urgent')
  make('None')
  const store = app.herald.stores.monitors
  store.setCertificate(late, certificate('2026-05-01T00:00:00.000Z'))
  store.setCertificate(expired, certificate('2026-02-27T00:00:00.000Z'))
  store.setCertificate(soon, certificate('2026-03-11T00:00:00.000Z'))
  store.setCertificate(urgent, certificate('2026-03-04T00:00:00.000Z'))
  store.saveStatus(urgent, { state: 'down', stateSince: start, failures: 3, successes: 0, lastRunAt: start, lastResult: 'down', lastLatencyMs: null, lastError: 'expired' })
  t.ok(store.addWarning({ monitorId: soon, fingerprint: 'AA:2026-03-11T00:00:00.000Z', days: 14, expiresAt: '2026-03-11T00:00:00.000Z', createdAt: start }))
  t.ok(store.addWarning({ monitorId: urgent, fingerprint: 'AA:2026-03-04T00:00:00.000Z', days: 7, expiresAt: '2026-03-04T00:00:00.000Z', createdAt: start }))

  const dashboard = (await admin.get('/admin')).body
  const order = [...dashboard.matchAll(/<li data-monitor="(\d+)"><span class="cert-days cert-([a-z]+)"><strong>([^<]+)<\/strong> ([^<]+)<\/span>/g)].map((m) => [Number(m[1]), m[2], m[3], m[4]])
  t.same(order, [
    [expired, 'expired', 'Expired:', 'expired 2 days ago'],
    [urgent, 'urgent', 'Renew now:', '2 days left'],
    [soon, 'soon', 'Renew soon:', '9 days left'],
    [late, 'ok', 'OK:', '60 days left']
  ], 'soonest first, each coloured by class and said in words')
  t.match(dashboard, /<a href="\/admin\/monitors\?state&#x3D;pending"><span class="monitor-state monitor-state-pending" data-state="pending">Pending<\/span> <strong>4<\/strong><\/a>/)
  t.match(dashboard, /<a href="\/admin\/monitors\?state&#x3D;down"><span class="monitor-state monitor-state-down" data-state="down">Down<\/span> <strong>1<\/strong><\/a>/)
  t.match(dashboard, /the certificate of <a href="\/admin\/monitors\/\d+"><bdi>Soon<\/bdi><\/a> has fewer than 14 days left/)
  const editorView = (await editor.get('/admin')).body
  t.match(editorView, /<bdi>Urgent<\/bdi> has fewer than 7 days left/, 'an editor sees the warnings')
  t.notMatch(editorView, /warnings\/\d+\/dismiss/, 'but only an admin dismisses them')

  const warning = monitors.openWarnings().find((each) => each.monitorId === soon)
  const dismissed = await admin.post(`/admin/monitors/warnings/${warning?.id ?? 0}/dismiss`, {}, { formPage: '/admin' })
  t.equal(dismissed.statusCode, 303)
  t.equal(dismissed.headers.location, '/admin')
  const after = (await admin.get('/admin')).body
  t.equal(notice(after), 'The warning about “Soon” is dismissed.')
  t.notMatch(after, /<bdi>Soon<\/bdi><\/a> has fewer than/)
  t.match(after, /<bdi>Urgent<\/bdi><\/a> has fewer than 7 days left/)
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:alice', action: 'monitor.dismiss-warning' })
  const again = await admin.post(`/admin/monitors/warnings/${warning?.id ?? 0}/dismiss`, {}, { formPage: '/admin' })
  t.equal(again.statusCode, 404, 'dismissed already')
  t.equal((await admin.post('/admin/monitors/warnings/x/dismiss', {}, { formPage: '/admin' })).statusCode, 404)
})

t.test('what the pages offer follows the monitor: a heartbeat form has its own thresholds, a paused monitor no Run now, deleting says what it does to the component', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const heartbeatForm = (await admin.get('/admin/monitors/new?kind=heartbeat')).body
  t.equal(inputValue(heartbeatForm, 'failure_threshold'), '1', 'one missed period is down, as the API and files default')
  t.equal(inputValue(heartbeatForm, 'success_threshold'), '1')
  t.equal(inputValue((await admin.get('/admin/monitors/new?kind=http')).body, 'failure_threshold'), '3')
  const { monitor } = app.herald.services.monitors.create({ name: 'Sign-in API', kind: 'http', url: 'https://login.example.com/health' }, 'user:alice')
  t.match((await admin.get(`/admin/monitors/${monitor.id}`)).body, /action="\/admin\/monitors\/\d+\/run"/)
  app.herald.services.monitors.pause(monitor.id, 'user:alice')
  t.notMatch((await admin.get(`/admin/monitors/${monitor.id}`)).body, /action="\/admin\/monitors\/\d+\/run"/, 'paused: resume it first')
  t.match((await admin.get(`/admin/monitors/${monitor.id}/delete`)).body, /Its component goes back to what its other monitors ask/)
})

t.test('a page asked for with a query it does not take says so, and not that something was not saved', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  for (const url of ['/admin/monitors/new?kind=bogus', '/admin/monitors?state=bogus']) {
    const response = await admin.get(url)
    t.equal(response.statusCode, 400, url)
    t.match(response.body, /This address was refused/, url)
    t.match(response.body, /Check the link you followed\./, url)
    t.notMatch(response.body, /Nothing was saved|What you typed/, url)
  }
})
