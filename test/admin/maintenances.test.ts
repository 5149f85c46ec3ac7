// The admin maintenance pages: schedule one, post its updates, move its window, with every bad input refused and nothing stored.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { TestClock, build } from '../fixtures/build.js'
import { storedRows } from '../fixtures/stored.js'
import { type FormFields, withUsers } from './fixtures/admin-session.js'
import { counts, fieldError, inputValue, markedInvalid, notice, selectedValue, textareaValue, unescapeHtml } from './fixtures/admin-forms.js'

const newPage = { formPage: '/admin/maintenances/new' }
// The tests' clock stands at 3 Feb 2020, 13:00 UTC; windows are set ahead of it, so the maintenance clock leaves them alone.
const now = '2020-02-03T13:00:00.000Z'
// A channel on, so the forms have their social post text, tick and preview (issue 13: not shown without one); SOCIAL_WORKER=off sends nothing.
const socialOn = { TWITTER_API_KEY: 'k', TWITTER_API_SECRET: 's', TWITTER_ACCESS_TOKEN: 't', TWITTER_ACCESS_SECRET: 'a', SOCIAL_WORKER: 'off' }

function setUp (app: FastifyInstance): { chat: number, calls: number, api: number } {
  const { components } = app.herald.services
  return {
    chat: components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'cli').id,
    calls: components.create({ name: 'Calls', group: 'Microsoft Teams' }, 'cli').id,
    api: components.create({ name: 'Status API' }, 'cli').id
  }
}

/** A good form: name, a window tomorrow 10:00 to 12:00 UTC, the chat component, an announcement, every box ticked. */
function goodForm (ids: { chat: number }, overrides: FormFields = {}): FormFields {
  return {
    name: 'Database upgrade',
    reference: 'MW1',
    scheduledFor: '2020-02-04T10:00',
    scheduledUntil: '2020-02-04T12:00',
    components: [String(ids.chat)],
    body: 'We will upgrade the **database**. Chat may be slow.',
    autoStart: '1',
    autoComplete: '1',
    notify: '1',
    ...overrides
  }
}

/** The form-level error above a form (not next to a field), by its id. */
function formError (html: string, id: string): string | undefined {
  const match = new RegExp(`<p class="form-error" id="${id}" role="alert">([^<]*)</p>`).exec(html)
  return match === null ? undefined : unescapeHtml(match[1] as string)
}

async function scheduled (app: FastifyInstance, ids: { chat: number, calls?: number }, reference = 'MW1'): Promise<void> {
  app.herald.services.maintenances.schedule({
    name: 'Database upgrade',
    reference,
    body: 'We will upgrade the database.',
    scheduledFor: '2020-02-04T10:00:00.000Z',
    scheduledUntil: '2020-02-04T12:00:00.000Z',
    components: ids.calls === undefined ? [ids.chat] : [ids.chat, ids.calls]
  }, 'cli')
}

t.test('anonymous visitors are sent to sign in, and their actions change nothing', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { anonymous } = await withUsers(app)
  const ids = setUp(app)
  await scheduled(app, ids)
  for (const url of ['/admin/maintenances', '/admin/maintenances/new', '/admin/maintenances/MW1']) {
    const response = await anonymous.get(url)
    t.equal(response.statusCode, 302, url)
    t.equal(response.headers.location, `/admin/sign-in?next=${encodeURIComponent(url)}`)
  }
  const before = counts(app)
  const form = { formPage: '/admin/sign-in' }
  t.equal((await anonymous.post('/admin/maintenances/new', goodForm(ids, { reference: 'MW2' }), form)).statusCode, 401)
  t.equal((await anonymous.post('/admin/maintenances/MW1/updates', { status: 'in_progress', body: 'Pwned' }, form)).statusCode, 401)
  t.equal((await anonymous.post('/admin/maintenances/MW1/window', { name: 'Pwned' }, form)).statusCode, 401)
  t.equal((await anonymous.post('/admin/maintenances/MW1/updates/1', { body: 'Pwned' }, form)).statusCode, 401)
  t.same(counts(app), before)
  t.equal(app.herald.services.maintenances.get('MW1').name, 'Database upgrade')
})

