// The admin incident pages: open an incident (with templates), post and fix updates, resolve, with every bad input refused.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { ConflictError, InvalidInputError } from '../../server/services/errors.js'
import { TestClock, build } from '../fixtures/build.js'
import { storedRows } from '../fixtures/stored.js'
import { type FormFields, withUsers } from './fixtures/admin-session.js'
import { counts, fieldError, inputValue, markedInvalid, notice, selectedValue, textareaValue } from './fixtures/admin-forms.js'

const newPage = { formPage: '/admin/incidents/new' }

function setUp (app: FastifyInstance): { chat: number, calls: number, api: number } {
  const { components } = app.herald.services
  return {
    chat: components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'cli').id,
    calls: components.create({ name: 'Calls', group: 'Microsoft Teams' }, 'cli').id,
    api: components.create({ name: 'Status API' }, 'cli').id
  }
}

t.test('anonymous visitors are sent to sign in, and their actions change nothing', async (t) => {
  const app = await build(t)
  const { anonymous } = await withUsers(app)
  setUp(app)
  app.herald.services.incidents.open({ name: 'Outage', body: 'b', reference: 'TM202916' }, 'cli')
  for (const url of ['/admin/incidents/new', '/admin/incidents/TM202916', '/admin/incidents/reference-check?reference=X1']) {
    const response = await anonymous.get(url)
    t.equal(response.statusCode, 302, url)
    t.match(response.headers.location, /^\/admin\/sign-in\?next=/)
  }
  const before = counts(app)
  const form = { formPage: '/admin/sign-in' }
  t.equal((await anonymous.post('/admin/incidents/new', { name: 'x', status: 'investigating', body: 'b' }, form)).statusCode, 401)
  t.equal((await anonymous.post('/admin/incidents/TM202916/updates', { status: 'identified', body: 'b' }, form)).statusCode, 401)
  t.equal((await anonymous.post('/admin/incidents/TM202916/updates/1', { body: 'changed' }, form)).statusCode, 401)
  t.same(counts(app), before)
  t.equal(app.herald.services.incidents.get('TM202916').updates[0]?.body, 'b')
})

t.test('an editor opens an incident with its components, and the public page shows it', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  const { chat, calls } = setUp(app)
  const form = await editor.get('/admin/incidents/new')
  t.equal(form.statusCode, 200)
  t.match(form.body, /<h1>New incident<\/h1>/)
  t.match(form.body, /Left empty, it is HR000001/, 'the reference an empty field gets')
  t.equal(selectedValue(form.body, `component-${chat}`), '', 'components start at no change')
  t.match(form.body, /<input type="hidden" name="notify" value="1">/, 'without a channel no tick, but updates stay marked to notify')

  const response = await editor.post('/admin/incidents/new', {
    name: 'Users may be unable to access Microsoft Teams',
    reference: 'TM202916',
    impact: '',
    status: 'investigating',
    [`component-${chat}`]: 'major_outage',
    [`component-${calls}`]: '',
    body: "We're investigating an issue where users may be unable to access **Microsoft Teams**.",
    notify: '1'
  }, newPage)
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/admin/incidents/TM202916')
  const page = await editor.get('/admin/incidents/TM202916')
  t.equal(notice(page.body), 'Incident TM202916 is open.')
  const incident = app.herald.services.incidents.get('TM202916')
  t.match(incident, { name: 'Users may be unable to access Microsoft Teams', status: 'investigating', impact: 'critical', startedAt: '2020-02-03T13:30:00.000Z' })
  t.same(incident.components.map((c) => c.id), [chat], 'only the component given a status is affected')
  t.match(incident.updates, [{ notify: true, body: "We're investigating an issue where users may be unable to access **Microsoft Teams**." }])
  t.match(app.herald.stores.audit.list(1)[0], { action: 'incident.open', actor: 'user:bob' })
  t.equal(app.herald.services.components.get(calls).status, 'operational')

  const publicPage = await app.inject('/incidents/TM202916')
  t.match(publicPage.body, /Users may be unable to access Microsoft Teams/)
  t.match(publicPage.body, /<strong>Microsoft Teams<\/strong>/)
  t.match((await app.inject('/')).body, /Major Service Outage/)

  const generated = await editor.post('/admin/incidents/new', { name: 'Second', status: 'identified', impact: 'minor', body: 'b' }, newPage)
  t.equal(generated.headers.location, '/admin/incidents/HR000001', 'an empty reference is generated')
  t.match(app.herald.services.incidents.get('HR000001'), { impact: 'minor', status: 'identified', updates: [{ notify: false }] }, 'an unticked box does not notify')
})

t.test('templates fill the form without a script, and {component} becomes the affected components', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { chat, calls } = setUp(app)
  const template = app.herald.services.templates.create({
    name: 'Unreachable',
    title: 'Users may be unable to access {component}',
    body: "We're investigating an issue where users may be unable to access {component}."
  }, 'cli')
  const list = await editor.get('/admin/incidents/new')
  t.match(list.body, new RegExp(`<option value="${template.id}" data-title="Users may be unable to access \\{component\\}" data-body="We&#x27;re investigating[^"]*" data-status="" data-impact="" data-components="\\{\\}">Unreachable</option>`), 'with no presets')

  const filled = await editor.get(`/admin/incidents/new?template=${template.id}`)
  t.equal(filled.statusCode, 200)
  t.equal(inputValue(filled.body, 'name'), 'Users may be unable to access {component}')
  t.equal(textareaValue(filled.body, 'body'), "We're investigating an issue where users may be unable to access {component}.")
  t.equal(selectedValue(filled.body, 'template'), String(template.id))

  const missing = await editor.get('/admin/incidents/new?template=999')
  t.equal(fieldError(missing.body, 'template'), 'That template does not exist any more. Choose another one.')
  t.ok(markedInvalid(missing.body, 'template'))

  const before = counts(app)
  const unnamed = await editor.post('/admin/incidents/new', { name: 'Users may be unable to access {component}', status: 'investigating', body: 'b', notify: '1' }, newPage)
  t.equal(unnamed.statusCode, 400)
  t.match(fieldError(unnamed.body, 'components'), /Choose the affected components: the name or the message says \{component\}/)
  t.same(counts(app), before, 'nothing saved while {component} has no components to name')

  const opened = await editor.post('/admin/incidents/new', {
    name: 'Users may be unable to access {component}',
    status: 'investigating',
    [`component-${calls}`]: 'degraded_performance',
    [`component-${chat}`]: 'partial_outage',
    body: "We're investigating an issue where users may be unable to access {component}.",
    template: String(template.id),
    notify: '1'
  }, newPage)
  t.equal(opened.statusCode, 303)
  const incident = app.herald.services.incidents.get('HR000001')
  t.equal(incident.name, 'Users may be unable to access Teams chat and Calls', 'names in page order')
  t.equal(incident.updates[0]?.body, "We're investigating an issue where users may be unable to access Teams chat and Calls.")
})

