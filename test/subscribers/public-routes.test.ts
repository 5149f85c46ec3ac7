// The public subscription pages: the button on every page, /subscribe by email and by URL, confirm, manage and one-click unsubscribe, with bad input, the rate limit and their headers.
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { SiteExport } from '../../server/export/site-export.js'
import { type TestContext, TestClock, tempDir } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { storedRows } from '../fixtures/stored.js'
import { attackCorpus, liveMarkupIn } from '../fixtures/attack-corpus.js'
import { seedTeamsOutage } from '../fixtures/story.js'
import { filesIn } from '../export/fixtures/site.js'
import { FakeSmtp } from './fixtures/fake-smtp.js'
import type { HookReceiver } from './fixtures/hook-receiver.js'
import { subscriberApp } from './fixtures/subscriber-app.js'

const publicUrl = 'https://status.example.com'
const actor = 'test'

interface World {
  app: FastifyInstance
  smtp: FakeSmtp
  hook: HookReceiver
  clock: TestClock
  chat: number
  signIn: number
  calls: number
}

/** Herald with email on (a fake SMTP server), URLs on 127.0.0.1 allowed, the worker off (only the pages' own mail goes out). */
async function world (t: TestContext, env: NodeJS.ProcessEnv = {}): Promise<World> {
  const clock = new TestClock()
  const { app, smtp, hook } = await subscriberApp(t, { clock, env })
  const { components } = app.herald.services
  const chat = components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, actor).id
  const signIn = components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, actor).id
  const calls = components.create({ name: 'Calls <b>&amp;</b>' }, actor).id
  return { app, smtp, hook, clock, chat, signIn, calls }
}

function form (fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one)
  }
  return params.toString()
}

async function post (app: FastifyInstance, url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form(fields) })
}

function rows (app: FastifyInstance): Record<string, unknown[]> {
  return storedRows(app.herald.stores.db)
}

function subscribers (app: FastifyInstance): Array<Record<string, unknown>> {
  return app.herald.stores.db.prepare('SELECT * FROM subscribers ORDER BY id').all() as Array<Record<string, unknown>>
}

/** The link of a confirmation mail, as the visitor would click it. */
function confirmLinkOf (text: string): string {
  const match = /https:\/\/status\.example\.com(\/subscriptions\/confirm\/[A-Za-z0-9_-]+)/.exec(text)
  if (match === null) throw new Error(`no confirmation link in ${text}`)
  return match[1] as string
}