t.test('an editor schedules a maintenance through the form', async (t) => {
  const app = await build(t, { clock: new TestClock(now), env: socialOn })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  const form = await editor.get('/admin/maintenances/new')
  t.equal(form.statusCode, 200)
  t.match(form.body, /<h1>Schedule maintenance<\/h1>/)
  t.match(form.body, /<input id="scheduledFor" name="scheduledFor" type="datetime-local" required value=""/)
  t.match(form.body, /<input id="scheduledUntil" name="scheduledUntil" type="datetime-local" required value=""/)
  t.match(form.body, /<label for="scheduledFor">Starts<\/label>/)
  t.match(form.body, /Time zone: <strong data-time-zone-name>UTC<\/strong><\/p>\s*<input type="hidden" id="timeZone" name="timeZone" value="UTC" data-time-zone data-zone-auto>/,
    'the zone is shown, UTC until the script puts in the browser\'s')
  t.match(form.body, /<script src="\/static\/admin-time-zone\.js\?v=[^"]+" defer><\/script>/)
  t.match(form.body, /it is 2020-02-03 13:00 UTC now/)
  t.match(form.body, /<input type="checkbox" name="autoStart" value="1" checked> Start automatically at the window start/)
  t.match(form.body, /<input type="checkbox" name="autoComplete" value="1" checked> Complete automatically at the window end/)
  t.match(form.body, /<input type="checkbox" name="notify" value="1" checked> Post to social channels/)
  t.match(form.body, new RegExp(`<input type="checkbox" id="component-${ids.chat}" name="components" value="${ids.chat}">\\s*<span class="choice-name"><span class="choice-group"><bdi>Microsoft Teams</bdi></span> <bdi>Teams chat</bdi></span>`),
    'components are named with their group, as on the incident form')
  t.match(form.body, new RegExp(`id="component-${ids.api}" name="components" value="${ids.api}">\\s*<span class="choice-name"><bdi>Status API</bdi></span>`))
  t.match(form.body, /name="postText"/, 'a custom post text, as the incident form has')
  t.match(form.body, /Left empty, it is MNT000001/)
  t.match(form.body, /<a href="\/admin\/maintenances" aria-current="page">Maintenance<\/a>/, 'the navigation links the maintenance pages')

  const response = await editor.post('/admin/maintenances/new', goodForm(ids, { components: [String(ids.chat), String(ids.calls)] }), newPage)
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/admin/maintenances/MW1')
  const maintenance = app.herald.services.maintenances.get('MW1')
  t.match(maintenance, {
    name: 'Database upgrade',
    status: 'scheduled',
    impact: 'none',
    maintenance: { scheduledFor: '2020-02-04T10:00:00.000Z', scheduledUntil: '2020-02-04T12:00:00.000Z', autoStart: true, autoComplete: true }
  }, 'the window is read as UTC')
  t.same(maintenance.components.map((c) => c.id), [ids.chat, ids.calls])
  t.match(maintenance.updates, [{ status: 'scheduled', notify: true, body: 'We will upgrade the **database**. Chat may be slow.' }])
  t.match(app.herald.stores.audit.list(1)[0], {
    action: 'maintenance.schedule',
    actor: 'user:bob',
    detail: { reference: 'MW1', scheduledFor: '2020-02-04T10:00:00.000Z', components: [ids.chat, ids.calls] }
  })
  t.equal(app.herald.services.components.get(ids.chat).status, 'operational', 'untouched until it starts')

  const page = await editor.get('/admin/maintenances/MW1')
  t.equal(page.statusCode, 200)
  t.equal(notice(page.body), 'Maintenance MW1 is scheduled for 4 Feb 2020, 10:00 – 12:00 UTC.')
  t.match(page.body, /<h1>Database upgrade<\/h1>/)
  t.match(page.body, /<time datetime="2020-02-04T10:00:00.000Z" data-window>4 Feb 2020, 10:00 – 12:00 UTC<\/time>/, 'the window in plain UTC')
  t.match(page.body, /<strong class="update-status incident-status-scheduled maintenance-status">Scheduled<\/strong>/)
  t.match(page.body, /<bdi>Teams chat<\/bdi> <span class="component-status status-operational">Operational<\/span>, <bdi>Calls<\/bdi>/)
  t.match(page.body, /It starts automatically at the window start, and completes automatically at the window end\./)
  t.match(page.body, /<p>We will upgrade the <strong>database<\/strong>\. Chat may be slow\.<\/p>/, 'the timeline with the update texts')
  t.equal(selectedValue(page.body, 'status'), 'scheduled')
  t.match(page.body, /<option value="scheduled" selected>Scheduled<\/option><option value="in_progress">In Progress<\/option><option value="completed">Completed<\/option>/,
    'only the statuses it may move to')
  t.equal(inputValue(page.body, 'move-scheduledFor'), '2020-02-04T10:00')
  t.equal(inputValue(page.body, 'move-scheduledUntil'), '2020-02-04T12:00')

  const list = await editor.get('/admin/maintenances')
  t.equal(list.statusCode, 200)
  t.match(list.body, /<a class="button primary" href="\/admin\/maintenances\/new">Schedule maintenance<\/a>/)
  t.match(list.body, /<h2 id="upcoming-heading">Upcoming<\/h2>\s*<ul class="maintenance-list">\s*<li class="maintenance-item" id="maintenance-MW1">/)
  t.match(list.body, /<a class="maintenance-name" href="\/admin\/maintenances\/MW1"><bdi>Database upgrade<\/bdi><\/a>/)
  t.match(list.body, /4 Feb 2020, 10:00 – 12:00 UTC/)

  const bare = await editor.post('/admin/maintenances/new', {
    name: 'Network work', scheduledFor: '2020-02-05T23:30', scheduledUntil: '2020-02-06T01:00', body: 'Short outages possible.'
  }, newPage)
  t.equal(bare.headers.location, '/admin/maintenances/MNT000001', 'an empty reference is generated')
  t.match(app.herald.services.maintenances.get('MNT000001'), {
    maintenance: { autoStart: false, autoComplete: false },
    components: [],
    updates: [{ notify: false }]
  }, 'unticked boxes are off')
  t.match((await editor.get('/admin/maintenances/MNT000001')).body, /5 Feb 2020, 23:30 UTC – 6 Feb 2020, 01:00 UTC/, 'a window over midnight names both days')

  // A reference given by hand took the next number: the form shows the one after, and posting takes that one.
  app.herald.services.incidents.open({ name: 'Outage', reference: 'MNT000002', body: 'b' }, 'cli')
  // Incidents have their own sequence: opening one does not move the maintenances' on.
  app.herald.services.incidents.open({ name: 'Another outage', body: 'b' }, 'cli')
  t.match((await editor.get('/admin/maintenances/new')).body, /Left empty, it is MNT000003/)
  const after = await editor.post('/admin/maintenances/new', {
    name: 'More network work', scheduledFor: '2020-02-07T23:30', scheduledUntil: '2020-02-08T01:00', body: 'Short outages possible.'
  }, newPage)
  t.equal(after.headers.location, '/admin/maintenances/MNT000003', 'the reference the form showed')
})

t.test('an admin may schedule too, and the preview shows the announcement and its post', async (t) => {
  const app = await build(t, { clock: new TestClock(now), env: socialOn })
  const { admin } = await withUsers(app)
  const ids = setUp(app)
  const before = counts(app)
  const preview = await admin.post('/admin/maintenances/new', goodForm(ids, { preview: '1', body: 'Upgrade <script>alert(1)</script> **now**' }), newPage)
  t.equal(preview.statusCode, 200)
  t.match(preview.body, /<p>Upgrade &lt;script&gt;alert\(1\)&lt;\/script&gt; <strong>now<\/strong><\/p>/, 'the body as the page shows it, HTML as text')
  t.match(preview.body, /<p class="post-text" data-preview-post>\[Scheduled\] MW1 Database upgrade: Upgrade &lt;script&gt;/, 'the post with the maintenance status')
  t.same(counts(app), before, 'a preview stores nothing')
  t.equal(textareaValue(preview.body, 'body'), 'Upgrade <script>alert(1)</script> **now**')

  const response = await admin.post('/admin/maintenances/new', goodForm(ids), newPage)
  t.equal(response.statusCode, 303)
  t.match(app.herald.stores.audit.list(1)[0], { action: 'maintenance.schedule', actor: 'user:alice' })
})