t.test('every bad input on the new-incident form is named next to its field, keeps what was typed, and stores nothing', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { chat, api } = setUp(app)
  app.herald.services.incidents.open({ name: 'Earlier outage', body: 'b', reference: 'TM202916' }, 'cli')
  const gone = app.herald.services.components.create({ name: 'Old thing' }, 'cli')
  app.herald.services.components.remove(gone.id, 'cli')
  const valid: FormFields = { name: 'Teams outage', reference: '', impact: '', status: 'investigating', body: 'We are looking into it.', notify: '1', [`component-${chat}`]: 'partial_outage' }
  const cases: Array<{ what: string, fields: FormFields, field: string, message: RegExp, status?: number }> = [
    { what: 'empty name', fields: { name: '' }, field: 'name', message: /^This field is required\.$/ },
    { what: 'missing name', fields: { name: undefined }, field: 'name', message: /^This field is required\.$/ },
    { what: 'name of spaces', fields: { name: '   ' }, field: 'name', message: /^This field is required\.$/ },
    { what: 'too long a name', fields: { name: 'x'.repeat(201) }, field: 'name', message: /^Use at most 200 characters\.$/ },
    { what: 'a control character in the name', fields: { name: 'Teams\u0007outage' }, field: 'name', message: /without control characters/ },
    { what: 'a line break in the name', fields: { name: 'Teams\noutage' }, field: 'name', message: /one line/ },
    { what: 'a name sent twice', fields: { name: ['a', 'b'] }, field: 'name', message: /^Write a name/ },
    { what: 'a reference with a dash', fields: { reference: 'TM-2916' }, field: 'reference', message: /2 to 32 letters and digits/ },
    { what: 'an HTML reference', fields: { reference: '<script>alert(1)</script>' }, field: 'reference', message: /^Use at most 32 characters\.$|letters and digits/ },
    { what: 'too long a reference', fields: { reference: 'A'.repeat(33) }, field: 'reference', message: /^Use at most 32 characters\.$/ },
    { what: 'a one-letter reference', fields: { reference: 'A' }, field: 'reference', message: /2 to 32 letters and digits/ },
    { what: 'a used reference', fields: { reference: 'TM202916' }, field: 'reference', message: /^TM202916 is already used by “Earlier outage”\.$/, status: 409 },
    { what: 'a used reference in other letters', fields: { reference: 'tm202916' }, field: 'reference', message: /^TM202916 is already used by “Earlier outage”\.$/, status: 409 },
    { what: 'an unknown impact', fields: { impact: 'catastrophic' }, field: 'impact', message: /^Choose one of the impacts\.$/ },
    { what: 'an HTML impact', fields: { impact: '<img src=x onerror=alert(1)>' }, field: 'impact', message: /^Choose one of the impacts\.$/ },
    { what: 'an unknown status', fields: { status: 'sleeping' }, field: 'status', message: /^Choose one of the statuses\.$/ },
    { what: 'a postmortem status', fields: { status: 'postmortem' }, field: 'status', message: /^Choose one of the statuses\.$/ },
    { what: 'no status', fields: { status: undefined }, field: 'status', message: /^This field is required\.$/ },
    { what: 'an empty message', fields: { body: '' }, field: 'body', message: /^This field is required\.$/ },
    { what: 'a message of spaces', fields: { body: ' \r\n\t ' }, field: 'body', message: /visible text/ },
    { what: 'too long a message', fields: { body: 'x'.repeat(20_001) }, field: 'body', message: /^Use at most 20000 characters\.$/ },
    { what: 'a NUL in the message', fields: { body: 'oops\u0000' }, field: 'body', message: /no control characters/ },
    { what: 'an unknown component', fields: { 'component-9999': 'major_outage' }, field: 'components', message: /no component with id 9999/ },
    { what: 'a component id that is no number', fields: { 'component-abc': 'major_outage' }, field: 'components', message: /no component with id abc/ },
    { what: 'a deleted component', fields: { [`component-${gone.id}`]: 'major_outage' }, field: 'components', message: new RegExp(`no component with id ${gone.id} \\(it may have been deleted\\)`) },
    { what: 'an unknown component status', fields: { [`component-${api}`]: 'broken' }, field: `component-${api}`, message: /^Choose one of the statuses\.$/ },
    { what: 'an HTML component status', fields: { [`component-${chat}`]: '<b>down</b>' }, field: `component-${chat}`, message: /^Choose one of the statuses\.$/ }
  ]
  const before = counts(app)
  for (const { what, fields, field, message, status } of cases) {
    const sent = { ...valid, ...fields }
    const response = await editor.post('/admin/incidents/new', sent, newPage)
    t.equal(response.statusCode, status ?? 400, `${what}: status`)
    t.match(fieldError(response.body, field), message, `${what}: message next to the field`)
    if (field !== 'components') t.ok(markedInvalid(response.body, field), `${what}: the field is marked invalid`)
    t.same(counts(app), before, `${what}: nothing stored`)
    t.notMatch(response.body, /<script>alert|<img src=x|<b>down/, `${what}: what was typed is escaped`)
    if (typeof sent.name === 'string') t.equal(inputValue(response.body, 'name'), sent.name.trim(), `${what}: the name is kept`)
    if (typeof sent.body === 'string' && !/\u0000/.test(sent.body)) t.equal(textareaValue(response.body, 'body'), sent.body.replace(/^\r?\n/, ''), `${what}: the message is kept`)
    if (typeof sent.reference === 'string') t.equal(inputValue(response.body, 'reference'), sent.reference, `${what}: the reference is kept`)
  }
  t.equal(app.herald.services.components.get(chat).status, 'operational', 'no component changed')

  const several = await editor.post('/admin/incidents/new', { ...valid, name: '', reference: 'TM202916', body: '' }, newPage)
  t.equal(several.statusCode, 400)
  t.equal(fieldError(several.body, 'name'), 'This field is required.')
  t.equal(fieldError(several.body, 'reference'), 'TM202916 is already used by “Earlier outage”.', 'a used reference is named along with the other mistakes')
  t.equal(fieldError(several.body, 'body'), 'This field is required.')
  t.same(counts(app), before)
})

