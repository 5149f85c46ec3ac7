// The admin's draft incidents: "Save as draft" on the new-incident form, the drafts list, a draft's page (save, publish, discard), the dashboard's box.
import t from 'tap'
import { build } from '../fixtures/build.js'
import { type FormFields, withUsers } from './fixtures/admin-session.js'
import { fieldError, inputValue, markedInvalid, notice, selectedValue, textareaValue } from './fixtures/admin-forms.js'
import { storedRows } from '../fixtures/stored.js'

const newForm = { formPage: '/admin/incidents/new' }
const certificate = { name: 'Sign-in failing', status: 'investigating', impact: '', body: 'An authentication certificate expired.' }

t.test('an editor saves a draft: nothing public, no reference taken; changes it and publishes it', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const chat = app.herald.services.components.create({ name: 'Teams chat' }, 'cli')
  const { counters } = app.herald.stores
  const version = counters.get('content_version')

  const form = await editor.get('/admin/incidents/new')
  t.match(form.body, /<button type="submit" class="button" formaction="\/admin\/drafts">Save as draft<\/button>/)
  const saved = await editor.post('/admin/drafts', { ...certificate, [`component-${chat.id}`]: 'major_outage' }, newForm)
  t.equal(saved.statusCode, 303)
  const [draft] = app.herald.services.drafts.list()
  if (draft === undefined) throw new Error('no draft saved')
  t.equal(saved.headers.location, `/admin/drafts/${draft.id}`)
  t.match(draft, { name: 'Sign-in failing', status: 'investigating', impact: null, components: { [chat.id]: 'major_outage' }, createdBy: 'user:bob' })
  t.equal(counters.get('content_version'), version, 'the content version stays')
  t.equal(counters.get('reference_sequence'), 0, 'no reference taken')
  t.equal(app.herald.services.components.get(chat.id).status, 'operational')

  const page = await editor.get(`/admin/drafts/${draft.id}`)
  t.equal(page.statusCode, 200)
  t.equal(notice(page.body), 'Draft saved. Nothing is public until you publish it.')
  t.equal(inputValue(page.body, 'name'), 'Sign-in failing')
  t.equal(textareaValue(page.body, 'body'), 'An authentication certificate expired.')
  t.equal(selectedValue(page.body, `component-${chat.id}`), 'major_outage')
  t.match(page.body, /Saved by <bdi>bob<\/bdi>/)
  t.match(page.body, new RegExp(`formaction="/admin/drafts/${draft.id}/publish">Publish</button>`))
  t.match(page.body, new RegExp(`href="/admin/drafts/${draft.id}/discard">Discard</a>`))
  t.notMatch(page.body, /<option value="resolved"/, 'a draft is not resolved')

  const list = await editor.get('/admin/drafts')
  t.match(list.body, new RegExp(`<a href="/admin/drafts/${draft.id}"><bdi>Sign-in failing</bdi></a>`))
  t.match(list.body, /<td><bdi>bob<\/bdi><\/td>/)
  t.match((await editor.get('/admin/incidents')).body, /href="\/admin\/drafts">Drafts<\/a>/)

  const changed = await editor.post(`/admin/drafts/${draft.id}`, { ...certificate, name: 'Sign-in down', status: 'identified', impact: 'critical' }, { formPage: `/admin/drafts/${draft.id}` })
  t.equal(changed.statusCode, 303)
  t.match(app.herald.services.drafts.get(draft.id), { name: 'Sign-in down', status: 'identified', impact: 'critical', components: {} })
  t.equal(counters.get('content_version'), version)

  const published = await editor.post(`/admin/drafts/${draft.id}/publish`, {
    ...certificate, name: 'Teams sign-in down', reference: 'TM202916', [`component-${chat.id}`]: 'partial_outage', notify: '1'
  }, { formPage: `/admin/drafts/${draft.id}` })
  t.equal(published.statusCode, 303)
  t.equal(published.headers.location, '/admin/incidents/TM202916')
  t.equal(notice((await editor.get('/admin/incidents/TM202916')).body), 'Draft published: incident TM202916 is open.')
  t.match(app.herald.services.incidents.get('TM202916'), { name: 'Teams sign-in down', status: 'investigating', components: [{ id: chat.id }] })
  t.ok(counters.get('content_version') > version, 'publishing is public')
  t.same(app.herald.services.drafts.list(), [])
  t.match(app.herald.stores.audit.list(2), [{ action: 'draft.publish', actor: 'user:bob' }, { action: 'incident.open', actor: 'user:bob' }])

  const again = await editor.post(`/admin/drafts/${draft.id}/publish`, certificate, { formPage: '/admin/drafts' })
  t.equal(again.statusCode, 404, 'published twice: the draft is gone')
  t.equal((await editor.get(`/admin/drafts/${draft.id}`)).statusCode, 404)
})

