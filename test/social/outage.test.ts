// A social API that fails, hangs or rate-limits: the page and the feed do not wait, the posts arrive after, once each, in order.
import t from 'tap'
import { TestClock } from '../fixtures/build.js'
import { type SocialWorld, eventually, socialWorld, story, tellStory } from './fixtures/social-world.js'

/** Waits until the outbox has nothing in flight and nothing due (a world without one is a broken test). */
async function settled (world: SocialWorld): Promise<void> {
  const { outbox } = world.app
  if (outbox === undefined || outbox === null) throw new Error('the social world has no outbox worker')
  await outbox.settled()
}

t.test('an outage (500 on X, 503 on Mastodon): the update is on the page and in the feed at once, posted after recovery', async (t) => {
  const world = await socialWorld(t)
  world.x.failAlways({ kind: 'error', status: 500 })
  world.mastodon.failAlways({ kind: 'error', status: 503 })
  const ids = await tellStory(world)

  const page = await world.app.inject('/incidents/TM202916')
  const feed = await world.app.inject('/history.rss')
  for (const update of story) {
    // A piece of each body without the apostrophe, which the page and the feed escape each their way.
    const words = update.body.slice(6, 40)
    t.ok(page.body.includes(words), `the page shows “${update.status}” at once`)
    t.ok(feed.body.includes(words), `the feed has “${update.status}” at once`)
  }

  // The first delivery of each thread is retried; the later ones wait their turn without an attempt.
  await eventually(() => world.x.requests.filter((r) => r.path === '/2/tweets').length >= 3, 'three attempts on X')
  await eventually(() => world.mastodon.requests.length >= 3, 'three attempts on Mastodon')
  const waiting = world.app.herald.services.deliveries.forIncident('TM202916')
  t.match(waiting.get(ids[0] as number)?.find((d) => d.channel === 'twitter'), { state: /pending|sending/, lastError: /^X answered 500: Service Unavailable/ })
  t.match(waiting.get(ids[0] as number)?.find((d) => d.channel === 'mastodon'), { lastError: /^Mastodon answered 503: We're sorry/ })
  t.equal(ids.length, story.length, 'one update for each step of the story')
  for (const id of ids.slice(1)) t.match(waiting.get(id), [{ state: 'pending', attempts: 0 }, { state: 'pending', attempts: 0 }], 'later updates wait for the first')
  t.equal(world.x.posts.length + world.mastodon.posts.length, 0, 'nothing posted during the outage')

  world.x.recover()
  world.mastodon.recover()
  for (const fake of [world.x, world.mastodon]) {
    const posts = await fake.waitForPosts(4)
    t.same(posts.map((post) => post.text.split(' ')[0]), ['[Investigating]', '[Identified]', '[Monitoring]', '[Resolved]'], `${fake.constructor.name}: in order`)
    t.same(posts.map((post) => post.replyTo), [null, posts[0]?.id, posts[1]?.id, posts[2]?.id], 'threaded')
  }
  // Settled and every delivery sent: nothing is left that could post again later.
  await settled(world)
  const deliveries = [...world.app.herald.services.deliveries.forIncident('TM202916').values()].flat()
  t.same(deliveries.map((delivery) => delivery.state), Array(8).fill('sent'), 'every delivery is sent, none left to retry')
  t.equal(world.x.posts.length, 4, 'once each on X')
  t.equal(world.mastodon.posts.length, 4, 'once each on Mastodon')
  const first = world.app.herald.services.deliveries.forIncident('TM202916').get(ids[0] as number) ?? []
  t.equal(first.length, 2, 'the first update has a delivery for each channel')
  for (const delivery of first) t.ok(delivery.state === 'sent' && delivery.attempts > 1, `${delivery.channel}: sent after ${delivery.attempts} attempts`)
})

t.test('requests that hang time out and are sent again; a post made whose answer was lost is not doubled', async (t) => {
  const world = await socialWorld(t)
  // X takes the first request and never answers; Mastodon makes the status, then never answers.
  world.x.failNext({ kind: 'hang' })
  world.mastodon.failNext({ kind: 'hold' })
  const started = Date.now()
  await tellStory(world, 2)
  for (const fake of [world.x, world.mastodon]) {
    const posts = await fake.waitForPosts(2)
    t.equal(posts[1]?.replyTo, posts[0]?.id, `${fake.constructor.name}: the thread is intact`)
  }
  t.ok(Date.now() - started >= 2_000, 'the hung requests were given up after the request timeout')
  await settled(world)
  t.equal(world.x.posts.length, 2)
  t.equal(world.mastodon.posts.length, 2, 'the resend carried the same Idempotency-Key: Mastodon gave back the status it had made')
  t.equal(world.mastodon.idempotentRepeats, 1)
  const keys = world.mastodon.requests.map((request) => request.headers['idempotency-key'])
  t.equal(keys[0], keys[1], 'both attempts of the first delivery sent one key')
  t.not(keys[0], keys[2], 'each delivery has its own key')
  const [first] = world.app.herald.services.deliveries.forIncident('TM202916').values()
  t.match(first?.find((d) => d.channel === 'mastodon'), { state: 'sent', attempts: 2, uncertain: true, remoteId: world.mastodon.posts[0]?.id })
})

t.test('after the last attempt a delivery fails saying why, and the next update posts standalone', async (t) => {
  const world = await socialWorld(t, { channels: ['twitter'], env: { SOCIAL_MAX_ATTEMPTS: '3' } })
  world.x.failAlways({ kind: 'error', status: 502 })
  await tellStory(world, 1)
  await eventually(() => world.app.herald.stores.deliveries.get(1)?.state === 'failed', 'the delivery to fail')
  t.match(world.app.herald.stores.deliveries.get(1), { attempts: 3, lastError: 'gave up after 3 attempts; the last: X answered 502: Service Unavailable', nextAttemptAt: null })
  t.equal(world.x.requests.length, 3, 'three attempts, no more')
  world.x.recover()
  await world.post('/api/v1/incidents/TM202916/updates', story[1])
  const [post] = await world.x.waitForPosts(1)
  t.equal(post?.replyTo, null, 'no thread to answer: the update starts one')
})

t.test('a 429 waits until the reset time the API gives (X: epoch seconds; Mastodon: an ISO time)', async (t) => {
  const clock = new TestClock(new Date(Math.floor(Date.now() / 1000) * 1000))
  const world = await socialWorld(t, { clock, env: { SOCIAL_RETRY_BASE_MS: '1' } })
  const reset = new Date(clock.now().getTime() + 90_000)
  world.x.failNext({ kind: 'rate-limit', reset })
  world.mastodon.failNext({ kind: 'rate-limit', reset: new Date(reset.getTime() + 123) })
  await tellStory(world, 1)
  const { deliveries } = world.app.herald.stores
  await eventually(() => deliveries.get(1)?.lastError !== null && deliveries.get(2)?.lastError !== null, 'both 429s')
  // Not before the reset (plus a second, so the request lands in the new window): not a quick backoff.
  const xDue = new Date(reset.getTime() + 1_000).toISOString()
  const mastodonDue = new Date(reset.getTime() + 123 + 1_000).toISOString()
  t.match(deliveries.get(1), { channel: 'twitter', state: 'pending', nextAttemptAt: xDue, uncertain: false, lastError: /^X answered 429: Too Many Requests/ })
  t.match(deliveries.get(2), { channel: 'mastodon', state: 'pending', nextAttemptAt: mastodonDue, lastError: /^Mastodon answered 429: Too many requests/ })

  clock.set(new Date(Date.parse(xDue) - 1))
  // settled() sweeps at the clock's time and waits for whatever it claims: a post due now would be made.
  await settled(world)
  t.equal(world.x.posts.length + world.mastodon.posts.length, 0, 'a millisecond before: still waiting')
  clock.set(xDue)
  world.app.outbox?.wake()
  await world.x.waitForPosts(1)
  t.equal(world.mastodon.posts.length, 0, 'Mastodon’s reset is later')
  clock.set(mastodonDue)
  world.app.outbox?.wake()
  await world.mastodon.waitForPosts(1)
  t.equal(world.x.requests.length, 2)
  t.equal(world.mastodon.requests.length, 2)
})