t.test('every bad field gives the form back with the error next to it, what was typed kept, and nothing stored', async (t) => {
  const app = await build(t, { clock: new TestClock(now), env: socialOn })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  app.herald.services.incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'b' }, 'cli')
  const before = counts(app)
  const rows = storedRows(app.herald.stores.db)
  const cases: Array<[string, FormFields, string, RegExp]> = [
    ['a missing name', { name: undefined }, 'name', /^This field is required\.$/],
    ['an empty name', { name: '   ' }, 'name', /^This field is required\.$/],
    ['a name sent twice', { name: ['a', 'b'] }, 'name', /^Write a name: one line of visible text/],
    ['too long a name', { name: 'n'.repeat(201) }, 'name', /at most 200/],
    ['a control character in the name', { name: 'Upgrade\u0007 now' }, 'name', /^Write a name: one line of visible text, without control characters\.$/],
    ['a line break in the name', { name: 'Upgrade\nnow' }, 'name', /without control characters/],
    ['a malformed reference', { reference: 'MW-1 <b>' }, 'reference', /^Use 2 to 32 letters and digits/],
    ['a reference in use', { reference: 'TM202916' }, 'reference', /^TM202916 is already used by “Teams outage”\.$/],
    ['a missing start', { scheduledFor: undefined }, 'scheduledFor', /^This field is required\.$/],
    ['an empty end', { scheduledUntil: '' }, 'scheduledUntil', /^This field is required\.$/],
    ['a start in words', { scheduledFor: 'tomorrow' }, 'scheduledFor', /^Give a date and a time, such as 2020-02-04 10:00\.$/],
    ['a start with a zone', { scheduledFor: '2020-02-04T10:00+01:00' }, 'scheduledFor', /^Give a date and a time, such as/],
    ['a start with two spaces', { scheduledFor: '2020-02-04  10:00' }, 'scheduledFor', /^Give a date and a time, such as/],
    ['a start with a lowercase t', { scheduledFor: '2020-02-04t10:00' }, 'scheduledFor', /^Give a date and a time, such as/],
    ['a start without minutes', { scheduledFor: '2020-02-04 10' }, 'scheduledFor', /^Give a date and a time, such as/],
    ['an hour with a space that does not exist', { scheduledFor: '2020-02-04 24:00' }, 'scheduledFor', /^This date and time do not exist/],
    ['a day that does not exist', { scheduledFor: '2020-02-30T10:00' }, 'scheduledFor', /^This date and time do not exist/],
    ['an hour that does not exist', { scheduledUntil: '2020-02-04T24:00' }, 'scheduledUntil', /^This date and time do not exist/],
    ['an end before the start', { scheduledUntil: '2020-02-04T09:00' }, 'scheduledUntil', /^The end must be after the start\.$/],
    ['an end equal to the start', { scheduledUntil: '2020-02-04T10:00' }, 'scheduledUntil', /^The end must be after the start\.$/],
    ['an end in the past', { scheduledFor: '2020-02-03T10:00', scheduledUntil: '2020-02-03T12:59' }, 'scheduledUntil',
      /^The end is in the past \(it is 3 Feb 2020, 13:00 UTC now\): announce a maintenance before it ends\.$/],
    ['an unknown component', { components: [String(ids.chat), '999'] }, 'components', /^There is no component with id 999 \(it may have been deleted\)/],
    ['a component id that is not a number', { components: [String(ids.chat), '<b>1</b>'] }, 'components', /^There is no component with id <b>1<\/b>/],
    ['an empty announcement', { body: '' }, 'body', /^This field is required\.$/],
    ['an announcement of spaces', { body: ' \n\t ' }, 'body', /visible text/],
    ['a control character in the announcement', { body: 'Upgrade \u0000 now' }, 'body', /no control characters/],
    ['too long an announcement', { body: 'x'.repeat(20_001) }, 'body', /at most 20000/],
    ['a control character in the post text', { postText: 'Post \u001b[31m' }, 'postText', /without control characters/]
  ]
  for (const [what, overrides, field, message] of cases) {
    const fields = goodForm(ids, overrides)
    const response = await editor.post('/admin/maintenances/new', fields, newPage)
    t.equal(response.statusCode, field === 'reference' && what === 'a reference in use' ? 409 : 400, `${what}: refused`)
    t.match(fieldError(response.body, field), message, `${what}: the message is next to the field`)
    t.ok(markedInvalid(response.body, field), `${what}: the field is marked invalid`)
    if (typeof fields.name === 'string') t.equal(inputValue(response.body, 'name'), fields.name.trim(), `${what}: the name is kept`)
    if (typeof fields.body === 'string') t.equal(textareaValue(response.body, 'body'), fields.body, `${what}: the announcement is kept`)
    if (typeof fields.scheduledFor === 'string') t.equal(inputValue(response.body, 'scheduledFor'), fields.scheduledFor, `${what}: the start is kept`)
    t.match(response.body, new RegExp(`id="component-${ids.chat}" name="components" value="${ids.chat}" checked>`), `${what}: the ticked component stays ticked`)
    t.same(counts(app), before, `${what}: nothing stored`)
    t.same(storedRows(app.herald.stores.db), rows, `${what}: nothing stored, not even in part`)
  }

  const several = await editor.post('/admin/maintenances/new', goodForm(ids, { name: '', reference: 'tm202916', scheduledUntil: '2020-02-04T09:00' }), newPage)
  t.equal(several.statusCode, 400)
  t.equal(fieldError(several.body, 'name'), 'This field is required.')
  t.equal(fieldError(several.body, 'reference'), 'TM202916 is already used by “Teams outage”.', 'a used reference is named along with the other mistakes')
  t.equal(fieldError(several.body, 'scheduledUntil'), undefined, 'the window is the service\'s to check, once the form is otherwise right')
  t.same(storedRows(app.herald.stores.db), rows)
})

t.test('a time typed with a space, as the page writes it, is read as the datetime-local one', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  const { maintenances } = app.herald.services
  const saved = await editor.post('/admin/maintenances/new', goodForm(ids, { scheduledFor: '2020-02-04 10:00', scheduledUntil: '2020-02-04 12:00:30' }), newPage)
  t.equal(saved.statusCode, 303, 'scheduled')
  t.match(maintenances.get('MW1').maintenance, { scheduledFor: '2020-02-04T10:00:00.000Z', scheduledUntil: '2020-02-04T12:00:30.000Z' })

  const page = '/admin/maintenances/MW1'
  const moved = await editor.post(`${page}/window`, {
    name: 'Database upgrade', scheduledFor: '2020-02-05 08:00', scheduledUntil: '2020-02-05 09:30', autoStart: '1', autoComplete: '1'
  }, { formPage: page })
  t.equal(moved.statusCode, 303, 'moved')
  t.match(maintenances.get('MW1').maintenance, { scheduledFor: '2020-02-05T08:00:00.000Z', scheduledUntil: '2020-02-05T09:30:00.000Z' })
  const unchanged = counts(app)
  const same = await editor.post(`${page}/window`, {
    name: 'Database upgrade', scheduledFor: '2020-02-05 08:00', scheduledUntil: '2020-02-05 09:30', autoStart: '1', autoComplete: '1'
  }, { formPage: page })
  t.equal(same.statusCode, 303)
  t.equal(notice((await editor.get(page)).body), 'Nothing changed: MW1 is as it was.', 'the same time with a space is no change')
  t.same(counts(app), unchanged)
})

t.test('HTML and script typed in are shown escaped, and unicode is kept as typed', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  const name = '<script>alert("name")</script> Wartung 数据库 🛠️'
  const body = '<img src=x onerror=alert(1)> Ünïcödé ✓ and <b>bold</b>'
  const before = counts(app)
  // With another field wrong, the form comes back with both as typed, escaped.
  const refused = await editor.post('/admin/maintenances/new', goodForm(ids, { name, body, scheduledUntil: '2020-02-04T09:00' }), newPage)
  t.equal(refused.statusCode, 400)
  t.notMatch(refused.body, /<script>alert|<img src=x/, 'nothing typed becomes markup')
  t.equal(inputValue(refused.body, 'name'), name, 'the name is kept, unicode included')
  t.equal(textareaValue(refused.body, 'body'), body)
  t.same(counts(app), before)

  const saved = await editor.post('/admin/maintenances/new', goodForm(ids, { name, body }), newPage)
  t.equal(saved.statusCode, 303)
  t.match(app.herald.services.maintenances.get('MW1'), { name, updates: [{ body }] }, 'stored exactly as typed')
  for (const url of ['/admin/maintenances/MW1', '/admin/maintenances', '/admin']) {
    const page = await editor.get(url)
    t.notMatch(page.body, /<script>alert|<img src=x/, `${url}: escaped`)
    t.match(page.body, /&lt;script&gt;alert\(&quot;name&quot;\)&lt;\/script&gt; Wartung 数据库 🛠️/, `${url}: the name shown as text`)
  }
  t.match((await editor.get('/admin/maintenances/MW1')).body, /<p>&lt;img src=x onerror=alert\(1\)&gt; Ünïcödé ✓ and &lt;b&gt;bold&lt;\/b&gt;<\/p>/)
})

