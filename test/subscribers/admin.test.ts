// The admin's subscribers page: list and filters, add (a URL tested first), import a CSV, export it guarded against formulas, remove, re-enable; admins only, CSRF on every change.
import type { FastifyInstance } from 'fastify'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import type { TestContext } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { storedRows } from '../fixtures/stored.js'
import { type AdminSession, withUsers } from '../admin/fixtures/admin-session.js'
import { FakeSmtp } from './fixtures/fake-smtp.js'
import type { HookReceiver } from './fixtures/hook-receiver.js'
import { subscriberApp } from './fixtures/subscriber-app.js'

const actor = 'test'

interface World {
  app: FastifyInstance
  admin: AdminSession
  editor: AdminSession
  anonymous: AdminSession
  smtp: FakeSmtp
  hook: HookReceiver
}

async function world (t: TestContext, env: NodeJS.ProcessEnv = {}): Promise<World> {
  const { app, smtp, hook } = await subscriberApp(t, { env })
  const sessions = await withUsers(app)
  return { app, smtp, hook, ...sessions }
}

function subscribers (app: FastifyInstance): Array<Record<string, unknown>> {
  return app.herald.stores.db.prepare('SELECT * FROM subscribers ORDER BY id').all() as Array<Record<string, unknown>>
}

function audit (app: FastifyInstance, action: string): Array<Record<string, unknown>> {
  return app.herald.stores.db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id').all(action) as Array<Record<string, unknown>>
}

function rows (app: FastifyInstance): Record<string, unknown[]> {
  return storedRows(app.herald.stores.db)
}

/** Three subscribers in three states: an active address, an unconfirmed one, a quarantined webhook. */
function seed (app: FastifyInstance): { active: number, unconfirmed: number, quarantined: number } {
  const service = app.herald.services.subscribers
  const active = service.add(actor, { kind: 'email', target: 'active@example.com', components: 'all' }, { skipConfirmation: true }).subscriber.id
  const unconfirmed = service.add(actor, { kind: 'email', target: 'waiting@example.com', components: 'all' }, { skipConfirmation: false }).subscriber.id
  const quarantined = service.add(actor, { kind: 'webhook', target: 'https://hooks.example.com/=cmd|calc', components: 'all' }, { skipConfirmation: false }).subscriber.id
  app.herald.stores.db.prepare("UPDATE subscribers SET state = 'quarantined', last_error = '=HYPERLINK(\"x\")', failing_since = '2020-02-01T00:00:00.000Z' WHERE id = ?").run(quarantined)
  return { active, unconfirmed, quarantined }
}

t.test('the list: kind, target, state, components, last delivery and error; filters by kind and state', async (t) => {
  const { app, admin } = await world(t)
  seed(app)
  const page = await admin.get('/admin/subscribers')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['cache-control'], 'no-store')
  t.match(page.body, '<h2 id="list-heading">3 subscribers</h2>')
  t.match(page.body, /<bdi>active@example\.com<\/bdi>[\s\S]*?<td data-label="Kind">Email<\/td>\s*<td data-label="State">Active<\/td>\s*<td data-label="Components">All components<\/td>/)
  t.match(page.body, /<bdi>waiting@example\.com<\/bdi>[\s\S]*?<td data-label="State">Unconfirmed<\/td>/)
  t.match(page.body, /<td data-label="State">Quarantined<\/td>[\s\S]*?<bdi>&#x3D;HYPERLINK\(&quot;x&quot;\)<\/bdi>/, 'the last error, escaped')
  t.match(page.body, /action="\/admin\/subscribers\/3\/reenable"/, 'a quarantined one can be re-enabled')
  t.notMatch(page.body, /action="\/admin\/subscribers\/1\/reenable"/, 'an active one cannot')

  const emails = await admin.get('/admin/subscribers?kind=email')
  t.match(emails.body, '2 subscribers found')
  t.notMatch(emails.body, 'hooks.example.com')
  t.match(emails.body, '<option value="email" selected>Email</option>')
  const waiting = await admin.get('/admin/subscribers?kind=email&state=unconfirmed')
  t.match(waiting.body, '1 subscriber found')
  t.match(waiting.body, 'waiting@example.com')
  t.notMatch(waiting.body, 'active@example.com')
  const none = await admin.get('/admin/subscribers?kind=slack')
  t.match(none.body, 'No subscriber of that kind and state.')
  for (const url of ['/admin/subscribers?kind=fax', '/admin/subscribers?state=%3Cscript%3E', `/admin/subscribers?kind=${'x'.repeat(30)}`]) {
    const response = await admin.get(url)
    t.equal(response.statusCode, 400, url)
    t.notMatch(response.body, '<script>')
  }
})

