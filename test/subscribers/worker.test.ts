// The subscriber worker against fake channels: expansion in batches with the filters, order per subscriber, retries, quarantine, bounces, the cap, stop.
import t from 'tap'
import type { Notification } from '../../server/domain/subscribers.js'
import type { EventFacts } from '../../server/notify/event-facts.js'
import { FailureNotices } from '../../server/notify/failure-notices.js'
import { SubscriberWorker, type SubscriberWorkerSettings } from '../../server/notify/subscriber-worker.js'
import type { ApiIncident } from '../../server/views/api-v2-view.js'
import type { TestContext } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { buildServices } from '../fixtures/services.js'
import { FakeChannel } from './fixtures/fake-channel.js'
import { addNotification, addSubscribers, deliveriesOf } from './fixtures/outbox-rows.js'

const hourMs = 3_600_000

/** Enough facts for the worker (the channels are fakes): a component event names its component, the others incident HR-1. */
function factsOf (notificationId: number, event: string): EventFacts {
  return {
    notification: { id: notificationId } as Notification,
    page: { id: 'page', name: 'Example Status', url: 'https://status.example.com', statusIndicator: 'major', statusDescription: 'Partial System Outage' },
    incident: event === 'component'
      ? null
      : { reference: 'HR-1', name: 'Teams down', impact: 'major', maintenance: false, url: 'https://status.example.com/incidents/HR-1', api: {} as ApiIncident },
    update: null,
    components: event === 'component' ? [{ id: 1, name: 'Teams chat', status: 'major_outage', statusLabel: 'Major Outage' }] : [],
    componentChange: null
  }
}

interface LogLine { level: string, details: object, message: string }

function world (t: TestContext, settings: Partial<SubscriberWorkerSettings> = {}, options: { notices?: boolean } = {}) {
  const services = buildServices(t)
  const { stores } = services.context
  const db = stores.db
  const chat = services.components.create({ name: 'Teams chat' }, 'test')
  const signIn = services.components.create({ name: 'Sign-in' }, 'test')
  const incident = services.incidents.open({ name: 'Teams down', body: 'Looking into it.' }, 'test')
  const incidentEvent = { event: 'incident' as const, incidentId: incident.id, updateId: incident.updates[0]?.id as number }
  const email = new FakeChannel(['email'])
  const hooks = new FakeChannel(['webhook', 'slack', 'discord', 'teams'])
  const factsLoaded: number[] = []
  const mails: Array<{ to: string, subject: string, text: string }> = []
  const lines: LogLine[] = []
  const log = Object.fromEntries(['info', 'warn', 'error'].map((level) => [level, (details: object, message: string) => { lines.push({ level, details, message }) }])) as
    { info: (d: object, m: string) => void, warn: (d: object, m: string) => void, error: (d: object, m: string) => void }
  const notices = options.notices === false
    ? null
    : new FailureNotices({
      send: async (to, subject, text) => {
        mails.push({ to, subject, text })
        return { outcome: 'sent' }
      },
      to: 'ops@example.com',
      siteName: 'Example Status',
      clock: services.clock.now,
      log
    })
  let prunedUnconfirmed = 0
  const records = stores.subscribers
  const make = (): SubscriberWorker => new SubscriberWorker({
    deliveries: stores.subscriberDeliveries,
    subscribers: records,
    channels: [email, hooks],
    loadFacts: (id) => {
      factsLoaded.push(id)
      return factsOf(id, db.prepare<[number], { event: string }>('SELECT event FROM notifications WHERE id = ?').get(id)?.event ?? '')
    },
    links: (subscriber) => ({ manage: `https://status.example.com/subscriptions/${subscriber.id}.x`, unsubscribe: `https://status.example.com/subscriptions/unsubscribe/${subscriber.id}.x` }),
    pruneUnconfirmed: () => { prunedUnconfirmed++ },
    notices,
    siteName: 'Example Status',
    clock: services.clock.now,
    log,
    random: () => 0,
    settings: {
      concurrency: 10,
      maxAttempts: 4,
      retryBaseMs: 1_000,
      retryCapMs: 60_000,
      requestTimeoutMs: 1_000,
      quarantineAfterMs: 24 * hourMs,
      expandBatch: 500,
      sweepIntervalMs: 60_000,
      pruneIntervalMs: hourMs,
      ...settings
    }
  })
  const worker = make()
  t.teardown(async () => { await worker.stop() })
  /** A worker over the same database whose store and subscribers' methods named in `broken` throw, as a locked or closing database does. */
  const breaking = (broken: Set<string>): SubscriberWorker => {
    const failing = <T extends object>(target: T): T => new Proxy(target, {
      get: (object, name) => {
        if (broken.has(String(name))) return () => { throw new Error(`${String(name)}: database is locked`) }
        const value: unknown = Reflect.get(object, name)
        return typeof value === 'function' ? value.bind(object) : value
      }
    })
    const other = new SubscriberWorker({
      deliveries: failing(stores.subscriberDeliveries),
      subscribers: failing(records),
      channels: [email, hooks],
      loadFacts: (id) => factsOf(id, 'incident'),
      links: () => ({ manage: '', unsubscribe: '' }),
      pruneUnconfirmed: () => { if (broken.has('pruneUnconfirmed')) throw new Error('pruneUnconfirmed: database is locked') },
      notices: null,
      siteName: 'Example Status',
      clock: services.clock.now,
      log,
      random: () => 0,
      settings: { concurrency: 10, maxAttempts: 3, retryBaseMs: 1000, retryCapMs: 1000, requestTimeoutMs: 1000, quarantineAfterMs: hourMs, expandBatch: 10, sweepIntervalMs: 60_000, pruneIntervalMs: hourMs }
    })
    t.teardown(async () => { await other.stop() })
    return other
  }
  return { breaking, reference: incident.reference, services, db, stores, chat, signIn, incidentEvent, email, hooks, factsLoaded, mails, lines, worker, make, records, prunedUnconfirmed: () => prunedUnconfirmed }
}

