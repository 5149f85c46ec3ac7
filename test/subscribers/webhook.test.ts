// Webhooks: Statuspage's payloads field for field, the signature a receiver checks, the delivery headers, and what each answer means.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { type EventFacts, loadEventFacts } from '../../server/notify/event-facts.js'
import { OutboundHttp } from '../../server/notify/outbound-http.js'
import { errorOutcome, retryAfter, retryAfterCapMs } from '../../server/notify/http-outcome.js'
import { signatureHeader, verifySignature } from '../../server/notify/signature.js'
import { WebhookChannel } from '../../server/notify/webhook-channel.js'
import { webhookPayload } from '../../server/notify/webhook-payload.js'
import { version } from '../../server/package-info.js'
import { TestClock, build } from '../fixtures/build.js'
import { incidentPage, maintenancePage } from '../api-v2/fixtures/states.js'
import { startFakeReceiver } from './fixtures/fake-receiver.js'
import { insertNotification } from './fixtures/notifications.js'
import { affectedComponent, componentWebhook, incidentWebhook, maintenanceWebhook, shapeMismatches } from './fixtures/statuspage-webhooks.js'
import { testLinks, testSecret, urlSubscriber } from './fixtures/url-subscriber.js'

const site = { siteName: 'Example Status', publicUrl: 'https://status.example.com' }
const now = new Date('2020-02-03T13:00:00.000Z')

function factsOf (app: FastifyInstance, id: number): EventFacts {
  const facts = loadEventFacts(app.herald.services, id, site)
  if (facts === undefined) throw new Error(`no facts for notification ${id}`)
  return facts
}

/** TM202916 open on a page with groups, and a notification of its latest update. */
async function incidentFacts (t: Test): Promise<{ app: FastifyInstance, facts: EventFacts }> {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  incidentPage(app, clock)
  const incident = app.herald.services.incidents.get('TM202916')
  const id = insertNotification(app.herald.stores.db, { event: 'incident', incidentId: incident.id, updateId: incident.updates[0]?.id ?? 0, componentIds: incident.components.map((component) => component.id) })
  return { app, facts: factsOf(app, id) }
}

t.test('the payloads have the fields of Statuspage\'s, of the same types', async (t) => {
  const { app, facts } = await incidentFacts(t)
  const incident = JSON.parse(JSON.stringify(webhookPayload(facts, testLinks, now)))
  t.same(shapeMismatches(incidentWebhook, incident), [], 'incident event')
  t.equal(incident.event_type, 'incident')
  t.same(Object.keys(incident), ['event_type', 'meta', 'page', 'incident'], 'Statuspage\'s order, event_type first')
  t.same(incident.meta, { unsubscribe: testLinks.unsubscribe, documentation: 'https://status.example.com/subscribe', generated_at: now.toISOString() })
  const changed = incident.incident.incident_updates.find((update: { affected_components: unknown }) => Array.isArray(update.affected_components))
  t.same(shapeMismatches([affectedComponent], changed?.affected_components), [], 'affected components')
  const listed = (await app.inject('/api/v2/incidents.json')).json()
  t.same(incident.incident, listed.incidents[0], 'the incident as /api/v2 shows it')
  const status = (await app.inject('/api/v2/status.json')).json()
  t.same(incident.page, { id: status.page.id, status_indicator: status.status.indicator, status_description: status.status.description })

  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const other = await build(t, { clock })
  maintenancePage(other, clock)
  const maintenance = other.herald.services.maintenances.get('MRUN')
  const maintenanceId = insertNotification(other.herald.stores.db, { event: 'maintenance', incidentId: maintenance.id, updateId: maintenance.updates[0]?.id ?? 0, componentIds: maintenance.components.map((component) => component.id) })
  const planned = JSON.parse(JSON.stringify(webhookPayload(factsOf(other, maintenanceId), testLinks, now)))
  t.same(shapeMismatches(maintenanceWebhook, planned), [], 'maintenance event')
  t.match(planned, { event_type: 'maintenance', incident: { impact: 'maintenance', status: 'in_progress' } })

  const chat = other.herald.services.components.list().find((component) => component.name === 'Teams chat')
  if (chat === undefined) throw new Error('Teams chat')
  const componentId = insertNotification(other.herald.stores.db, { event: 'component', componentId: chat.id, oldStatus: 'operational', newStatus: 'under_maintenance', createdAt: now.toISOString() })
  const component = JSON.parse(JSON.stringify(webhookPayload(factsOf(other, componentId), testLinks, now)))
  t.same(shapeMismatches(componentWebhook, component), [], 'component event')
  t.same(Object.keys(component), ['event_type', 'meta', 'page', 'component_update', 'component'])
  t.same(Object.keys(component.component_update), ['old_status', 'new_status', 'created_at', 'component_type', 'id', 'component_id'], 'Statuspage\'s order')
  t.match(component, {
    event_type: 'component',
    component_update: { old_status: 'operational', new_status: 'under_maintenance', component_type: 'Component', component_id: String(chat.id), created_at: now.toISOString() },
    component: { id: String(chat.id), name: 'Teams chat' }
  })

  t.same(shapeMismatches(incidentWebhook, { meta: {}, page: {}, incident: { incident_updates: [], components: 'x' } }).length > 5, true, 'the check can fail')
  t.throws(() => webhookPayload({ ...facts, incident: null, componentChange: null }, testLinks, now), /tells neither an incident nor a component/)
})

