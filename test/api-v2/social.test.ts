// tweet_id, custom_tweet and deliver_notifications: what the cross-posting of each update did, as Statuspage reports it.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { socialWorld, tellStory } from '../social/fixtures/social-world.js'
import { actor, get } from './fixtures/api.js'

t.test('tweet_id is the post’s id on X once the outbox has sent it; custom_tweet the custom text', async (t) => {
  const world = await socialWorld(t)
  const ids = await tellStory(world, 2)
  await world.post('/api/v1/incidents/TM202916/updates', { status: 'monitoring', body: 'Deploying.', post_text: 'Certificate deploying <now> & "soon"' })
  await world.post('/api/v1/incidents/TM202916/updates', { status: 'monitoring', body: 'Quietly noted.', notify: false })
  const posts = await world.x.waitForPosts(3)
  await world.app.outbox?.settled()

  const [incident] = (await get(world.app, '/api/v2/incidents.json')).body.incidents
  const [quiet, custom, second, first] = incident.incident_updates
  t.same([first.id, second.id], ids.map(String))
  t.same([first.tweet_id, second.tweet_id, custom.tweet_id], posts.map((post) => post.id), 'each update names its post on X')
  t.match(first.tweet_id, /^\d+$/)
  t.same([first.custom_tweet, second.custom_tweet], [null, null], 'generated texts are no custom tweet')
  t.equal(custom.custom_tweet, 'Certificate deploying <now> & "soon"')
  t.match(posts[2]?.text, /^Certificate deploying <now> & "soon" https:\/\//, 'what was posted')
  t.same([quiet.deliver_notifications, quiet.tweet_id], [false, null], 'not cross-posted: no post')
  t.equal(first.deliver_notifications, true)
})

t.test('tweet_id stays null until the post is sent, and for a post sent without an id', async (t) => {
  const app = await build(t, { clock: new TestClock(), env: { TWITTER_API_KEY: 'k', TWITTER_API_SECRET: 's', TWITTER_ACCESS_TOKEN: 't', TWITTER_ACCESS_SECRET: 'a', SOCIAL_WORKER: 'off' } })
  const { deliveries } = app.herald.stores
  const recorded = app.herald.services.deliveries
  const opened = app.herald.services.incidents.open({ name: 'Teams', reference: 'TM202916', body: 'Looking.' }, actor)
  app.herald.services.incidents.postUpdate('TM202916', { status: 'identified', body: 'Found it.' }, actor)
  const tweetIds = async (): Promise<unknown[]> => (await get(app, '/api/v2/incidents.json')).body.incidents[0].incident_updates.map((u: any) => u.tweet_id)
  t.same(await tweetIds(), [null, null], 'queued, not sent')

  const claim = { channels: ['twitter'] as const, now: new Date().toISOString(), leaseUntil: new Date(Date.now() + 60_000).toISOString(), inFlight: [] }
  const firstDelivery = deliveries.claimNext(claim)
  t.equal(firstDelivery?.updateId, opened.updates[0]?.id)
  t.same(await tweetIds(), [null, null], 'in flight, not sent')
  // Recorded as the outbox worker records a sent post: through the delivery service, which tells the public cache.
  recorded.recordSent(firstDelivery?.id ?? 0, { remoteId: '1223344556677889900', remoteUrl: 'https://x.com/i/web/status/1223344556677889900', note: null })
  const secondDelivery = deliveries.claimNext(claim)
  recorded.recordSent(secondDelivery?.id ?? 0, { remoteId: null, remoteUrl: null, note: 'posted; its id could not be found' })
  t.same(await tweetIds(), [null, '1223344556677889900'], 'newest first: the second update was sent without an id')
})

t.test('a cached body shows a post sent after it was rendered', async (t) => {
  const world = await socialWorld(t, { channels: ['twitter'] })
  await tellStory(world, 1)
  // Read before the post goes out: the body is rendered and cached with tweet_id null.
  await get(world.app, '/api/v2/incidents.json')
  await world.x.waitForPosts(1)
  await world.app.outbox?.settled()
  const [incident] = (await get(world.app, '/api/v2/incidents.json')).body.incidents
  t.equal(incident.incident_updates[0].tweet_id, world.x.posts[0]?.id)
})