t.test('the dashboard lists drafts with a one-click Publish; a monitor is named as their maker with its notes', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const { drafts } = app.herald.services
  t.notMatch((await admin.get('/admin')).body, /id="drafts-heading"/, 'no box without drafts')
  const { db } = app.herald.stores
  const monitorId = Number(db.prepare(`INSERT INTO monitors (name, kind, settings, interval_s, timeout_ms, state_since, created_at, updated_at)
    VALUES ('sign-in', 'http', '{}', 60, 1000, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')`).run().lastInsertRowid)
  const mine = drafts.create({ name: 'sign-in is down', body: 'status 500, expected 200-299' }, 'monitor:sign-in', { monitorId, note: 'down at 08:30' })
  drafts.addNote(mine.id, 'recovered at <b>09:10</b>')
  const other = drafts.create({ name: 'Calls', body: 'b' }, 'user:alice')

  const dashboard = await admin.get('/admin')
  t.match(dashboard.body, /<h2 id="drafts-heading">Drafts <span class="count">\(2\)<\/span><\/h2>/)
  t.match(dashboard.body, /by <bdi>monitor sign-in<\/bdi>/)
  t.match(dashboard.body, /down at 08:30; recovered at &lt;b&gt;09:10&lt;\/b&gt;/)
  t.match(dashboard.body, new RegExp(`<form method="post" action="/admin/drafts/${mine.id}/publish" class="inline-form">`))
  t.match((await admin.get('/admin/drafts')).body, /down at 08:30<br>recovered at &lt;b&gt;09:10&lt;\/b&gt;/)

  const published = await admin.post(`/admin/drafts/${mine.id}/publish`, { from: 'dashboard' }, { formPage: '/admin' })
  t.equal(published.statusCode, 303)
  const [incident] = app.herald.services.reads.admin.dashboard(5).openIncidents
  t.match(incident, { name: 'sign-in is down', updates: [{ body: 'status 500, expected 200-299' }] })
  t.equal(published.headers.location, `/admin/incidents/${incident?.reference ?? ''}`)
  t.same(drafts.list().map((draft) => draft.id), [other.id])
  t.match((await admin.get('/admin')).body, /Drafts <span class="count">\(1\)<\/span>/)

  // A one-click publish that is refused (its component was deleted since) goes to the draft's page, which says why.
  const chat = app.herald.services.components.create({ name: 'Teams chat' }, 'cli')
  drafts.update(other.id, { name: 'Calls', body: 'b', components: { [chat.id]: 'major_outage' } }, 'cli')
  app.herald.services.components.remove(chat.id, 'cli')
  const before = storedRows(db)
  const refused = await admin.post(`/admin/drafts/${other.id}/publish`, { from: 'dashboard' }, { formPage: '/admin' })
  t.same(storedRows(db), before, 'nothing stored')
  t.equal(refused.headers.location, `/admin/drafts/${other.id}`)
  t.match(notice((await admin.get(`/admin/drafts/${other.id}`)).body), /^Nothing was saved: components: no component with id/)
  t.equal(drafts.get(other.id).name, 'Calls', 'the draft stays')
})