t.test('HTML in the name and message is stored as typed and shown as text', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  setUp(app)
  const response = await admin.post('/admin/incidents/new', {
    name: '<script>alert("name")</script>', status: 'investigating', body: '<img src=x onerror=alert(1)> **bold**', notify: '1'
  }, newPage)
  t.equal(response.statusCode, 303)
  const page = await admin.get(String(response.headers.location))
  t.notMatch(page.body, /<script>alert|<img src=x/)
  t.match(page.body, /&lt;script&gt;alert\(&quot;name&quot;\)&lt;\/script&gt;/)
  t.match(page.body, /&lt;img src=x onerror=alert\(1\)&gt; <strong>bold<\/strong>/)
  t.equal(app.herald.services.incidents.get('HR000001').name, '<script>alert("name")</script>')
})

t.test('the Preview button shows the preview without a script and saves nothing', async (t) => {
  // A channel on, for the social post's preview; SOCIAL_WORKER=off sends nothing.
  const app = await build(t, { env: { TWITTER_API_KEY: 'k', TWITTER_API_SECRET: 's', TWITTER_ACCESS_TOKEN: 't', TWITTER_ACCESS_SECRET: 'a', SOCIAL_WORKER: 'off' } })
  const { editor } = await withUsers(app)
  const { chat } = setUp(app)
  const before = counts(app)
  const response = await editor.post('/admin/incidents/new', {
    name: '{component} is down', status: 'identified', [`component-${chat}`]: 'major_outage', body: 'The **certificate** expired for {component}.', notify: '1', preview: '1'
  }, newPage)
  t.equal(response.statusCode, 200)
  t.same(counts(app), before)
  t.match(response.body, /data-preview-html><p>The <strong>certificate<\/strong> expired for Teams chat\.<\/p><\/div>/)
  t.match(response.body, /data-preview-post>\[Identified\] HR000001 Teams chat is down: The certificate expired for Teams chat\. https:\/\/status\.example\.com\/incidents\/HR000001<\/p>/)
  t.match(response.body, /data-preview-count>\d+ \/ 280</)
  t.equal(textareaValue(response.body, 'body'), 'The **certificate** expired for {component}.', 'the form keeps the placeholder')
  t.equal(selectedValue(response.body, `component-${chat}`), 'major_outage')
})

t.test('the reference check says whether a reference is free', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  app.herald.services.incidents.open({ name: 'Teams "outage"', body: 'b', reference: 'TM202916' }, 'cli')
  const check = async (reference: string): Promise<unknown> =>
    JSON.parse((await editor.get(`/admin/incidents/reference-check?reference=${encodeURIComponent(reference)}`)).body)
  t.same(await check('TM202917'), { reference: 'TM202917', ok: true, message: 'TM202917 is free.' })
  t.same(await check('tm202916'), { reference: 'tm202916', ok: false, message: 'TM202916 is already used by “Teams "outage"”.' })
  t.match(await check('TM-1'), { ok: false, message: /2 to 32 letters and digits/ })
  t.same(await check(''), { reference: '', ok: true, message: 'A reference will be made, such as HR000001.' })
})

t.test('the incident page shows the timeline, the public link and an update form set to the current statuses', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { chat, calls } = setUp(app)
  app.herald.services.incidents.open({ name: 'Teams outage', body: 'First *words*', reference: 'TM202916', components: { [chat]: 'partial_outage' } }, 'cli')
  const page = await editor.get('/admin/incidents/tm202916')
  t.equal(page.statusCode, 200)
  t.match(page.body, /<h1>Teams outage<\/h1>/)
  t.match(page.body, /<a href="\/incidents\/TM202916">Public page<\/a> <span class="muted public-url">https:\/\/status\.example\.com\/incidents\/TM202916<\/span>/)
  t.match(page.body, /<div class="update-body"><p>First <em>words<\/em><\/p><\/div>/)
  t.equal(selectedValue(page.body, 'status'), 'investigating')
  t.equal(selectedValue(page.body, `component-${chat}`), 'partial_outage')
  t.equal(selectedValue(page.body, `component-${calls}`), 'operational')
  t.match(page.body, `<input type="hidden" name="was-${chat}" value="partial_outage">`)
  t.ok(page.body.indexOf(`id="component-${chat}"`) < page.body.indexOf(`id="component-${calls}"`), 'the affected component comes first')
  t.match(page.body, /href="\/admin\/incidents\/TM202916\?resolve=1#update-form">Resolve…<\/a>/)

  for (const url of ['/admin/incidents/NOPE1', '/admin/incidents/not-a-reference', '/admin/incidents/%3Cscript%3E']) {
    const missing = await editor.get(url)
    t.equal(missing.statusCode, 404, url)
    t.match(missing.body, /<h1>Incident not found<\/h1>/)
  }
  const before = counts(app)
  t.equal((await editor.post('/admin/incidents/NOPE1/updates', { status: 'identified', body: 'b' }, { formPage: '/admin' })).statusCode, 404)
  t.same(counts(app), before)
})

