// Never doubled: an attempt whose outcome is unknown is resent the safe way (X: duplicate answer, then find the post; Mastodon: same key).
import t from 'tap'
import { TestClock, tempDir } from '../fixtures/build.js'
import { openDatabase } from '../../server/db/open-database.js'
import { createChannels, redactor } from '../../server/social/channels.js'
import { OutboxWorker } from '../../server/social/outbox-worker.js'
import { DeliveriesStore } from '../../server/store/deliveries-store.js'
import { eventually, socialWorld, story, tellStory, startFakes } from './fixtures/social-world.js'

t.test('X: a post made whose answer was lost is found again among the account’s posts, and the thread goes on', async (t) => {
  const world = await socialWorld(t, { channels: ['twitter'] })
  world.x.failNext({ kind: 'hold' })
  await tellStory(world, 2)
  const posts = await world.x.waitForPosts(2)
  await world.app.outbox?.settled()
  t.equal(posts.length, 2, 'posted once each')
  t.equal(posts[1]?.replyTo, posts[0]?.id, 'the second answers the first, whose id was found again')
  t.match(world.app.herald.stores.deliveries.get(1), {
    state: 'sent', attempts: 2, uncertain: true, remoteId: posts[0]?.id, lastError: 'found posted by an earlier attempt whose answer was lost'
  })
  const paths = world.x.requests.map((request) => `${request.method} ${request.path}`)
  t.same(paths, ['POST /2/tweets', 'POST /2/tweets', 'GET /2/users/me', 'GET /2/users/1111/tweets', 'POST /2/tweets'])
  t.match(world.x.requests[3]?.headers.authorization, /^OAuth /, 'the lookup is signed too (its query is part of the signature)')
})

t.test('X: when the lost post cannot be found, it counts as sent without an id and the next update starts a thread', async (t) => {
  const world = await socialWorld(t, { channels: ['twitter'] })
  world.x.failNext({ kind: 'hold' })
  world.x.timeline = 'forbidden'
  await tellStory(world, 2)
  const posts = await world.x.waitForPosts(2)
  await world.app.outbox?.settled()
  t.equal(posts.length, 2)
  t.equal(posts[1]?.replyTo, null)
  t.match(world.app.herald.stores.deliveries.get(1), {
    state: 'sent', remoteId: null, lastError: /^X says an earlier attempt posted it; finding it failed \(X answered 403: Forbidden: You are not permitted/
  })
})

t.test('X: a duplicate answer to a first attempt is a real failure', async (t) => {
  // A database started afresh reuses update ids: the same text as a post of the account.
  const { x, mastodon } = await startFakes(t)
  const before = await socialWorld(t, { channels: ['twitter'], fakes: { x, mastodon } })
  await tellStory(before, 1)
  await x.waitForPosts(1)
  const after = await socialWorld(t, { channels: ['twitter'], fakes: { x, mastodon } })
  await tellStory(after, 1)
  await eventually(() => after.app.herald.stores.deliveries.get(1)?.state === 'failed', 'the delivery to fail')
  t.match(after.app.herald.stores.deliveries.get(1), {
    attempts: 1, lastError: 'X refused the text as a duplicate of a recent post: Forbidden: You are not allowed to create a Tweet with duplicate content.'
  })
  t.equal(x.posts.length, 1)
})

t.test('a claim whose process died lapses, and the delivery is resent as uncertain, once', async (t) => {
  const clock = new TestClock(new Date())
  // Herald commits the update; this process sends nothing itself (SOCIAL_WORKER=off).
  const world = await socialWorld(t, { clock, env: { SOCIAL_WORKER: 'off' } })
  await tellStory(world, 2)
  t.equal(world.app.outbox, null)
  const { deliveries } = world.app.herald.stores
  const social = world.app.herald.config.social
  if (social === undefined) throw new Error('no social configuration')

  // "Another process" claims both first posts, sends them, and dies before it hears back.
  const now = clock.now().getTime()
  const leaseUntil = new Date(now + 60_000).toISOString()
  const controller = new AbortController()
  for (const channel of await createChannels(social)) {
    const claimed = deliveries.claimNext({ channels: [channel.name], now: clock.now().toISOString(), leaseUntil, inFlight: [] })
    if (claimed === undefined) throw new Error('nothing to claim')
    t.match(claimed, { state: 'sending', attempts: 1, uncertain: false, nextAttemptAt: leaseUntil })
    await channel.post({ ...claimed, uncertain: false }, controller.signal)
    channel.close()
  }
  t.equal(world.x.posts.length + world.mastodon.posts.length, 2, 'both first posts are out; Herald does not know')

  const worker = new OutboxWorker({
    deliveries,
    channels: await createChannels(social),
    clock: clock.now,
    log: { info () {}, warn () {}, error () {} },
    settings: { maxAttempts: 8, retryBaseMs: 10, retryCapMs: 1000, requestTimeoutMs: 1000, sweepIntervalMs: 50, concurrency: 4 },
    redact: redactor(social),
    recordSent: (id, post) => world.app.herald.services.deliveries.recordSent(id, post)
  })
  t.teardown(() => worker.stop())
  worker.start()
  // settled() sweeps at the clock's time and waits for what it claims: a resend made now would be counted.
  await worker.settled()
  t.equal(world.x.requests.length + world.mastodon.requests.length, 2, 'nothing is resent while the claim holds')
  clock.set(new Date(Date.parse(leaseUntil)))
  worker.wake()
  await world.x.waitForPosts(2)
  await world.mastodon.waitForPosts(2)
  await worker.settled()
  for (const fake of [world.x, world.mastodon]) {
    t.equal(fake.posts.length, 2, `${fake.constructor.name}: once each`)
    t.equal(fake.posts[1]?.replyTo, fake.posts[0]?.id, 'the thread is intact')
  }
  t.match(deliveries.get(1), { channel: 'twitter', state: 'sent', attempts: 2, uncertain: true, remoteId: world.x.posts[0]?.id })
  t.match(deliveries.get(2), { channel: 'mastodon', state: 'sent', attempts: 2, uncertain: true, remoteId: world.mastodon.posts[0]?.id })
  t.equal(world.mastodon.idempotentRepeats, 1)
})

t.test('shutting down with a post in flight puts it back as pending; the next start sends it once', async (t) => {
  const dir = tempDir(t)
  const { x, mastodon } = await startFakes(t)
  const first = await socialWorld(t, { dir, channels: ['twitter'], fakes: { x, mastodon } })
  x.failNext({ kind: 'hold' })
  await tellStory(first, 2)
  await eventually(() => x.heldCount === 1, 'the post to be in flight')
  await first.app.close()

  const db = openDatabase(`${dir}/herald.db`)
  const left = new DeliveriesStore(db).get(1)
  db.close()
  t.match(left, { state: 'pending', attempts: 1, uncertain: true, lastError: 'X: Herald was shutting down' })
  t.equal(x.posts.length, 1)

  const second = await socialWorld(t, { dir, channels: ['twitter'], fakes: { x, mastodon } })
  await x.waitForPosts(2)
  await second.app.outbox?.settled()
  t.equal(x.posts.length, 2, 'the first post was found, not made again')
  t.equal(x.posts[1]?.replyTo, x.posts[0]?.id)
  t.match(x.posts[1]?.text, new RegExp(`^\\[Identified\\] TM202916 Microsoft Teams: ${story[1].body.slice(0, 20)}`))
})
