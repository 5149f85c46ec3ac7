// The email channel against a real SMTP server in the test process: the update mail, its headers, hostile content, outcomes, pooling, DKIM, the opt-in mails.
import { generateKeyPairSync } from 'node:crypto'
import t, { type Test } from 'tap'
import { markdownToText, renderMarkdown } from '../../server/domain/markdown.js'
import { updateEmail } from '../../server/notify/email-message.js'
import { loadEventFacts } from '../../server/notify/event-facts.js'
import { attackCorpus, liveMarkupIn } from '../fixtures/attack-corpus.js'
import { eventually } from '../fixtures/eventually.js'
import { buildServices } from '../fixtures/services.js'
import { seedTeamsOutage, teamsOutage } from '../fixtures/story.js'
import type { EmailConfig } from '../../server/config.js'
import { createMailer, type Mailer, transportUrl } from '../../server/notify/mailer.js'
import { smtpOutcome, smtpSecrets } from '../../server/notify/smtp-outcome.js'
import type { SendOutcome } from '../../server/notify/subscriber-channel.js'
import { verifyDkim } from './fixtures/dkim.js'
import { emailSubscriber, publicUrl, subscriberMessage, updateFacts } from './fixtures/facts.js'
import { FakeSmtp, type ReceivedMail } from './fixtures/fake-smtp.js'

const siteName = 'Microsoft 365 Status'

async function setUp (t: Test, settings: Partial<EmailConfig> = {}, requestTimeoutMs = 5000, fakeOptions = {}): Promise<{ fake: FakeSmtp, mailer: Mailer }> {
  const fake = await FakeSmtp.start(fakeOptions)
  const mailer = createMailer({ smtpUrl: fake.url(), from: 'status@example.com', dkim: null, ...settings }, { siteName, publicUrl, requestTimeoutMs })
  t.teardown(async () => {
    await mailer.close()
    await fake.close()
  })
  return { fake, mailer }
}

const running = new AbortController().signal

/** Every instance of a header in the raw message, folded lines joined, exactly as sent. */
function rawHeaders (mail: ReceivedMail, name: string): string[] {
  const head = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ')
  return head.split('\r\n')
    .filter((line) => line.toLowerCase().startsWith(name.toLowerCase() + ':'))
    .map((line) => line.slice(name.length + 1).trim())
}

function only<T> (t: Test, items: T[]): T {
  t.equal(items.length, 1, 'one message received')
  return items[0] as T
}

