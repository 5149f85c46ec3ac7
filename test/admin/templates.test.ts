// The incident templates page: create, edit and delete presets, with bad input refused and HTML shown as text.
import t from 'tap'
import { ConflictError, NotFoundError } from '../../server/services/errors.js'
import { fillPlaceholder } from '../../server/services/template-service.js'
import { build } from '../fixtures/build.js'
import { type FormFields, withUsers } from './fixtures/admin-session.js'
import { counts, fieldError, inputValue, markedInvalid, notice, textareaValue } from './fixtures/admin-forms.js'

const listPage = { formPage: '/admin/templates' }
const unreachable = {
  name: 'Unreachable',
  title: 'Users may be unable to access {component}',
  body: "We're investigating an issue where users may be unable to access {component}."
}

t.test('an editor creates, edits and deletes templates', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  t.match((await editor.get('/admin/templates')).body, /No templates yet\./)

  const created = await editor.post('/admin/templates', unreachable, listPage)
  t.equal(created.statusCode, 303)
  t.equal(created.headers.location, '/admin/templates')
  const list = await editor.get('/admin/templates')
  t.equal(notice(list.body), 'The template “Unreachable” is added.')
  const [template] = app.herald.services.templates.list()
  if (template === undefined) throw new Error('not created')
  t.match(template, unreachable)
  t.match(list.body, /<h2>Unreachable<\/h2>/)
  t.match(list.body, /<p class="template-body">We&#x27;re investigating an issue where users may be unable to access \{component\}\.<\/p>/)
  t.match(list.body, new RegExp(`href="/admin/incidents/new\\?template&#x3D;${template.id}">Use`), 'a link that opens the form filled from it')
  t.match(app.herald.stores.audit.list(1)[0], { action: 'template.create', actor: 'user:bob', detail: { name: 'Unreachable' } })

  const form = await editor.get(`/admin/templates/${template.id}`)
  t.equal(inputValue(form.body, 'title'), unreachable.title)
  t.equal(textareaValue(form.body, 'body'), unreachable.body)
  const edited = await editor.post(`/admin/templates/${template.id}`, { name: 'Teams unreachable', title: 'Microsoft Teams unreachable', body: 'Looking into it.' }, { formPage: `/admin/templates/${template.id}` })
  t.equal(edited.statusCode, 303)
  t.equal(notice((await editor.get('/admin/templates')).body), 'The template “Teams unreachable” is saved.')
  t.match(app.herald.services.templates.get(template.id), { name: 'Teams unreachable', title: 'Microsoft Teams unreachable', body: 'Looking into it.' })
  t.match(app.herald.stores.audit.list(1)[0], { action: 'template.edit', detail: { before: { name: 'Unreachable' }, after: { name: 'Teams unreachable' } } })
  const same = await editor.post(`/admin/templates/${template.id}`, { name: 'TEAMS UNREACHABLE', title: 't', body: 'b' }, { formPage: `/admin/templates/${template.id}` })
  t.equal(same.statusCode, 303, 'a template may keep its own name in other letters')

  const deleted = await editor.post(`/admin/templates/${template.id}/delete`, {}, { formPage: `/admin/templates/${template.id}` })
  t.equal(deleted.statusCode, 303)
  t.equal(notice((await editor.get('/admin/templates')).body), 'The template “TEAMS UNREACHABLE” is deleted.')
  t.same(app.herald.services.templates.list(), [])
  t.match(app.herald.stores.audit.list(1)[0], { action: 'template.delete' })
  t.equal((await editor.get(`/admin/templates/${template.id}`)).statusCode, 404)
  t.equal((await editor.post(`/admin/templates/${template.id}/delete`, {}, listPage)).statusCode, 404)
  t.equal((await editor.post(`/admin/templates/${template.id}`, unreachable, listPage)).statusCode, 404)
})

