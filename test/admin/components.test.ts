// The components pages: create, edit, group, reorder, set a status by hand, delete with history kept.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { TestClock, build } from '../fixtures/build.js'
import { all } from '../public/fixtures/html.js'
import { type FormFields, withUsers } from './fixtures/admin-session.js'
import { counts, fieldError, inputValue, markedInvalid, notice, selectedValue, textareaValue } from './fixtures/admin-forms.js'

const listPage = { formPage: '/admin/components' }

/** Component names in the order the public page shows them. */
async function publicOrder (app: FastifyInstance): Promise<string[]> {
  return all((await app.inject('/')).body, /<span class="component-name">([^<]*)<\/span>/)
}

/** Rows and groups of the admin list, in its order: "Name" for a component, "[Group]" for a group. */
function adminOrder (html: string): string[] {
  return [...html.matchAll(/<h2 class="group-name"><span class="visually-hidden">Group: <\/span>([^<]*)<\/h2>|<p class="row-name">([^<]*)<\/p>/g)]
    .map((match) => match[1] !== undefined ? `[${match[1]}]` : match[2] ?? '')
}

t.test('an editor creates components, in groups, and the public page shows them', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const empty = await editor.get('/admin/components')
  t.match(empty.body, /No components yet\./)
  for (const fields of [
    { name: 'Teams chat', description: 'Chat & channels', group: 'Microsoft Teams' },
    { name: '  Status API  ', description: '', group: '' },
    { name: 'Calls', description: '', group: ' microsoft teams ' }
  ]) {
    const response = await editor.post('/admin/components', fields, listPage)
    t.equal(response.statusCode, 303)
    t.equal(response.headers.location, '/admin/components')
  }
  const page = await editor.get('/admin/components')
  t.equal(notice(page.body), '“Calls” is added.')
  t.same(adminOrder(page.body), ['[Microsoft Teams]', 'Teams chat', 'Calls', 'Status API'])
  t.match(page.body, /<p class="row-description">Chat &amp; channels<\/p>/)
  t.match(page.body, /<datalist id="group-names"><option value="Microsoft Teams"><\/datalist>/)
  t.same(await publicOrder(app), ['Teams chat', 'Calls', 'Status API'])
  t.match(app.herald.stores.audit.list(1)[0], { action: 'component.create', actor: 'user:bob' })
  t.equal(app.herald.services.components.list()[2]?.name, 'Status API', 'spaces around a name are dropped')
})

t.test('every bad input on the component forms is named next to its field and stores nothing', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const chat = app.herald.services.components.create({ name: 'Teams chat', description: 'd', group: 'Teams' }, 'cli')
  const valid: FormFields = { name: 'New one', description: '', group: '' }
  const cases: Array<{ what: string, fields: FormFields, field: string, message: RegExp }> = [
    { what: 'an empty name', fields: { name: '' }, field: 'name', message: /^This field is required\.$/ },
    { what: 'a name of spaces', fields: { name: '    ' }, field: 'name', message: /^This field is required\.$/ },
    { what: 'too long a name', fields: { name: 'n'.repeat(201) }, field: 'name', message: /^Use at most 200 characters\.$/ },
    { what: 'a control character in the name', fields: { name: 'a\u0000b' }, field: 'name', message: /without control characters/ },
    { what: 'too long a description', fields: { description: 'd'.repeat(1001) }, field: 'description', message: /^Use at most 1000 characters\.$/ },
    { what: 'a control character in the description', fields: { description: 'bell\u0007' }, field: 'description', message: /control characters/ },
    { what: 'too long a group', fields: { group: 'g'.repeat(101) }, field: 'group', message: /^Use at most 100 characters\.$/ },
    { what: 'a control character in the group', fields: { group: 'G\u001b[31m' }, field: 'group', message: /without control characters/ }
  ]
  const before = counts(app)
  for (const { what, fields, field, message } of cases) {
    const sent = { ...valid, ...fields }
    const created = await editor.post('/admin/components', sent, listPage)
    t.equal(created.statusCode, 400, `create, ${what}: status`)
    t.match(fieldError(created.body, field), message, `create, ${what}: message next to the field`)
    t.ok(markedInvalid(created.body, field), `create, ${what}: marked invalid`)
    t.same(counts(app), before, `create, ${what}: nothing stored`)
    if (!/\u0000/.test(String(sent.name))) t.equal(inputValue(created.body, 'name'), String(sent.name).trim(), `create, ${what}: the name is kept`)

    const edited = await editor.post(`/admin/components/${chat.id}`, { ...sent, status: 'operational' }, { formPage: `/admin/components/${chat.id}` })
    t.equal(edited.statusCode, 400, `edit, ${what}: status`)
    t.match(fieldError(edited.body, field), message, `edit, ${what}: message next to the field`)
    t.same(counts(app), before, `edit, ${what}: nothing stored`)
  }
  const badStatus = await editor.post(`/admin/components/${chat.id}`, { name: 'Renamed', status: 'on_fire' }, { formPage: `/admin/components/${chat.id}` })
  t.equal(badStatus.statusCode, 400)
  t.equal(fieldError(badStatus.body, 'status'), 'Choose one of the statuses.')
  t.equal(inputValue(badStatus.body, 'name'), 'Renamed', 'what was typed is kept')
  t.match(app.herald.services.components.get(chat.id), { name: 'Teams chat', description: 'd', groupName: 'Teams', status: 'operational' }, 'nothing changed')
  t.same(counts(app), before)

  const html = await editor.post('/admin/components', { name: '<script>alert(1)</script>', description: '<img src=x onerror=alert(2)>', group: '<b>g</b>' }, listPage)
  t.equal(html.statusCode, 303, 'HTML is text, stored as typed')
  const list = await editor.get('/admin/components')
  t.notMatch(list.body, /<script>alert|<img src=x|<b>g/)
  t.match(list.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
})