t.test('an update mail: subject, both parts, and the list headers exactly', async (t) => {
  const { fake, mailer } = await setUp(t)
  t.same(mailer.channel.kinds, ['email'])
  t.same(await mailer.channel.send(subscriberMessage(), running), { outcome: 'sent' })
  const received = only(t, fake.received)
  t.same(received.envelope, { from: 'status@example.com', to: ['ops@example.org'] })
  const { mail } = received
  t.equal(mail.subject, '[Identified] Users unable to access Microsoft Teams (TM202916)')
  t.same(rawHeaders(received, 'From'), ['Microsoft 365 Status <status@example.com>'])
  t.same(rawHeaders(received, 'List-Unsubscribe'), [`<${publicUrl}/subscriptions/unsubscribe/u-token-3>`])
  t.same(rawHeaders(received, 'List-Unsubscribe-Post'), ['List-Unsubscribe=One-Click'])
  t.same(rawHeaders(received, 'List-Id'), ['"Microsoft 365 Status" <updates.status.example.com>'])
  t.same(rawHeaders(received, 'Auto-Submitted'), ['auto-generated'])
  t.same(rawHeaders(received, 'Message-ID'), ['<herald.delivery.41@status.example.com>'])

  const html = mail.html as string
  t.match(html, '<meta name="color-scheme" content="light dark">')
  t.match(html, 'prefers-color-scheme: dark')
  t.match(html, '<p>We&#39;ve determined that an authentication certificate has expired.</p>', 'the sanitized update HTML as is')
  t.match(html, '<bdi>Teams chat</bdi>: <span class="h-status-major" style="color:#a40e26;font-weight:600;">Major Outage</span>')
  t.match(html, '<bdi>Sign-in</bdi>: <span class="h-status-partial" style="color:#953800;font-weight:600;">Partial Outage</span>')
  t.match(html, `href="${publicUrl}/incidents/TM202916"`)
  t.match(html, `href="${publicUrl}/subscriptions/m-token-3"`)
  t.match(html, `href="${publicUrl}/subscriptions/unsubscribe/u-token-3"`)
  t.match(html, '3 Feb 2020, 15:00 UTC')
  t.notMatch(html, /<img|url\(|<link|<script/i, 'no external image, stylesheet or script')

  t.equal(mail.text, [
    '[Identified] Users unable to access Microsoft Teams (TM202916)',
    'Microsoft 365 Status · Incident TM202916 · 3 Feb 2020, 15:00 UTC',
    '',
    "We've determined that an authentication certificate has expired.",
    '',
    'Affected components:',
    '- Teams chat: Major Outage',
    '- Sign-in: Partial Outage',
    '',
    `View the incident: ${publicUrl}/incidents/TM202916`,
    '',
    '--',
    'You receive this because you subscribed to updates from Microsoft 365 Status.',
    `Manage your subscription: ${publicUrl}/subscriptions/m-token-3`,
    `Unsubscribe: ${publicUrl}/subscriptions/unsubscribe/u-token-3`,
    ''
  ].join('\n'))
})

t.test('a maintenance mail has its status label, and a mail with no component lists none', async (t) => {
  const { fake, mailer } = await setUp(t)
  const facts = updateFacts({ name: 'Certificate rotation', reference: 'MT1001', status: 'in_progress', maintenance: true, components: [] })
  t.same(await mailer.channel.send(subscriberMessage(facts), running), { outcome: 'sent' })
  const { mail } = only(t, fake.received)
  t.equal(mail.subject, '[In Progress] Certificate rotation (MT1001)')
  t.notMatch(mail.html as string, 'Affected components')
  t.notMatch(mail.text as string, 'Affected components')
  t.match(mail.text as string, `View the maintenance: ${publicUrl}/incidents/MT1001`)
  t.match(mail.html as string, 'Maintenance <bdi>MT1001</bdi>')
})

t.test('the Message-ID is the same for every attempt of one delivery, and differs between deliveries', async (t) => {
  const { fake, mailer } = await setUp(t)
  await mailer.channel.send(subscriberMessage(updateFacts(), emailSubscriber(), 41), running)
  await mailer.channel.send(subscriberMessage(updateFacts(), emailSubscriber(), 41), running)
  await mailer.channel.send(subscriberMessage(updateFacts(), emailSubscriber(), 42), running)
  t.same(fake.received.map((received) => received.mail.messageId), [
    '<herald.delivery.41@status.example.com>',
    '<herald.delivery.41@status.example.com>',
    '<herald.delivery.42@status.example.com>'
  ])
})

t.test('what a person typed is escaped, and cannot add a header or reverse the text', async (t) => {
  const { fake, mailer } = await setUp(t, {}, 5000)
  const hostileMailer = createMailer({ smtpUrl: fake.url(), from: 'status@example.com', dkim: null }, {
    siteName: 'Status "Page"\r\nBcc: site@evil.example \\',
    publicUrl,
    requestTimeoutMs: 5000
  })
  t.teardown(async () => { await hostileMailer.close() })
  const facts = updateFacts({
    name: 'Outage <script>alert(1)</script> {{constructor}} **bold** [x](javascript:alert(1)) \u202Edesrever\r\nBcc: victim@evil.example',
    reference: 'TM\r\nX-Injected: yes',
    text: 'Line one\r\nLine two\u0007 {{body}} <b>not bold</b> \u202Ereversed',
    components: [{ id: 1, name: '<img src=https://evil.example/x.png>Chat\u2066', status: 'major_outage' }]
  })
  t.same(await hostileMailer.channel.send(subscriberMessage(facts), running), { outcome: 'sent' })
  t.same(await mailer.channel.send(subscriberMessage(facts), running), { outcome: 'sent' })
  t.equal(fake.received.length, 2)
  for (const received of fake.received) {
    const { mail, raw, envelope } = received
    t.same(envelope.to, ['ops@example.org'], 'no recipient was added')
    t.notOk(mail.headers.has('bcc'), 'no Bcc header')
    t.notOk(mail.headers.has('x-injected'), 'no header from the reference')
    t.equal(mail.subject, 'Outage <script>alert(1)</script> {{constructor}} **bold** [x](javascript:alert(1)) desrever Bcc: victim@evil.example'.replace(/^/, '[Identified] ') + ' (TM X-Injected: yes)')
    const html = mail.html as string
    const text = mail.text as string
    t.notMatch(html, /<script|<img|href="javascript/i, 'no live markup in the HTML part')
    t.match(html, 'Outage &lt;script&gt;alert(1)&lt;/script&gt; {{constructor}} **bold**')
    t.match(html, '&lt;img src&#x3D;https://evil.example/x.png&gt;Chat')
    t.match(text, 'Line one\nLine two {{body}} <b>not bold</b> reversed', 'the text part: as typed, without controls')
    for (const part of [mail.subject ?? '', html, text, raw]) {
      t.notMatch(part, /[\u202a-\u202e\u2066-\u2069\u0007]/, 'no bidi override or control character anywhere')
    }
  }
  const listIds = rawHeaders(fake.received[0] as ReceivedMail, 'List-Id')
  t.same(listIds, ['"Status \\"Page\\" Bcc: site@evil.example \\\\" <updates.status.example.com>'], 'the site name quoted in List-Id')
  t.same(rawHeaders(fake.received[0] as ReceivedMail, 'From'), ['"Status \\"Page\\" Bcc: site@evil.example \\\\" <status@example.com>'])
})

t.test('SMTP answers become outcomes: 4xx retry, 5xx on RCPT bounced, other 5xx failed', async (t) => {
  const { fake, mailer } = await setUp(t)
  fake.failNext(
    { stage: 'rcpt', code: 450, message: 'Mailbox busy' },
    { stage: 'data', code: 451, message: 'Try again later' },
    { stage: 'rcpt', code: 550, message: 'No such user here' },
    { stage: 'data', code: 554, message: 'Message refused as spam' }
  )
  const outcomes: SendOutcome[] = []
  for (let i = 0; i < 4; i++) outcomes.push(await mailer.channel.send(subscriberMessage(), running))
  t.match(outcomes, [
    { outcome: 'retry', error: /^SMTP: .*450 Mailbox busy/, notBefore: null },
    { outcome: 'retry', error: /^SMTP: .*451 Try again later/, notBefore: null },
    { outcome: 'failed', error: /^SMTP: .*550 No such user here/, bounced: true },
    { outcome: 'failed', error: /^SMTP: .*554 Message refused as spam/, bounced: false }
  ])
  t.equal(fake.received.length, 0)
  t.same(await mailer.channel.send(subscriberMessage(), running), { outcome: 'sent' }, 'the next one goes through')
})

t.test('a server that does not answer is a retry, after the request timeout', async (t) => {
  const { fake, mailer } = await setUp(t, {}, 300)
  fake.failNext({ stage: 'data', hang: true })
  const started = Date.now()
  const outcome = await mailer.channel.send(subscriberMessage(), running)
  t.match(outcome, { outcome: 'retry', error: /^SMTP: .*(time|Timeout)/i })
  t.ok(Date.now() - started < 5000, 'given up within the timeout (and some slack), not after minutes')
  t.same(await mailer.channel.send(subscriberMessage(), running), { outcome: 'sent' }, 'the pool recovers')
})

t.test('a server that cannot be reached is a retry; Herald shutting down is a retry', async (t) => {
  const fake = await FakeSmtp.start()
  const url = fake.url()
  await fake.close()
  const mailer = createMailer({ smtpUrl: url, from: 'status@example.com', dkim: null }, { siteName, publicUrl, requestTimeoutMs: 2000 })
  t.teardown(async () => { await mailer.close() })
  t.match(await mailer.channel.send(subscriberMessage(), running), { outcome: 'retry', error: /^SMTP: .*ECONNREFUSED|^SMTP: .*connect/i })
  const aborted = AbortSignal.abort()
  t.same(await mailer.channel.send(subscriberMessage(), aborted), { outcome: 'retry', error: 'SMTP: Herald was shutting down', notBefore: null })
})

t.test('connections are pooled: many mails share a few connections', async (t) => {
  const { fake, mailer } = await setUp(t)
  for (let i = 0; i < 5; i++) t.same(await mailer.channel.send(subscriberMessage(updateFacts(), emailSubscriber(`one${i}@example.org`), 100 + i), running), { outcome: 'sent' })
  t.equal(fake.connections, 1, 'mails one after another reuse one connection')
  const outcomes = await Promise.all(Array.from({ length: 30 }, async (_, i) =>
    await mailer.channel.send(subscriberMessage(updateFacts(), emailSubscriber(`many${i}@example.org`), 200 + i), running)))
  t.ok(outcomes.every((outcome) => outcome.outcome === 'sent'), 'all sent')
  t.equal(fake.received.length, 35)
  t.ok(fake.connections <= 5, `at most 5 connections (${fake.connections})`)
  t.ok(new Set(fake.received.map((received) => received.connection)).size < 30, 'connections carried several mails')
})

t.test('a login: the password works, and a wrong one is retried (the mail waits for the fix) without the password in the error', async (t) => {
  const auth = { user: 'herald', pass: 'S3cret/pa ss%word' }
  const fake = await FakeSmtp.start({ auth })
  const good = createMailer({ smtpUrl: fake.url(auth), from: 'status@example.com', dkim: null }, { siteName, publicUrl, requestTimeoutMs: 5000 })
  const wrongPass = 'Wr0ng/pa ss%word'
  const bad = createMailer({ smtpUrl: fake.url({ user: 'herald', pass: wrongPass }), from: 'status@example.com', dkim: null }, { siteName, publicUrl, requestTimeoutMs: 5000 })
  t.teardown(async () => {
    await good.close()
    await bad.close()
    await fake.close()
  })
  t.same(await good.channel.send(subscriberMessage(), running), { outcome: 'sent' })
  const outcome = await bad.sendNotice('admin@example.org', 'A delivery failed', 'text')
  t.match(outcome, { outcome: 'retry', error: /^SMTP: .*535.*\(check the login in SMTP_URL\)$/ })
  const error = 'error' in outcome ? outcome.error : ''
  t.notMatch(error, wrongPass)
  t.notMatch(error, encodeURIComponent(wrongPass))
})

t.test('the error names no password even when the server echoes it', async (t) => {
  const pass = 'echo-me-Zq81'
  const { fake } = await setUp(t)
  const mailer = createMailer({ smtpUrl: fake.url().replace('smtp://', `smtp://u:${pass}@`), from: 'status@example.com', dkim: null }, { siteName, publicUrl, requestTimeoutMs: 5000 })
  t.teardown(async () => { await mailer.close() })
  fake.failNext({ stage: 'rcpt', code: 451, message: `Your password is ${pass}` })
  const outcome = await mailer.channel.send(subscriberMessage(), running)
  t.match(outcome, { outcome: 'retry', error: /Your password is \*\*\*/ })
})

t.test('with DKIM, every mail is signed, List-Unsubscribe-Post included, and the signature verifies', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const dkim = { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), domainName: 'example.com', keySelector: 'herald' }
  const { fake, mailer } = await setUp(t, { dkim })
  t.same(await mailer.channel.send(subscriberMessage(), running), { outcome: 'sent' })
  t.same(await mailer.sendConfirmation('new@example.org', { confirmUrl: `${publicUrl}/subscriptions/confirm/c-token`, components: [] }), { outcome: 'sent' })
  t.equal(fake.received.length, 2)
  for (const received of fake.received) {
    const result = verifyDkim(received.raw, publicKey)
    if (result === null) {
      t.fail('no DKIM-Signature')
      continue
    }
    t.match(result.tags, { d: 'example.com', s: 'herald', a: 'rsa-sha256' })
    t.ok(result.bodyHashMatches, 'the body hash matches')
    t.ok(result.signatureValid, 'the signature verifies')
    t.ok(result.signed.includes('from') && result.signed.includes('subject'), 'From and Subject signed')
  }
  const update = verifyDkim((fake.received[0] as ReceivedMail).raw, publicKey)
  t.ok(update?.signed.includes('list-unsubscribe-post'), 'List-Unsubscribe-Post signed')
  t.ok(update?.signed.includes('list-unsubscribe'), 'List-Unsubscribe signed')
  // The verifier can fail: a changed header breaks the signature.
  const tampered = (fake.received[0] as ReceivedMail).raw.replace('List-Unsubscribe=One-Click', 'List-Unsubscribe=One-Clack')
  t.equal(verifyDkim(tampered, publicKey)?.signatureValid, false, 'a changed List-Unsubscribe-Post fails verification')
})