function checkPerVisitorHeaders (t: Test, response: LightMyRequestResponse, what: string): void {
  t.equal(response.headers['cache-control'], 'no-store', `${what}: Cache-Control`)
  t.equal(response.headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`)
  t.equal(response.headers['x-robots-tag'], 'noindex', `${what}: X-Robots-Tag`)
  t.equal(response.headers.etag, undefined, `${what}: no ETag`)
}

t.test('every public page has the Subscribe button, the same for everyone, pointing at the live form', async (t) => {
  const { app } = await world(t)
  const { reference } = seedTeamsOutage(app.herald.services, { actor })
  const button = `<a class="subscribe-button" href="${publicUrl}/subscribe">Subscribe to updates</a>`
  for (const url of ['/', '/history', `/incidents/${reference}`, '/no-such-page']) {
    const first = await app.inject({ url, headers: { cookie: 'a=1', 'x-forwarded-for': '10.0.0.1' } })
    t.match(first.body, button, `${url}: the button`)
    const second = await app.inject({ url, headers: { 'x-forwarded-for': '10.0.0.2' } })
    t.equal(second.body, first.body, `${url}: the same body for another visitor`)
  }
})

t.test('the static mirror has no /subscribe; its pages link to the live form', async (t) => {
  const { app } = await world(t)
  const dir = join(tempDir(t), 'mirror')
  const site = new SiteExport(app, dir)
  await site.open()
  await site.pass()
  const files = filesIn(dir)
  t.notOk(files.some((file) => /subscri/.test(file)), 'no subscription page in the mirror')
  t.match(readFileSync(join(dir, 'index.html'), 'utf8'), `href="${publicUrl}/subscribe"`, 'the button leads to the live page')
})

t.test('GET /subscribe: a form that works without JavaScript, components by group, never cached', async (t) => {
  const { app, chat, calls } = await world(t)
  const response = await app.inject('/subscribe')
  t.equal(response.statusCode, 200)
  checkPerVisitorHeaders(t, response, 'GET /subscribe')
  const html = response.body
  t.match(html, '<form method="post" action="/subscribe"')
  t.notMatch(html, /<script(?![^>]*src="\/static\/)/, 'no inline script')
  for (const kind of ['email', 'webhook', 'slack', 'discord', 'teams']) t.match(html, `id="kind-${kind}" value="${kind}"`, `${kind} offered`)
  t.match(html, /id="scope-all" value="all" checked/, 'all components by default')
  t.match(html, /<fieldset class="component-set">\s*<legend>Microsoft Teams<\/legend>[\s\S]*value="1"/, 'a group is a fieldset with its name as legend')
  t.match(html, `value="${chat}"`)
  t.match(html, `value="${calls}"> <bdi>Calls &lt;b&gt;&amp;amp;&lt;/b&gt;</bdi>`, 'a name is escaped')
  t.match(html, '<legend>Other components</legend>', 'the components in no group have a fieldset of their own')
})

t.test('GET /subscribe renders the blank form once per content version: a flood of GETs costs no render', async (t) => {
  const { app } = await world(t)
  const first = await app.inject('/subscribe')
  let renders = 0
  const view = app.view.bind(app)
  app.view = (async (...args: Parameters<typeof view>) => {
    renders++
    return await view(...args)
  }) as typeof app.view
  for (let i = 0; i < 5; i++) t.equal((await app.inject('/subscribe')).body, first.body)
  t.equal(renders, 0, 'served as rendered')
  app.herald.services.subscribers.subscribe({ kind: 'webhook', target: 'https://hooks.example.com/a', components: 'all', source: 'visitor' })
  t.equal((await app.inject('/subscribe')).body, first.body)
  t.equal(renders, 0, 'a subscriber\'s write changes nothing the form shows: still no render')
  app.herald.services.components.create({ name: 'Calendar', group: 'Microsoft Teams' }, actor)
  const after = await app.inject('/subscribe')
  t.equal(renders, 1, 'a new component: rendered again, once')
  t.match(after.body, '<bdi>Calendar</bdi>')
  checkPerVisitorHeaders(t, after, 'GET /subscribe from the kept render')
})

t.test('without SMTP, email is not offered and is refused', async (t) => {
  const { app } = await world(t, { SMTP_URL: '', MAIL_FROM: '' })
  const html = (await app.inject('/subscribe')).body
  t.notMatch(html, 'id="kind-email"', 'no email choice')
  t.notMatch(html, 'id="email"', 'no address field')
  const before = rows(app)
  const response = await post(app, '/subscribe', { kind: 'email', email: 'jane@example.com', scope: 'all' })
  t.equal(response.statusCode, 400)
  t.match(response.body, 'Choose one of the ways offered.')
  t.same(rows(app), before, 'nothing stored')
})

t.test('email: the same answer for a new, unconfirmed, active and bounced address; the mail goes out after the answer', async (t) => {
  const { app, smtp, chat } = await world(t)
  const answers: string[] = []
  const subscribe = async (email: string): Promise<LightMyRequestResponse> => {
    const response = await post(app, '/subscribe', { kind: 'email', email, scope: 'some', components: [String(chat)] })
    t.equal(response.statusCode, 200, `${email}: 200`)
    checkPerVisitorHeaders(t, response, `POST /subscribe ${email}`)
    answers.push(response.body)
    return response
  }
  await subscribe('Jane@Example.COM')
  await eventually(() => smtp.received.length === 1, 'the confirmation mail')
  const confirmation = smtp.received[0]
  t.same(confirmation?.envelope.to, ['Jane@example.com'], 'to the address, its domain lower-cased')
  const link = confirmLinkOf(confirmation?.mail.text ?? '')
  t.match(subscribers(app), [{ kind: 'email', state: 'unconfirmed', all_components: 0 }])

  await subscribe('jane@example.com')
  await eventually(() => smtp.received.length === 2, 'a second confirmation mail')
  const renewed = confirmLinkOf(smtp.received[1]?.mail.text ?? '')
  t.not(renewed, link, 'a new token')
  t.equal((await app.inject(link)).statusCode, 404, 'the old link no longer works')

  t.equal((await post(app, renewed, {})).statusCode, 200, 'confirmed')
  await subscribe('jane@example.com')
  await eventually(() => smtp.received.length === 3, 'the already-subscribed mail')
  t.match(smtp.received[2]?.mail.text ?? '', `${publicUrl}/subscriptions/`, 'it carries the manage link')
  t.notMatch(smtp.received[2]?.mail.text ?? '', '/subscriptions/confirm/', 'and no confirmation link')

  app.herald.stores.db.prepare("UPDATE subscribers SET state = 'bounced'").run()
  await subscribe('jane@example.com')
  await subscribe('new@example.com')
  t.equal(new Set(answers).size, 1, 'every answer the same, byte for byte')
  t.match(answers[0], '<h1>Check your inbox</h1>')
  t.notMatch(answers[0], /jane|example\.com\/subscriptions/i, 'nothing of the address or its state')
})

t.test('email: the answer does not wait for the mail server', async (t) => {
  const { app, smtp } = await world(t)
  smtp.failNext({ stage: 'rcpt', hang: true })
  const started = Date.now()
  const response = await post(app, '/subscribe', { kind: 'email', email: 'slow@example.com', scope: 'all' })
  t.equal(response.statusCode, 200)
  t.ok(Date.now() - started < 2000, 'answered while the mail server hangs')
})

t.test('confirm: GET changes nothing and shows a button; POST confirms; a used or unknown link is a 404 that says what to do', async (t) => {
  const { app, smtp } = await world(t)
  await post(app, '/subscribe', { kind: 'email', email: 'jane@example.com', scope: 'all' })
  await eventually(() => smtp.received.length === 1, 'the confirmation mail')
  const link = confirmLinkOf(smtp.received[0]?.mail.text ?? '')
  const before = rows(app)
  for (let i = 0; i < 3; i++) {
    const page = await app.inject(link)
    t.equal(page.statusCode, 200)
    t.match(page.body, `<form method="post" action="${link}"`)
    checkPerVisitorHeaders(t, page, 'GET confirm')
    t.equal((await app.inject({ method: 'HEAD', url: link })).statusCode, 200)
  }
  t.same(rows(app), before, 'a GET (a link scanner) changes nothing')

  const confirmed = await post(app, link, {})
  t.equal(confirmed.statusCode, 200)
  t.match(confirmed.body, 'You’re subscribed')
  t.match(confirmed.body, new RegExp(`href="${publicUrl}/subscriptions/[0-9]+\\.[A-Za-z0-9_-]{43}"`), 'the manage link')
  t.match(subscribers(app), [{ state: 'active' }])
  checkPerVisitorHeaders(t, confirmed, 'POST confirm')

  for (const url of [link, '/subscriptions/confirm/nope', `/subscriptions/confirm/${'x'.repeat(43)}`, `/subscriptions/confirm/${'x'.repeat(99)}`]) {
    const get = await app.inject(url)
    t.equal(get.statusCode, 404, `GET ${url.slice(0, 60)}`)
    t.match(get.body, 'This link has expired')
    t.match(get.body, 'Subscribe again')
    const again = await post(app, url, {})
    t.equal(again.statusCode, 404, `POST ${url.slice(0, 60)}`)
  }
})

t.test('confirm: a link older than 7 days has expired', async (t) => {
  const { app, smtp, clock } = await world(t)
  await post(app, '/subscribe', { kind: 'email', email: 'late@example.com', scope: 'all' })
  await eventually(() => smtp.received.length === 1, 'the confirmation mail')
  const link = confirmLinkOf(smtp.received[0]?.mail.text ?? '')
  clock.advance(7 * 24 * 60 * 60_000 + 1000)
  t.equal((await app.inject(link)).statusCode, 404)
  t.equal((await post(app, link, {})).statusCode, 404)
  t.match(subscribers(app), [{ state: 'unconfirmed' }], 'not confirmed')
})

t.test('a webhook: tested first, then subscribed with its secret shown once and the manage link', async (t) => {
  const { app, hook, signIn } = await world(t)
  const response = await post(app, '/subscribe', { kind: 'webhook', url: hook.url(), contactEmail: 'ops@example.com', scope: 'some', components: String(signIn) })
  t.equal(response.statusCode, 201)
  checkPerVisitorHeaders(t, response, 'POST /subscribe webhook')
  t.match(response.body, 'Test message delivered')
  const secret = /id="signing-secret">(whsec_[A-Za-z0-9_-]+)</.exec(response.body)?.[1]
  t.ok(secret, 'the secret is shown')
  t.match(response.body, 'X-Herald-Signature')
  t.match(response.body, 'Verifying webhook signatures')
  t.equal(hook.received.length, 1, 'one test message')
  const test = hook.received[0]
  const signature = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(test?.headers['x-herald-signature']))
  t.ok(signature, 'the test message is signed')
  t.equal(signature?.[2], createHmac('sha256', secret as string).update(`${signature?.[1] ?? ''}.${test?.body ?? ''}`).digest('hex'), 'with the secret shown, as the README says to verify it')
  const stored = subscribers(app)
  t.match(stored, [{ kind: 'webhook', state: 'active', contact_email: 'ops@example.com', all_components: 0, signing_secret: secret }])
  const manage = /href="https:\/\/status\.example\.com(\/subscriptions\/[^"]+)" class="manage-link"/.exec(response.body)?.[1]
  t.ok(manage, 'the manage link')
  const page = await app.inject(manage as string)
  t.equal(page.statusCode, 200)
  t.notMatch(page.body, secret as string, 'the secret is not shown again')
})

t.test('a URL that does not answer 2xx is refused with the reason beside the field, and nothing is stored', async (t) => {
  const { app, hook } = await world(t)
  const before = rows(app)
  for (const status of [500, 404, 301]) {
    hook.status = status
    const response = await post(app, '/subscribe', { kind: 'slack', url: hook.url(), scope: 'all' })
    t.equal(response.statusCode, 400, `${status}: refused`)
    t.match(response.body, /<p class="field-error" id="url-error">The test message was not delivered: [^<]+/, `${status}: the reason beside the URL`)
    t.match(response.body, /id="url"[^>]*aria-describedby="url-hint url-error"[^>]*aria-invalid="true"/, 'tied to the field')
    t.match(response.body, `value="${hook.url()}"`, 'what was typed is kept')
  }
  t.same(rows(app), before, 'nothing stored')
})

t.test('a component deleted while the test message is on its way: refused beside the components, nothing stored', async (t) => {
  const { app, hook, calls } = await world(t)
  hook.onRequest = () => { app.herald.services.components.remove(calls, actor) }
  const before = rows(app).subscribers
  const response = await post(app, '/subscribe', { kind: 'discord', url: hook.url(), scope: 'some', components: String(calls) })
  t.equal(hook.received.length, 1, 'the test message went out')
  t.equal(response.statusCode, 400)
  t.match(response.body, /<p class="field-error" id="components-error">[^<]+\.<\/p>/, 'the service\'s refusal beside the components')
  t.same(rows(app).subscribers, before, 'no subscriber stored')
})

t.test('a database failure is a 500, not a page that says the link expired', async (t) => {
  const { app, smtp } = await world(t)
  await post(app, '/subscribe', { kind: 'email', email: 'jane@example.com', scope: 'all' })
  await eventually(() => smtp.received.length === 1, 'the confirmation mail')
  const link = confirmLinkOf(smtp.received[0]?.mail.text ?? '')
  app.herald.stores.db.exec("CREATE TRIGGER broken BEFORE UPDATE ON subscribers BEGIN SELECT RAISE(ABORT, 'the disk is broken'); END")
  const response = await post(app, link, {})
  t.equal(response.statusCode, 500)
  t.notMatch(response.body, 'This link has expired')
  t.notMatch(response.body, 'the disk is broken', 'no details')
  app.herald.stores.db.exec('DROP TRIGGER broken')
  t.equal((await post(app, link, {})).statusCode, 200, 'the link still works once the database does')
})

t.test('private addresses are refused unless allowed', async (t) => {
  const { app, hook } = await world(t, { SUBSCRIPTIONS_ALLOW_PRIVATE_URLS: '' })
  const before = rows(app)
  for (const url of [hook.url(), 'http://10.0.0.1/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest']) {
    const response = await post(app, '/subscribe', { kind: 'webhook', url, scope: 'all' })
    t.equal(response.statusCode, 400, url)
    t.match(response.body, 'id="url-error"', `${url}: the reason beside the URL`)
  }
  t.equal(hook.received.length, 0, 'nothing reached the receiver')
  t.same(rows(app), before, 'nothing stored')
})

t.test('bad input on /subscribe: a clear 400 beside the field, nothing stored, nothing sent', async (t) => {
  const { app, smtp, hook } = await world(t)
  const before = rows(app)
  const cases: Array<[string, Record<string, string | string[]>, string]> = [
    ['no kind', { email: 'a@example.com' }, 'kind-error'],
    ['an unknown kind', { kind: 'fax', email: 'a@example.com' }, 'kind-error'],
    ['a header injection', { kind: 'email', email: 'a@b.c\r\nBcc: x@example.com' }, 'email-error'],
    ['a line feed', { kind: 'email', email: 'a@example.com\nBcc: x@example.com' }, 'email-error'],
    ['no address', { kind: 'email', email: '' }, 'email-error'],
    ['no domain', { kind: 'email', email: 'jane' }, 'email-error'],
    ['a control character', { kind: 'email', email: 'ja\u0007ne@example.com' }, 'email-error'],
    ['a lone surrogate', { kind: 'email', email: 'ja\ud800ne@example.com' }, 'email-error'],
    ['a bidi override', { kind: 'email', email: 'jane\u202e@example.com' }, 'email-error'],
    ['HTML', { kind: 'email', email: '"><script>alert(1)</script>@example.com' }, 'email-error'],
    ['a non-ASCII local part', { kind: 'email', email: 'jäne@example.com' }, 'email-error'],
    ['an address over 254', { kind: 'email', email: `${'a'.repeat(250)}@example.com` }, 'email-error'],
    ['credentials in the URL', { kind: 'webhook', url: 'https://user:pass@example.com/hook' }, 'url-error'],
    ['file:', { kind: 'webhook', url: 'file:///etc/passwd' }, 'url-error'],
    ['javascript:', { kind: 'slack', url: 'javascript:alert(1)' }, 'url-error'],
    ['data:', { kind: 'discord', url: 'data:text/html,<script>alert(1)</script>' }, 'url-error'],
    ['no URL', { kind: 'teams', url: '' }, 'url-error'],
    ['a URL with a bidi override', { kind: 'webhook', url: 'https://example.com/\u202ehook' }, 'url-error'],
    ['a URL over 2048', { kind: 'webhook', url: `https://example.com/${'a'.repeat(2048)}` }, 'url-error'],
    ['a bad contact', { kind: 'webhook', url: 'https://example.com/hook', contactEmail: 'x@y\r\nBcc: z' }, 'contactEmail-error'],
    ['some components, none ticked', { kind: 'email', email: 'a@example.com', scope: 'some' }, 'components-error'],
    ['an unknown component', { kind: 'email', email: 'a@example.com', scope: 'some', components: '999' }, 'components-error'],
    ['a component that is not a number', { kind: 'email', email: 'a@example.com', scope: 'some', components: '1 OR 1=1' }, 'components-error'],
    ['a scope that is no scope', { kind: 'email', email: 'a@example.com', scope: 'everything' }, 'form-error'],
    ['an unknown field', { kind: 'email', email: 'a@example.com', admin: '1' }, 'form-error']
  ]
  for (const [index, [what, fields, errorId]] of cases.entries()) {
    // Each from its own address: the rate limit (tested below) counts refused forms too.
    const response = await post(app, '/subscribe', fields, { 'x-forwarded-for': `198.51.100.${index + 1}` })
    t.equal(response.statusCode, 400, `${what}: 400`)
    t.match(response.body, errorId === 'form-error' ? 'class="form-error"' : `id="${errorId}"`, `${what}: said beside the field`)
    if (errorId !== 'form-error') t.match(response.body, new RegExp(`id="${errorId}">[A-Z][^<]*\\.</p>`), `${what}: said as a sentence`)
    t.notMatch(response.body, /<script>alert/, `${what}: nothing typed comes back as markup`)
    checkPerVisitorHeaders(t, response, what)
  }
  const json = await app.inject({ method: 'POST', url: '/subscribe', payload: { kind: 'email', email: 'a@example.com' } })
  t.equal(json.statusCode, 415, 'JSON is not a form')
  const wrongType = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'text/plain' }, payload: 'kind=email' })
  t.equal(wrongType.statusCode, 415, 'nor is text')
  const huge = await app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `kind=email&email=${'a'.repeat(10 * 1024 * 1024)}` })
  t.equal(huge.statusCode, 413, '10 MB: 413')
  t.same(rows(app), before, 'nothing stored')
  t.equal(smtp.received.length, 0, 'no mail sent')
  t.equal(hook.received.length, 0, 'no test message sent')
})