t.test('no form goes through without the CSRF token of the session', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  await scheduled(app, ids)
  const before = counts(app)
  for (const [url, fields] of [
    ['/admin/maintenances/new', goodForm(ids, { reference: 'MW2' })],
    ['/admin/maintenances/MW1/updates', { status: 'in_progress', body: 'Starting.' }],
    ['/admin/maintenances/MW1/window', { name: 'Renamed', scheduledFor: '2020-02-05T10:00', scheduledUntil: '2020-02-05T12:00' }],
    ['/admin/maintenances/MW1/updates/1', { body: 'Changed.' }]
  ] as const) {
    t.equal((await editor.post(url, fields, { csrf: null })).statusCode, 403, `${url}: no token`)
    t.equal((await editor.post(url, fields, { csrf: 'forged' })).statusCode, 403, `${url}: a forged token`)
  }
  t.same(counts(app), before)
  t.match(app.herald.services.maintenances.get('MW1'), { name: 'Database upgrade', status: 'scheduled' })
})

t.test('updates move it to in progress (components under maintenance) and to completed (components restored)', async (t) => {
  const app = await build(t, { clock: new TestClock(now), env: socialOn })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  const { components, maintenances } = app.herald.services
  components.patch(ids.calls, { status: 'degraded_performance' }, 'cli')
  await scheduled(app, ids)
  const page = '/admin/maintenances/MW1'

  const unchanged = counts(app)
  const preview = await editor.post(`${page}/updates`, { status: 'in_progress', body: 'The work has *started*.', preview: '1' }, { formPage: page })
  t.equal(preview.statusCode, 200)
  t.match(preview.body, /<p>The work has <em>started<\/em>\.<\/p>/)
  t.match(preview.body, /<p class="post-text" data-preview-post>\[In Progress\] MW1 Database upgrade: The work has started\./, 'the post with the status it moves to')
  t.equal(selectedValue(preview.body, 'status'), 'in_progress', 'what was chosen is kept')
  t.same(counts(app), unchanged, 'a preview stores nothing')

  const note = await editor.post(`${page}/updates`, { status: 'scheduled', body: 'Still on for tomorrow.', notify: '1' }, { formPage: page })
  t.equal(note.statusCode, 303)
  t.equal(notice((await editor.get(page)).body), 'Update posted to MW1.')
  t.equal(components.get(ids.chat).status, 'operational', 'a note changes no component')

  const start = await editor.post(`${page}/updates`, { status: 'in_progress', body: 'The work has started.', notify: '1' }, { formPage: page })
  t.equal(start.statusCode, 303)
  t.equal(start.headers.location, page)
  const started = await editor.get(page)
  t.equal(notice(started.body), 'MW1 is in progress: its components are under maintenance.')
  t.equal(components.get(ids.chat).status, 'under_maintenance')
  t.equal(components.get(ids.calls).status, 'degraded_performance', 'degraded before: it keeps showing that, the worse real status')
  t.match(maintenances.get('MW1'), { status: 'in_progress', startedAt: now })
  t.match(started.body, /<bdi>Teams chat<\/bdi>: <span class="status-operational">Operational<\/span> <span aria-hidden="true">→<\/span><span class="visually-hidden">changed to<\/span> <span class="status-under-maintenance">Under Maintenance<\/span>/)
  t.match(started.body, /<option value="in_progress" selected>In Progress<\/option><option value="verifying">Verifying<\/option><option value="completed">Completed<\/option>/)
  t.match(started.body, /Started 3 Feb 2020, 13:00 UTC/)
  t.match(app.herald.stores.audit.list(1)[0], { action: 'maintenance.update', actor: 'user:bob', detail: { status: 'in_progress' } })

  t.equal((await editor.post(`${page}/updates`, { status: 'verifying', body: 'Checking.' }, { formPage: page })).statusCode, 303)
  t.equal(notice((await editor.get(page)).body), 'MW1 is verifying.')
  const done = await editor.post(`${page}/updates`, { status: 'completed', body: 'All done.', notify: '1' }, { formPage: page })
  t.equal(done.statusCode, 303)
  const completed = await editor.get(page)
  t.equal(notice(completed.body), 'MW1 is completed: its components are back to their statuses from before.')
  t.equal(components.get(ids.chat).status, 'operational')
  t.equal(components.get(ids.calls).status, 'degraded_performance', 'still what it was, not operational')
  t.match(maintenances.get('MW1'), { status: 'completed', resolvedAt: now, updates: [{ body: 'All done.', notify: true }, { notify: false }, {}, {}, {}] })
  t.match(completed.body, /<h2 id="post-heading">Add a note<\/h2>/)
  t.match(completed.body, /<select id="status" name="status"[^>]*>\s*<option value="completed" selected>Completed<\/option>\s*<\/select>/, 'only notes once completed')
  t.match(completed.body, /Completed 3 Feb 2020, 13:00 UTC/)
  t.notMatch(completed.body, /id="move-scheduledUntil"/, 'its window no longer moves')

  const list = await editor.get('/admin/maintenances')
  t.match(list.body, /<h2 id="completed-heading">Recently completed<\/h2>\s*<ul class="maintenance-list">\s*<li class="maintenance-item" id="maintenance-MW1">/)
})

t.test('a status it cannot move to is refused next to the status, and nothing is stored', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  await scheduled(app, ids)
  const page = '/admin/maintenances/MW1'
  const before = counts(app)
  const rows = storedRows(app.herald.stores.db)
  for (const [what, fields, field, message, statusCode] of [
    // Refused by the service, which holds the moves a status allows: 409, the answer of the token API too.
    ['scheduled to verifying', { status: 'verifying', body: 'Hm.' }, 'status', /^This maintenance is scheduled: it can become Scheduled, In Progress, Completed or Cancelled\.$/, 409],
    ['an incident status', { status: 'resolved', body: 'Hm.' }, 'status', /^Choose one of the statuses\.$/, 400],
    ['a made-up status', { status: '<b>done</b>', body: 'typed <i>text</i>' }, 'status', /^Choose one of the statuses\.$/, 400],
    ['no status', { body: 'Hm.' }, 'status', /^This field is required\.$/, 400],
    ['an empty message', { status: 'in_progress', body: '' }, 'body', /^This field is required\.$/, 400],
    ['a control character', { status: 'in_progress', body: 'a\u0008b' }, 'body', /no control characters/, 400]
  ] as const) {
    const response = await editor.post(`${page}/updates`, fields, { formPage: page })
    t.equal(response.statusCode, statusCode, what)
    t.match(fieldError(response.body, field), message, `${what}: next to the field`)
    t.ok(markedInvalid(response.body, field), `${what}: marked invalid`)
    t.equal(textareaValue(response.body, 'body'), fields.body, `${what}: the message is kept`)
    t.notMatch(response.body, /<b>done|<i>text/, `${what}: escaped`)
    t.same(counts(app), before, `${what}: nothing stored`)
    t.same(storedRows(app.herald.stores.db), rows, `${what}: nothing stored, not even in part`)
  }
  t.equal(app.herald.services.components.get(ids.chat).status, 'operational')

  app.herald.services.maintenances.postUpdate('MW1', { status: 'in_progress', body: 'Go.' }, 'cli')
  app.herald.services.maintenances.postUpdate('MW1', { status: 'completed', body: 'Done.' }, 'cli')
  const after = counts(app)
  const reopen = await editor.post(`${page}/updates`, { status: 'in_progress', body: 'Again.' }, { formPage: page })
  t.equal(reopen.statusCode, 409)
  t.equal(fieldError(reopen.body, 'status'), 'This maintenance is completed: it takes notes, with the status Completed.')
  t.same(counts(app), after)
})