t.test('the list is paged, 100 a page, newest first, the filter kept in the links', async (t) => {
  const { app, admin } = await world(t)
  const addresses = Array.from({ length: 105 }, (_, i) => `user${i}@example.com`)
  app.herald.services.subscribers.importEmails(actor, addresses, { skipConfirmation: true, components: 'all' })
  const first = await admin.get('/admin/subscribers?state=active')
  t.match(first.body, '105 subscribers found')
  t.match(first.body, 'Page 1 of 2')
  // Handlebars writes = as &#x3D; in an attribute: the same address to a browser.
  t.match(first.body, '<a href="/admin/subscribers?state&#x3D;active&amp;page&#x3D;2">Older</a>')
  t.equal([...first.body.matchAll(/<tr id="subscriber-/g)].length, 100)
  const second = await admin.get('/admin/subscribers?state=active&page=2')
  t.equal([...second.body.matchAll(/<tr id="subscriber-/g)].length, 5)
  t.match(second.body, '<a href="/admin/subscribers?state&#x3D;active">Newer</a>')
  t.match((await admin.get('/admin/subscribers?page=abc')).body, 'Page 1 of 2', 'a page that is no number: the first')
})

t.test('the dashboard counts subscribers by kind', async (t) => {
  const { app, admin, editor } = await world(t)
  t.match((await admin.get('/admin')).body, 'No subscribers yet')
  seed(app)
  const dashboard = await admin.get('/admin')
  t.match(dashboard.body, /<li data-subscribers>Subscribers: 2 Email \(1 unconfirmed\), 1 Webhook \(1 quarantined\) · <a href="\/admin\/subscribers">manage<\/a><\/li>/)
  const asEditor = await editor.get('/admin')
  t.match(asEditor.body, 'Subscribers: 2 Email')
  t.notMatch(asEditor.body, 'href="/admin/subscribers"', 'no link for an editor')
  t.match((await admin.get('/admin')).body, /<a href="\/admin\/subscribers"( aria-current="page")?>Subscribers<\/a>/, 'the nav entry')
})

t.test('add: an email address gets a confirmation mail, or is active with skip confirmation; audited', async (t) => {
  const { app, admin, smtp } = await world(t)
  const added = await admin.post('/admin/subscribers', { kind: 'email', target: '  jane@example.com ' }, { formPage: '/admin/subscribers' })
  t.equal(added.statusCode, 303)
  t.match(subscribers(app), [{ kind: 'email', target: 'jane@example.com', state: 'unconfirmed', source: 'admin' }])
  await eventually(() => smtp.received.length === 1, 'the confirmation mail')
  t.match(smtp.received[0]?.mail.text ?? '', 'https://status.example.com/subscriptions/confirm/')
  t.match((await admin.get('/admin/subscribers')).body, 'Added jane@example.com: a confirmation mail is on its way.')

  await admin.post('/admin/subscribers', { kind: 'email', target: 'joe@example.com', skipConfirmation: 'on' }, { formPage: '/admin/subscribers' })
  t.match(subscribers(app)[1], { target: 'joe@example.com', state: 'active' })
  t.match(audit(app, 'subscriber.add').map((entry) => JSON.parse(entry.detail as string)), [{ skipConfirmation: false }, { skipConfirmation: true }])
  t.equal(smtp.received.length, 1, 'no mail for a skipped confirmation')

  const again = await admin.post('/admin/subscribers', { kind: 'email', target: 'JOE@example.com' }, { formPage: '/admin/subscribers' })
  t.equal(again.statusCode, 409)
  t.match(again.body, /id="add-target-error">[^<]*already subscribed/)
})

t.test('add: a URL is test-delivered first; its secret is shown once; a failing one is refused beside the field', async (t) => {
  const { app, admin, hook } = await world(t)
  const added = await admin.post('/admin/subscribers', { kind: 'webhook', target: hook.url(), contactEmail: 'ops@example.com' }, { formPage: '/admin/subscribers' })
  t.equal(added.statusCode, 201)
  t.equal(hook.received.length, 1, 'the test message')
  const secret = /id="signing-secret" readonly value="(whsec_[A-Za-z0-9_-]+)"/.exec(added.body)?.[1]
  t.ok(secret, 'the secret shown')
  t.match(subscribers(app), [{ kind: 'webhook', state: 'active', signing_secret: secret, contact_email: 'ops@example.com' }])
  t.notMatch((await admin.get('/admin/subscribers')).body, secret as string, 'not shown again')

  hook.status = 500
  const before = rows(app)
  const refused = await admin.post('/admin/subscribers', { kind: 'slack', target: hook.url('/other') }, { formPage: '/admin/subscribers' })
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /id="add-target-error">The test message was not delivered/)
  t.same(rows(app), before, 'nothing stored')
})

t.test('add: bad input is refused beside its field, nothing stored', async (t) => {
  const { app, admin, hook } = await world(t)
  const before = rows(app)
  for (const [what, fields, field] of [
    ['no kind', { target: 'a@example.com' }, 'add-kind-error'],
    ['an unknown kind', { kind: 'fax', target: 'a@example.com' }, 'add-kind-error'],
    ['no target', { kind: 'email', target: '' }, 'add-target-error'],
    ['a header injection', { kind: 'email', target: 'a@b.c\r\nBcc: x@example.com' }, 'add-target-error'],
    ['a bidi override', { kind: 'email', target: 'a\u202e@example.com' }, 'add-target-error'],
    ['javascript:', { kind: 'webhook', target: 'javascript:alert(1)' }, 'add-target-error'],
    ['credentials', { kind: 'webhook', target: 'https://u:p@example.com/' }, 'add-target-error'],
    ['a bad contact', { kind: 'webhook', target: hook.url(), contactEmail: '<script>' }, 'add-contact-error'],
    ['too long', { kind: 'webhook', target: `https://example.com/${'a'.repeat(2100)}` }, 'add-target-error']
  ] as const) {
    const response = await admin.post('/admin/subscribers', fields, { formPage: '/admin/subscribers' })
    t.equal(response.statusCode, 400, what)
    t.match(response.body, `id="${field}"`, `${what}: beside the field`)
    t.notMatch(response.body, '<script>', `${what}: escaped`)
  }
  t.same(rows(app), before, 'nothing stored')
  t.equal(hook.received.length, 0, 'no test message for a refused form')
})

t.test('import: valid, invalid and duplicate lines, a column named email, skip confirmation, audited', async (t) => {
  const { app, admin, smtp } = await world(t)
  seed(app)
  const csv = [
    'name,email',
    'Jane,jane@example.com',
    'Joe,not-an-address',
    '',
    'Active,ACTIVE@example.com',
    'Jane again,jane@example.com',
    '"Quote, Inc.","a@b.c\r\nBcc: x@example.com"',
    'Max,max@example.com'
  ].join('\n')
  const response = await admin.post('/admin/subscribers/import', { csv }, { formPage: '/admin/subscribers' })
  t.equal(response.statusCode, 200)
  t.match(response.body, /2 added \(each sent a confirmation mail\), 2 already there, 2 refused\./)
  t.match(response.body, /<th scope="row">3<\/th><td><bdi>not-an-address<\/bdi><\/td>/, 'the refused line with its number in the file')
  t.match(response.body, /<th scope="row">8<\/th>/, 'a quoted field over two lines: the line it ends on')
  t.match(subscribers(app).filter((row) => row.source === 'import'), [{ target: 'jane@example.com', state: 'unconfirmed' }, { target: 'max@example.com', state: 'unconfirmed' }])
  await eventually(() => smtp.received.length === 2, 'two confirmation mails')
  t.match(audit(app, 'subscriber.import').map((entry) => JSON.parse(entry.detail as string)), [{ added: 2, existing: 2, refused: 2, skipConfirmation: false }])

  const skipped = await admin.post('/admin/subscribers/import', { csv: 'one@example.com\ntwo@example.com', skipConfirmation: 'on' }, { formPage: '/admin/subscribers' })
  t.match(skipped.body, '2 added (active, confirmation skipped)')
  t.match(subscribers(app).filter((row) => row.target === 'one@example.com' || row.target === 'two@example.com'), [{ state: 'active' }, { state: 'active' }])
  t.match(audit(app, 'subscriber.import')[1], { detail: /"skipConfirmation":true/ })
  t.equal(smtp.received.length, 2, 'no mail for a skipped confirmation')
})

t.test('import: a CSV that cannot be read, or holds nothing, stores nothing', async (t) => {
  const { app, admin } = await world(t)
  const before = rows(app)
  for (const [what, csv, message] of [
    ['empty', '', 'This field is required.'],
    ['blank lines', '\n\n', 'The CSV has no addresses.'],
    ['a broken quote', '"jane@example.com\nx', 'The CSV could not be read'],
    ['over the limit', 'a'.repeat(200_001), 'Use at most 200000 characters.']
  ] as const) {
    const response = await admin.post('/admin/subscribers/import', { csv }, { formPage: '/admin/subscribers' })
    t.equal(response.statusCode, 400, what)
    t.match(response.body, /id="import-csv-error"/, `${what}: beside the field`)
    t.match(response.body, message, what)
  }
  const allBad = await admin.post('/admin/subscribers/import', { csv: 'nope\n<b>x</b>' }, { formPage: '/admin/subscribers' })
  t.match(allBad.body, '0 added')
  t.match(allBad.body, '&lt;b&gt;x&lt;/b&gt;', 'escaped')
  t.same(rows(app).subscribers, before.subscribers, 'no subscriber stored')
})

t.test('import is off without SMTP', async (t) => {
  const { app, admin } = await world(t, { SMTP_URL: '', MAIL_FROM: '' })
  t.match((await admin.get('/admin/subscribers')).body, 'Email is off')
  const before = rows(app)
  const response = await admin.post('/admin/subscribers/import', { csv: 'jane@example.com' }, { formPage: '/admin/subscribers' })
  t.equal(response.statusCode, 400)
  t.match(response.body, 'Email is off: set <code>SMTP_URL</code>', 'the import section says why')
  const added = await admin.post('/admin/subscribers', { kind: 'email', target: 'jane@example.com' }, { formPage: '/admin/subscribers' })
  t.match(added.body, /id="add-kind-error">Email is off/)
  t.same(rows(app), before, 'nothing stored')
})

t.test('export: every subscriber, no secret, every cell safe from spreadsheet formulas', async (t) => {
  const { app, admin } = await world(t)
  seed(app)
  app.herald.stores.db.prepare("UPDATE subscribers SET contact_email = '+1@example.com' WHERE kind = 'webhook'").run()
  const response = await admin.get('/admin/subscribers/export.csv')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(response.headers['content-disposition'], 'attachment; filename="subscribers.csv"')
  t.equal(response.headers['cache-control'], 'no-store')
  const table = parse(response.body) as string[][]
  t.same(table[0], ['id', 'kind', 'target', 'contact_email', 'state', 'components', 'source', 'created_at', 'confirmed_at', 'last_delivery_at', 'last_error'])
  t.equal(table.length, 4)
  const webhook = table.find((row) => row[1] === 'webhook') ?? []
  t.equal(webhook[2], 'https://hooks.example.com/=cmd|calc', 'a formula inside a cell is left alone')
  t.equal(webhook[3], "'+1@example.com", 'a cell starting with + gets an apostrophe')
  t.equal(webhook[10], "'=HYPERLINK(\"x\")", 'a cell starting with = too')
  t.notMatch(response.body, 'whsec_', 'no signing secret')
  for (const row of table) for (const cell of row) t.notOk(/^[=+\-@]/.test(cell), `safe: ${cell}`)
})

t.test('remove: a confirm step, then gone, audited; a missing one is a 404', async (t) => {
  const { app, admin } = await world(t)
  const { active } = seed(app)
  const page = await admin.get(`/admin/subscribers/${active}/remove`)
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Remove this subscriber?')
  t.match(page.body, `action="/admin/subscribers/${active}/remove"`)
  t.equal(subscribers(app).length, 3, 'the page changes nothing')
  const removed = await admin.post(`/admin/subscribers/${active}/remove`, {}, { formPage: `/admin/subscribers/${active}/remove` })
  t.equal(removed.statusCode, 303)
  t.equal(subscribers(app).length, 2)
  t.match(audit(app, 'subscriber.remove'), [{ actor: 'user:alice' }])
  t.equal((await admin.get(`/admin/subscribers/${active}/remove`)).statusCode, 404)
  t.equal((await admin.post(`/admin/subscribers/${active}/remove`, {}, { formPage: '/admin/subscribers' })).statusCode, 404)
  t.equal((await admin.get('/admin/subscribers/abc/remove')).statusCode, 400)
})

t.test('re-enable: a quarantined or bounced one is active again; an active one is refused', async (t) => {
  const { app, admin } = await world(t)
  const { active, quarantined } = seed(app)
  const response = await admin.post(`/admin/subscribers/${quarantined}/reenable`, {}, { formPage: '/admin/subscribers' })
  t.equal(response.statusCode, 303)
  t.match(subscribers(app).find((row) => row.id === quarantined), { state: 'active', failing_since: null })
  t.match(audit(app, 'subscriber.reenable'), [{ actor: 'user:alice' }])
  app.herald.stores.db.prepare("UPDATE subscribers SET state = 'bounced' WHERE id = ?").run(active)
  await admin.post(`/admin/subscribers/${active}/reenable`, {}, { formPage: '/admin/subscribers' })
  t.match(subscribers(app).find((row) => row.id === active), { state: 'active' })
  const again = await admin.post(`/admin/subscribers/${active}/reenable`, {}, { formPage: '/admin/subscribers' })
  t.equal(again.statusCode, 303)
  t.match((await admin.get('/admin/subscribers')).body, /only a quarantined or bounced one can be re-enabled/)
  t.equal(audit(app, 'subscriber.reenable').length, 2, 'the refusal is not audited')
})

t.test('only admins: an editor gets 403, anonymous is sent to sign in; no change without the CSRF token', async (t) => {
  const { app, admin, editor, anonymous } = await world(t)
  const { active } = seed(app)
  const before = rows(app)
  for (const url of ['/admin/subscribers', '/admin/subscribers/export.csv', `/admin/subscribers/${active}/remove`]) {
    t.equal((await editor.get(url)).statusCode, 403, `editor GET ${url}`)
    t.equal((await anonymous.get(url)).statusCode, 302, `anonymous GET ${url}`)
  }
  const csrf = await editor.csrfToken('/admin')
  for (const [url, fields] of [
    ['/admin/subscribers', { kind: 'email', target: 'mallory@example.com', skipConfirmation: 'on' }],
    ['/admin/subscribers/import', { csv: 'mallory@example.com', skipConfirmation: 'on' }],
    [`/admin/subscribers/${active}/remove`, {}],
    [`/admin/subscribers/${active}/reenable`, {}]
  ] as const) {
    t.equal((await editor.post(url, fields, { csrf })).statusCode, 403, `editor POST ${url}`)
    t.equal((await admin.post(url, fields, { csrf: null })).statusCode, 403, `admin POST ${url} without a CSRF token`)
    t.equal((await admin.post(url, fields, { csrf: 'forged' })).statusCode, 403, `admin POST ${url} with a forged token`)
  }
  t.same(rows(app), before, 'nothing changed')
})