t.test('posting an update changes only the components whose status was changed on the form', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  const { chat, calls, api } = setUp(app)
  const { incidents, components } = app.herald.services
  incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916', components: { [chat]: 'partial_outage', [calls]: 'degraded_performance' } }, 'cli')
  const formPage = { formPage: '/admin/incidents/TM202916' }
  // Someone fixes Calls by hand after the editor loaded the page: the form still shows it degraded.
  components.patch(calls, { status: 'operational' }, 'cli')
  clock.set('2020-02-03T15:00:00.000Z')
  const response = await editor.post('/admin/incidents/TM202916/updates', {
    from: 'incident',
    status: 'identified',
    body: "We've determined that an authentication certificate has expired.",
    [`component-${chat}`]: 'major_outage',
    [`was-${chat}`]: 'partial_outage',
    [`component-${calls}`]: 'degraded_performance',
    [`was-${calls}`]: 'degraded_performance',
    [`component-${api}`]: 'operational',
    [`was-${api}`]: 'operational'
  }, formPage)
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/admin/incidents/TM202916')
  const page = await editor.get('/admin/incidents/TM202916')
  t.equal(notice(page.body), 'Update posted to TM202916.')
  const incident = incidents.get('TM202916')
  t.match(incident, { status: 'identified', updates: [{ status: 'identified', notify: false, displayAt: '2020-02-03T15:00:00.000Z' }, {}] })
  t.match(incident.updates[0]?.affectedComponents, [{ componentId: chat, oldStatus: 'partial_outage', newStatus: 'major_outage' }])
  t.equal(incident.updates[0]?.affectedComponents.length, 1)
  t.equal(components.get(calls).status, 'operational', 'a select left as it was shown does not undo a change made meanwhile')
  t.notOk(incident.components.some((c) => c.id === api), 'an untouched component is not linked to the incident')
  t.match(app.herald.stores.audit.list(1)[0], { action: 'incident.update', actor: 'user:bob' })
})

t.test('every bad input on the update form is named next to its field and stores nothing', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { chat } = setUp(app)
  app.herald.services.incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916', components: { [chat]: 'partial_outage' } }, 'cli')
  const valid: FormFields = { from: 'incident', status: 'identified', body: 'Found it.', notify: '1', [`component-${chat}`]: 'major_outage', [`was-${chat}`]: 'partial_outage' }
  const cases: Array<{ what: string, fields: FormFields, field: string, message: RegExp }> = [
    { what: 'an empty message', fields: { body: '' }, field: 'body', message: /^This field is required\.$/ },
    { what: 'too long a message', fields: { body: 'é'.repeat(20_001) }, field: 'body', message: /^Use at most 20000 characters\.$/ },
    { what: 'a control character', fields: { body: 'a\u001bb' }, field: 'body', message: /no control characters/ },
    { what: 'an unknown status', fields: { status: '<script>alert(1)</script>' }, field: 'status', message: /^Choose one of the statuses\.$/ },
    { what: 'an unknown component', fields: { 'component-424242': 'operational' }, field: 'components', message: /no component with id 424242/ },
    { what: 'an unknown component status', fields: { [`component-${chat}`]: 'sideways' }, field: `component-${chat}`, message: /^Choose one of the statuses\.$/ }
  ]
  const before = counts(app)
  for (const { what, fields, field, message } of cases) {
    const sent = { ...valid, ...fields }
    const response = await editor.post('/admin/incidents/TM202916/updates', sent, { formPage: '/admin/incidents/TM202916' })
    t.equal(response.statusCode, 400, `${what}: status`)
    t.match(fieldError(response.body, field), message, `${what}: message next to the field`)
    if (field !== 'components') t.ok(markedInvalid(response.body, field), `${what}: marked invalid`)
    t.same(counts(app), before, `${what}: nothing stored`)
    t.notMatch(response.body, /<script>alert/, `${what}: escaped`)
    t.equal(textareaValue(response.body, 'body'), sent.body, `${what}: the message is kept`)
  }
  t.equal(app.herald.services.components.get(chat).status, 'partial_outage')
  t.equal(app.herald.services.incidents.get('TM202916').status, 'investigating')
})