t.test('an update sent after the clock moved the maintenance on is checked against its status now', async (t) => {
  const clock = new TestClock(now)
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  app.herald.services.maintenances.schedule({
    name: 'Quick fix', reference: 'MW1', body: 'Soon.', scheduledFor: '2020-02-03T13:10:00.000Z', scheduledUntil: '2020-02-03T13:20:00.000Z', components: [ids.chat]
  }, 'cli')
  const page = '/admin/maintenances/MW1'
  const csrf = await editor.csrfToken(page)
  // The page was loaded while scheduled; the clock starts and completes it before the form is sent.
  clock.set('2020-02-03T13:30:00.000Z')
  app.herald.services.maintenances.runDue()
  t.equal(app.herald.services.maintenances.get('MW1').status, 'completed')
  const before = counts(app)
  const response = await editor.post(`${page}/updates`, { status: 'scheduled', body: 'Postponed.' }, { csrf })
  t.equal(response.statusCode, 409)
  t.equal(fieldError(response.body, 'status'), 'This maintenance is completed: it takes notes, with the status Completed.')
  t.equal(textareaValue(response.body, 'body'), 'Postponed.')
  t.same(counts(app), before)
})

t.test('the window moves while scheduled; once started, moving the start is refused with the reason', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  const { maintenances } = app.herald.services
  await scheduled(app, ids)
  const page = '/admin/maintenances/MW1'
  const window = `${page}/window`

  const moved = await editor.post(window, {
    name: 'Database upgrade (moved)', scheduledFor: '2020-02-05T08:00', scheduledUntil: '2020-02-05T09:30', autoComplete: '1'
  }, { formPage: page })
  t.equal(moved.statusCode, 303)
  t.equal(moved.headers.location, page)
  const movedPage = await editor.get(page)
  t.equal(notice(movedPage.body), 'The window of MW1 is now 5 Feb 2020, 08:00 – 09:30 UTC.')
  t.match(maintenances.get('MW1'), {
    name: 'Database upgrade (moved)',
    startedAt: '2020-02-05T08:00:00.000Z',
    maintenance: { scheduledFor: '2020-02-05T08:00:00.000Z', scheduledUntil: '2020-02-05T09:30:00.000Z', autoStart: false, autoComplete: true }
  }, 'moved, renamed, and its automatic start switched off')
  t.match(app.herald.stores.audit.list(1)[0], {
    action: 'maintenance.reschedule',
    actor: 'user:bob',
    detail: { after: { name: 'Database upgrade (moved)', scheduledFor: '2020-02-05T08:00:00.000Z', scheduledUntil: '2020-02-05T09:30:00.000Z', autoStart: false } }
  })
  t.match(movedPage.body, /It is started by hand \(an update with the status In Progress\), and completes automatically at the window end\./)

  const unchanged = counts(app)
  const same = await editor.post(window, {
    name: 'Database upgrade (moved)', scheduledFor: '2020-02-05T08:00', scheduledUntil: '2020-02-05T09:30', autoComplete: '1'
  }, { formPage: page })
  t.equal(same.statusCode, 303)
  t.equal(notice((await editor.get(page)).body), 'Nothing changed: MW1 is as it was.')
  t.same(counts(app), unchanged, 'no audit entry for nothing')

  const unchangedRows = storedRows(app.herald.stores.db)
  const badWindows: Array<[string, FormFields, string, RegExp]> = [
    ['an end before the start', { scheduledUntil: '2020-02-05T07:00' }, 'move-scheduledUntil', /^The end must be after the start\.$/],
    ['a start after the end', { scheduledFor: '2020-02-05T10:00' }, 'move-scheduledFor', /^The start must be before the end\.$/],
    ['an end in the past', { scheduledFor: '2020-02-03T08:00', scheduledUntil: '2020-02-03T09:00' }, 'move-scheduledUntil', /^The end is in the past: choose a later time\.$/],
    ['a malformed time', { scheduledFor: 'soon' }, 'move-scheduledFor', /^Give a date and a time, such as/],
    ['a day that does not exist', { scheduledUntil: '2020-02-31T10:00' }, 'move-scheduledUntil', /^This date and time do not exist/],
    ['an empty name', { name: '' }, 'move-name', /^This field is required\.$/],
    ['a control character in the name', { name: 'a\u0001' }, 'move-name', /control characters/]
  ]
  for (const [what, fields, field, message] of badWindows) {
    const response = await editor.post(window, {
      name: 'Database upgrade (moved)', scheduledFor: '2020-02-05T08:00', scheduledUntil: '2020-02-05T09:30', ...fields
    }, { formPage: page })
    t.equal(response.statusCode, 400, what)
    t.match(fieldError(response.body, field), message, `${what}: next to the field`)
    t.ok(markedInvalid(response.body, field), `${what}: marked invalid`)
    t.same(counts(app), unchanged, `${what}: nothing stored`)
    t.same(storedRows(app.herald.stores.db), unchangedRows, `${what}: nothing stored, not even in part`)
  }

  // Started by hand before its window: its start is now a fact.
  maintenances.postUpdate('MW1', { status: 'in_progress', body: 'Early start.' }, 'cli')
  const started = await editor.get(page)
  t.notMatch(started.body, /<input id="move-scheduledFor"/, 'the start is no longer a field')
  t.match(started.body, /<p class="field-fact" id="move-scheduledFor">5 Feb 2020, 08:00 UTC/)
  const before = counts(app)
  const refused = await editor.post(window, {
    name: 'Database upgrade (moved)', scheduledFor: '2020-02-05T08:30', scheduledUntil: '2020-02-05T09:30', autoComplete: '1'
  }, { formPage: page })
  t.equal(refused.statusCode, 409)
  t.equal(formError(refused.body, 'window-form-error'), 'Nothing was saved: maintenance MW1 has started: only its end can move.', 'the service\'s reason, next to the form')
  t.equal(inputValue(refused.body, 'move-name'), 'Database upgrade (moved)')
  t.same(counts(app), before)
  t.equal(maintenances.get('MW1').maintenance?.scheduledFor, '2020-02-05T08:00:00.000Z')

  const later = await editor.post(window, {
    name: 'Database upgrade (moved)', scheduledUntil: '2020-02-05T11:00', autoComplete: '1'
  }, { formPage: page })
  t.equal(later.statusCode, 303, 'its end may still move')
  t.match(maintenances.get('MW1').maintenance, { scheduledFor: '2020-02-05T08:00:00.000Z', scheduledUntil: '2020-02-05T11:00:00.000Z', autoStart: false, autoComplete: true })

  maintenances.postUpdate('MW1', { status: 'completed', body: 'Done.' }, 'cli')
  const done = counts(app)
  const closed = await editor.post(window, { name: 'Database upgrade (moved)', scheduledUntil: '2020-02-05T12:00' }, { formPage: page })
  t.equal(closed.statusCode, 409, 'a stale form that moves a completed window')
  t.equal(formError(closed.body, 'window-form-error'), 'Nothing was saved: maintenance MW1 is completed: its window can no longer change.')
  t.same(counts(app), done)
  const renamed = await editor.post(window, { name: 'Database upgrade, done' }, { formPage: page })
  t.equal(renamed.statusCode, 303, 'a completed maintenance may still be renamed')
  t.equal(notice((await editor.get(page)).body), 'MW1 is saved.')
  t.equal(maintenances.get('MW1').name, 'Database upgrade, done')
})