t.test('a second component with the same name in a group gets a message next to the name (409), and nothing is stored', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const chat = app.herald.services.components.create({ name: 'Teams chat', group: 'Teams' }, 'cli')
  const calls = app.herald.services.components.create({ name: 'Calls', group: 'Teams' }, 'cli')
  const before = counts(app)
  const created = await editor.post('/admin/components', { name: ' TEAMS  CHAT ', description: 'again', group: 'teams' }, listPage)
  t.equal(created.statusCode, 409)
  t.match(fieldError(created.body, 'name'), /^Another component of this group has this name/)
  t.ok(markedInvalid(created.body, 'name'))
  t.equal(inputValue(created.body, 'name'), 'TEAMS  CHAT', 'what was typed is kept')
  t.same(counts(app), before, 'nothing stored')

  const renamed = await editor.post(`/admin/components/${calls.id}`, { name: 'teams chat', group: 'Teams', status: 'major_outage' }, { formPage: `/admin/components/${calls.id}` })
  t.equal(renamed.statusCode, 409)
  t.match(fieldError(renamed.body, 'name'), /^Another component of this group has this name/)
  t.match(app.herald.services.components.get(calls.id), { name: 'Calls', status: 'operational' }, 'not half saved: the status did not change either')
  t.same(counts(app), before)

  const elsewhere = await editor.post('/admin/components', { name: 'Teams chat', description: '', group: 'Office' }, listPage)
  t.equal(elsewhere.statusCode, 303, 'the same name in another group is fine')
  const self = await editor.post(`/admin/components/${chat.id}`, { name: 'Teams Chat', group: 'Teams', status: 'operational' }, { formPage: `/admin/components/${chat.id}` })
  t.equal(self.statusCode, 303, 'a component keeps its own name in another case')
})

