// Updates reach subscribers end to end through the app (email over real SMTP, webhooks and chats to a receiver): by component, notify false, maintenances, quarantine.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { TestClock, type TestContext, build } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { verifySignature } from '../../server/notify/signature.js'
import { FakeSmtp } from './fixtures/fake-smtp.js'
import { type ReceivedRequest, startFakeReceiver } from './fixtures/fake-receiver.js'
import { componentWebhook, incidentWebhook, shapeMismatches } from './fixtures/statuspage-webhooks.js'

interface World {
  app: FastifyInstance
  smtp: FakeSmtp
  clock: TestClock
  chat: number
  signIn: number
  /** Waits until the worker has nothing left to do. */
  settle: () => Promise<void>
  /** The subjects each address received, in order. */
  subjectsTo: (address: string) => string[]
}

async function world (t: TestContext, env: NodeJS.ProcessEnv = {}): Promise<World> {
  const smtp = await FakeSmtp.start()
  t.teardown(() => smtp.close())
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const app = await build(t, {
    clock,
    env: { SMTP_URL: smtp.url(), MAIL_FROM: 'status@example.com', SUBSCRIPTIONS_ALLOW_PRIVATE_URLS: '1', SUBSCRIPTIONS_ALLOW_HTTP: '1', ...env }
  })
  const { components } = app.herald.services
  const chat = components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'test').id
  const signIn = components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, 'test').id
  const worker = app.subscribers.worker
  if (worker === null) throw new Error('no subscriber worker')
  return {
    app,
    smtp,
    clock,
    chat,
    signIn,
    settle: async () => { await worker.settled() },
    subjectsTo: (address) => smtp.received.filter((m) => m.envelope.to.includes(address)).map((m) => m.mail.subject ?? '')
  }
}