t.test('expansion: in batches of subscriber ids, each in its own transaction, only who the event concerns, never twice', async (t) => {
  const w = world(t)
  const { db, stores, chat, signIn } = w
  // 1,200 subscribers: every fourth is for Sign-in only, every fifth is not active, kinds in turn.
  const kinds = ['email', 'webhook', 'slack', 'discord', 'teams'] as const
  const states = ['active', 'active', 'active', 'active', 'unconfirmed', 'active', 'quarantined', 'active', 'bounced', 'active'] as const
  const rows = Array.from({ length: 1200 }, (_, i) => ({
    kind: kinds[i % 5] as typeof kinds[number],
    target: `https://hooks.example.com/${i}`,
    state: states[i % 10] as typeof states[number],
    componentIds: i % 4 === 3 ? [signIn.id] : i % 4 === 2 ? [chat.id, signIn.id] : []
  }))
  const ids = addSubscribers(db, rows)
  const aboutChat = addNotification(db, { ...w.incidentEvent, componentIds: [chat.id] })
  const aboutNothing = addNotification(db, { ...w.incidentEvent, componentIds: [] })
  const componentEvent = addNotification(db, { event: 'component', componentId: chat.id, componentIds: [chat.id] })
  // Subscribed after the event committed: not told of it.
  addSubscribers(db, [{ kind: 'webhook', target: 'https://late.example.com/' }])

  const batches = []
  for (let expansion = stores.subscriberDeliveries.expandNext(500, '2020-02-03T13:00:01.000Z'); expansion !== undefined;
    expansion = stores.subscriberDeliveries.expandNext(500, '2020-02-03T13:00:01.000Z')) batches.push(expansion)
  t.same(batches.map((b) => [b.notificationId, b.from, b.through, b.complete]), [
    [aboutChat, 0, 500, false], [aboutChat, 500, 1000, false], [aboutChat, 1000, 1200, true],
    [aboutNothing, 0, 500, false], [aboutNothing, 500, 1000, false], [aboutNothing, 1000, 1200, true],
    [componentEvent, 0, 500, false], [componentEvent, 500, 1000, false], [componentEvent, 1000, 1200, true]
  ], 'three batches per notification, oldest notification first, up to the last subscriber when it committed')

  const active = (i: number): boolean => states[i % 10] === 'active'
  const expected = (filter: (i: number) => boolean): number[] => ids.filter((_, i) => active(i) && filter(i))
  const told = (notification: number): number[] => deliveriesOf(db, notification).map((d) => d.subscriberId)
  t.same(told(aboutChat), expected((i) => i % 4 < 3), 'an incident about Teams chat: subscribers of everything, or of Teams chat')
  t.same(told(aboutNothing), expected(() => true), 'an incident naming no component: every active subscriber')
  t.same(told(componentEvent), expected((i) => kinds[i % 5] === 'webhook' && i % 4 < 3), 'a component change: webhooks only, of everything or of Teams chat')
  t.ok(deliveriesOf(db, aboutChat).every((d) => d.state === 'pending' && d.attempts === 0), 'all pending, never tried')

  // A crash that left the cursor behind (it cannot, being in the same transaction) would still add nothing.
  db.prepare('UPDATE notifications SET expanded_through = 0').run()
  let again = 0
  for (let expansion = stores.subscriberDeliveries.expandNext(500, '2020-02-03T13:00:02.000Z'); expansion !== undefined;
    expansion = stores.subscriberDeliveries.expandNext(500, '2020-02-03T13:00:02.000Z')) again += expansion.created
  t.equal(again, 0, 'a batch done twice makes no second delivery')
  t.match(stores.subscriberDeliveries.counts(), { pending: told(aboutChat).length + told(aboutNothing).length + told(componentEvent).length, unexpanded: 0 })
})