t.test('editing the text of an update keeps its time and is in the audit log', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  const { incidents } = app.herald.services
  const first = incidents.open({ name: 'Teams outage', body: 'We are investigting.', reference: 'TM202916' }, 'cli').updates[0]
  clock.set('2020-02-03T14:00:00.000Z')
  incidents.postUpdate('TM202916', { status: 'identified', body: 'Certificate expired.' }, 'cli')
  const other = incidents.open({ name: 'Other', body: 'x', reference: 'OTHER1' }, 'cli').updates[0]
  if (first === undefined || other === undefined) throw new Error('no update')
  const page = await editor.get('/admin/incidents/TM202916')
  t.equal(textareaValue(page.body, `edit-body-${first.id}`), 'We are investigting.')

  clock.set('2020-02-03T15:10:00.000Z')
  const response = await editor.post(`/admin/incidents/TM202916/updates/${first.id}`, { body: 'We are **investigating**.' }, { formPage: '/admin/incidents/TM202916' })
  t.equal(response.statusCode, 303)
  const after = await editor.get('/admin/incidents/TM202916')
  t.equal(notice(after.body), 'The text of the update of 3 Feb 2020, 13:30 UTC is changed; its time stays.')
  t.match(after.body, /Text edited 3 Feb 2020, 15:10 UTC/)
  const edited = incidents.get('TM202916').updates.find((u) => u.id === first.id)
  t.match(edited, { body: 'We are **investigating**.', displayAt: '2020-02-03T13:30:00.000Z', createdAt: '2020-02-03T13:30:00.000Z' })
  t.match(app.herald.stores.audit.list(1)[0], {
    action: 'update.edit', actor: 'user:bob', detail: { reference: 'TM202916', updateId: first.id, before: 'We are investigting.', after: 'We are **investigating**.' }
  })
  t.match((await app.inject('/incidents/TM202916')).body, /We are <strong>investigating<\/strong>\./)

  const before = counts(app)
  for (const [what, body, message] of [['empty', '', /^This field is required\.$/], ['too long', 'x'.repeat(20_001), /at most 20000/], ['a control character', 'a\u0008', /control characters/]] as const) {
    const bad = await editor.post(`/admin/incidents/TM202916/updates/${first.id}`, { body }, { formPage: '/admin/incidents/TM202916' })
    t.equal(bad.statusCode, 400, what)
    t.match(fieldError(bad.body, `edit-body-${first.id}`), message, `${what}: message next to the field`)
    t.ok(markedInvalid(bad.body, `edit-body-${first.id}`), `${what}: marked invalid`)
    t.match(bad.body, new RegExp(`<details class="edit-update" open>\\s*<summary>Edit text</summary>\\s*<form method="post" action="/admin/incidents/TM202916/updates/${first.id}"`), `${what}: the edit form is open`)
    t.same(counts(app), before, `${what}: nothing stored`)
  }
  t.equal(incidents.get('TM202916').updates.find((u) => u.id === first.id)?.body, 'We are **investigating**.')
  const foreign = await editor.post(`/admin/incidents/TM202916/updates/${other.id}`, { body: 'hijack' }, { formPage: '/admin/incidents/TM202916' })
  t.equal(foreign.statusCode, 404, "another incident's update cannot be edited through this one")
  t.equal(incidents.get('OTHER1').updates[0]?.body, 'x')
})

t.test('resolving proposes the affected components back to operational', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const { chat, calls, api } = setUp(app)
  const { incidents, components } = app.herald.services
  incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916', components: { [chat]: 'major_outage', [calls]: 'partial_outage' } }, 'cli')
  components.patch(api, { status: 'degraded_performance' }, 'cli')
  const page = await admin.get('/admin/incidents/TM202916?resolve=1')
  t.match(page.body, /<h2 id="post-heading">Resolve the incident<\/h2>/)
  t.equal(selectedValue(page.body, 'status'), 'resolved')
  t.equal(selectedValue(page.body, `component-${chat}`), 'operational')
  t.equal(selectedValue(page.body, `component-${calls}`), 'operational')
  t.equal(selectedValue(page.body, `component-${api}`), 'degraded_performance', 'a component the incident did not touch is left alone')

  const response = await admin.post('/admin/incidents/TM202916/updates', {
    from: 'incident',
    status: 'resolved',
    body: 'The certificate is renewed; Teams works again.',
    notify: '1',
    [`component-${chat}`]: 'operational',
    [`was-${chat}`]: 'major_outage',
    [`component-${calls}`]: 'operational',
    [`was-${calls}`]: 'partial_outage',
    [`component-${api}`]: 'degraded_performance',
    [`was-${api}`]: 'degraded_performance'
  }, { formPage: '/admin/incidents/TM202916?resolve=1' })
  t.equal(response.statusCode, 303)
  t.equal(notice((await admin.get('/admin/incidents/TM202916')).body), 'TM202916 is resolved.')
  t.match(incidents.get('TM202916'), { status: 'resolved', resolvedAt: String })
  t.equal(components.get(chat).status, 'operational')
  t.equal(components.get(calls).status, 'operational')
  t.equal(components.get(api).status, 'degraded_performance')
  const publicPage = (await app.inject('/incidents/TM202916')).body
  t.match(publicPage, /Resolved after/)
  t.match(publicPage, /<bdi>Teams chat<\/bdi>: <span class="status-major-outage">Major Outage<\/span>/)

  // Resolving with every select left as shown is a choice too: the components stay as they are.
  incidents.open({ name: 'Second', body: 'b', reference: 'TM202917', components: { [chat]: 'partial_outage' } }, 'cli')
  await admin.post('/admin/incidents/TM202917/updates', {
    from: 'incident',
    status: 'resolved',
    body: 'Resolved, chat stays degraded for a while.',
    [`component-${chat}`]: 'partial_outage',
    [`was-${chat}`]: 'partial_outage'
  }, { formPage: '/admin/incidents/TM202917' })
  t.equal(incidents.get('TM202917').status, 'resolved')
  t.equal(components.get(chat).status, 'partial_outage')
  t.notMatch((await admin.get('/admin/incidents/TM202917')).body, /Resolve…/, 'no resolve button on a resolved incident')
})

t.test('a form without the CSRF token of its session changes nothing', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  app.herald.services.incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916' }, 'cli')
  const before = counts(app)
  t.equal((await editor.post('/admin/incidents/new', { name: 'x', status: 'investigating', body: 'b' }, { csrf: null })).statusCode, 403)
  t.equal((await editor.post('/admin/incidents/TM202916/updates', { status: 'resolved', body: 'b' }, { csrf: 'forged' })).statusCode, 403)
  t.same(counts(app), before)
})

