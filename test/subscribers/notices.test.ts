// The admin's failure notices: a few an hour at most, the rest counted; a failed social post is one of them.
import t from 'tap'
import type { SendOutcome } from '../../server/notify/subscriber-channel.js'
import { FailureNotices } from '../../server/notify/failure-notices.js'
import { TestClock, build } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { FakeMastodon, mastodonEnv } from '../fixtures/fake-mastodon.js'
import { FakeSmtp } from './fixtures/fake-smtp.js'

function notices (answer: () => Promise<SendOutcome> = async () => ({ outcome: 'sent' }), to: string | null = 'ops@example.com') {
  const clock = new TestClock()
  const sent: Array<{ to: string, subject: string, text: string }> = []
  const warnings: string[] = []
  const subject = new FailureNotices({
    send: async (to, subjectLine, text) => {
      sent.push({ to, subject: subjectLine, text })
      return await answer()
    },
    to,
    siteName: 'Example Status',
    clock: clock.now,
    log: { warn: (details, message) => { warnings.push(`${message} ${JSON.stringify(details)}`) } },
    perHour: 3
  })
  return { clock, sent, warnings, subject }
}

t.test('at most perHour notices an hour; the last says so; the next hour\'s first counts those left out', async (t) => {
  const n = notices()
  for (let i = 1; i <= 5; i++) n.subject.deliveryFailed(`Delivery ${i}`, 'answered 500')
  await n.subject.settled()
  t.same(n.sent.map((m) => m.text.split(' failed')[0]), ['Delivery 1', 'Delivery 2', 'Delivery 3'])
  t.match(n.sent[0], { to: 'ops@example.com', subject: '[Example Status] A delivery failed', text: /^Delivery 1 failed for good: answered 500\n\n— Herald, for Example Status$/ })
  t.match(n.sent[2]?.text, /This is the last notice this hour/)
  n.clock.advance(3_600_000)
  n.subject.deliveryFailed('Delivery 6', 'answered 500')
  await n.subject.settled()
  t.match(n.sent[3]?.text, /^Delivery 6 failed for good: answered 500\n\n2 more failures happened since the last notice \(not mailed\)\./)
  n.subject.deliveryFailed('Delivery 7', 'answered 500')
  await n.subject.settled()
  t.notMatch(n.sent[4]?.text, /more failure/, 'counted once')
})

t.test('without an admin address only the contacts are mailed; a notice that cannot be sent is logged, never thrown', async (t) => {
  const none = notices(undefined, null)
  none.subject.deliveryFailed('Delivery 1', 'answered 500')
  none.subject.sendTo('dev@example.org', 'Your webhook', 'text')
  await none.subject.settled()
  t.same(none.sent.map((m) => m.to), ['dev@example.org'])

  const failing = notices(async () => ({ outcome: 'retry', error: 'the mail server answered 451', notBefore: null }))
  failing.subject.deliveryFailed('Delivery 1', 'answered 500')
  const throwing = notices(async () => { throw new Error('no route') })
  throwing.subject.sendTo('dev@example.org', 'Your webhook', 'text')
  await failing.subject.settled()
  await throwing.subject.settled()
  t.match(failing.warnings, [/a notice mail could not be sent .*451/])
  t.match(throwing.warnings, [/a notice mail could not be sent/])
})

t.test('a social post that fails for good emails ADMIN_NOTICE_EMAIL', async (t) => {
  const smtp = await FakeSmtp.start()
  t.teardown(() => smtp.close())
  const mastodon = await FakeMastodon.start()
  t.teardown(() => mastodon.close())
  const app = await build(t, {
    env: { ...mastodonEnv(mastodon), SMTP_URL: smtp.url(), MAIL_FROM: 'status@example.com', ADMIN_NOTICE_EMAIL: 'ops@example.com' }
  })
  mastodon.failNext({ kind: 'unauthorized' })
  app.herald.services.incidents.open({ reference: 'TM202916', name: 'Teams down', body: 'Investigating.' }, 'admin')
  await eventually(() => smtp.received.length === 1, 'the notice')
  t.match(smtp.received[0], { envelope: { to: ['ops@example.com'] }, mail: { subject: '[Example Status] A delivery failed' } })
  t.match(smtp.received[0]?.mail.text, /^The Mastodon post of https:\/\/status\.example\.com\/incidents\/TM202916#update-1 failed for good: /)
})