t.test('discarding asks first, then removes the draft', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const draft = app.herald.services.drafts.create({ name: '<script>alert(1)</script>', body: 'b' }, 'user:bob')
  const confirm = await editor.get(`/admin/drafts/${draft.id}/discard`)
  t.equal(confirm.statusCode, 200)
  t.match(confirm.body, /<h2 id="discard-heading"><bdi>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/bdi><\/h2>/)
  t.match(confirm.body, /<button type="submit" class="button danger">Discard the draft<\/button>/)
  t.equal(app.herald.services.drafts.list().length, 1, 'asking discards nothing')
  const discarded = await editor.post(`/admin/drafts/${draft.id}/discard`, {}, { formPage: `/admin/drafts/${draft.id}/discard` })
  t.equal(discarded.statusCode, 303)
  t.equal(discarded.headers.location, '/admin/drafts')
  const list = await editor.get('/admin/drafts')
  t.equal(notice(list.body), 'The draft “<script>alert(1)</script>” is discarded.')
  t.match(list.body, /No drafts\./)
  t.match(app.herald.stores.audit.list(1)[0], { action: 'draft.discard', actor: 'user:bob' })
  t.equal((await editor.post(`/admin/drafts/${draft.id}/discard`, {}, { formPage: '/admin/drafts' })).statusCode, 404)
  t.equal((await editor.get(`/admin/drafts/${draft.id}/discard`)).statusCode, 404)
  for (const id of ['0', '007', 'abc', '99999999999999999999']) t.equal((await editor.get(`/admin/drafts/${id}`)).statusCode, id.length > 20 ? 400 : 404, id)
})

t.test('bad input on the draft forms is named next to its field, shown escaped, and stores nothing', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const chat = app.herald.services.components.create({ name: 'Teams chat' }, 'cli')
  app.herald.services.incidents.open({ name: 'Taken', body: 'b', reference: 'TM202916' }, 'cli')
  const draft = app.herald.services.drafts.create({ name: 'Mine', body: 'Mine body' }, 'user:alice')
  const breaker = '"><script>alert(1)</script>[x](javascript:alert(2))'
  const cases: Array<{ what: string, fields: FormFields, field: string, message: RegExp, on?: Array<'create' | 'save' | 'publish'> }> = [
    { what: 'no name', fields: { name: undefined }, field: 'name', message: /^This field is required\.$/ },
    { what: 'an empty message', fields: { body: '' }, field: 'body', message: /^This field is required\.$/ },
    { what: 'a control character in the name', fields: { name: 'a\u0001' }, field: 'name', message: /without control characters/ },
    { what: 'a bidi override alone as the name', fields: { name: '\u202E' }, field: 'name', message: /visible text/ },
    { what: 'too long a name', fields: { name: 'n'.repeat(201) }, field: 'name', message: /^Use at most 200 characters\.$/ },
    { what: 'too long a message', fields: { body: 'b'.repeat(20_001) }, field: 'body', message: /^Use at most 20000 characters\.$/ },
    { what: 'a control character in the message', fields: { body: 'x\u007f' }, field: 'body', message: /no control characters/ },
    { what: 'resolved', fields: { status: 'resolved' }, field: 'status', message: /^A draft cannot be resolved/ },
    { what: 'an unknown status', fields: { status: 'on_fire' }, field: 'status', message: /^Choose one of the statuses\.$/ },
    { what: 'an unknown impact', fields: { impact: 'huge' }, field: 'impact', message: /^Choose one of the impacts\.$/ },
    { what: 'an unknown component', fields: { 'component-999': 'major_outage' }, field: 'components', message: /no component with id 999/ },
    { what: 'a status no component has', fields: { [`component-${chat.id}`]: 'on_fire' }, field: `component-${chat.id}`, message: /^Choose one of the statuses\.$/ },
    { what: 'a reference, when saving', fields: { reference: 'AB1234' }, field: 'reference', message: /^A draft takes its reference when it is published/, on: ['create', 'save'] },
    { what: 'a reference in use, when publishing', fields: { reference: 'tm202916' }, field: 'reference', message: /^TM202916 is already used by “Taken”\.$/, on: ['publish'] },
    { what: 'a bad reference', fields: { reference: 'TM-1' }, field: 'reference', message: /letters and digits/ },
    { what: '{component} with no component chosen', fields: { name: '{component} down' }, field: 'components', message: /^Choose the affected components/ }
  ]
  const before = storedRows(app.herald.stores.db)
  const urls = { create: '/admin/drafts', save: `/admin/drafts/${draft.id}`, publish: `/admin/drafts/${draft.id}/publish` }
  for (const { what, fields, field, message, on } of cases) {
    for (const where of on ?? ['create', 'save', 'publish'] as const) {
      const sent = { name: breaker, status: 'investigating', body: breaker, ...fields }
      const response = await admin.post(urls[where], sent, { formPage: where === 'create' ? '/admin/incidents/new' : urls.save })
      t.equal(response.statusCode, 400, `${where}, ${what}: status`)
      t.match(fieldError(response.body, field), message, `${where}, ${what}: message next to the field`)
      if (!field.startsWith('component')) t.ok(markedInvalid(response.body, field), `${where}, ${what}: marked invalid`)
      t.notMatch(response.body, /<script>alert/, `${where}, ${what}: escaped`)
      if (!('name' in fields)) t.equal(inputValue(response.body, 'name'), breaker, `${where}, ${what}: the name is kept`)
    }
  }
  // Without cross-posting the form has no post text field: a post text sent anyway is refused above the form.
  for (const where of ['create', 'save'] as const) {
    const response = await admin.post(urls[where], { ...certificate, postText: 'Custom' }, { formPage: urls.save })
    t.equal(response.statusCode, 400)
    t.match(response.body, /<p class="form-error" role="alert">The post text is chosen when the draft is published/)
  }
  t.same(storedRows(app.herald.stores.db), before, 'nothing stored')
  t.match(app.herald.services.drafts.get(draft.id), { name: 'Mine', body: 'Mine body' })

  // What was stored is text wherever it is shown.
  const stored = await admin.post('/admin/drafts', { name: breaker, status: 'investigating', body: breaker }, newForm)
  t.equal(stored.statusCode, 303)
  for (const url of ['/admin', '/admin/drafts', stored.headers.location as string]) {
    const page = await admin.get(url)
    t.notMatch(page.body, /<script>alert|href="javascript/, `${url}: escaped`)
  }
})