t.test('every bad input on the template forms is named next to its field and stores nothing', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const other = app.herald.services.templates.create({ name: 'Other', title: 'Other title', body: 'Other body' }, 'cli')
  const mine = app.herald.services.templates.create({ name: 'Mine', title: 'Mine title', body: 'Mine body' }, 'cli')
  const cases: Array<{ what: string, fields: FormFields, field: string, message: RegExp, status?: number }> = [
    { what: 'an empty name', fields: { name: '' }, field: 'name', message: /^This field is required\.$/ },
    { what: 'too long a name', fields: { name: 'n'.repeat(101) }, field: 'name', message: /^Use at most 100 characters\.$/ },
    { what: 'a control character in the name', fields: { name: 'a\u0001' }, field: 'name', message: /without control characters/ },
    { what: 'a name in use', fields: { name: 'other' }, field: 'name', message: /^A template named “Other” already exists\.$/ },
    { what: 'an empty title', fields: { title: '' }, field: 'title', message: /^This field is required\.$/ },
    { what: 'too long a title', fields: { title: 't'.repeat(201) }, field: 'title', message: /^Use at most 200 characters\.$/ },
    { what: 'a line break in the title', fields: { title: 'a\nb' }, field: 'title', message: /one line/ },
    { what: 'an empty message', fields: { body: '' }, field: 'body', message: /^This field is required\.$/ },
    { what: 'too long a message', fields: { body: 'b'.repeat(20_001) }, field: 'body', message: /^Use at most 20000 characters\.$/ },
    { what: 'a control character in the message', fields: { body: 'x\u007f' }, field: 'body', message: /no control characters/ }
  ]
  const before = counts(app)
  for (const { what, fields, field, message } of cases) {
    const sent = { name: 'New', title: '<script>alert(1)</script>', body: 'Body', ...fields }
    for (const [where, url] of [['create', '/admin/templates'], ['edit', `/admin/templates/${mine.id}`]] as const) {
      const response = await admin.post(url, sent, { formPage: url })
      t.equal(response.statusCode, 400, `${where}, ${what}: status`)
      t.match(fieldError(response.body, field), message, `${where}, ${what}: message next to the field`)
      t.ok(markedInvalid(response.body, field), `${where}, ${what}: marked invalid`)
      t.notMatch(response.body, /<script>alert/, `${where}, ${what}: escaped`)
      if (field !== 'title') t.equal(inputValue(response.body, 'title'), '<script>alert(1)</script>', `${where}, ${what}: the title is kept`)
      t.same(counts(app), before, `${where}, ${what}: nothing stored`)
    }
  }
  t.match(app.herald.services.templates.get(mine.id), { name: 'Mine', title: 'Mine title', body: 'Mine body' })
  t.match(app.herald.services.templates.get(other.id), { name: 'Other' })
})

t.test('HTML in a template is text on the templates page and in the new-incident form', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  await editor.post('/admin/templates', { name: '<b>bold</b>', title: '"><script>alert(1)</script>', body: '<img src=x onerror=alert(2)>' }, listPage)
  for (const url of ['/admin/templates', '/admin/incidents/new', '/admin/incidents/new?template=1']) {
    const page = await editor.get(url)
    t.equal(page.statusCode, 200, url)
    t.notMatch(page.body, /<script>alert|<img src=x|<b>bold/, `${url}: escaped`)
  }
  t.match((await editor.get('/admin/incidents/new')).body, /data-title="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/)
})

t.test('anonymous requests and forged forms change nothing', async (t) => {
  const app = await build(t)
  const { anonymous, editor } = await withUsers(app)
  const template = app.herald.services.templates.create(unreachable, 'cli')
  t.equal((await anonymous.get('/admin/templates')).statusCode, 302)
  t.equal((await anonymous.get(`/admin/templates/${template.id}`)).statusCode, 302)
  const before = counts(app)
  for (const url of ['/admin/templates', `/admin/templates/${template.id}`, `/admin/templates/${template.id}/delete`]) {
    t.equal((await anonymous.post(url, { name: 'x', title: 'x', body: 'x' }, { formPage: '/admin/sign-in' })).statusCode, 401, url)
    t.equal((await editor.post(url, { name: 'x', title: 'x', body: 'x' }, { csrf: null })).statusCode, 403, `${url} without a token`)
  }
  t.same(counts(app), before)
  t.match(app.herald.services.templates.get(template.id), unreachable)
})

t.test('the template service refuses a name in use and fills {component} with every name', async (t) => {
  const app = await build(t)
  const { templates } = app.herald.services
  const first = templates.create(unreachable, 'cli')
  const second = templates.create({ ...unreachable, name: 'Second' }, 'cli')
  const before = counts(app)
  t.throws(() => templates.create({ ...unreachable, name: 'UNREACHABLE' }, 'cli'), ConflictError)
  t.throws(() => templates.update(second.id, { ...unreachable, name: 'unreachable' }, 'cli'), ConflictError)
  t.throws(() => templates.update(999, unreachable, 'cli'), NotFoundError)
  t.throws(() => templates.remove(999, 'cli'), NotFoundError)
  t.same(counts(app), before, 'nothing stored, not even an audit entry')
  t.equal(templates.get(first.id).name, 'Unreachable')

  t.equal(fillPlaceholder('{component} down', []), '{component} down', 'left as it is without names')
  t.equal(fillPlaceholder('{component} down', ['Chat']), 'Chat down')
  t.equal(fillPlaceholder('{component}: {component}', ['Chat', 'Calls', 'Meetings']), 'Chat, Calls and Meetings: Chat, Calls and Meetings')
})