t.test('the attack corpus in every field of /subscribe and of the manage form: refused, nothing stored, nothing live', async (t) => {
  const w = await world(t)
  const { app, smtp, hook } = w
  const { manage } = await activeWebhook(w)
  hook.received.length = 0
  const before = rows(app)
  let n = 0
  const from = (): Record<string, string> => ({ 'x-forwarded-for': `10.${Math.floor(n / 250) % 250}.${n++ % 250}.1` })
  for (const { label, text } of attackCorpus) {
    const cases: Array<Record<string, string>> = [
      { kind: 'email', email: text, scope: 'all' },
      { kind: 'webhook', url: text, scope: 'all' },
      { kind: 'webhook', url: 'https://hooks.example.com/x', contactEmail: text, scope: 'all' },
      { kind: text, email: 'jane@example.com', scope: 'all' },
      { kind: 'email', email: 'jane@example.com', scope: 'some', components: text },
      { kind: 'email', email: 'jane@example.com', scope: text }
    ]
    for (const fields of cases) {
      const response = await post(app, '/subscribe', fields, from())
      const what = `${Object.entries(fields).find(([, value]) => value === text)?.[0] ?? '?'}: ${label}`
      if (response.statusCode < 400 || response.statusCode >= 500) t.fail(`${what}: ${response.statusCode}`)
      const live = liveMarkupIn(response.body)
      if (live.length > 0) t.fail(`${what}: live markup ${live.join(', ')}`)
    }
    const managed = await post(app, manage, { scope: 'some', components: text }, from())
    // 413 for the one over the body limit.
    if (managed.statusCode !== 400 && managed.statusCode !== 413) t.fail(`manage components: ${label}: ${managed.statusCode}`)
  }
  t.same(rows(app), before, 'nothing stored or changed')
  t.equal(smtp.received.length, 0, 'no mail')
  t.equal(hook.received.length, 0, 'no test message')
  t.pass(`${attackCorpus.length} strings, 7 fields`)
})