t.test('a window form loaded while scheduled and sent once started leaves the automatic start alone', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  const { maintenances } = app.herald.services
  await scheduled(app, ids)
  const page = '/admin/maintenances/MW1'
  const loaded = await editor.get(page)
  t.match(loaded.body, /name="autoStart"/, 'while scheduled the form has the automatic start')
  t.notMatch(loaded.body, /name="transitions"/, 'and no hidden field saying which boxes it has')
  const csrf = await editor.csrfToken(page)
  maintenances.postUpdate('MW1', { status: 'in_progress', body: 'Early start.' }, 'cli')
  t.notMatch((await editor.get(page)).body, /name="autoStart"/, 'once started, the form has no automatic start')

  // The stale form: the automatic start box unticked (sent as nothing), the automatic completion ticked,
  // and the hidden field the form used to have, which said both boxes were shown: no longer believed.
  const unchanged = counts(app)
  const same = await editor.post(`${page}/window`, {
    name: 'Database upgrade', scheduledFor: '2020-02-04T10:00', scheduledUntil: '2020-02-04T12:00', autoComplete: '1', transitions: 'both'
  }, { csrf })
  t.equal(same.statusCode, 303, 'the start it sends is the one it has: no change')
  t.equal(notice((await editor.get(page)).body), 'Nothing changed: MW1 is as it was.')
  t.match(maintenances.get('MW1').maintenance, { autoStart: true, autoComplete: true }, 'the automatic start is not switched off')
  t.same(counts(app), unchanged, 'nothing saved, nothing audited')

  const withoutStart = await editor.post(`${page}/window`, { name: 'Database upgrade', scheduledUntil: '2020-02-04T12:00', autoComplete: '1' }, { csrf })
  t.equal(withoutStart.statusCode, 303)
  t.equal(notice((await editor.get(page)).body), 'Nothing changed: MW1 is as it was.', 'no autoStart sent is no change once started')
  t.match(maintenances.get('MW1').maintenance, { autoStart: true, autoComplete: true })
  t.same(counts(app), unchanged)

  const offEnd = await editor.post(`${page}/window`, { name: 'Database upgrade', scheduledUntil: '2020-02-04T12:00', autoStart: '1' }, { csrf })
  t.equal(offEnd.statusCode, 303, 'the automatic completion is still the form\'s to switch')
  t.match(maintenances.get('MW1').maintenance, { autoStart: true, autoComplete: false })
  t.match(app.herald.stores.audit.list(1)[0], {
    action: 'maintenance.reschedule',
    detail: { before: { autoStart: true, autoComplete: true }, after: { autoStart: true, autoComplete: false } }
  }, 'the audit entry changes only the automatic completion')

  maintenances.postUpdate('MW1', { status: 'completed', body: 'Done.' }, 'cli')
  const done = counts(app)
  const afterCompleted = await editor.post(`${page}/window`, { name: 'Database upgrade' }, { csrf })
  t.equal(afterCompleted.statusCode, 303, 'completed: neither box is read')
  t.match(maintenances.get('MW1').maintenance, { autoStart: true, autoComplete: false })
  t.same(counts(app), done)
})

t.test('the text of an update is fixed on the maintenance page; its time stays', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  await scheduled(app, ids)
  const page = '/admin/maintenances/MW1'
  const update = app.herald.services.maintenances.get('MW1').updates[0]
  if (update === undefined) throw new Error('no update')
  const before = counts(app)
  const bad = await editor.post(`${page}/updates/${update.id}`, { body: '\u0007' }, { formPage: page })
  t.equal(bad.statusCode, 400)
  t.ok(markedInvalid(bad.body, `edit-body-${update.id}`))
  t.match(bad.body, /<details class="edit-update" open>/)
  t.match(bad.body, new RegExp(`<form method="post" action="/admin/maintenances/MW1/updates/${update.id}"`), 'the edit form posts to the maintenance')
  t.match(bad.body, /<a class="update-time" href="\/incidents\/MW1#[^"]+">/, 'the time links to the public page of the maintenance')
  t.same(counts(app), before)
  t.equal((await editor.post(`${page}/updates/99999`, { body: 'x' }, { formPage: page })).statusCode, 404)

  const fixed = await editor.post(`${page}/updates/${update.id}`, { body: 'We will upgrade the database on Tuesday.' }, { formPage: page })
  t.equal(fixed.statusCode, 303)
  t.equal(notice((await editor.get(page)).body), 'The text of the update of 3 Feb 2020, 13:00 UTC is changed; its time stays.')
  t.match(app.herald.services.maintenances.get('MW1').updates[0], { body: 'We will upgrade the database on Tuesday.', displayAt: update.displayAt })
})

t.test('social deliveries show under each update, as on the incident page', async (t) => {
  const app = await build(t, {
    clock: new TestClock(now),
    env: { MASTODON_URL: 'https://mastodon.example', MASTODON_TOKEN: 'm', SOCIAL_WORKER: 'off' }
  })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  const response = await editor.post('/admin/maintenances/new', goodForm(ids, { postText: 'Planned work tomorrow 10:00 UTC' }), newPage)
  t.equal(response.statusCode, 303)
  const page = await editor.get('/admin/maintenances/MW1')
  t.match(page.body, /<span class="muted">Social post text:<\/span> Planned work tomorrow 10:00 UTC/)
  t.match(page.body, /<span class="delivery-channel">Mastodon<\/span>\s*<strong class="delivery-state">Pending<\/strong>/)
})