t.test('editing renames, describes, regroups and sets the status by hand', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { components, incidents } = app.herald.services
  const chat = components.create({ name: 'Chat', group: 'Teams' }, 'cli')
  components.create({ name: 'Status API' }, 'cli')
  const form = await editor.get(`/admin/components/${chat.id}`)
  t.equal(inputValue(form.body, 'name'), 'Chat')
  t.equal(inputValue(form.body, 'group'), 'Teams')
  t.equal(selectedValue(form.body, 'status'), 'operational')

  const response = await editor.post(`/admin/components/${chat.id}`, { name: 'Teams chat', description: 'Chat and channels', group: 'Microsoft Teams', status: 'degraded_performance' }, { formPage: `/admin/components/${chat.id}` })
  t.equal(response.statusCode, 303)
  t.equal(notice((await editor.get('/admin/components')).body), '“Teams chat” is saved.')
  t.match(components.get(chat.id), { name: 'Teams chat', description: 'Chat and channels', groupName: 'Microsoft Teams', status: 'degraded_performance' })
  t.match(app.herald.stores.statusHistory.since('2000-01-01T00:00:00.000Z'), [{ componentId: chat.id, oldStatus: 'operational', newStatus: 'degraded_performance' }])
  t.match((await app.inject('/')).body, /Minor Service Outage/)

  await editor.post(`/admin/components/${chat.id}`, { name: 'Teams chat', description: '', group: '', status: 'degraded_performance' }, { formPage: `/admin/components/${chat.id}` })
  t.match(components.get(chat.id), { groupName: null, description: '' }, 'an empty group takes it out of its group')

  const quick = await editor.post(`/admin/components/${chat.id}/status`, { status: 'major_outage' }, listPage)
  t.equal(quick.statusCode, 303)
  t.equal(notice((await editor.get('/admin/components')).body), '“Teams chat” is now Major Outage.')
  t.equal(components.get(chat.id).status, 'major_outage')
  t.match(app.herald.stores.audit.list(1)[0], { action: 'component.edit', actor: 'user:bob', detail: { changes: { status: 'major_outage' } } })

  const before = counts(app)
  const bad = await editor.post(`/admin/components/${chat.id}/status`, { status: '<i>meh</i>' }, listPage)
  t.equal(bad.statusCode, 400)
  t.equal(fieldError(bad.body, `status-${chat.id}`), 'Choose one of the statuses.')
  t.ok(markedInvalid(bad.body, `status-${chat.id}`))
  t.notMatch(bad.body, /<i>meh/)
  t.same(counts(app), before)
  t.equal(components.get(chat.id).status, 'major_outage')

  incidents.open({ name: 'x', body: 'b' }, 'cli')
  t.equal((await editor.get('/admin/components/999')).statusCode, 404)
  t.equal((await editor.get('/admin/components/abc')).statusCode, 404)
  t.equal((await editor.post('/admin/components/999/status', { status: 'operational' }, listPage)).statusCode, 404)
})

t.test('"All operational" on a group sets each of its components operational in one audited write; an open incident touching them stays open, and the notice says so', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  const { components, incidents } = app.herald.services
  const chat = components.create({ name: 'Chat', group: 'Teams' }, 'cli')
  const calls = components.create({ name: 'Calls', group: 'Teams' }, 'cli')
  const meetings = components.create({ name: 'Meetings', group: 'Teams' }, 'cli')
  const web = components.create({ name: 'Website', group: 'Web' }, 'cli')
  const outlook = components.create({ name: 'Outlook' }, 'cli')
  const teams = chat.groupId as number
  const list = await editor.get('/admin/components')
  t.notMatch(list.body, /action="\/admin\/components\/groups\/\d+\/operational"/, 'no button while every group is operational')

  incidents.open({ name: 'Teams down', reference: 'TM202916', body: 'Looking.', components: { [chat.id]: 'major_outage', [calls.id]: 'partial_outage', [outlook.id]: 'major_outage' } }, 'cli')
  components.patch(web.id, { status: 'degraded_performance' }, 'cli')
  const shown = await editor.get('/admin/components')
  t.match(shown.body, new RegExp(`<form method="post" action="/admin/components/groups/${teams}/operational" class="group-operational">[\\s\\S]*?All operational<span class="visually-hidden">: every component of Teams</span>`))
  const before = counts(app)
  clock.set('2020-02-03T14:00:00.000Z')
  const done = await editor.post(`/admin/components/groups/${teams}/operational`, {}, listPage)
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, `/admin/components#group-${teams}`)
  t.equal(notice((await editor.get('/admin/components')).body),
    '2 components of “Teams” are now operational. TM202916 touches them and is still open: post a resolving update to tell readers it is over.')
  t.same([chat, calls, meetings, web, outlook].map((c) => components.get(c.id).status), ['operational', 'operational', 'operational', 'degraded_performance', 'major_outage'], 'only the group, nothing else')
  t.same(counts(app), { ...before, audit_log: (before.audit_log ?? 0) + 1, component_status_changes: (before.component_status_changes ?? 0) + 2 }, 'one audit entry, a history entry per component changed, no update')
  t.match(app.herald.stores.audit.list(1)[0], {
    actor: 'user:bob',
    action: 'group.operational',
    detail: { id: teams, name: 'Teams', changes: [{ id: chat.id, name: 'Chat', from: 'major_outage' }, { id: calls.id, name: 'Calls', from: 'partial_outage' }], openIncidents: ['TM202916'] }
  })
  t.match(app.herald.stores.statusHistory.since('2020-02-03T14:00:00.000Z'), [
    { componentId: chat.id, oldStatus: 'major_outage', newStatus: 'operational' },
    { componentId: calls.id, oldStatus: 'partial_outage', newStatus: 'operational' }
  ])
  t.match(incidents.get('TM202916'), { status: 'investigating', resolvedAt: null, updates: [{}] }, 'the incident is still open, with no update added')
  t.match((await app.inject('/')).body, /Teams down/, 'and still on the public page')

  const again = counts(app)
  t.equal((await editor.post(`/admin/components/groups/${teams}/operational`, {}, listPage)).statusCode, 303)
  t.equal(notice((await editor.get('/admin/components')).body), 'Every component of “Teams” was already operational. TM202916 touches them and is still open: post a resolving update to tell readers it is over.')
  t.same(counts(app), again, 'nothing to change: nothing stored')

  const webGroup = web.groupId as number
  t.equal((await editor.post(`/admin/components/groups/${webGroup}/operational`, {}, listPage)).statusCode, 303)
  t.equal(notice((await editor.get('/admin/components')).body), '1 component of “Web” is now operational.', 'no incident touches it')
  const unknown = counts(app)
  for (const id of ['999', 'abc', '-1']) t.equal((await editor.post(`/admin/components/groups/${id}/operational`, {}, listPage)).statusCode, 404, `group ${id}`)
  t.equal((await editor.post(`/admin/components/groups/${teams}/operational`, {}, { ...listPage, csrf: 'forged' })).statusCode, 403)
  t.same(counts(app), unknown, 'nothing stored')
})