t.test('POST /subscribe is rate-limited per client address, with a friendly 429', async (t) => {
  const { app, clock } = await world(t)
  const from = (address: string): Record<string, string> => ({ 'x-forwarded-for': address })
  for (let i = 0; i < 10; i++) {
    const response = await post(app, '/subscribe', { kind: 'email', email: `user${i}@example.com`, scope: 'all' }, from('203.0.113.7'))
    t.equal(response.statusCode, 200, `subscription ${i + 1}`)
  }
  const before = rows(app)
  const refused = await post(app, '/subscribe', { kind: 'email', email: 'user10@example.com', scope: 'all' }, from('203.0.113.7'))
  t.equal(refused.statusCode, 429)
  t.match(refused.body, '<h1>Too many subscriptions</h1>')
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After')
  t.equal(refused.headers['cache-control'], 'no-store')
  t.same(rows(app), before, 'nothing stored')
  t.equal((await post(app, '/subscribe', { kind: 'email', email: 'other@example.com', scope: 'all' }, from('203.0.113.8'))).statusCode, 200, 'another address is not held')
  t.equal((await app.inject({ url: '/subscribe', headers: from('203.0.113.7') })).statusCode, 200, 'the form still shows')
  clock.advance(10 * 60_000)
  t.equal((await post(app, '/subscribe', { kind: 'email', email: 'user10@example.com', scope: 'all' }, from('203.0.113.7'))).statusCode, 200, 'after ten minutes, again')
})