t.test('references: an incident\'s page sends a maintenance to its own page, and the other way round', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  await scheduled(app, ids)
  app.herald.services.incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'b' }, 'cli')

  const viaIncident = await editor.get('/admin/incidents/MW1')
  t.equal(viaIncident.statusCode, 303)
  t.equal(viaIncident.headers.location, '/admin/maintenances/MW1')
  const viaMaintenance = await editor.get('/admin/maintenances/TM202916')
  t.equal(viaMaintenance.statusCode, 303)
  t.equal(viaMaintenance.headers.location, '/admin/incidents/TM202916')
  t.equal((await editor.get('/admin/maintenances/mw1')).statusCode, 200, 'references are case-insensitive')
  for (const url of ['/admin/maintenances/NOPE1', '/admin/maintenances/%3Cscript%3E', `/admin/maintenances/${'A'.repeat(40)}`]) {
    const missing = await editor.get(url)
    t.equal(missing.statusCode, 404, url)
    t.match(missing.body, /Maintenance not found/)
    t.notMatch(missing.body, /<script>/)
  }
  const before = counts(app)
  t.equal((await editor.post('/admin/maintenances/TM202916/updates', { status: 'in_progress', body: 'x' }, { formPage: '/admin' })).statusCode, 404,
    'an incident gets no maintenance update')
  t.equal((await editor.post('/admin/maintenances/TM202916/window', { name: 'x' }, { formPage: '/admin' })).statusCode, 404)
  t.same(counts(app), before)

  // An incident's update form (an old tab, the dashboard's quick form, a typed URL) sent to a maintenance: its page, not raw JSON.
  for (const [what, fields] of [
    ['the incident page form', { status: 'identified', body: 'Pwned <b>x</b>', notify: '1' }],
    ['the dashboard quick form', { status: 'resolved', body: 'Done.', from: 'dashboard' }],
    ['a bad form', { status: 'nope', body: '' }]
  ] as const) {
    const sent = await editor.post('/admin/incidents/MW1/updates', fields, { formPage: '/admin' })
    t.equal(sent.statusCode, 303, `${what}: redirected`)
    t.equal(sent.headers.location, '/admin/maintenances/MW1', `${what}: to the maintenance page`)
    t.equal(notice((await editor.get('/admin/maintenances/MW1')).body), 'Nothing was saved: MW1 is a maintenance. Post its updates here.')
    t.same(counts(app), before, `${what}: nothing stored`)
  }
  t.equal(app.herald.services.maintenances.get('MW1').status, 'scheduled')

  // The incident pages and lists carry on with a maintenance around.
  const dashboard = await editor.get('/admin')
  t.equal(dashboard.statusCode, 200)
  t.notMatch(dashboard.body, /action="\/admin\/incidents\/MW1\/updates"/, 'a maintenance is not an open incident with a quick form')
  t.match(dashboard.body, /<h3><a href="\/admin\/incidents\/TM202916">Teams outage<\/a><\/h3>/)
  t.equal((await editor.get('/admin/incidents/TM202916')).statusCode, 200)
  t.equal((await editor.get('/admin/audit?reference=MW1')).statusCode, 200)
  t.equal((await editor.get('/admin/incidents/new')).statusCode, 200)
})

t.test('an empty list invites to schedule one', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const page = await editor.get('/admin/maintenances')
  t.equal(page.statusCode, 200)
  t.match(page.body, /No maintenance yet\. When work is planned, <a href="\/admin\/maintenances\/new">schedule it<\/a>/)
  t.match(page.body, /<a href="\/admin\/maintenances" aria-current="page">Maintenance<\/a>/)
})

t.test('a scheduled maintenance is cancelled from its page: shown as cancelled in the lists, on its public page and in the history', async (t) => {
  const clock = new TestClock(now)
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  await scheduled(app, ids)
  const page = '/admin/maintenances/MW1'
  const form = await editor.get(page)
  t.match(form.body, /<option value="cancelled">Cancelled<\/option>/, 'Cancelled is offered while it has not started')
  t.match(form.body, /Cancelled calls it off before it starts/)
  const posted = await editor.post(`${page}/updates`, { status: 'cancelled', body: 'Called off: the <b>vendor</b> postponed.', notify: '1' }, { formPage: page })
  t.equal(posted.statusCode, 303)
  const after = await editor.get(page)
  t.equal(notice(after.body), 'MW1 is cancelled: it will not start, and its components are left as they are.')
  t.match(after.body, /<strong class="update-status incident-status-cancelled maintenance-status">Cancelled<\/strong>\s*<span>Cancelled 3 Feb 2020, 13:00 UTC<\/span>/)
  t.match(after.body, /A cancelled maintenance takes notes; it never starts\./)
  t.match(after.body, /It is cancelled: its window is history and no longer moves\./)
  t.notMatch(after.body, /name="scheduledFor"/, 'the window no longer moves')
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:bob', action: 'maintenance.cancel' })
  t.match((await editor.get('/admin/audit')).body, /Cancelled a maintenance/)
  t.equal(app.herald.services.components.get(ids.chat).status, 'operational')

  const list = await editor.get('/admin/maintenances')
  t.match(list.body, /Recently completed[\s\S]*Database upgrade[\s\S]*Cancelled 3 Feb 2020, 13:00 UTC/)

  const publicPage = await app.inject('/incidents/MW1')
  t.match(publicPage.body, /<strong class="update-status incident-status-cancelled">Cancelled<\/strong>/)
  t.notMatch(publicPage.body, /Completed after/, 'it never ran: no duration')
  t.match(publicPage.body, /Called off: the &lt;b&gt;vendor&lt;\/b&gt; postponed\./)
  const history = await app.inject('/history')
  t.match(history.body, /Database upgrade[\s\S]*?incident-status-cancelled">Cancelled</)
  t.notMatch((await app.inject('/')).body, /class="maintenances maintenances-upcoming"/, 'no longer announced on the status page')

  const note = await editor.post(`${page}/updates`, { status: 'in_progress', body: 'Start anyway.' }, { formPage: page })
  t.equal(note.statusCode, 409)
  t.equal(fieldError(note.body, 'status'), 'This maintenance is cancelled: it takes notes, with the status Cancelled.')
  clock.set('2020-02-04T12:00:00.000Z')
  t.equal(app.herald.services.maintenances.runDue(), 0, 'the clock never starts it')
})

t.test('the form warns, without refusing, about components in an outage now: they will show the outage rather than maintenance', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  app.herald.services.components.patch(ids.chat, { status: 'major_outage' }, 'cli')
  app.herald.services.components.patch(ids.calls, { status: 'degraded_performance' }, 'cli')
  const form = await editor.get('/admin/maintenances/new')
  const warnings = [...form.body.matchAll(/id="component-(\d+)"[\s\S]*?<\/label>/g)]
    .filter((match) => /class="choice-warning"/.test(match[0])).map((match) => Number(match[1]))
  t.same(warnings, [ids.chat, ids.calls], 'each component in an outage is marked, the operational one is not')
  t.match(form.body, /<span class="choice-warning">In an outage now: while it lasts, it shows the outage, not maintenance\.<\/span>/)

  const response = await editor.post('/admin/maintenances/new', goodForm(ids, { components: [String(ids.chat), String(ids.calls), String(ids.api)] }), newPage)
  t.equal(response.statusCode, 303, 'scheduled all the same')
  t.equal(notice((await editor.get('/admin/maintenances/MW1')).body),
    'Maintenance MW1 is scheduled for 4 Feb 2020, 10:00 – 12:00 UTC. Teams chat and Calls are in an outage now: while it lasts, the outage is shown rather than the maintenance.')
  const quiet = await editor.post('/admin/maintenances/new', goodForm(ids, { reference: 'MW2', components: [String(ids.api)] }), newPage)
  t.equal(quiet.statusCode, 303)
  t.equal(notice((await editor.get('/admin/maintenances/MW2')).body), 'Maintenance MW2 is scheduled for 4 Feb 2020, 10:00 – 12:00 UTC.', 'no warning for operational components')
})