t.test('move buttons reorder components inside a group and on the page, and groups with them', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { components } = app.herald.services
  const api = components.create({ name: 'Status API' }, 'cli')
  const chat = components.create({ name: 'Chat', group: 'Teams' }, 'cli')
  const calls = components.create({ name: 'Calls', group: 'Teams' }, 'cli')
  const web = components.create({ name: 'Website' }, 'cli')
  const move = async (url: string, direction: string): Promise<number> => (await editor.post(url, { direction }, listPage)).statusCode
  t.same(adminOrder((await editor.get('/admin/components')).body), ['Status API', '[Teams]', 'Chat', 'Calls', 'Website'])
  const first = await editor.get('/admin/components')
  t.match(first.body, '<button type="submit" class="button small icon" name="direction" value="up" disabled><span aria-hidden="true">↑</span><span class="visually-hidden">Move Status API up</span>', 'the first cannot move up')

  t.equal(await move(`/admin/components/${calls.id}/move`, 'up'), 303)
  t.same(await publicOrder(app), ['Status API', 'Calls', 'Chat', 'Website'], 'inside its group')
  t.equal(await move(`/admin/components/${web.id}/move`, 'up'), 303)
  t.same(await publicOrder(app), ['Status API', 'Website', 'Calls', 'Chat'], 'past a whole group')
  t.equal(await move(`/admin/components/${api.id}/move`, 'up'), 303)
  t.same(await publicOrder(app), ['Status API', 'Website', 'Calls', 'Chat'], 'the first stays first')
  const group = components.get(chat.id).groupId as number
  t.equal(await move(`/admin/components/groups/${group}/move`, 'up'), 303)
  t.same(await publicOrder(app), ['Status API', 'Calls', 'Chat', 'Website'])
  t.equal(await move(`/admin/components/groups/${group}/move`, 'up'), 303)
  t.same(adminOrder((await editor.get('/admin/components')).body), ['[Teams]', 'Calls', 'Chat', 'Status API', 'Website'])
  t.equal(await move(`/admin/components/${chat.id}/move`, 'down'), 303)
  t.same(await publicOrder(app), ['Calls', 'Chat', 'Status API', 'Website'], 'the last of its group stays last')
  t.match(app.herald.stores.audit.list(2), [{ action: 'component.move', detail: { direction: 'down' } }, { action: 'group.move', detail: { name: 'Teams' } }])

  const before = counts(app)
  t.equal(await move(`/admin/components/${chat.id}/move`, 'sideways'), 400)
  t.equal(await move('/admin/components/groups/999/move', 'up'), 404)
  t.equal(await move('/admin/components/999/move', 'up'), 404)
  t.same(counts(app), before)
})