t.test('the signature verifies, and fails for another body, an old time, another secret, a broken header', async (t) => {
  const body = '{"event_type":"incident"}'
  const header = signatureHeader(testSecret, body, now)
  t.match(header, /^t=1580734800,v1=[0-9a-f]{64}$/)
  t.ok(verifySignature(header, body, testSecret, 300, now))
  t.ok(verifySignature(header, body, testSecret, 300, new Date(now.getTime() + 299_000)), 'within the tolerance')
  t.notOk(verifySignature(header, body.replace('incident', 'incidenT'), testSecret, 300, now), 'a changed body')
  t.notOk(verifySignature(header, body, testSecret, 300, new Date(now.getTime() + 301_000)), 'too old: a replay')
  t.notOk(verifySignature(header, body, testSecret, 300, new Date(now.getTime() - 301_000)), 'from the future')
  t.notOk(verifySignature(header, body, 'whsec_other', 300, now), 'another secret')
  t.notOk(verifySignature(header.replace(/t=\d+/, 't=1580734801'), body, testSecret, 300, now), 'the time is signed')
  for (const broken of ['', 't=1580734800', 'v1=' + 'a'.repeat(64), 't=x,v1=' + 'a'.repeat(64), `t=1580734800,v1=${'g'.repeat(64)}`, 't=1580734800,v1=abc']) {
    t.notOk(verifySignature(broken, body, testSecret, 300, now), `broken: ${broken}`)
  }
  const rotated = `${header.split(',')[0]},v1=${'0'.repeat(64)},${header.split(',')[1]}`
  t.ok(verifySignature(rotated, body, testSecret, 300, now), 'any v1 may match')
})