t.test('confirmations and changes of components are rate-limited per client address; one-click unsubscribe never is', async (t) => {
  const w = await world(t)
  const { app, clock } = w
  const { manage, unsubscribe } = await activeWebhook(w)
  const from = { 'x-forwarded-for': '203.0.113.9' }
  for (let i = 0; i < 20; i++) t.equal((await post(app, manage, { scope: 'all' }, from)).statusCode, 200, `change ${i + 1}`)
  for (let i = 0; i < 10; i++) t.equal((await post(app, '/subscriptions/confirm/nope', {}, from)).statusCode, 404, `confirmation ${i + 1}`)
  const refused = await post(app, manage, { scope: 'all' }, from)
  t.equal(refused.statusCode, 429)
  t.match(refused.body, '<h1>Too many requests</h1>')
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After')
  t.equal((await post(app, '/subscriptions/confirm/nope', {}, from)).statusCode, 429, 'confirmations share the count')
  t.equal((await app.inject({ url: manage, headers: from })).statusCode, 200, 'the page still shows')
  t.equal((await post(app, unsubscribe, { 'List-Unsubscribe': 'One-Click' }, from)).statusCode, 200, 'one-click unsubscribe goes through')
  t.same(subscribers(app), [], 'unsubscribed')
  clock.advance(10 * 60_000)
  t.equal((await post(app, '/subscriptions/confirm/nope', {}, from)).statusCode, 404, 'after ten minutes, again')
})