t.test('deleting asks first, and past incidents keep the component', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { components, incidents } = app.herald.services
  const chat = components.create({ name: 'Teams chat', group: 'Teams' }, 'cli')
  components.create({ name: 'Status API' }, 'cli')
  incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'down', components: { [chat.id]: 'major_outage' } }, 'cli')
  incidents.postUpdate('TM202916', { status: 'resolved', body: 'fixed' }, 'cli')

  const confirm = await editor.get(`/admin/components/${chat.id}/delete`)
  t.equal(confirm.statusCode, 200)
  t.match(confirm.body, /<h1>Delete “<bdi>Teams chat<\/bdi>”\?<\/h1>/)
  t.match(confirm.body, /The 1 incident\(s\) that affected it keep naming it/)
  t.match(confirm.body, new RegExp(`<form method="post" action="/admin/components/${chat.id}/delete"`))
  t.ok(components.get(chat.id), 'asking deletes nothing')

  const response = await editor.post(`/admin/components/${chat.id}/delete`, {}, { formPage: `/admin/components/${chat.id}/delete` })
  t.equal(response.statusCode, 303)
  const list = await editor.get('/admin/components')
  t.equal(notice(list.body), '“Teams chat” is deleted. Past incidents still name it.')
  t.same(adminOrder(list.body), ['Status API'])
  t.same(await publicOrder(app), ['Status API'], 'gone from the public page')
  t.notMatch((await editor.get('/admin/incidents/new')).body, /Teams chat/, 'gone from the incident forms')
  t.match(app.herald.stores.audit.list(1)[0], { action: 'component.delete', actor: 'user:bob', detail: { name: 'Teams chat' } })

  const past = (await app.inject('/incidents/TM202916')).body
  t.match(past, /<dt>Affected<\/dt><dd><bdi>Teams chat<\/bdi><\/dd>/, 'the past incident still names it')
  t.match(past, /<bdi>Teams chat<\/bdi>: <span class="status-operational">Operational<\/span> <span aria-hidden="true">→<\/span><span class="visually-hidden">changed to<\/span> <span class="status-major-outage">Major Outage<\/span>/)
  t.match((await editor.get('/admin/incidents/TM202916')).body, /<bdi>Teams chat<\/bdi> <span class="muted">\(deleted\)<\/span>/)

  const before = counts(app)
  t.equal((await editor.post(`/admin/components/${chat.id}/delete`, {}, listPage)).statusCode, 404, 'twice is not found')
  t.equal((await editor.get(`/admin/components/${chat.id}`)).statusCode, 404)
  t.equal((await editor.post(`/admin/components/${chat.id}`, { name: 'back', status: 'operational' }, listPage)).statusCode, 404)
  t.same(counts(app), before)
})

t.test('anonymous requests and forged forms change nothing', async (t) => {
  const app = await build(t)
  const { anonymous, admin } = await withUsers(app)
  const chat = app.herald.services.components.create({ name: 'Chat' }, 'cli')
  t.equal((await anonymous.get('/admin/components')).statusCode, 302)
  t.equal((await anonymous.get(`/admin/components/${chat.id}/delete`)).statusCode, 302)
  const before = counts(app)
  const form = { formPage: '/admin/sign-in' }
  for (const [url, fields] of [
    ['/admin/components', { name: 'x' }],
    [`/admin/components/${chat.id}`, { name: 'x', status: 'operational' }],
    [`/admin/components/${chat.id}/status`, { status: 'major_outage' }],
    [`/admin/components/${chat.id}/move`, { direction: 'up' }],
    [`/admin/components/${chat.id}/delete`, {}]
  ] as const) {
    t.equal((await anonymous.post(url, fields, form)).statusCode, 401, url)
    t.equal((await admin.post(url, fields, { csrf: 'forged' })).statusCode, 403, `${url} without a valid token`)
  }
  t.same(counts(app), before)
  t.match(app.herald.services.components.get(chat.id), { name: 'Chat', status: 'operational' })
  t.equal(textareaValue((await admin.get(`/admin/components/${chat.id}`)).body, 'description'), '')
})

t.test('a form sent as JSON with values of the wrong type gets the same messages beside the fields, and nothing is stored', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const csrf = await admin.csrfToken('/admin/components')
  const before = counts(app)
  const response = await app.inject({
    method: 'POST',
    url: '/admin/components',
    headers: { 'x-forwarded-proto': 'https', cookie: admin.cookie, 'content-type': 'application/json' },
    payload: { _csrf: csrf, name: 42, description: ['a', 'b'], group: null }
  })
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], /^text\/html/)
  t.ok(fieldError(response.body, 'name'), 'the name has its message')
  t.equal(fieldError(response.body, 'description'), 'Leave out control characters (tabs and line breaks are fine).')
  t.same(counts(app), before, 'nothing stored')
})