t.test('without DKIM, nothing is signed', async (t) => {
  const { fake, mailer } = await setUp(t)
  await mailer.channel.send(subscriberMessage(), running)
  t.same(rawHeaders(only(t, fake.received), 'DKIM-Signature'), [])
})

t.test('the confirmation mail carries the confirm link and what was asked for', async (t) => {
  const { fake, mailer } = await setUp(t)
  const confirmUrl = `${publicUrl}/subscriptions/confirm/c-token-abc`
  t.same(await mailer.sendConfirmation('new@example.org', { confirmUrl, components: ['Teams chat', 'Sign-in <b>'] }), { outcome: 'sent' })
  t.same(await mailer.sendConfirmation('all@example.org', { confirmUrl, components: [] }), { outcome: 'sent' })
  const [chosen, all] = fake.received as [ReceivedMail, ReceivedMail]
  t.same(chosen.envelope.to, ['new@example.org'])
  t.equal(chosen.mail.subject, 'Confirm your subscription to Microsoft 365 Status')
  t.match(chosen.mail.html as string, `href="${confirmUrl}"`)
  t.match(chosen.mail.html as string, '<li><bdi>Sign-in &lt;b&gt;</bdi></li>')
  t.match(chosen.mail.text as string, `\n${confirmUrl}\n`)
  t.match(chosen.mail.text as string, '- Teams chat\n- Sign-in <b>\n')
  t.match(all.mail.text as string, 'for every component.')
  t.match(all.mail.html as string, 'every component.')
  t.same(rawHeaders(chosen, 'Auto-Submitted'), ['auto-generated'])
  t.same(rawHeaders(chosen, 'List-Unsubscribe'), [], 'not on the list yet')
})