t.test('the worker sends every delivery once, loading each notification\'s facts once, and records the success', async (t) => {
  const w = world(t, { expandBatch: 7, concurrency: 3 })
  const ids = addSubscribers(w.db, Array.from({ length: 40 }, (_, i) => ({ kind: i % 2 === 0 ? 'email' as const : 'webhook' as const, target: `s${i}@example.com` })))
  const first = addNotification(w.db, w.incidentEvent)
  w.worker.start()
  await w.worker.settled()
  t.equal(w.email.calls.length + w.hooks.calls.length, 40, 'forty sends')
  t.same([...w.email.calls, ...w.hooks.calls].map((m) => m.subscriber.id).sort((a, b) => a - b), ids, 'one to each subscriber')
  t.ok(w.email.calls.every((m) => m.subscriber.kind === 'email') && w.hooks.calls.every((m) => m.subscriber.kind === 'webhook'), 'each through its kind\'s channel')
  t.same(new Set(w.factsLoaded), new Set([first]), 'the facts of the notification only')
  t.ok(w.factsLoaded.length < 40, `facts read once while in use, not per delivery (${w.factsLoaded.length} reads)`)
  t.ok(w.email.maxInFlight + w.hooks.maxInFlight <= 6 && Math.max(w.email.maxInFlight, w.hooks.maxInFlight) <= 3, 'never more than the concurrency in flight')
  t.ok(deliveriesOf(w.db, first).every((d) => d.state === 'sent' && d.attempts === 1), 'all sent at the first attempt')
  t.match(w.records.get(ids[0] as number), { lastDeliveryAt: '2020-02-03T13:00:00.000Z', failingSince: null, lastError: null })
  const message = w.email.calls[0]
  t.match(message, { links: { unsubscribe: /^https:\/\/status\.example\.com\/subscriptions\/unsubscribe\// }, facts: { incident: { reference: 'HR-1' } } })

  // A later notification wakes it.
  addNotification(w.db, w.incidentEvent)
  w.worker.wake()
  await eventually(() => w.email.calls.length + w.hooks.calls.length === 80, 'the second notification to be sent')
  await w.worker.settled()
  t.equal(w.email.calls.length + w.hooks.calls.length, 80, 'nothing sent twice')
})

t.test('concurrency: never more sends in flight than the setting, and the rest follow as they finish', async (t) => {
  const w = world(t, { concurrency: 4 })
  addSubscribers(w.db, Array.from({ length: 30 }, (_, i) => ({ kind: 'webhook' as const, target: `https://hooks.example.com/${i}` })))
  const notification = addNotification(w.db, w.incidentEvent)
  w.hooks.answer = w.hooks.hold()
  w.worker.start()
  await eventually(() => w.hooks.heldCount === 4, 'four sends in flight')
  // Releasing some lets that many more start, no more.
  for (let round = 0; round < 6; round++) {
    w.hooks.release()
    await eventually(() => w.hooks.heldCount === Math.min(4, 30 - 4 * (round + 1)) || w.hooks.calls.length === 30, 'the next sends to start')
  }
  w.hooks.answer = () => ({ outcome: 'sent' })
  w.hooks.release()
  await w.worker.settled()
  t.equal(w.hooks.maxInFlight, 4, 'four at most')
  t.equal(w.hooks.calls.length, 30, 'every one sent once')
  t.ok(deliveriesOf(w.db, notification).every((d) => d.state === 'sent'))
})

t.test('order: a subscriber\'s next message waits for the one before it, retries included', async (t) => {
  const w = world(t)
  const [slow, fast] = addSubscribers(w.db, [{ kind: 'webhook', target: 'https://slow.example.com/' }, { kind: 'webhook', target: 'https://fast.example.com/' }]) as [number, number]
  const first = addNotification(w.db, w.incidentEvent)
  const second = addNotification(w.db, w.incidentEvent)
  let slowAttempts = 0
  w.hooks.answer = (message) => {
    if (message.subscriber.id !== slow) return { outcome: 'sent' }
    slowAttempts++
    return slowAttempts === 1 ? { outcome: 'retry', error: 'answered 503', notBefore: null } : { outcome: 'sent' }
  }
  w.worker.start()
  await w.worker.settled()
  const [slowFirst, slowSecond] = deliveriesOf(w.db, first).concat(deliveriesOf(w.db, second)).filter((d) => d.subscriberId === slow)
  t.same(w.hooks.deliveriesTo(fast), [deliveriesOf(w.db, first)[1]?.id, deliveriesOf(w.db, second)[1]?.id], 'the other subscriber got both')
  t.same(w.hooks.deliveriesTo(slow), [slowFirst?.id], 'the slow one got only the first, which is waiting for its retry')
  t.match(slowSecond, { state: 'pending', attempts: 0 }, 'its second waits, though due')
  t.match(w.lines.find((l) => l.message === 'subscriber delivery will be retried'), { details: { subscriber: slow, error: 'answered 503' } })

  w.services.clock.advance(1_000)
  w.worker.wake()
  await eventually(() => w.hooks.deliveriesTo(slow).length === 3, 'the retry, then the second message')
  await w.worker.settled()
  t.same(w.hooks.deliveriesTo(slow), [slowFirst?.id, slowFirst?.id, slowSecond?.id], 'the retry went first, then the next message')
})

t.test('retries: backoff with jitter from the setting, a Retry-After honoured, and given up after the maximum with a notice', async (t) => {
  const w = world(t, { maxAttempts: 4, retryBaseMs: 1_000, retryCapMs: 3_000 })
  const [hook] = addSubscribers(w.db, [{ kind: 'webhook', target: 'https://down.example.com/hook' }]) as [number]
  const notification = addNotification(w.db, w.incidentEvent)
  const asked = new Date('2020-02-03T13:10:00.000Z')
  w.hooks.answer = () => w.hooks.calls.length === 2
    ? { outcome: 'retry', error: 'answered 429', notBefore: asked }
    : { outcome: 'retry', error: 'answered 500', notBefore: null }
  w.worker.start()
  await w.worker.settled()
  const store = w.stores.subscriberDeliveries
  const id = deliveriesOf(w.db, notification)[0]?.id as number
  // random() is 0: the delay is half the doubled base.
  t.match(store.get(id), { state: 'pending', attempts: 1, nextAttemptAt: '2020-02-03T13:00:00.500Z', lastError: 'answered 500' }, 'first retry after half the base')
  w.services.clock.set('2020-02-03T13:00:00.499Z')
  w.worker.wake()
  await w.worker.settled()
  t.equal(w.hooks.calls.length, 1, 'not before its time')
  w.services.clock.set('2020-02-03T13:00:00.500Z')
  w.worker.wake()
  await w.worker.settled()
  t.match(store.get(id), { state: 'pending', attempts: 2, nextAttemptAt: asked.toISOString(), lastError: 'answered 429' }, 'the Retry-After time, later than the backoff')
  w.services.clock.set(asked)
  w.worker.wake()
  await w.worker.settled()
  t.match(store.get(id), { state: 'pending', attempts: 3, nextAttemptAt: '2020-02-03T13:10:01.500Z' }, 'the third delay is capped: half of 3 s')
  t.match(w.records.get(hook), { failingSince: '2020-02-03T13:00:00.000Z', lastError: 'answered 500' }, 'the subscriber is failing since the first failure')
  w.services.clock.advance(1_500)
  w.worker.wake()
  await w.worker.settled()
  t.match(store.get(id), { state: 'failed', attempts: 4, lastError: 'gave up after 4 attempts; the last: answered 500' })
  t.equal(w.hooks.calls.length, 4, 'four attempts, each with the same delivery id')
  t.ok(w.hooks.calls.every((m) => m.deliveryId === id))
  t.match(w.records.get(hook), { state: 'active' }, 'a few hours of failures do not quarantine')
  await eventually(() => w.mails.length === 1, 'the admin notice')
  t.match(w.mails[0], { to: 'ops@example.com', subject: '[Example Status] A delivery failed', text: /webhook delivery to subscriber #\d+ \(down\.example\.com\) of HR-1 failed for good: gave up after 4 attempts/ })
  t.notMatch(w.mails[0]?.text, /\/hook/, 'the notice names the host only: a chat URL\'s path is its credential')

  // A success ends the run of failures.
  addNotification(w.db, w.incidentEvent)
  w.hooks.answer = () => ({ outcome: 'sent' })
  w.worker.wake()
  await eventually(() => w.hooks.calls.length === 5, 'the next notification')
  await w.worker.settled()
  t.match(w.records.get(hook), { failingSince: null, lastError: null, lastDeliveryAt: w.services.clock.now().toISOString() })
})

t.test('a failure for good (a 410) fails at once; a channel that throws is retried; a chat URL is never logged', async (t) => {
  const w = world(t)
  addSubscribers(w.db, [
    { kind: 'webhook', target: 'https://gone.example.com/' },
    { kind: 'slack', target: 'https://hooks.slack.com/services/T/B/secret' },
    { kind: 'discord', target: 'https://[broken/secret' }
  ])
  const notification = addNotification(w.db, w.incidentEvent)
  const change = addNotification(w.db, { event: 'component', componentId: w.chat.id, componentIds: [w.chat.id] })
  w.hooks.answer = (message) => {
    if (message.subscriber.kind === 'webhook') return { outcome: 'failed', error: 'answered 410', bounced: false }
    if (message.subscriber.kind === 'discord') return { outcome: 'failed', error: 'the URL is not valid', bounced: false }
    throw new Error('boom')
  }
  w.worker.start()
  await w.worker.settled()
  const [gone, slack, discord] = deliveriesOf(w.db, notification)
  t.match(gone, { state: 'failed', attempts: 1, lastError: 'answered 410' })
  t.match(slack, { state: 'pending', attempts: 1, lastError: 'unexpected error: boom' })
  t.match(discord, { state: 'failed', attempts: 1 })
  t.match(deliveriesOf(w.db, change), [{ state: 'failed', lastError: 'answered 410' }], 'the component change to the webhook only')
  await eventually(() => w.mails.length === 3, 'three notices')
  t.same(w.mails.map((m) => m.text.split(' failed for good')[0]).sort(), [
    'The Discord webhook delivery to subscriber #3 (an invalid URL) of HR-1',
    'The webhook delivery to subscriber #1 (gone.example.com) of HR-1',
    'The webhook delivery to subscriber #1 (gone.example.com) of Teams chat'
  ], 'each notice names the kind, the subscriber, the host only, and the incident or the component')
  t.notMatch(JSON.stringify([w.lines, w.mails]), /secret/, 'no log line nor notice names a chat URL\'s path')
})

t.test('a retry comes due on its own timer, without a wake', async (t) => {
  const w = world(t, { retryBaseMs: 100 })
  addSubscribers(w.db, [{ kind: 'teams', target: 'https://teams.example.com/' }])
  addNotification(w.db, w.incidentEvent)
  w.hooks.answer = () => w.hooks.calls.length === 1 ? { outcome: 'retry', error: 'answered 503', notBefore: null } : { outcome: 'sent' }
  w.worker.start()
  await w.worker.settled()
  t.equal(w.hooks.calls.length, 1)
  // The retry is due 50 ms later (random() is 0): the timer set after the attempt looks then.
  w.services.clock.advance(50)
  await eventually(() => w.hooks.calls.length === 2, 'the retry, by the timer')
  t.pass('sent again without a wake or a sweep (the sweep interval is a minute here)')
})

t.test('quarantine: a webhook failing for the whole window is no longer sent to, its waiting messages are skipped, its contact and the admin are told', async (t) => {
  const w = world(t, { maxAttempts: 100 })
  const [hook, other] = addSubscribers(w.db, [
    { kind: 'webhook', target: 'https://down.example.com/', contactEmail: 'dev@example.org' },
    { kind: 'teams', target: 'https://teams.example.com/' }
  ]) as [number, number]
  const first = addNotification(w.db, w.incidentEvent)
  const second = addNotification(w.db, w.incidentEvent)
  w.hooks.answer = (message) => message.subscriber.id === hook ? { outcome: 'retry', error: 'answered 502', notBefore: null } : { outcome: 'sent' }
  w.worker.start()
  await w.worker.settled()
  t.match(w.records.get(hook), { state: 'active', failingSince: '2020-02-03T13:00:00.000Z' })

  // A day less a second: still tried (and retried a second later: random() is 0, half of twice the base).
  w.services.clock.advance(24 * hourMs - 1_000)
  w.worker.wake()
  await w.worker.settled()
  t.match(w.records.get(hook), { state: 'active' }, 'not before the window is over')
  w.services.clock.advance(1_000)
  w.worker.wake()
  await w.worker.settled()
  t.equal(w.hooks.deliveriesTo(hook).length, 3, 'three attempts in all')
  t.match(w.records.get(hook), { state: 'quarantined' })
  t.match(deliveriesOf(w.db, first).find((d) => d.subscriberId === hook), { state: 'failed', lastError: /^quarantined: every delivery failed since 2020-02-03T13:00:00.000Z; the last: answered 502/ })
  t.match(deliveriesOf(w.db, second).find((d) => d.subscriberId === hook), { state: 'skipped', lastError: 'the subscriber was quarantined', attempts: 0 })
  t.same(w.hooks.deliveriesTo(other).length, 2, 'the other subscriber got both')
  await eventually(() => w.mails.length === 2, 'two mails')
  const contact = w.mails.find((m) => m.to === 'dev@example.org')
  t.match(contact, { subject: '[Example Status] Your webhook no longer receives updates', text: /down\.example\.com.*every delivery has failed since 2020-02-03T13:00:00.000Z/s })
  t.match(contact?.text, /re-enable it,\nor subscribe it again at https:\/\/status\.example\.com\/subscribe/)
  t.ok(w.mails.some((m) => m.to === 'ops@example.com'), 'the admin notice')

  // Nothing more is sent to it.
  addNotification(w.db, w.incidentEvent)
  w.worker.wake()
  await eventually(() => w.hooks.deliveriesTo(other).length === 3, 'the third to the other')
  await w.worker.settled()
  t.equal(w.hooks.deliveriesTo(hook).length, 3, 'none to the quarantined one')
})

t.test('bounce: an address refused for good is marked, its waiting messages skipped, nothing more sent to it', async (t) => {
  const w = world(t, {}, { notices: false })
  const [dead, alive] = addSubscribers(w.db, [{ kind: 'email', target: 'gone@example.com' }, { kind: 'email', target: 'here@example.com' }]) as [number, number]
  const first = addNotification(w.db, w.incidentEvent)
  const second = addNotification(w.db, w.incidentEvent)
  w.email.answer = (message) => message.subscriber.id === dead
    ? { outcome: 'failed', error: 'the mail server refused the address: 550 5.1.1 no such user', bounced: true }
    : { outcome: 'sent' }
  // Both expanded before the first send: the second waits behind the first when the address bounces.
  while (w.stores.subscriberDeliveries.expandNext(500, '2020-02-03T13:00:00.000Z') !== undefined);
  w.worker.start()
  await w.worker.settled()
  t.match(w.records.get(dead), { state: 'bounced', lastError: /550 5\.1\.1/ })
  t.same(w.email.deliveriesTo(dead).length, 1, 'tried once')
  t.match(deliveriesOf(w.db, second).find((d) => d.subscriberId === dead), { state: 'skipped', lastError: 'the address bounced' })
  t.match(deliveriesOf(w.db, first).find((d) => d.subscriberId === dead), { state: 'failed' })
  t.equal(w.email.deliveriesTo(alive).length, 2)
  t.match(w.lines.find((l) => l.message === 'subscriber address bounced: no longer sent to'), { details: { subscriber: dead, skipped: 1 } })
  t.notMatch(JSON.stringify(w.lines), /gone@example/, 'the address is not logged')
  addNotification(w.db, w.incidentEvent)
  w.worker.wake()
  await eventually(() => w.email.deliveriesTo(alive).length === 3, 'the next one')
  await w.worker.settled()
  t.equal(w.email.deliveriesTo(dead).length, 1, 'a bounced address gets nothing more')
})

t.test('skips: a subscriber no longer active when claimed, a kind without a channel, facts that are gone', async (t) => {
  const w = world(t)
  const [paused, noChannel] = addSubscribers(w.db, [{ kind: 'webhook', target: 'https://a.example.com/' }, { kind: 'email', target: 'a@example.com' }]) as [number, number]
  const notification = addNotification(w.db, w.incidentEvent)
  w.stores.subscriberDeliveries.expandNext(500, '2020-02-03T13:00:00.000Z')
  w.records.quarantine(paused, '2020-02-03T13:00:00.000Z')
  const worker = new SubscriberWorker({
    deliveries: w.stores.subscriberDeliveries,
    subscribers: w.records,
    channels: [w.hooks],
    loadFacts: () => undefined,
    links: () => ({ manage: '', unsubscribe: '' }),
    pruneUnconfirmed: () => {},
    notices: null,
    siteName: 'Example Status',
    clock: w.services.clock.now,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    settings: { concurrency: 2, maxAttempts: 3, retryBaseMs: 1000, retryCapMs: 1000, requestTimeoutMs: 1000, quarantineAfterMs: hourMs, expandBatch: 10, sweepIntervalMs: 60_000, pruneIntervalMs: hourMs }
  })
  t.same(worker.kinds, ['webhook', 'slack', 'discord', 'teams'], 'no email without its channel')
  t.teardown(async () => { await worker.stop() })
  worker.start()
  await worker.settled()
  t.same(deliveriesOf(w.db, notification).map((d) => [d.subscriberId, d.state, d.lastError]), [
    [paused, 'skipped', 'the subscriber is quarantined'],
    [noChannel, 'skipped', 'email is not configured']
  ])
  w.db.prepare("UPDATE subscribers SET state = 'active'").run()
  addNotification(w.db, w.incidentEvent)
  worker.wake()
  await eventually(() => w.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM subscriber_deliveries WHERE last_error = 'what it told was deleted before it was sent'").get()?.n === 1, 'the delivery without facts to be skipped')
  t.equal(w.hooks.calls.length, 0, 'nothing sent without facts')
})

t.test('stop(): the sends in flight are aborted and put back, due at once; the next run sends them with the same ids', async (t) => {
  const w = world(t, { concurrency: 5 })
  addSubscribers(w.db, Array.from({ length: 8 }, (_, i) => ({ kind: 'discord' as const, target: `https://discord.example.com/${i}` })))
  const notification = addNotification(w.db, w.incidentEvent)
  w.hooks.answer = w.hooks.hold()
  w.worker.start()
  await eventually(() => w.hooks.heldCount === 5, 'five in flight')
  const inFlight = w.hooks.calls.map((m) => m.deliveryId)
  await w.worker.stop()
  const rows = deliveriesOf(w.db, notification)
  t.same(rows.filter((d) => inFlight.includes(d.id)).map((d) => [d.state, d.attempts]), Array(5).fill(['pending', 1]), 'the five in flight are pending again')
  t.same(rows.filter((d) => !inFlight.includes(d.id)).map((d) => d.state), ['pending', 'pending', 'pending'], 'the rest untouched')
  t.match(w.stores.subscriberDeliveries.get(inFlight[0] as number), { nextAttemptAt: w.services.clock.now().toISOString(), lastError: 'aborted: Herald is shutting down' })
  w.worker.start()
  t.equal(w.hooks.calls.length, 5, 'a stopped worker does not start again')

  const next = w.make()
  t.teardown(async () => { await next.stop() })
  w.hooks.answer = () => ({ outcome: 'sent' })
  next.start()
  await next.settled()
  const ids = w.hooks.calls.map((m) => m.deliveryId)
  t.equal(ids.length, 13, 'five resent, eight sent once')
  t.same(new Set(ids).size, 8, 'under the same eight delivery ids')
  t.ok(deliveriesOf(w.db, notification).every((d) => d.state === 'sent'))
})

t.test('a claim whose process died lapses and is sent again with the same id; sweeps prune and forget unconfirmed ones hourly', async (t) => {
  const w = world(t)
  const old = addNotification(w.db, w.incidentEvent, '2019-12-01T00:00:00.000Z')
  const [hook] = addSubscribers(w.db, [{ kind: 'webhook', target: 'https://a.example.com/' }]) as [number]
  // An old delivery done long ago is forgotten, and its notification with it.
  w.db.prepare(`INSERT INTO subscriber_deliveries (notification_id, subscriber_id, state, created_at, updated_at)
    VALUES (?, ?, 'sent', '2019-12-01T00:00:00.000Z', '2019-12-01T00:00:00.000Z')`).run(old, hook)
  w.db.prepare('UPDATE notifications SET last_subscriber_id = 0 WHERE id = ?').run(old)
  const notification = addNotification(w.db, w.incidentEvent)
  const store = w.stores.subscriberDeliveries
  store.expandNext(500, '2020-02-03T13:00:00.000Z')
  const [claimed] = store.claimDue({ now: '2020-02-03T13:00:00.000Z', leaseUntil: '2020-02-03T13:00:03.000Z', limit: 5, inFlight: [] })
  t.match(claimed, { state: 'sending', attempts: 1, notificationId: notification })
  t.same(store.claimDue({ now: '2020-02-03T13:00:00.000Z', leaseUntil: '2020-02-03T13:00:03.000Z', limit: 5, inFlight: [] }), [], 'claimed once')
  t.equal(store.nextDueAfter('2020-02-03T13:00:00.000Z'), '2020-02-03T13:00:03.000Z', 'the lease is when it comes due again')

  w.worker.start()
  await w.worker.settled()
  t.equal(w.hooks.calls.length, 0, 'not while the claim holds')
  t.equal(w.prunedUnconfirmed(), 1, 'unconfirmed subscriptions pruned at start')
  t.same(w.db.prepare('SELECT id FROM notifications ORDER BY id').all(), [{ id: notification }], 'the old notification and its delivery are forgotten')
  w.services.clock.advance(3_000)
  w.worker.wake()
  await w.worker.settled()
  t.same(w.hooks.calls.map((m) => m.deliveryId), [claimed?.id], 'sent again under its id')
  t.match(store.get(claimed?.id as number), { state: 'sent', attempts: 2 })
  t.equal(w.prunedUnconfirmed(), 1, 'not again within the hour')
  w.services.clock.advance(hourMs)
  w.worker.wake()
  await w.worker.settled()
  t.equal(w.prunedUnconfirmed(), 2, 'and again an hour later')
  t.match(store.counts(), { sent: 1, pending: 0, sending: 0, failed: 0, skipped: 0, unexpanded: 0 })
})

t.test('a database that fails (locked, closing) is logged and tried again later, never thrown out of a timer', async (t) => {
  const w = world(t)
  addSubscribers(w.db, [{ kind: 'webhook', target: 'https://a.example.com/' }])
  addNotification(w.db, w.incidentEvent)
  const messages = (): string[] => w.lines.map((l) => l.message)

  const noExpansion = w.breaking(new Set(['expandNext', 'pruneUnconfirmed']))
  noExpansion.start()
  await noExpansion.settled()
  t.ok(messages().includes('subscribers: expanding a notification failed'))
  t.ok(messages().includes('subscribers: pruning failed'))
  await noExpansion.stop()

  w.stores.subscriberDeliveries.expandNext(500, w.services.clock.now().toISOString())
  const noClaims = w.breaking(new Set(['claimDue']))
  noClaims.start()
  await noClaims.settled()
  t.ok(messages().includes('subscribers: looking for due deliveries failed'))
  await noClaims.stop()

  const noSubscribers = w.breaking(new Set(['get']))
  noSubscribers.start()
  await noSubscribers.settled()
  t.match(w.lines.find((l) => l.message === 'subscribers: an attempt failed to run or to be recorded'), { level: 'error', details: { err: { message: 'get: database is locked' } } })
  t.match(w.stores.subscriberDeliveries.counts(), { sending: 1 }, 'left sending: its claim lapses and it is sent again')
  await noSubscribers.stop()

  w.services.clock.advance(3_000)
  w.hooks.answer = () => ({ outcome: 'retry', error: 'answered 503', notBefore: null })
  const noTimer = w.breaking(new Set(['nextDueAfter']))
  noTimer.start()
  await noTimer.settled()
  t.equal(w.hooks.calls.length, 1, 'the lapsed claim was sent again')
  t.ok(messages().includes('subscribers: looking for the next due delivery failed'), 'the retry\'s timer could not be set: logged')
  await noTimer.stop()
})

t.test('stopped right after claiming: the claimed deliveries go back unsent', async (t) => {
  const w = world(t, { concurrency: 3 })
  addSubscribers(w.db, Array.from({ length: 5 }, (_, i) => ({ kind: 'webhook' as const, target: `https://hooks.example.com/${i}` })))
  const notification = addNotification(w.db, w.incidentEvent)
  w.worker.start()
  // start() claimed three synchronously; each waits for its own turn of the event loop, which comes after stop().
  await w.worker.stop()
  t.equal(w.hooks.calls.length, 0, 'nothing sent')
  t.same(deliveriesOf(w.db, notification).map((d) => [d.state, d.attempts, d.lastError]), [
    ['pending', 1, 'Herald stopped before sending it'], ['pending', 1, 'Herald stopped before sending it'], ['pending', 1, 'Herald stopped before sending it'],
    ['pending', 0, null], ['pending', 0, null]
  ])
  t.equal(w.stores.subscriberDeliveries.get(999_999), undefined)
  t.same(w.stores.subscriberDeliveries.claimDue({ now: '2020-02-03T13:00:00.000Z', leaseUntil: '2020-02-03T13:00:03.000Z', limit: 0, inFlight: [] }), [], 'no free slot: nothing claimed')
})

t.test('expansion hands the event loop back after each batch: a fan-out to thousands never holds a request or a write', async (t) => {
  const w = world(t, { expandBatch: 500 })
  addSubscribers(w.db, Array.from({ length: 2_000 }, (_, i) => ({ kind: 'email' as const, target: `reader${i}@example.com` })))
  const notification = addNotification(w.db, w.incidentEvent)
  w.email.answer = w.email.hold()
  w.worker.start()
  t.equal(deliveriesOf(w.db, notification).length, 500, 'one batch in the turn that started it')
  await new Promise((resolve) => setImmediate(resolve))
  // Meanwhile a write goes through, between two batches.
  w.services.incidents.postUpdate(w.reference, { status: 'identified', body: 'Found it.', notify: false }, 'test')
  await eventually(() => deliveriesOf(w.db, notification).length === 2_000, 'the other batches, one per turn')
  // The sends claimed together start one per turn too: the tenth may start a few turns after the last batch.
  await eventually(() => w.email.heldCount === 10, () => `ten sends in flight meanwhile, ${w.email.heldCount} so far`)
  t.equal(w.email.heldCount, 10, 'ten sends in flight meanwhile, never more')
  w.email.answer = () => ({ outcome: 'sent' })
  w.email.release()
  await w.worker.settled()
  t.equal(w.email.calls.length, 2_000)
})