t.test('a delivery: signed JSON with its delivery id and event, and what each answer means', async (t) => {
  const { facts } = await incidentFacts(t)
  const receiver = await startFakeReceiver(t)
  const clock = new TestClock(now)
  const http = new OutboundHttp({ allowPrivateUrls: true, allowHttpUrls: true, requestTimeoutMs: 500 })
  const channel = new WebhookChannel(http, clock.now)
  t.teardown(() => { channel.close() })
  t.same(channel.kinds, ['webhook'])
  const subscriber = urlSubscriber('webhook', receiver.url('/hooks/herald?x=1'))
  const send = async (): ReturnType<WebhookChannel['send']> => await channel.send({ deliveryId: 42, subscriber, facts, links: testLinks }, new AbortController().signal)

  t.same(await send(), { outcome: 'sent' })
  const request = receiver.requests[0]
  if (request === undefined) throw new Error('a request')
  t.match(request, {
    method: 'POST',
    path: '/hooks/herald?x=1',
    headers: { 'content-type': 'application/json', 'x-herald-delivery': '42', 'x-herald-event': 'incident', 'user-agent': `Herald/${version}` }
  })
  t.ok(verifySignature(String(request.headers['x-herald-signature']), request.body, testSecret, 300, now), 'the signature verifies on the raw body')
  t.same(JSON.parse(request.body), JSON.parse(JSON.stringify(webhookPayload(facts, testLinks, now))), 'the payload')
  t.notMatch(request.body, /[<>&]/, 'no raw markup characters in the JSON (escaped as \\u003c ...)')

  const cases: Array<[Parameters<typeof receiver.answerNext>[0], unknown]> = [
    [{ status: 204 }, { outcome: 'sent' }],
    [{ status: 202, body: 'queued' }, { outcome: 'sent' }],
    [{ status: 500, body: 'boom\n<html>' }, { outcome: 'retry', error: 'answered 500: boom <html>', notBefore: null }],
    [{ status: 503 }, { outcome: 'retry', error: 'answered 503', notBefore: null }],
    [{ status: 429, headers: { 'retry-after': '120' } }, { outcome: 'retry', error: 'answered 429', notBefore: new Date(now.getTime() + 120_000) }],
    [{ status: 429, headers: { 'retry-after': '999999' } }, { outcome: 'retry', error: 'answered 429', notBefore: new Date(now.getTime() + retryAfterCapMs) }],
    [{ status: 429, headers: { 'retry-after': 'soon' } }, { outcome: 'retry', error: 'answered 429', notBefore: null }],
    [{ status: 301, headers: { location: 'https://elsewhere.example.com/' } }, { outcome: 'failed', error: 'redirects are not followed (301 to https://elsewhere.example.com/)', bounced: false }],
    [{ status: 302 }, { outcome: 'failed', error: 'redirects are not followed (302)', bounced: false }],
    [{ status: 404, body: 'Not Found' }, { outcome: 'failed', error: 'answered 404: Not Found', bounced: false }],
    [{ status: 410 }, { outcome: 'failed', error: 'answered 410', bounced: false }],
    [{ hang: true }, { outcome: 'retry', error: 'no answer within 0.5 s', notBefore: null }]
  ]
  for (const [answer, outcome] of cases) {
    receiver.answerNext(answer)
    t.same(await send(), outcome, JSON.stringify(answer))
  }
  t.equal(new Set(receiver.requests.map((entry) => entry.headers['x-herald-delivery'])).size, 1, 'every attempt carries the same delivery id')

  const refused = await channel.send({ deliveryId: 43, subscriber: urlSubscriber('webhook', 'https://user:pw@hooks.example.com/'), facts, links: testLinks }, new AbortController().signal)
  t.same(refused, { outcome: 'failed', error: 'must not carry a user name or password', bounced: false })
  const noSecret = await channel.send({ deliveryId: 44, subscriber: urlSubscriber('webhook', receiver.url(), null), facts, links: testLinks }, new AbortController().signal)
  t.match(noSecret, { outcome: 'failed' })
  const aborted = await channel.send({ deliveryId: 45, subscriber, facts, links: testLinks }, AbortSignal.abort())
  t.match(aborted, { outcome: 'retry', error: 'Herald is shutting down' })
})

t.test('a 10 MB answer is not buffered', async (t) => {
  const { facts } = await incidentFacts(t)
  const receiver = await startFakeReceiver(t)
  const channel = new WebhookChannel(new OutboundHttp({ allowPrivateUrls: true, allowHttpUrls: true, requestTimeoutMs: 5000 }), () => now)
  t.teardown(() => { channel.close() })
  receiver.answerNext({ stream: 10 * 1024 * 1024 })
  const before = process.memoryUsage().arrayBuffers
  t.same(await channel.send({ deliveryId: 1, subscriber: urlSubscriber('webhook', receiver.url()), facts, links: testLinks }, new AbortController().signal), { outcome: 'sent' })
  await new Promise((resolve) => setImmediate(resolve))
  const record = receiver.streams[0]
  t.ok(record !== undefined && record.written < 10 * 1024 * 1024, `the receiver could not write it all (${record?.written ?? 0} bytes written)`)
  t.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024, 'memory did not grow by the body')
})

t.test('Retry-After as an HTTP date, in the past, or absent', async (t) => {
  t.same(retryAfter(new Date(now.getTime() + 60_000).toUTCString(), now), new Date(now.getTime() + 60_000))
  t.same(retryAfter('Mon, 03 Feb 2020 12:00:00 GMT', now), now, 'a date past is now')
  t.equal(retryAfter(undefined, now), null)
  t.equal(retryAfter(' ', now), null)
  t.same(retryAfter(['5', '9'], now), new Date(now.getTime() + 5000), 'the first of repeated headers')
})

t.test('an error that is not the outbound HTTP\'s is retried, without its message', async (t) => {
  t.same(errorOutcome(new Error('secret detail')), { outcome: 'retry', error: 'could not be reached', notBefore: null })
})