t.test('the already-subscribed mail and a notice', async (t) => {
  const { fake, mailer } = await setUp(t)
  const manageUrl = `${publicUrl}/subscriptions/m-token-9`
  t.same(await mailer.sendAlreadySubscribed('ops@example.org', { manageUrl }), { outcome: 'sent' })
  t.same(await mailer.sendNotice('admin@example.org', 'Webhook quarantined\r\nBcc: x@evil.example', 'The webhook https://hooks.example.org/x failed for 24 hours.\r\nIt gets nothing more.'), { outcome: 'sent' })
  const [already, notice] = fake.received as [ReceivedMail, ReceivedMail]
  t.equal(already.mail.subject, 'You are already subscribed to Microsoft 365 Status')
  t.match(already.mail.html as string, `href="${manageUrl}"`)
  t.match(already.mail.text as string, `\n${manageUrl}\n`)
  t.same(rawHeaders(already, 'Auto-Submitted'), ['auto-generated'])
  t.equal(notice.mail.subject, '[Microsoft 365 Status] Webhook quarantined Bcc: x@evil.example')
  t.notOk(notice.mail.headers.has('bcc'))
  t.equal(notice.mail.html, false, 'plain text only')
  t.equal(notice.mail.text, 'The webhook https://hooks.example.org/x failed for 24 hours.\nIt gets nothing more.\n')
  t.same(rawHeaders(notice, 'Auto-Submitted'), ['auto-generated'])
})

