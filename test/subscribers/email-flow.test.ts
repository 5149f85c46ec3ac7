// The whole email round, as a reader lives it: subscribe on the page, confirm from the mail, get an update, leave with one click.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { storedRows } from '../fixtures/stored.js'
import { FakeSmtp, type ReceivedMail } from './fixtures/fake-smtp.js'

const publicUrl = 'https://status.example.com'
const reader = 'reader@example.com'

/** The path of the first link of the page's site that a text holds under `prefix`. */
function linkIn (text: string, prefix: string): string {
  const match = new RegExp(`${publicUrl.replace(/\./g, '\\.')}(${prefix}[A-Za-z0-9_.-]+)`).exec(text)
  if (match === null) throw new Error(`no ${prefix} link in: ${text.slice(0, 400)}`)
  return match[1] as string
}

async function postForm (app: FastifyInstance, url: string, body: string): Promise<{ statusCode: number, body: string, headers: Record<string, unknown> }> {
  return await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body })
}

t.test('subscribe, confirm by POST, receive an update, one-click unsubscribe, and nothing more arrives', async (t) => {
  const smtp = await FakeSmtp.start()
  t.teardown(() => smtp.close())
  const app = await build(t, { clock: new TestClock('2020-02-03T13:30:00.000Z'), env: { SMTP_URL: smtp.url(), MAIL_FROM: 'status@example.com' } })
  const { components, incidents } = app.herald.services
  const chat = components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'test').id
  const worker = app.subscribers.worker
  if (worker === null) throw new Error('no subscriber worker')
  const mailsTo = (): ReceivedMail[] => smtp.received.filter((mail) => mail.envelope.to.includes(reader))

  const page = await app.inject('/')
  t.match(page.body, `href="${publicUrl}/subscribe"`, 'the page offers Subscribe to updates')
  const subscribed = await postForm(app, '/subscribe', `kind=email&email=${encodeURIComponent(reader)}&scope=all`)
  t.equal(subscribed.statusCode, 200)
  t.match(subscribed.body, 'Check your inbox')

  await eventually(() => mailsTo().length === 1, 'the confirmation mail')
  const confirmation = mailsTo()[0] as ReceivedMail
  const confirmLink = linkIn(confirmation.mail.text ?? '', '/subscriptions/confirm/')
  t.match(confirmation.mail.html, confirmLink, 'the link in the HTML part too')

  const beforeGet = storedRows(app.herald.stores.db)
  t.equal((await app.inject(confirmLink)).statusCode, 200, 'a GET of the link shows the Confirm button')
  t.same(storedRows(app.herald.stores.db), beforeGet, 'and changes nothing (a link scanner follows GETs)')
  incidents.open({ reference: 'HR0001', name: 'Before confirming', body: 'Nobody unconfirmed hears of this.' }, 'admin')
  await worker.settled()
  t.equal(mailsTo().length, 1, 'an unconfirmed address gets no update')

  const confirmed = await postForm(app, confirmLink, '')
  t.equal(confirmed.statusCode, 200)
  t.match(confirmed.body, 'You’re subscribed')

  incidents.open({ reference: 'TM202916', name: 'Users unable to access Microsoft Teams', body: 'We\'re investigating an issue where users may be **unable to access** Microsoft Teams.', status: 'investigating', components: { [chat]: 'major_outage' } }, 'admin')
  incidents.postUpdate('TM202916', { status: 'identified', body: 'We\'ve determined that an authentication certificate has expired.' }, 'admin')
  await eventually(() => mailsTo().length === 3, 'two update mails')
  // The SMTP server has the mail before the worker records it as sent: until then, the rows below would move on their own.
  await worker.settled()
  const [, opened, identified] = mailsTo() as [ReceivedMail, ReceivedMail, ReceivedMail]
  t.equal(opened.mail.subject, '[Investigating] Users unable to access Microsoft Teams (TM202916)')
  t.equal(identified.mail.subject, '[Identified] Users unable to access Microsoft Teams (TM202916)')
  t.match(opened.mail.html, '<strong>unable to access</strong>', 'the HTML part: the update rendered as on the page')
  t.match(opened.mail.text, 'unable to access Microsoft Teams', 'the plain-text part')
  t.notMatch(opened.mail.text, '**', 'without the Markdown marks')
  t.match(opened.mail.text, 'Teams chat: Major Outage', 'the component and its new status')
  t.match(opened.mail.text, `${publicUrl}/incidents/TM202916`, 'the link to the incident')
  // Headers may be folded onto a second line; the name's case is the sender's.
  const listUnsubscribe = /^List-Unsubscribe:\s*<([^>]+)>\r$/mi.exec(opened.raw)?.[1] ?? ''
  const unsubscribeLink = linkIn(listUnsubscribe, '/subscriptions/unsubscribe/')
  t.match(opened.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m)
  t.match(opened.raw, /^Auto-Submitted: auto-generated\r$/m)
  t.match(opened.raw, /^List-Id: .*<updates\.status\.example\.com>\r$/mi)

  const beforeUnsubscribeGet = storedRows(app.herald.stores.db)
  t.equal((await app.inject(unsubscribeLink)).statusCode, 200, 'a GET of the unsubscribe link shows a button')
  t.same(storedRows(app.herald.stores.db), beforeUnsubscribeGet, 'and changes nothing')
  // What a mail provider sends for RFC 8058: a POST with that body, no cookie, no CSRF token.
  const left = await postForm(app, unsubscribeLink, 'List-Unsubscribe=One-Click')
  t.equal(left.statusCode, 200)
  t.equal(left.headers.location, undefined, 'no redirect')
  t.equal(left.headers['set-cookie'], undefined, 'no cookie')

  incidents.postUpdate('TM202916', { status: 'resolved', body: 'The certificate was replaced.' }, 'admin')
  await worker.settled()
  t.equal(mailsTo().length, 3, 'nothing more arrives after unsubscribing')
  t.same(app.herald.services.subscribers.list({}).subscribers, [], 'the subscription is gone')
})
