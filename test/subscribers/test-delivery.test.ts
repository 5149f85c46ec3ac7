// The test message of a new webhook or chat subscription: signed with the new secret, and a reason a visitor can act on when it is not taken.
import t, { type Test } from 'tap'
import { createUrlChannels } from '../../server/notify/url-channels.js'
import { verifySignature } from '../../server/notify/signature.js'
import { apiPageId } from '../../server/views/api-v2-view.js'
import { startFakeReceiver } from './fixtures/fake-receiver.js'
import { testSecret } from './fixtures/url-subscriber.js'

const now = new Date('2020-02-03T13:00:00.000Z')
const site = { siteName: 'Example <Status> & @everyone', publicUrl: 'https://status.example.com' }

function channels (t: Test, allowPrivateUrls = true): ReturnType<typeof createUrlChannels> {
  const made = createUrlChannels({ allowPrivateUrls, allowHttpUrls: true, requestTimeoutMs: 300 }, site, () => now)
  t.teardown(made.close)
  return made
}

t.test('a webhook gets event_type test, signed with its new secret', async (t) => {
  const receiver = await startFakeReceiver(t)
  const { testDelivery, channels: list } = channels(t)
  t.same(list.map((channel) => channel.kinds), [['webhook'], ['slack', 'discord', 'teams']])
  t.same(await testDelivery('webhook', receiver.url(), testSecret), { ok: true })
  const request = receiver.requests[0]
  if (request === undefined) throw new Error('a request')
  t.match(request.headers, { 'x-herald-event': 'test', 'x-herald-delivery': 'test', 'content-type': 'application/json' })
  t.ok(verifySignature(String(request.headers['x-herald-signature']), request.body, testSecret, 300, now))
  t.same(JSON.parse(request.body), {
    event_type: 'test',
    meta: { unsubscribe: null, documentation: 'https://status.example.com/subscribe', generated_at: now.toISOString() },
    page: { id: apiPageId(site.publicUrl), name: site.siteName, url: site.publicUrl },
    message: `Herald will post updates of ${site.siteName} here.`
  })
  t.same(await testDelivery('webhook', receiver.url(), null), { ok: false, reason: 'a webhook needs a signing secret' })
  t.equal(receiver.requests.length, 1)
})

t.test('a chat gets a short note in its own format, escaped', async (t) => {
  const receiver = await startFakeReceiver(t)
  const { testDelivery } = channels(t)
  receiver.answerNext({ status: 200, body: 'ok' }, { status: 204 }, { status: 202 })
  for (const kind of ['slack', 'discord', 'teams'] as const) t.same(await testDelivery(kind, receiver.url(`/${kind}`), null), { ok: true }, kind)
  const [slack, discord, teams] = receiver.requests.map((request) => JSON.parse(request.body))
  t.equal(slack.text, 'Herald will post updates of Example &lt;Status&gt; &amp; @everyone here.')
  t.match(slack.blocks[0].text.text, '<https://status.example.com|Example &lt;Status&gt; &amp; @everyone>')
  t.match(discord, { content: 'Herald will post updates of Example \\<Status> & \\@everyone here.\nhttps://status.example.com', allowed_mentions: { parse: [] } })
  t.match(teams, { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { version: '1.4', body: [{ type: 'TextBlock', text: 'Herald will post updates of Example <Status> & @everyone here.' }] } }] })
})

t.test('refusals say why', async (t) => {
  const receiver = await startFakeReceiver(t)
  const { testDelivery } = channels(t)
  receiver.answerNext({ status: 404, body: 'Not Found' }, { status: 301, headers: { location: 'https://elsewhere.example.com/' } }, { hang: true }, { status: 500 })
  t.same(await testDelivery('webhook', receiver.url(), testSecret), { ok: false, reason: 'answered 404: Not Found' })
  t.same(await testDelivery('slack', receiver.url(), null), { ok: false, reason: 'redirects are not followed (301 to https://elsewhere.example.com/)' })
  t.same(await testDelivery('discord', receiver.url(), null), { ok: false, reason: 'no answer within 0.3 s' })
  t.same(await testDelivery('teams', receiver.url(), null), { ok: false, reason: 'answered 500' })
  const guarded = channels(t, false)
  t.match(await guarded.testDelivery('webhook', receiver.url(), testSecret), { ok: false, reason: /^is a private address/ })
  t.match(await guarded.testDelivery('webhook', `http://localhost:${receiver.port}/hook`, testSecret), { ok: false, reason: /^resolves to a private address/ })
  t.match(await guarded.testDelivery('slack', 'https://u:p@hooks.slack.com/services/x', null), { ok: false, reason: 'must not carry a user name or password' })
  t.equal(receiver.requests.length, 4, 'nothing reached the receiver from the refused URLs')
  t.match(await guarded.testDelivery('slack', 'https://hooks.slack.com/x', null, AbortSignal.abort()), { ok: false, reason: 'Herald is shutting down' })
})