t.test('a component event has no mail: failed, not sent', async (t) => {
  const { fake, mailer } = await setUp(t)
  const facts = { ...updateFacts(), incident: null, update: null }
  t.match(await mailer.channel.send(subscriberMessage(facts), running), { outcome: 'failed', bounced: false, error: /no mail/ })
  t.equal(fake.received.length, 0)
  await mailer.channel.close()
  await mailer.close()
})

t.test('MAIL_FROM with its own name is used as given', async (t) => {
  const { fake, mailer } = await setUp(t, { from: '"Teams Ops" <ops-status@example.com>' })
  t.same(await mailer.sendNotice('admin@example.org', 'Hello', 'text'), { outcome: 'sent' })
  const received = only(t, fake.received)
  t.same(rawHeaders(received, 'From'), ['Teams Ops <ops-status@example.com>'])
  t.equal(received.envelope.from, 'ops-status@example.com')
})

t.test('a mailer is made even from an SMTP_URL it cannot read as a URL (start-up checks the settings, not the mailer)', async (t) => {
  const mailer = createMailer({ smtpUrl: 'not a url', from: 'status@example.com', dkim: null }, { siteName, publicUrl, requestTimeoutMs: 1000 })
  t.type(mailer.channel.send, 'function')
  await mailer.close()
})