t.test('a template presets the status, the impact and component statuses; the new-incident form starts from them', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { components, templates } = app.herald.services
  const chat = components.create({ name: 'Teams chat', group: 'Teams' }, 'cli')
  const calls = components.create({ name: 'Calls', group: 'Teams' }, 'cli')
  const signIn = components.create({ name: 'Sign-in' }, 'cli')
  const page = await editor.get('/admin/templates')
  t.match(page.body, /<select id="status" name="status">\s*<option value="" selected>No preset \(Investigating\)<\/option>/)
  t.match(page.body, new RegExp(`<select id="component-${chat.id}" name="component-${chat.id}"`), 'a select per component')

  const created = await editor.post('/admin/templates', {
    ...unreachable, status: 'identified', impact: 'major', [`component-${chat.id}`]: 'major_outage', [`component-${calls.id}`]: 'degraded_performance', [`component-${signIn.id}`]: ''
  }, listPage)
  t.equal(created.statusCode, 303)
  const [template] = templates.list()
  if (template === undefined) throw new Error('not created')
  t.match(template, { status: 'identified', impact: 'major', componentStatuses: { [chat.id]: 'major_outage', [calls.id]: 'degraded_performance' } })
  t.same(Object.keys(template.componentStatuses).map(Number), [chat.id, calls.id], '"No change" is no preset')
  t.match(app.herald.stores.audit.list(1)[0], { action: 'template.create', detail: { status: 'identified', impact: 'major', componentStatuses: { [chat.id]: 'major_outage' } } })
  t.match((await editor.get('/admin/templates')).body, /Sets Identified · Major impact · Teams chat: Major Outage · Calls: Degraded Performance/)

  // The edit form shows them; clearing them clears them.
  const form = await editor.get(`/admin/templates/${template.id}`)
  t.match(form.body, /<option value="identified" selected>Identified<\/option>/)
  t.match(form.body, /<option value="major" selected>Major<\/option>/)
  t.match(form.body, new RegExp(`<select id="component-${chat.id}"[^>]*>[\\s\\S]*?<option value="major_outage" selected>`))

  // The form starts from them (the GET a picker without JavaScript sends), as the script does from the option's data.
  const filled = await editor.get(`/admin/incidents/new?template=${template.id}`)
  t.match(filled.body, /<select id="status" name="status"[^>]*>[\s\S]*?<option value="identified" selected>Identified<\/option>/)
  t.match(filled.body, /<select id="impact" name="impact"[^>]*>[\s\S]*?<option value="major" selected>Major<\/option>/)
  t.match(filled.body, new RegExp(`<select id="component-${chat.id}"[^>]*>[\\s\\S]*?<option value="major_outage" selected>`))
  t.match(filled.body, new RegExp(`<select id="component-${calls.id}"[^>]*>[\\s\\S]*?<option value="degraded_performance" selected>`))
  t.match(filled.body, new RegExp(`<select id="component-${signIn.id}"[^>]*>\\s*<option value="" selected>No change</option>`), 'a component it does not preset: no change')
  t.match(filled.body, new RegExp(`data-status="identified" data-impact="major" data-components="\\{&quot;component-${chat.id}&quot;:&quot;major_outage&quot;,&quot;component-${calls.id}&quot;:&quot;degraded_performance&quot;\\}"`))
  // Opening it applies them, as any incident form does.
  const opened = await editor.post('/admin/incidents/new', {
    name: 'Teams unreachable', status: 'identified', impact: 'major', body: 'Looking.', [`component-${chat.id}`]: 'major_outage', [`component-${calls.id}`]: 'degraded_performance', [`component-${signIn.id}`]: '', template: String(template.id)
  }, { formPage: `/admin/incidents/new?template=${template.id}` })
  t.equal(opened.statusCode, 303)
  t.same([chat, calls, signIn].map((c) => components.get(c.id).status), ['major_outage', 'degraded_performance', 'operational'])

  // A component deleted since is passed over; a template without presets leaves the form's defaults.
  components.remove(calls.id, 'cli')
  t.notMatch((await editor.get(`/admin/incidents/new?template=${template.id}`)).body, new RegExp(`component-${calls.id}`))
  const cleared = await editor.post(`/admin/templates/${template.id}`, { ...unreachable, status: '', impact: '', [`component-${chat.id}`]: '' }, { formPage: `/admin/templates/${template.id}` })
  t.equal(cleared.statusCode, 303)
  t.match(templates.get(template.id), { status: null, impact: null, componentStatuses: {} })
  const plain = await editor.get(`/admin/incidents/new?template=${template.id}`)
  t.match(plain.body, /<option value="investigating" selected>Investigating<\/option>/)
  t.match(plain.body, /<option value="" selected>Worst component status/)
})