t.test('email: by component, an incident without components to all, notify false to nobody, in order', async (t) => {
  const w = await world(t)
  const { subscribers, incidents } = w.app.herald.services
  t.same(w.app.subscribers.kinds, ['email', 'webhook', 'slack', 'discord', 'teams'], 'email is offered with SMTP_URL')
  const add = (target: string, components: number[] | 'all'): void => {
    subscribers.add('admin', { kind: 'email', target, components }, { skipConfirmation: true })
  }
  add('all@example.com', 'all')
  add('chat@example.com', [w.chat])
  add('signin@example.com', [w.signIn])
  subscribers.add('admin', { kind: 'email', target: 'later@example.com', components: 'all' }, { skipConfirmation: false })

  incidents.open({ reference: 'TM202916', name: 'Users unable to access Microsoft Teams', body: 'We\'re investigating.', status: 'investigating', components: { [w.chat]: 'major_outage' } }, 'admin')
  incidents.postUpdate('TM202916', { status: 'identified', body: 'An authentication certificate has expired.' }, 'admin')
  incidents.postUpdate('TM202916', { status: 'identified', body: 'A typo fixed; nobody is told.', notify: false }, 'admin')
  incidents.open({ reference: 'HR0001', name: 'Slow everything', body: 'Looking into it.' }, 'admin')
  await eventually(() => w.smtp.received.length === 7, () => `seven mails, got ${w.smtp.received.length}`)
  await w.settle()

  t.same(w.subjectsTo('all@example.com'), [
    '[Investigating] Users unable to access Microsoft Teams (TM202916)',
    '[Identified] Users unable to access Microsoft Teams (TM202916)',
    '[Investigating] Slow everything (HR0001)'
  ], 'all components: every notifying update, in order')
  t.same(w.subjectsTo('chat@example.com'), [
    '[Investigating] Users unable to access Microsoft Teams (TM202916)',
    '[Identified] Users unable to access Microsoft Teams (TM202916)',
    '[Investigating] Slow everything (HR0001)'
  ], 'Teams chat only: the incident on Teams chat (its later update too, which changed no component), and the one naming none')
  t.same(w.subjectsTo('signin@example.com'), ['[Investigating] Slow everything (HR0001)'], 'Sign-in only: only the incident naming no component')
  t.same(w.subjectsTo('later@example.com'), [], 'an unconfirmed address gets nothing')
  const [first, second] = w.smtp.received.filter((m) => m.envelope.to.includes('chat@example.com'))
  t.match(first?.mail.text, /We're investigating\./)
  t.match(second?.mail.text, /An authentication certificate has expired\./)
  t.match(first?.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m, 'one-click unsubscribe')
  const counts = w.app.herald.stores.subscriberDeliveries.counts()
  t.match(counts, { sent: 7, pending: 0, sending: 0, failed: 0, unexpanded: 0 })
})

t.test('maintenance: the announcement, the start and the end by the clock, each told once, to the subscribers of its components', async (t) => {
  const w = await world(t)
  const { subscribers, maintenances } = w.app.herald.services
  subscribers.add('admin', { kind: 'email', target: 'chat@example.com', components: [w.chat] }, { skipConfirmation: true })
  subscribers.add('admin', { kind: 'email', target: 'signin@example.com', components: [w.signIn] }, { skipConfirmation: true })
  const planned = maintenances.schedule({
    name: 'Certificate rotation',
    body: 'We will rotate the sign-in certificates.',
    scheduledFor: '2020-02-04T02:00:00.000Z',
    scheduledUntil: '2020-02-04T03:00:00.000Z',
    components: [w.signIn]
  }, 'admin')
  w.clock.set('2020-02-04T02:00:00.000Z')
  maintenances.runDue()
  w.clock.set('2020-02-04T03:00:00.000Z')
  maintenances.runDue()
  await eventually(() => w.smtp.received.length === 3, () => `three mails, got ${w.smtp.received.length}`)
  await w.settle()
  const subject = (label: string): string => `[${label}] Certificate rotation (${planned.reference})`
  t.same(w.subjectsTo('signin@example.com'), [subject('Scheduled'), subject('In Progress'), subject('Completed')])
  t.same(w.subjectsTo('chat@example.com'), [], 'not to the subscribers of other components')
})

t.test('what the plugin offers: email only with SMTP_URL; no worker with SUBSCRIPTIONS_WORKER=off', async (t) => {
  const plain = await build(t)
  t.equal(plain.subscribers.mailer, null)
  t.equal(plain.subscribers.notices, null)
  t.same(plain.subscribers.kinds, ['webhook', 'slack', 'discord', 'teams'], 'no email without SMTP_URL')
  t.ok(plain.subscribers.worker !== null, 'the worker runs for the webhooks and chats')
  const off = await build(t, { env: { SUBSCRIPTIONS_WORKER: 'off' } })
  t.equal(off.subscribers.worker, null, 'another process sends')
})

t.test('webhooks and chats: Statuspage\'s payloads, signed, by component; component changes to webhooks only; notify false to nobody', async (t) => {
  const w = await world(t)
  const receiver = await startFakeReceiver(t)
  const { subscribers, incidents } = w.app.herald.services
  const add = (kind: 'webhook' | 'slack' | 'discord' | 'teams', path: string, components: number[] | 'all'): string | null =>
    subscribers.add('admin', { kind, target: receiver.url(path), components }, { skipConfirmation: true }).signingSecret
  const secret = add('webhook', '/hook/all', 'all') as string
  add('webhook', '/hook/signin', [w.signIn])
  add('slack', '/slack', 'all')
  add('discord', '/discord', [w.chat])
  add('teams', '/teams', 'all')
  const to = (path: string): ReceivedRequest[] => receiver.requests.filter((r) => r.path === path)
  const events = (path: string): string[] => to(path).map((r) => (JSON.parse(r.body) as { event_type: string }).event_type)

  incidents.open({ reference: 'TM202916', name: 'Users unable to access Microsoft Teams', body: 'We\'re investigating.', components: { [w.chat]: 'major_outage' } }, 'admin')
  incidents.postUpdate('TM202916', { status: 'resolved', body: 'Fixed.', components: { [w.chat]: 'operational' } }, 'admin')
  incidents.postUpdate('TM202916', { status: 'resolved', body: 'A typo fixed.', notify: false }, 'admin')
  // Eight to the webhook of everything (two updates, two changes), two to each chat, none to Sign-in's webhook.
  await eventually(() => receiver.requests.length === 10, () => `ten requests, got ${receiver.requests.length}`)
  await w.settle()
  t.same(events('/hook/all').sort(), ['component', 'component', 'incident', 'incident'], 'the updates and the component changes')
  t.same(to('/hook/signin'), [], 'nothing about Teams chat to a webhook of Sign-in')
  for (const chat of ['/slack', '/discord', '/teams']) t.equal(to(chat).length, 2, `${chat}: the two updates, no component change`)

  for (const request of to('/hook/all')) {
    const payload = JSON.parse(request.body) as { event_type: string }
    const shape = payload.event_type === 'component' ? componentWebhook : incidentWebhook
    t.same(shapeMismatches(shape, payload), [], `a ${payload.event_type} payload in Statuspage's shape`)
    t.ok(verifySignature(String(request.headers['x-herald-signature']), request.body, secret, 300, w.clock.now()), 'signed with the subscriber\'s secret')
    t.match(request.headers['x-herald-delivery'], /^\d+$/, 'the delivery id, for the receiver to drop a repeat')
  }
  const ids = to('/hook/all').map((r) => Number(r.headers['x-herald-delivery']))
  t.same(ids, [...ids].sort((a, b) => a - b), 'one subscriber\'s deliveries arrive in the order of the events')

  // An incident naming no component reaches the webhook of Sign-in too.
  incidents.open({ reference: 'HR0001', name: 'Slow everything', body: 'Looking into it.' }, 'admin')
  await eventually(() => receiver.requests.length === 15, () => `fifteen requests, got ${receiver.requests.length}`)
  await w.settle()
  t.same(events('/hook/signin'), ['incident'])
  t.match(w.app.herald.stores.subscriberDeliveries.counts(), { sent: 15, failed: 0, pending: 0 })
})

t.test('a webhook failing for the window is quarantined, its contact emailed; the admin is told of deliveries that fail for good', async (t) => {
  const w = await world(t, { ADMIN_NOTICE_EMAIL: 'ops@example.com', SUBSCRIPTIONS_MAX_ATTEMPTS: '2', SUBSCRIPTIONS_RETRY_BASE_MS: '1000' })
  const receiver = await startFakeReceiver(t)
  receiver.answerAlways({ status: 500, body: 'down' })
  const { subscribers, incidents } = w.app.herald.services
  const hook = subscribers.add('admin', { kind: 'webhook', target: receiver.url('/down'), contactEmail: 'dev@example.org', components: 'all' }, { skipConfirmation: true }).subscriber
  incidents.open({ reference: 'TM202916', name: 'Teams down', body: 'Investigating.' }, 'admin')
  await eventually(() => receiver.requests.length === 1, 'the first attempt')
  await w.settle()
  w.clock.advance(1_000)
  w.app.subscribers.worker?.wake()
  await eventually(() => receiver.requests.length === 2, 'the retry')
  await w.settle()
  await eventually(() => w.smtp.received.some((m) => m.envelope.to.includes('ops@example.com')), 'the admin\'s notice')
  t.match(w.smtp.received.find((m) => m.envelope.to.includes('ops@example.com'))?.mail.text, /gave up after 2 attempts; the last: answered 500/)
  t.match(subscribers.get(hook.id), { state: 'active', failingSince: '2020-02-03T13:30:00.000Z' })

  w.clock.advance(24 * 3_600_000)
  incidents.postUpdate('TM202916', { status: 'identified', body: 'Found it.' }, 'admin')
  await eventually(() => w.smtp.received.some((m) => m.envelope.to.includes('dev@example.org')), 'the contact\'s mail')
  await w.settle()
  t.match(subscribers.get(hook.id), { state: 'quarantined' })
  t.equal(receiver.requests.length, 3, 'one more attempt, then no more')
  t.match(w.smtp.received.find((m) => m.envelope.to.includes('dev@example.org'))?.mail.subject, '[Example Status] Your webhook no longer receives updates')
})