t.test('names beyond ASCII arrive whole: subject, List-Id and From are encoded words, not mangled', async (t) => {
  const fake = await FakeSmtp.start()
  const mailer = createMailer({ smtpUrl: fake.url(), from: 'status@example.com', dkim: null }, { siteName: 'Statut Équipe – 東京', publicUrl, requestTimeoutMs: 5000 })
  t.teardown(async () => {
    await mailer.close()
    await fake.close()
  })
  const facts = updateFacts({ name: 'Connexion impossible à Teams (إنترنت)', components: [{ id: 1, name: 'Conversation • 聊天', status: 'degraded_performance' }] })
  t.same(await mailer.channel.send(subscriberMessage(facts), running), { outcome: 'sent' })
  const received = only(t, fake.received)
  t.equal(received.mail.subject, '[Identified] Connexion impossible à Teams (إنترنت) (TM202916)')
  t.match(received.mail.from, { value: [{ name: 'Statut Équipe – 東京', address: 'status@example.com' }] })
  t.notMatch(received.raw.slice(0, received.raw.indexOf('\r\n\r\n')), /[^\x00-\x7f]/, 'the header is ASCII (RFC 2047 words)')
  const [listId] = rawHeaders(received, 'List-Id')
  t.match(listId, /^=\?UTF-8\?[QB]\?.+\?= <updates\.status\.example\.com>$/)
  t.match(received.mail.text as string, '- Conversation • 聊天: Degraded Performance')
  t.match(received.mail.html as string, 'style="color:#7d4e00;font-weight:600;">Degraded Performance')
})

t.test('Herald shutting down aborts a mail in flight, as a retry', async (t) => {
  const { fake, mailer } = await setUp(t)
  fake.failNext({ stage: 'data', hang: true })
  const controller = new AbortController()
  const sending = mailer.channel.send(subscriberMessage(), controller.signal)
  await eventually(() => fake.refused === 1, 'the server to hold the message')
  controller.abort()
  t.same(await sending, { outcome: 'retry', error: 'SMTP: Herald was shutting down', notBefore: null })
})

t.test('only one plain address is sent to: a list, a line break or a header in it is refused', async (t) => {
  const { fake, mailer } = await setUp(t)
  for (const to of ['a@example.org\r\nBcc: x@evil.example', 'a@example.org, x@evil.example', 'A <a@example.org>', '', 'a@example.org\u202e']) {
    t.match(await mailer.sendNotice(to, 'Hello', 'text'), { outcome: 'failed', error: /^not sent: /, bounced: false }, JSON.stringify(to))
    t.match(await mailer.sendConfirmation(to, { confirmUrl: `${publicUrl}/subscriptions/confirm/x`, components: [] }), { outcome: 'failed' })
    t.match(await mailer.channel.send(subscriberMessage(updateFacts(), emailSubscriber(to)), running), { outcome: 'failed' })
  }
  t.equal(fake.received.length, 0, 'nothing sent')
  t.equal(fake.connections, 0, 'the server was not even reached')
  t.same(await mailer.sendNotice('Ops@Bücher.Example', 'Hello', 'text'), { outcome: 'sent' })
  // smtp-server shows the envelope's domains in Unicode; the header shows what was sent.
  t.same(rawHeaders(only(t, fake.received), 'To'), ['Ops@xn--bcher-kva.example'], 'an internationalized domain goes in its ASCII form')
})