t.test('window times are typed in the operator\'s time zone, sent with the form, stored in UTC and shown back in it', async (t) => {
  const app = await build(t, { clock: new TestClock(now) })
  const { editor } = await withUsers(app)
  const ids = setUp(app)
  const { maintenances } = app.herald.services
  // New York is UTC-5 in February: 05:00 there is 10:00 UTC.
  const created = await editor.post('/admin/maintenances/new', goodForm(ids, { scheduledFor: '2020-02-04T05:00', scheduledUntil: '2020-02-04T07:00', timeZone: 'America/New_York' }), newPage)
  t.equal(created.statusCode, 303)
  t.match(maintenances.get('MW1').maintenance, { scheduledFor: '2020-02-04T10:00:00.000Z', scheduledUntil: '2020-02-04T12:00:00.000Z' })

  // The maintenance page shows the stored window in UTC for the script to convert, and says which zone.
  const page = await editor.get('/admin/maintenances/MW1')
  t.match(page.body, /<input id="move-scheduledFor" name="scheduledFor" type="datetime-local" required value="2020-02-04T10:00" data-utc="2020-02-04T10:00:00.000Z"/)
  t.match(page.body, /<input type="hidden" id="timeZone" name="timeZone" value="UTC" data-time-zone data-zone-auto>/)
  // Sent back as the script shows it in Kolkata (UTC+5:30): unchanged.
  const same = await editor.post('/admin/maintenances/MW1/window', { name: 'Database upgrade', scheduledFor: '2020-02-04T15:30', scheduledUntil: '2020-02-04T17:30', autoStart: '1', autoComplete: '1', timeZone: 'Asia/Kolkata' }, { formPage: '/admin/maintenances/MW1' })
  t.equal(same.statusCode, 303)
  t.equal(notice((await editor.get('/admin/maintenances/MW1')).body), 'Nothing changed: MW1 is as it was.')
  const moved = await editor.post('/admin/maintenances/MW1/window', { name: 'Database upgrade', scheduledFor: '2020-02-04T15:30', scheduledUntil: '2020-02-04T18:00', autoStart: '1', autoComplete: '1', timeZone: 'Asia/Kolkata' }, { formPage: '/admin/maintenances/MW1' })
  t.equal(moved.statusCode, 303)
  t.match(maintenances.get('MW1').maintenance, { scheduledFor: '2020-02-04T10:00:00.000Z', scheduledUntil: '2020-02-04T12:30:00.000Z' })

  // Without JavaScript nothing names a zone: UTC, as the page says.
  t.equal((await editor.post('/admin/maintenances/new', goodForm(ids, { reference: 'MW2', timeZone: undefined }), newPage)).statusCode, 303)
  t.match(maintenances.get('MW2').maintenance, { scheduledFor: '2020-02-04T10:00:00.000Z' })
  // The clocks fall back: 02:30 in Berlin on 25 Oct 2020 happens twice; the first (summer time, UTC+2) is taken.
  t.equal((await editor.post('/admin/maintenances/new', goodForm(ids, { reference: 'MW3', scheduledFor: '2020-10-25T02:30', scheduledUntil: '2020-10-25T04:00', timeZone: 'Europe/Berlin' }), newPage)).statusCode, 303)
  t.match(maintenances.get('MW3').maintenance, { scheduledFor: '2020-10-25T00:30:00.000Z', scheduledUntil: '2020-10-25T03:00:00.000Z' })

  const before = counts(app)
  const rows = storedRows(app.herald.stores.db)
  // Spring forward: 02:30 on 29 March 2020 does not exist in Berlin.
  const gap = await editor.post('/admin/maintenances/new', goodForm(ids, { reference: 'MW4', scheduledFor: '2020-03-29T02:30', scheduledUntil: '2020-03-29T04:00', timeZone: 'Europe/Berlin' }), newPage)
  t.equal(gap.statusCode, 400)
  t.equal(fieldError(gap.body, 'scheduledFor'), 'This time does not exist in Europe/Berlin: the clocks go forward over it. Choose a time before or after the change.')
  t.equal(inputValue(gap.body, 'scheduledFor'), '2020-03-29T02:30', 'what was typed is kept')
  t.match(gap.body, /<input type="hidden" id="timeZone" name="timeZone" value="Europe\/Berlin" data-time-zone>/, 'in the zone it was typed in, which the script leaves alone')
  t.match(gap.body, /Time zone: <strong data-time-zone-name>Europe\/Berlin<\/strong>/)
  const movedIntoGap = await editor.post('/admin/maintenances/MW3/window', { name: 'Database upgrade', scheduledFor: '2020-10-25T02:30', scheduledUntil: '2021-03-28T02:15', autoStart: '1', autoComplete: '1', timeZone: 'Europe/Berlin' }, { formPage: '/admin/maintenances/MW3' })
  t.equal(movedIntoGap.statusCode, 400)
  t.match(fieldError(movedIntoGap.body, 'move-scheduledUntil'), /^This time does not exist in Europe\/Berlin/)

  for (const [what, zone] of [
    ['an unknown zone', 'Mars/Olympus'],
    ['markup', '<b>UTC</b>'],
    ['an offset, which follows no clock change', '+01:00'],
    ['a control character', 'Europe/Berlin\u0000'],
    ['a bidi override', '\u202eUTC'],
    ['too long a name', `Europe/${'x'.repeat(64)}`]
  ] as const) {
    const response = await editor.post('/admin/maintenances/new', goodForm(ids, { reference: 'MW5', timeZone: zone }), newPage)
    t.equal(response.statusCode, 400, `${what}: refused`)
    t.match(fieldError(response.body, 'timeZone'), /^(Herald does not know this time zone\. Reload the page, or type the times in UTC\.|Use at most 64 characters\.)$/, `${what}: said next to the zone`)
    t.notMatch(response.body, /<b>UTC/, `${what}: escaped`)
    const window = await editor.post('/admin/maintenances/MW1/window', { name: 'Renamed', scheduledFor: '2020-02-04T10:00', scheduledUntil: '2020-02-04T12:00', timeZone: zone }, { formPage: '/admin/maintenances/MW1' })
    t.equal(window.statusCode, 400, `${what}: refused by the window form`)
  }
  t.same(counts(app), before, 'nothing stored')
  t.same(storedRows(app.herald.stores.db), rows, 'nothing stored, not even in part')
})