t.test('bad presets are named next to their field and store nothing', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const chat = app.herald.services.components.create({ name: 'Teams chat' }, 'cli')
  const before = counts(app)
  for (const [what, fields, field, message] of [
    ['an unknown status', { status: 'on_fire' }, 'status', /^Choose one of the statuses\.$/],
    ['a maintenance status', { status: 'scheduled' }, 'status', /^Choose one of the statuses\.$/],
    ['an unknown impact', { impact: '<b>huge</b>' }, 'impact', /^Choose one of the impacts\.$/],
    ['an unknown component status', { [`component-${chat.id}`]: 'broken' }, `component-${chat.id}`, /^Choose one of the statuses\.$/],
    ['a component that does not exist', { 'component-999': 'major_outage' }, 'components', /no component with id 999/]
  ] as const) {
    const response = await editor.post('/admin/templates', { ...unreachable, ...fields }, listPage)
    t.equal(response.statusCode, 400, `${what}: refused`)
    t.match(fieldError(response.body, field), message, `${what}: next to the field`)
    t.notMatch(response.body, /<b>huge/, `${what}: escaped`)
    t.equal(inputValue(response.body, 'name'), unreachable.name, `${what}: what was typed is kept`)
    t.same(counts(app), before, `${what}: nothing stored`)
  }
  // The service checks the components too (one deleted between the form and the write).
  t.throws(() => app.herald.services.templates.create({ ...unreachable, componentStatuses: { 999: 'major_outage' } }, 'cli'), /components: no component with id 999/)
  t.same(counts(app), before)
})

t.test('an update starts from a template on the incident page: its message with the affected components, its status and component statuses', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { components, templates, incidents } = app.herald.services
  const chat = components.create({ name: 'Teams chat' }, 'cli')
  const calls = components.create({ name: 'Calls' }, 'cli')
  incidents.open({ name: 'Teams down', reference: 'TM202916', body: 'Looking.', components: { [chat.id]: 'major_outage', [calls.id]: 'major_outage' } }, 'cli')
  const fixed = templates.create({ name: 'Fix rolling out', title: 'unused', body: 'A fix for {component} is rolling out.', status: 'monitoring', componentStatuses: { [calls.id]: 'degraded_performance' } }, 'cli')
  const plain = templates.create({ name: 'Still looking', title: 'unused', body: 'Still looking into {component}.' }, 'cli')

  const page = await editor.get('/admin/incidents/TM202916')
  t.match(page.body, /<select id="update-template" name="template">\s*<option value="">Choose a template…<\/option>/)
  const filled = await editor.get(`/admin/incidents/TM202916?template=${fixed.id}`)
  t.equal(filled.statusCode, 200)
  t.equal(textareaValue(filled.body, 'body'), 'A fix for Teams chat and Calls is rolling out.')
  t.match(filled.body, /<select id="status" name="status"[^>]*>[\s\S]*?<option value="monitoring" selected>Monitoring<\/option>/)
  t.match(filled.body, new RegExp(`<select id="component-${calls.id}"[^>]*>[\\s\\S]*?<option value="degraded_performance" selected>`))
  t.match(filled.body, new RegExp(`<select id="component-${chat.id}"[^>]*>[\\s\\S]*?<option value="major_outage" selected>`), 'one it does not preset stays as it is')
  t.match(filled.body, new RegExp(`<option value="${fixed.id}" selected>Fix rolling out</option>`))

  const kept = await editor.get(`/admin/incidents/TM202916?template=${plain.id}`)
  t.match(kept.body, /<select id="status" name="status"[^>]*>[\s\S]*?<option value="investigating" selected>Investigating<\/option>/, 'no preset: the incident\'s status')
  const missing = await editor.get('/admin/incidents/TM202916?template=999')
  t.equal(missing.statusCode, 200)
  t.equal(fieldError(missing.body, 'update-template'), 'That template does not exist any more. Choose another one.')
  t.equal((await editor.get('/admin/incidents/TM202916?template=%3Cb%3E')).statusCode, 200)

  const posted = await editor.post('/admin/incidents/TM202916/updates', {
    status: 'monitoring', body: 'A fix for Teams chat and Calls is rolling out.', [`component-${calls.id}`]: 'degraded_performance', [`was-${calls.id}`]: 'major_outage', [`component-${chat.id}`]: 'major_outage', [`was-${chat.id}`]: 'major_outage', from: 'incident'
  }, { formPage: `/admin/incidents/TM202916?template=${fixed.id}` })
  t.equal(posted.statusCode, 303)
  t.match(incidents.get('TM202916'), { status: 'monitoring' })
  t.equal(components.get(calls.id).status, 'degraded_performance')
})
