// Which channels are on: none (Herald runs as before), a sending process or not, a channel turned off, a proxy in front of X.
import t from 'tap'
import { build, tempDir } from '../fixtures/build.js'
import { FakeMastodon } from '../fixtures/fake-mastodon.js'
import { FakeX } from '../fixtures/fake-x.js'
import { socialWorld, tellStory, startFakes } from './fixtures/social-world.js'

t.test('no channel: no deliveries are queued, no worker runs, and Herald works as before', async (t) => {
  const app = await build(t)
  t.equal(app.outbox, null)
  t.same(app.herald.services.deliveries.channels(), [])
  const incident = app.herald.services.incidents.open({ name: 'Teams', body: 'Down.', reference: 'TM202916' }, 'cli')
  app.herald.services.incidents.postUpdate('TM202916', { status: 'resolved', body: 'Back.' }, 'cli')
  t.equal(app.herald.stores.db.prepare('SELECT COUNT(*) FROM deliveries').pluck().get(), 0)
  t.same([...app.herald.services.deliveries.forIncident('TM202916').keys()], [])
  t.equal(incident.updates[0]?.postText, null)
  t.equal((await app.inject('/incidents/TM202916')).statusCode, 200)
})

t.test('SOCIAL_WORKER=off: deliveries are queued for the channels that are on, and left for another process to send', async (t) => {
  const world = await socialWorld(t, { env: { SOCIAL_WORKER: 'off' } })
  t.equal(world.app.outbox, null)
  t.same(world.app.herald.services.deliveries.channels(), ['twitter', 'mastodon'])
  await tellStory(world, 2)
  // No worker (outbox null above) means nothing to wait for: what is stored now is what stays.
  const deliveries = [...world.app.herald.services.deliveries.forIncident('TM202916').values()].flat()
  t.equal(deliveries.length, 4)
  t.ok(deliveries.every((delivery) => delivery.state === 'pending' && delivery.attempts === 0))
  t.equal(world.x.requests.length + world.mastodon.requests.length, 0)
})

t.test('a channel turned off: what waited for it is skipped at the next start, not sent late', async (t) => {
  const dir = tempDir(t)
  const { x, mastodon } = await startFakes(t)
  const before = await socialWorld(t, { dir, fakes: { x, mastodon }, env: { SOCIAL_WORKER: 'off' } })
  await tellStory(before, 1)
  await before.app.close()
  const after = await socialWorld(t, { dir, fakes: { x, mastodon }, channels: ['mastodon'] })
  await mastodon.waitForPosts(1)
  await after.app.outbox?.settled()
  const [twitter] = [...after.app.herald.services.deliveries.forIncident('TM202916').values()].flat().filter((d) => d.channel === 'twitter')
  t.match(twitter, { state: 'skipped', lastError: 'the channel is no longer configured' })
  t.equal(x.requests.length, 0)
})

t.test('TWITTER_API_URL and MASTODON_URL with a path of their own (a proxy): requests go under it, JSON and signed', async (t) => {
  const x = await FakeX.start(undefined, '/x-proxy/')
  const mastodon = await FakeMastodon.start(undefined, undefined, '/social/')
  t.teardown(async () => {
    await x.close()
    await mastodon.close()
  })
  t.match(x.url, /\/x-proxy\/$/)
  const world = await socialWorld(t, { fakes: { x, mastodon } })
  await tellStory(world, 2)
  await x.waitForPosts(2)
  await mastodon.waitForPosts(2)
  t.same(x.requests.map((request) => request.path), ['/x-proxy/2/tweets', '/x-proxy/2/tweets'])
  t.match(x.requests[0]?.headers['content-type'], /^application\/json/, 'a JSON body although the path does not start with /2/')
  t.equal(x.posts[1]?.replyTo, x.posts[0]?.id)
  t.same(mastodon.requests.map((request) => request.path), ['/social/api/v1/statuses', '/social/api/v1/statuses'])
})