t.test('a refusal of the service is said next to the field it names, or above the form when it names none', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { incidents } = app.herald.services
  incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'First' }, 'cli')
  const page = '/admin/incidents/TM202916'
  const csrf = await editor.csrfToken(page)
  t.teardown(() => { delete (incidents as unknown as Record<string, unknown>).postUpdate })
  const before = storedRows(app.herald.stores.db)
  // Refusals the form cannot meet today (it checks the components it shows): the service's answer, as a race would give it.
  for (const [what, error, field, statusCode] of [
    ['a component deleted meanwhile', new InvalidInputError('components: no component with id 7', { field: 'components' }), 'components', 400],
    ['a time before the start', new InvalidInputError('display_at is before TM202916 started', { field: 'display_at' }), 'displayAt', 400],
    ['a refusal about no field', new ConflictError('TM202916 moved meanwhile'), null, 409]
  ] as const) {
    Object.assign(incidents, { postUpdate: () => { throw error } })
    const response = await editor.post(`${page}/updates`, { status: 'identified', body: 'typed' }, { csrf })
    t.equal(response.statusCode, statusCode, what)
    if (field === null) {
      t.match(response.body, /<p class="form-error" role="alert">Nothing was saved: TM202916 moved meanwhile\.<\/p>/, `${what}: above the form`)
    } else {
      t.equal(fieldError(response.body, field), `Nothing was saved: ${error.message}.`, `${what}: next to the field`)
    }
    t.equal(textareaValue(response.body, 'body'), 'typed', `${what}: what was typed is kept`)
    t.same(storedRows(app.herald.stores.db), before, `${what}: nothing stored`)
  }
})

t.test('renaming an incident and changing its impact: audited, followed by the public page, the feeds and /api/v2', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { incidents } = app.herald.services
  incidents.open({ name: 'Outage', body: 'b', reference: 'TM202916', impact: 'minor' }, 'cli')
  const formPage = { formPage: '/admin/incidents/TM202916' }
  const page = await editor.get('/admin/incidents/TM202916')
  t.match(page.body, /<form method="post" action="\/admin\/incidents\/TM202916\/edit" class="form" data-draft>/)
  t.equal(inputValue(page.body, 'edit-name'), 'Outage')
  t.equal(selectedValue(page.body, 'edit-impact'), 'minor')
  t.match((await app.inject('/api/v2/incidents.json')).json(), { incidents: [{ name: 'Outage', impact: 'minor' }] }, 'the cached answer before')

  const response = await editor.post('/admin/incidents/TM202916/edit', { name: '  Users may be unable to access Microsoft Teams ', impact: 'critical' }, formPage)
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/admin/incidents/TM202916')
  t.equal(notice((await editor.get('/admin/incidents/TM202916')).body), 'TM202916 is changed.')
  t.match(incidents.get('TM202916'), { name: 'Users may be unable to access Microsoft Teams', impact: 'critical', updates: [{}] })
  t.match(app.herald.stores.audit.list(1)[0], {
    action: 'incident.edit', actor: 'user:bob', detail: { reference: 'TM202916', before: { name: 'Outage', impact: 'minor' }, after: { name: 'Users may be unable to access Microsoft Teams', impact: 'critical' } }
  })
  t.match((await app.inject('/incidents/TM202916')).body, /Users may be unable to access Microsoft Teams/)
  t.match((await app.inject('/history.rss')).body, /Users may be unable to access Microsoft Teams/)
  t.match((await app.inject('/api/v2/incidents.json')).json(), { incidents: [{ name: 'Users may be unable to access Microsoft Teams', impact: 'critical' }] })

  const audited = app.herald.stores.audit.list(100).length
  const same = await editor.post('/admin/incidents/TM202916/edit', { name: 'Users may be unable to access Microsoft Teams', impact: 'critical' }, formPage)
  t.equal(same.statusCode, 303)
  t.equal(notice((await editor.get('/admin/incidents/TM202916')).body), 'Nothing changed.')
  t.equal(app.herald.stores.audit.list(100).length, audited, 'nothing changed, nothing audited')

  const cases: Array<{ what: string, fields: FormFields, field: string, message: RegExp }> = [
    { what: 'an empty name', fields: { name: '  ' }, field: 'edit-name', message: /^This field is required\.$/ },
    { what: 'a name over the limit', fields: { name: 'x'.repeat(201) }, field: 'edit-name', message: /^Use at most 200 characters\.$/ },
    { what: 'a control character', fields: { name: 'a\u0007b' }, field: 'edit-name', message: /without control characters/ },
    { what: 'a line break', fields: { name: 'a\nb' }, field: 'edit-name', message: /one line/ },
    { what: 'no impact', fields: { impact: undefined }, field: 'edit-impact', message: /^This field is required\.$/ },
    { what: 'an unknown impact', fields: { impact: '<b>huge</b>' }, field: 'edit-impact', message: /^Choose one of the impacts\.$/ },
    { what: 'an impact sent twice', fields: { impact: ['minor', 'major'] }, field: 'edit-impact', message: /^Choose one of the impacts\.$/ }
  ]
  const before = storedRows(app.herald.stores.db)
  for (const { what, fields, field, message } of cases) {
    const sent = { name: 'Renamed <i>again</i>', impact: 'major', ...fields }
    const refused = await editor.post('/admin/incidents/TM202916/edit', sent, formPage)
    t.equal(refused.statusCode, 400, what)
    t.match(fieldError(refused.body, field), message, `${what}: said next to the field`)
    t.ok(markedInvalid(refused.body, field), `${what}: marked invalid`)
    t.match(refused.body, /<details class="edit-incident" open>/, `${what}: the form is open`)
    t.notMatch(refused.body, /<i>again<\/i>/, `${what}: what was typed is shown as text`)
    t.same(storedRows(app.herald.stores.db), before, `${what}: nothing stored`)
  }
  t.equal((await editor.post('/admin/incidents/NOPE1/edit', { name: 'x', impact: 'minor' }, { formPage: '/admin' })).statusCode, 404)
  app.herald.services.maintenances.schedule({ name: 'Upgrade', body: 'b', reference: 'MNT1', scheduledFor: '2099-01-01T00:00:00Z', scheduledUntil: '2099-01-01T02:00:00Z' }, 'cli')
  const maintenance = await editor.post('/admin/incidents/MNT1/edit', { name: 'x', impact: 'minor' }, { formPage: '/admin' })
  t.equal(maintenance.headers.location, '/admin/maintenances/MNT1', 'a maintenance is changed on its own page')
  t.equal(app.herald.services.maintenances.get('MNT1').name, 'Upgrade')
})