t.test('what an SMTP failure means, whatever shape it comes in', async (t) => {
  const secrets = smtpSecrets('smtp://user:p%40ss%2Fword@mail.example.com:587')
  t.same(secrets, ['p%40ss%2Fword', 'p@ss/word'], 'the password as written and as decoded, longest first')
  t.same(smtpSecrets('smtp://mail.example.com'), [], 'no password, nothing to hide')
  t.same(smtpSecrets('not a url'), [])
  t.same(smtpSecrets('smtp://user:%E0%A4%A@mail.example.com'), ['%E0%A4%A'], 'a password that is not valid percent-encoding is hidden as written')
  t.same(smtpOutcome(Object.assign(new Error('Invalid login: 535 no p@ss/word or p%40ss%2Fword'), { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }), secrets, false),
    { outcome: 'retry', error: 'SMTP: Invalid login: 535 no *** or *** (check the login in SMTP_URL)', notBefore: null }, 'a refused login waits for the fix')
  t.same(smtpOutcome(Object.assign(new Error('Missing credentials for "PLAIN"'), { code: 'EAUTH', command: 'API' }), secrets, false),
    { outcome: 'retry', error: 'SMTP: Missing credentials for "PLAIN" (check the login in SMTP_URL)', notBefore: null }, 'so do missing credentials')
  t.same(smtpOutcome(Object.assign(new Error('Can not send mail to a list'), { code: 'EENVELOPE' }), secrets, false),
    { outcome: 'failed', error: 'SMTP: Can not send mail to a list', bounced: false }, 'an envelope nodemailer cannot use: failed')
  t.same(smtpOutcome(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }), secrets, false),
    { outcome: 'retry', error: 'SMTP: Greeting never received', notBefore: null })
  t.same(smtpOutcome('a string thrown', secrets, false), { outcome: 'retry', error: 'SMTP: a string thrown', notBefore: null })
  t.same(smtpOutcome({ code: 42 }, secrets, false), { outcome: 'retry', error: 'SMTP: [object Object]', notBefore: null })
  t.same(smtpOutcome(new Error('anything'), secrets, true), { outcome: 'retry', error: 'SMTP: Herald was shutting down', notBefore: null })
  t.match(smtpOutcome(new Error('x'.repeat(1000)), [], false), { outcome: 'retry', error: /^SMTP: x{300}…$/ }, 'a long answer is cut')
})

t.test('the mails of the stored TM202916 story, from the facts the worker loads', async (t) => {
  const services = buildServices(t)
  const ids: Record<string, number> = {}
  for (const name of ['Teams chat', 'Sign-in', 'Meetings & calling']) ids[name] = services.components.create({ name, group: 'Microsoft Teams' }, 'cli').id
  const { subscriber } = services.subscribers.add('cli', { kind: 'email', target: 'Ops@Example.org', components: 'all' }, { skipConfirmation: true })
  const links = services.subscribers.links(subscriber)
  seedTeamsOutage(services, { components: ids, clock: services.clock })
  const notifications = services.context.stores.db.prepare("SELECT id FROM notifications WHERE event = 'incident' ORDER BY id").pluck().all() as number[]
  t.equal(notifications.length, teamsOutage.updates.length, 'one notification per update')
  const { fake, mailer } = await setUp(t)
  for (const [index, id] of notifications.entries()) {
    const facts = loadEventFacts(services, id, { siteName, publicUrl })
    if (facts === undefined) throw new Error(`facts of notification ${id}`)
    t.same(await mailer.channel.send({ deliveryId: 500 + index, subscriber, facts, links }, running), { outcome: 'sent' })
  }
  t.same(fake.received.map((received) => received.mail.subject), [
    '[Investigating] Users may be unable to access Microsoft Teams (TM202916)',
    '[Identified] Users may be unable to access Microsoft Teams (TM202916)',
    '[Monitoring] Users may be unable to access Microsoft Teams (TM202916)'
  ])
  const [opened, , monitoring] = fake.received as [ReceivedMail, ReceivedMail, ReceivedMail]
  t.match(opened.mail.text as string, '- Teams chat: Major Outage\n- Sign-in: Major Outage\n- Meetings & calling: Partial Outage\n')
  t.match(opened.mail.html as string, '<bdi>Meetings &amp; calling</bdi>: <span class="h-status-partial"')
  t.match(monitoring.mail.html as string, /<li><strong>Sign-in<\/strong>: most users on the web app can sign in again/, 'the Markdown rendered as on the page')
  t.match(monitoring.mail.text as string, 'Sign-in: most users on the web app can sign in again', 'and as plain text in the text part')
  t.notMatch(monitoring.mail.text as string, '**', 'no Markdown left in the text part')
  t.match(monitoring.mail.text as string, '- Teams chat: Partial Outage\n- Sign-in: Partial Outage\n- Meetings & calling: Degraded Performance\n')
  t.match(monitoring.mail.html as string, `href="${publicUrl}/incidents/TM202916"`)
  t.same(monitoring.envelope.to, ['Ops@example.org'])
  t.same(rawHeaders(monitoring, 'List-Unsubscribe'), [`<${links.unsubscribe}>`], 'the subscriber\'s own one-click link')
  t.match(monitoring.mail.html as string, `href="${links.manage}"`)
})