async function activeWebhook (w: World): Promise<{ manage: string, unsubscribe: string }> {
  const response = await post(w.app, '/subscribe', { kind: 'webhook', url: w.hook.url(), scope: 'all' })
  const manage = /href="https:\/\/status\.example\.com(\/subscriptions\/[^"]+)" class="manage-link"/.exec(response.body)?.[1]
  if (manage === undefined) throw new Error(`no manage link in ${response.body}`)
  return { manage, unsubscribe: manage.replace('/subscriptions/', '/subscriptions/unsubscribe/') }
}

t.test('manage: shows the subscription masked, changes its components, refuses bad choices', async (t) => {
  const w = await world(t)
  const { app, chat, signIn } = w
  const { manage } = await activeWebhook(w)
  const page = await app.inject(manage)
  t.equal(page.statusCode, 200)
  checkPerVisitorHeaders(t, page, 'GET manage')
  t.match(page.body, '<dd>Webhook</dd>')
  t.match(page.body, '<bdi>http://127.0.0.1:')
  t.notMatch(page.body, '/hook', 'the path of the URL (often a secret of its own) is not shown')
  t.match(page.body, '<dd>All components</dd>')

  const saved = await post(app, manage, { scope: 'some', components: [String(chat), String(signIn)] })
  t.equal(saved.statusCode, 200)
  t.match(saved.body, 'Saved')
  t.match(saved.body, /<dd><bdi>Teams chat<\/bdi>, <bdi>Sign-in<\/bdi><\/dd>/)
  t.match(subscribers(app), [{ all_components: 0 }])

  const before = rows(app)
  for (const [what, fields] of [
    ['none ticked', { scope: 'some' }],
    ['an unknown component', { scope: 'some', components: '999' }],
    ['not a number', { scope: 'some', components: '<script>' }],
    ['an unknown field', { scope: 'all', kind: 'email' }]
  ] as const) {
    const response = await post(app, manage, fields)
    t.equal(response.statusCode, 400, what)
    t.match(response.body, 'id="components-error"', `${what}: beside the components`)
  }
  t.same(rows(app), before, 'nothing changed')

  for (const url of ['/subscriptions/1.AAAA', '/subscriptions/nope', `/subscriptions/${'x'.repeat(99)}`, manage.replace(/.$/, (c) => c === 'A' ? 'B' : 'A')]) {
    t.equal((await app.inject(url)).statusCode, 404, `GET ${url.slice(0, 60)}`)
    t.equal((await post(app, url, { scope: 'all' })).statusCode, 404, `POST ${url.slice(0, 60)}`)
  }
  t.same(rows(app), before, 'nothing changed')
})