t.test('an update can be backdated in the operator\'s time zone, never into the future', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  const { incidents } = app.herald.services
  incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916' }, 'cli')
  clock.set('2020-02-03T16:00:00.000Z')
  const formPage = { formPage: '/admin/incidents/TM202916' }
  const page = await editor.get('/admin/incidents/TM202916')
  t.match(page.body, /<input id="displayAt" name="displayAt" type="datetime-local" value="" aria-describedby="displayAt-hint timeZone-hint">/)
  // The maintenance forms' zone field: UTC as the page is sent, the browser's once admin-time-zone.js has run.
  t.match(page.body, /Time zone: <strong data-time-zone-name>UTC<\/strong><\/p>\s*<input type="hidden" id="timeZone" name="timeZone" value="UTC" data-time-zone data-zone-auto>/)
  t.match(page.body, /<script src="\/static\/admin-time-zone\.js\?v=[^"]+" defer><\/script>/)
  t.match(page.body, /In the time zone below; stored in UTC\. Left empty, the update is shown at the time it is posted/)
  t.notMatch(page.body, /displayZone|data-display-zone/, 'no offset field any more')

  const post = async (fields: FormFields): Promise<Awaited<ReturnType<typeof editor.post>>> =>
    await editor.post('/admin/incidents/TM202916/updates', { from: 'incident', status: 'identified', body: 'Found it.', notify: '1', ...fields }, formPage)
  // New York (UTC-5 in February): 09:30 there is 14:30 UTC.
  t.equal((await post({ displayAt: '2020-02-03T09:30', timeZone: 'America/New_York' })).statusCode, 303)
  t.match(incidents.get('TM202916').updates[0], { displayAt: '2020-02-03T14:30:00.000Z', createdAt: '2020-02-03T16:00:00.000Z' })
  // Without a script (no zone, or an empty one): UTC; a space for the T and seconds are fine.
  t.equal((await post({ displayAt: '2020-02-03 15:00:30', timeZone: '' })).statusCode, 303)
  t.equal(incidents.get('TM202916').updates[0]?.displayAt, '2020-02-03T15:00:30.000Z')
  t.equal((await post({ displayAt: '2020-02-03T15:10' })).statusCode, 303)
  t.equal(incidents.get('TM202916').updates[0]?.displayAt, '2020-02-03T15:10:00.000Z')
  // Tokyo (UTC+9): the next day there.
  t.equal((await post({ displayAt: '2020-02-04T00:45', timeZone: 'Asia/Tokyo' })).statusCode, 303)
  t.equal(incidents.get('TM202916').updates[0]?.displayAt, '2020-02-03T15:45:00.000Z')
  t.match((await editor.get('/admin/incidents/TM202916')).body, /<span class="edited-note">Posted 3 Feb 2020, 16:00 UTC<\/span>/, 'the timeline says when a backdated update was posted')
  t.equal((await post({ displayAt: '', timeZone: 'Asia/Tokyo' })).statusCode, 303, 'empty: now')
  t.equal(incidents.get('TM202916').updates[0]?.displayAt, '2020-02-03T16:00:00.000Z')

  const cases: Array<{ what: string, fields: FormFields, field: string, message: RegExp }> = [
    { what: 'a time in the future', fields: { displayAt: '2030-01-01T00:00' }, field: 'displayAt', message: /^This time is in the future/ },
    { what: 'two minutes ahead, in the typed zone', fields: { displayAt: '2020-02-03T11:02', timeZone: 'America/New_York' }, field: 'displayAt', message: /^This time is in the future/ },
    { what: 'before the incident started', fields: { displayAt: '2020-02-03T13:00' }, field: 'displayAt', message: /before TM202916 started/ },
    { what: 'a day that does not exist', fields: { displayAt: '2020-02-30T10:00' }, field: 'displayAt', message: /^This date and time do not exist: check the day and the hour\.$/ },
    { what: 'a time the clocks skip', fields: { displayAt: '2020-03-08T02:30', timeZone: 'America/New_York' }, field: 'displayAt', message: /^This time does not exist in America\/New_York: the clocks go forward over it\./ },
    { what: 'words', fields: { displayAt: 'yesterday' }, field: 'displayAt', message: /^Give a date and a time/ },
    { what: 'a control character', fields: { displayAt: '2020-02-03T10:00\u0000' }, field: 'displayAt', message: /^Give a date and a time/ },
    { what: 'a bidi override', fields: { displayAt: '\u202E2020-02-03T10:00' }, field: 'displayAt', message: /^Give a date and a time/ },
    { what: 'HTML', fields: { displayAt: '<script>alert(1)</script>' }, field: 'displayAt', message: /^Use at most 23 characters\.$/ },
    { what: 'a huge value', fields: { displayAt: '2'.repeat(100_000) }, field: 'displayAt', message: /^Use at most 23 characters\.$/ },
    { what: 'an unknown zone', fields: { displayAt: '2020-02-03T14:00', timeZone: 'Mars/Olympus_Mons' }, field: 'timeZone', message: /^Herald does not know this time zone\. Reload the page, or type the times in UTC\.$/ },
    { what: 'an offset, which follows no daylight saving', fields: { displayAt: '2020-02-03T14:00', timeZone: '+01:00' }, field: 'timeZone', message: /^Herald does not know this time zone/ },
    { what: 'an unknown zone with no time typed', fields: { displayAt: '', timeZone: 'EST5EDT<script>' }, field: 'timeZone', message: /^Herald does not know this time zone/ },
    { what: 'a zone with a bidi override', fields: { displayAt: '2020-02-03T14:00', timeZone: '\u202EUTC' }, field: 'timeZone', message: /^Herald does not know this time zone/ },
    { what: 'a huge zone', fields: { displayAt: '2020-02-03T14:00', timeZone: 'A'.repeat(100_000) }, field: 'timeZone', message: /^Use at most 64 characters\.$/ }
  ]
  const before = counts(app)
  for (const { what, fields, field, message } of cases) {
    const refused = await post(fields)
    t.equal(refused.statusCode, 400, what)
    t.match(fieldError(refused.body, field), message, `${what}: said next to the field`)
    if (field === 'displayAt') t.ok(markedInvalid(refused.body, 'displayAt'), `${what}: marked invalid`)
    t.equal(textareaValue(refused.body, 'body'), 'Found it.', `${what}: the message is kept`)
    t.notMatch(refused.body, /<script>alert/, `${what}: escaped`)
    t.same(counts(app), before, `${what}: nothing stored`)
  }
})

