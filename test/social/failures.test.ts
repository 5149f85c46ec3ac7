// Permanent failures: kept with their error at once, retried by an admin once fixed; and credentials never shown anywhere.
import t from 'tap'
import { ConflictError, NotFoundError } from '../../server/services/errors.js'
import { mastodonToken } from '../fixtures/fake-mastodon.js'
import { xCredentials } from '../fixtures/fake-x.js'
import { eventually, socialWorld, story, tellStory } from './fixtures/social-world.js'

t.test('a 401 fails the delivery at once with its error; retry works once the channel is fixed', async (t) => {
  const world = await socialWorld(t)
  const { deliveries } = world.app.herald.services
  world.x.failAlways({ kind: 'unauthorized' })
  world.mastodon.failAlways({ kind: 'unauthorized' })
  const ids = await tellStory(world, 2)
  const failed = (): boolean => [...deliveries.forIncident('TM202916').values()].flat().every((d) => d.state === 'failed')
  await eventually(failed, 'every delivery to fail')

  const byUpdate = deliveries.forIncident('TM202916')
  t.equal(ids.length, 2, 'two updates')
  for (const id of ids) {
    const [mastodon, twitter] = byUpdate.get(id) ?? []
    t.match(twitter, { channel: 'twitter', state: 'failed', attempts: 1, lastError: 'X answered 401: Unauthorized', remoteId: null, replyToId: null })
    t.match(mastodon, { channel: 'mastodon', state: 'failed', attempts: 1, lastError: 'Mastodon answered 401: The access token is invalid' })
  }
  t.equal(world.x.requests.length, 2, 'one attempt each: an auth error is not retried')
  t.throws(() => deliveries.retry(999, 'user:admin'), NotFoundError)

  world.x.recover()
  world.mastodon.recover()
  const [firstMastodon, firstTwitter] = byUpdate.get(ids[0] as number) ?? []
  const requeued = deliveries.retry(firstTwitter?.id as number, 'user:admin')
  t.match(requeued, { state: /pending|sending/, attempts: /0|1/ })
  deliveries.retry(firstMastodon?.id as number, 'user:admin')
  await world.x.waitForPosts(1)
  await world.mastodon.waitForPosts(1)
  await world.app.outbox?.settled()
  t.match(deliveries.get(firstTwitter?.id as number), { state: 'sent', attempts: 1, lastError: null, remoteId: world.x.posts[0]?.id })
  t.throws(() => deliveries.retry(firstTwitter?.id as number, 'user:admin'), ConflictError, 'only a failed delivery can be retried')
  t.match(world.app.herald.stores.audit.list(2).map((entry) => entry.action), ['delivery.retry', 'delivery.retry'])
  t.match(world.app.herald.stores.audit.list(2)[1], {
    actor: 'user:admin',
    incidentId: 1,
    detail: { deliveryId: firstTwitter?.id, updateId: ids[0], channel: 'twitter', attempts: 1, error: 'X answered 401: Unauthorized' }
  })

  // The second update, retried after the first is sent, now answers it.
  for (const delivery of byUpdate.get(ids[1] as number) ?? []) deliveries.retry(delivery.id, 'user:admin')
  await world.x.waitForPosts(2)
  await world.mastodon.waitForPosts(2)
  t.equal(world.x.posts[1]?.replyTo, world.x.posts[0]?.id)
  t.equal(world.mastodon.posts[1]?.replyTo, world.mastodon.posts[0]?.id)
})

t.test('wrong credentials: X checks the OAuth 1.0a signature, Mastodon the token; no credential is logged, stored or shown', async (t) => {
  const world = await socialWorld(t, {
    logs: true,
    env: { TWITTER_ACCESS_SECRET: 'wrong-access-secret-Pw2', MASTODON_TOKEN: 'wrong-mastodon-token-Hs5' }
  })
  await tellStory(world, 2)
  const { deliveries } = world.app.herald.services
  await eventually(() => [...deliveries.forIncident('TM202916').values()].flat().every((d) => d.state === 'failed'), 'the deliveries to fail')
  t.match([...deliveries.forIncident('TM202916').values()].flat().map((d) => d.lastError).sort(), [
    'Mastodon answered 401: The access token is invalid',
    'Mastodon answered 401: The access token is invalid',
    'X answered 401: Unauthorized',
    'X answered 401: Unauthorized'
  ])
  const authorization = world.x.requests[0]?.headers.authorization ?? ''
  t.match(authorization, /^OAuth oauth_consumer_key="fake-consumer-key-Kx81",oauth_nonce="[^"]+",oauth_signature="[^"]+",oauth_signature_method="HMAC-SHA1",oauth_timestamp="\d+",oauth_token="1111-fake-access-token-Zr7",oauth_version="1.0"$/)

  const { db } = world.app.herald.stores
  const stored = JSON.stringify(['deliveries', 'audit_log', 'updates', 'settings'].map((table) => db.prepare(`SELECT * FROM ${table}`).all()))
  const api = (await world.app.inject({ url: '/api/v1/incidents/TM202916', headers: { authorization: `Bearer ${world.token}` } })).body
  const logs = world.logs.join('\n')
  t.match(logs, /social post failed/, 'the failures were logged')
  const secrets = [
    xCredentials.apiKey, xCredentials.apiSecret, xCredentials.accessToken, 'wrong-access-secret-Pw2', 'wrong-mastodon-token-Hs5', mastodonToken
  ]
  for (const secret of secrets) {
    t.notOk(logs.includes(secret), `the log does not contain ${secret}`)
    t.notOk(stored.includes(secret), `the database does not contain ${secret}`)
    t.notOk(api.includes(secret), `the API does not show ${secret}`)
  }
})

t.test('notify off: the update is not posted (its deliveries are skipped), and the next one answers the last post', async (t) => {
  const world = await socialWorld(t)
  await world.post('/api/v1/incidents', { reference: 'TM202916', name: 'Microsoft Teams', ...story[0] })
  await world.post('/api/v1/incidents/TM202916/updates', { ...story[1], notify: false })
  await world.post('/api/v1/incidents/TM202916/updates', story[2])
  await world.x.waitForPosts(2)
  await world.mastodon.waitForPosts(2)
  await world.app.outbox?.settled()
  const byUpdate = world.app.herald.services.deliveries.forIncident('TM202916')
  t.match(byUpdate.get(2), [{ state: 'skipped', attempts: 0 }, { state: 'skipped', attempts: 0 }])
  t.match(world.x.posts.map((post) => post.text.split(' ')[0]), ['[Investigating]', '[Monitoring]'])
  t.equal(world.x.posts[1]?.replyTo, world.x.posts[0]?.id)
  t.equal(world.mastodon.posts[1]?.replyTo, world.mastodon.posts[0]?.id)
})