t.test('manage: an email address is masked', async (t) => {
  const { app } = await world(t)
  const added = app.herald.services.subscribers.add(actor, { kind: 'email', target: 'jane.doe@example.com', components: 'all' }, { skipConfirmation: true })
  const { manage } = app.herald.services.subscribers.links(added.subscriber)
  const page = await app.inject(manage.slice(publicUrl.length))
  t.match(page.body, '<bdi>j***@example.com</bdi>')
  t.notMatch(page.body, 'jane.doe')
})

t.test('unsubscribe: GET changes nothing; a one-click POST with no cookie answers 200 without a redirect; again is 200 too', async (t) => {
  const w = await world(t)
  const { app } = w
  const { unsubscribe } = await activeWebhook(w)
  const before = rows(app)
  const page = await app.inject(unsubscribe)
  t.equal(page.statusCode, 200)
  t.match(page.body, `<form method="post" action="${unsubscribe}"`)
  checkPerVisitorHeaders(t, page, 'GET unsubscribe')
  t.same(rows(app), before, 'a GET changes nothing')

  const oneClick = await app.inject({ method: 'POST', url: unsubscribe, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
  t.equal(oneClick.statusCode, 200)
  t.equal(oneClick.headers.location, undefined, 'no redirect')
  t.equal(oneClick.headers['set-cookie'], undefined, 'no cookie')
  t.match(oneClick.body, 'You’re unsubscribed')
  checkPerVisitorHeaders(t, oneClick, 'POST unsubscribe')
  t.same(subscribers(app), [], 'gone')

  const again = await app.inject({ method: 'POST', url: unsubscribe, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
  t.equal(again.statusCode, 200, 'a second click: 200')
  t.match(again.body, 'Not subscribed')
  for (const url of ['/subscriptions/unsubscribe/nope', '/subscriptions/unsubscribe/1.AAAA', `/subscriptions/unsubscribe/${'x'.repeat(99)}`]) {
    t.equal((await app.inject({ method: 'POST', url })).statusCode, 200, `POST ${url.slice(0, 60)}: 200`)
    t.equal((await app.inject(url)).statusCode, 200, `GET ${url.slice(0, 60)}: 200`)
  }
})

t.test('unsubscribe: whatever body a mail client sends, it unsubscribes', async (t) => {
  const bodies: Array<[string, Record<string, string>, string]> = [
    ['empty, no content type', {}, ''],
    ['empty form', { 'content-type': 'application/x-www-form-urlencoded' }, ''],
    ['another form', { 'content-type': 'application/x-www-form-urlencoded' }, 'foo=bar'],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n'],
    ['text', { 'content-type': 'text/plain' }, 'List-Unsubscribe=One-Click'],
    ['JSON', { 'content-type': 'application/json' }, '{"List-Unsubscribe":"One-Click"}']
  ]
  for (const [what, headers, payload] of bodies) {
    const w = await world(t)
    const { unsubscribe } = await activeWebhook(w)
    const response = await w.app.inject({ method: 'POST', url: unsubscribe, headers, payload })
    t.equal(response.statusCode, 200, `${what}: 200`)
    t.same(subscribers(w.app), [], `${what}: unsubscribed`)
  }
})

t.test('the subscription pages are never served from the public cache', async (t) => {
  const { app } = await world(t)
  const first = await app.inject('/subscribe')
  const second = await app.inject({ url: '/subscribe', headers: { 'if-none-match': '*' } })
  t.equal(second.statusCode, 200, 'no 304')
  t.equal(first.headers['last-modified'], undefined)
})