t.test('a backdated update is read with the zone\'s offset at the typed time, not now, and sent back in the zone it was typed in', async (t) => {
  // Daylight saving began in New York at 2020-03-08 07:00 UTC (02:00 there went to 03:00): it is summer time now.
  const clock = new TestClock('2020-03-08T05:00:00.000Z')
  const app = await build(t, { clock })
  const { incidents } = app.herald.services
  incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916' }, 'cli')
  clock.set('2020-03-08T18:00:00.000Z')
  const { editor } = await withUsers(app)
  const post = async (fields: FormFields): Promise<Awaited<ReturnType<typeof editor.post>>> =>
    await editor.post('/admin/incidents/TM202916/updates', { status: 'identified', body: 'Found it.', ...fields }, { formPage: '/admin/incidents/TM202916' })
  t.equal((await post({ displayAt: '2020-03-08T01:30', timeZone: 'America/New_York' })).statusCode, 303)
  t.equal(incidents.get('TM202916').updates[0]?.displayAt, '2020-03-08T06:30:00.000Z', 'winter time (UTC-5) before the change')
  t.equal((await post({ displayAt: '2020-03-08T09:00', timeZone: 'America/New_York' })).statusCode, 303)
  t.equal(incidents.get('TM202916').updates[0]?.displayAt, '2020-03-08T13:00:00.000Z', 'summer time (UTC-4) after it')
  // A zone spelt another way is shown back by its canonical name, and left alone by the script (no data-zone-auto).
  const refused = await post({ displayAt: '2020-03-08T02:30', timeZone: 'america/new_york' })
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /<input type="hidden" id="timeZone" name="timeZone" value="America\/New_York" data-time-zone>/)
  t.match(refused.body, /Time zone: <strong data-time-zone-name>America\/New_York<\/strong>/)
  t.equal(inputValue(refused.body, 'displayAt'), '2020-03-08T02:30', 'the time as typed')
  // An unknown zone: UTC is shown, with the message next to the zone, and the time is kept to send again.
  const unknown = await post({ displayAt: '2020-03-08T10:00', timeZone: 'Mars/Olympus_Mons' })
  t.match(unknown.body, /<input type="hidden" id="timeZone" name="timeZone" value="UTC" data-time-zone>/)
  t.match(unknown.body, /aria-describedby="displayAt-hint timeZone-hint timeZone-error"/)
  t.equal(incidents.get('TM202916').updates.length, 3, 'nothing more stored')
})

t.test('without a social channel, the forms show no social post text, social preview or "Post to social channels" tick', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  app.herald.services.incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916' }, 'cli')
  app.herald.services.maintenances.schedule({ name: 'Upgrade', body: 'b', reference: 'MNT1', scheduledFor: '2099-01-01T00:00:00Z', scheduledUntil: '2099-01-01T02:00:00Z' }, 'cli')
  for (const url of ['/admin/incidents/new', '/admin/incidents/TM202916', '/admin', '/admin/maintenances/new', '/admin/maintenances/MNT1']) {
    const page = (await editor.get(url)).body
    t.notMatch(page, /name="postText"/, `${url}: no social post text`)
    t.notMatch(page, /Post to social channels/, `${url}: no tick`)
    t.notMatch(page, /data-preview-post>/, `${url}: no social preview`)
    t.notMatch(page, /Counted as Twitter\/X counts/, url)
    t.match(page, /<input type="hidden" name="notify" value="1">/, `${url}: updates are still marked to notify, for a channel added later`)
  }
  t.match((await editor.get('/admin/incidents/new')).body, /data-preview-html>/, 'the page preview stays')
  const html = (await editor.get('/admin/incidents/TM202916')).body
  t.equal((html.match(/Cross-posting is off/g) ?? []).length, 1, 'said once, in the timeline')
  t.match(html, /<p class="field-hint deliveries-off">Cross-posting is off: updates are not posted to social channels\.<\/p>/)
  t.notMatch(html, /class="deliveries"|Not posted to social channels/, 'no empty delivery lists')
  const response = await editor.post('/admin/incidents/TM202916/updates', { from: 'incident', status: 'identified', body: 'Found it.', notify: '1' }, { formPage: '/admin/incidents/TM202916' })
  t.equal(response.statusCode, 303)
  t.match(app.herald.services.incidents.get('TM202916').updates[0], { notify: true })
})