t.test('a name that {component} makes too long is refused by the service, beside the name', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const chat = app.herald.services.components.create({ name: 'Teams chat and calls' }, 'cli')
  const draft = app.herald.services.drafts.create({ name: 'Mine', body: 'b' }, 'user:bob')
  const long = { ...certificate, name: `${'x'.repeat(185)} {component}`, [`component-${chat.id}`]: 'major_outage' }
  const before = storedRows(app.herald.stores.db)
  for (const url of ['/admin/drafts', `/admin/drafts/${draft.id}`, `/admin/drafts/${draft.id}/publish`]) {
    const response = await editor.post(url, long, { formPage: `/admin/drafts/${draft.id}` })
    t.equal(response.statusCode, 400, url)
    t.match(fieldError(response.body, 'name'), /^Nothing was saved: name must be one line of 1 to 200 characters/, url)
    t.equal(inputValue(response.body, 'name'), long.name, `${url}: as typed`)
  }
  t.same(storedRows(app.herald.stores.db), before)
})

t.test('a draft page previews the post and saves nothing', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const draft = app.herald.services.drafts.create({ name: 'Preview me', body: 'Body text' }, 'user:bob')
  const preview = await editor.post(`/admin/drafts/${draft.id}`, { ...certificate, name: 'Previewed', preview: '1' }, { formPage: `/admin/drafts/${draft.id}` })
  t.equal(preview.statusCode, 200)
  t.match(preview.body, /Previewed/)
  t.match(preview.body, /HR000001/, 'the reference it would take')
  t.match(app.herald.services.drafts.get(draft.id), { name: 'Preview me' }, 'a preview saves nothing')
})

t.test('signed out: pages send to sign-in, forms get 401; forged forms get 403', async (t) => {
  const app = await build(t)
  const { anonymous, editor } = await withUsers(app)
  const draft = app.herald.services.drafts.create({ name: 'Mine', body: 'b' }, 'user:bob')
  for (const url of ['/admin/drafts', `/admin/drafts/${draft.id}`, `/admin/drafts/${draft.id}/discard`]) {
    const response = await anonymous.get(url)
    t.equal(response.statusCode, 302, url)
    t.match(response.headers.location, /^\/admin\/sign-in\?next=/)
  }
  const before = storedRows(app.herald.stores.db)
  for (const url of ['/admin/drafts', `/admin/drafts/${draft.id}`, `/admin/drafts/${draft.id}/publish`, `/admin/drafts/${draft.id}/discard`]) {
    t.equal((await anonymous.post(url, certificate, { formPage: '/admin/sign-in' })).statusCode, 401, url)
    t.equal((await editor.post(url, certificate, { csrf: null })).statusCode, 403, `${url} without a token`)
  }
  t.same(storedRows(app.herald.stores.db), before)
})