// What no header or line of a mail may hold: controls, line and paragraph separators, bidi embeddings and overrides.

const notInALine = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

t.test('every string of the attack corpus, as a name, a reference, a component and a body, gives a safe mail', async (t) => {
  const { fake, mailer } = await setUp(t)
  const corpus = attackCorpus.filter(({ text }) => text.length < 1000)
  const outcomes = await Promise.all(corpus.map(async ({ label, text }, index) => {
    const facts = updateFacts({ name: `N ${text}`, reference: `R${text}`, body: text, html: renderMarkdown(text), text: markdownToText(text), components: [{ id: 1, name: `C ${text}`, status: 'major_outage' }] })
    const mail = updateEmail(subscriberMessage(facts, emailSubscriber(), 900 + index), { siteName: `S ${text}`, publicUrl })
    t.notMatch(mail.subject, notInALine, `${label}: the subject is one clean line`)
    t.notMatch(mail.list.id.comment, notInALine, `${label}: the List-Id name too`)
    t.same(liveMarkupIn(mail.html), [], `${label}: no live markup in the HTML part`)
    t.notMatch(mail.text.replace(/\n/g, ''), notInALine, `${label}: the text part has no control but its line ends`)
    return await mailer.channel.send(subscriberMessage(facts, emailSubscriber(), 900 + index), running)
  }))
  t.ok(outcomes.every((outcome) => outcome.outcome === 'sent'), 'every one sent')
  t.equal(fake.received.length, corpus.length)
  for (const received of fake.received) {
    t.same(received.envelope.to, ['ops@example.org'])
    t.same([...received.mail.headers.keys()].filter((name) => ['bcc', 'cc', 'reply-to', 'x-injected'].includes(name)), [])
  }
})

t.test('SMTP_URL cannot turn on nodemailer\'s log, which would show the login', async (t) => {
  t.equal(transportUrl('smtp://u:p%40ss@mail.example.com:587?logger=true&debug=true&requireTLS=true&tls.rejectUnauthorized=false&transactionLog=1'),
    'smtp://u:p%40ss@mail.example.com:587?requireTLS=true&tls.rejectUnauthorized=false', 'the other options stay')
  t.equal(transportUrl('not a url'), 'not a url')
  const auth = { user: 'herald', pass: 'N0t-in-any-log' }
  const fake = await FakeSmtp.start({ auth })
  const mailer = createMailer({ smtpUrl: `${fake.url(auth)}?logger=true&debug=true`, from: 'status@example.com', dkim: null }, { siteName, publicUrl, requestTimeoutMs: 5000 })
  const written: string[] = []
  const { log, info, warn, error } = console
  const capture = (...args: unknown[]): void => { written.push(args.map(String).join(' ')) }
  Object.assign(console, { log: capture, info: capture, warn: capture, error: capture })
  try {
    t.same(await mailer.sendNotice('admin@example.org', 'Hello', 'text'), { outcome: 'sent' })
  } finally {
    Object.assign(console, { log, info, warn, error })
    await mailer.close()
    await fake.close()
  }
  t.same(written, [], 'nothing logged')
})
