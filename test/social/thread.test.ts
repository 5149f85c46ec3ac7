// The TM202916 story cross-posted: one thread per channel, in order, each post within its channel's limit.
import t from 'tap'
import twitterText from 'twitter-text'
import { countLength } from '../fixtures/fake-mastodon.js'
import { socialWorld, story, tellStory } from './fixtures/social-world.js'

t.test('the four updates of TM202916 become a thread of four posts on each channel', async (t) => {
  const world = await socialWorld(t)
  const ids = await tellStory(world)

  for (const fake of [world.x, world.mastodon]) {
    const posts = await fake.waitForPosts(4)
    t.equal(posts.length, 4, `${fake.constructor.name}: one post per update`)
    t.equal(posts[0]?.replyTo, null, 'the first update starts the thread')
    for (let i = 1; i < 4; i++) t.equal(posts[i]?.replyTo, posts[i - 1]?.id, `update ${i + 1} answers update ${i}`)
    posts.forEach((post, i) => {
      t.match(post.text, new RegExp(`^\\[${story[i]?.status.replace(/^./, (c) => c.toUpperCase())}\\] TM202916 Microsoft Teams: `), 'status, reference and name lead')
      t.ok(post.text.endsWith(` https://status.example.com/incidents/TM202916#update-${ids[i]}`), 'the link to the update ends it')
    })
  }
  world.x.posts.forEach((post) => t.ok(twitterText.parseTweet(post.text).valid, 'valid for X'))
  world.mastodon.posts.forEach((post) => t.ok(countLength(post.text) <= 500, 'within Mastodon’s 500'))
  t.equal(world.x.posts[1]?.text, `[Identified] TM202916 Microsoft Teams: ${story[1].body} https://status.example.com/incidents/TM202916#update-${ids[1]}`)

  // The outbox says the same: every delivery sent, with its remote id and URL, the replies recorded.
  await world.app.outbox?.settled()
  const deliveries = world.app.herald.services.deliveries.forIncident('TM202916')
  t.same([...deliveries.keys()], ids)
  for (const [i, id] of ids.entries()) {
    const [mastodon, twitter] = [...(deliveries.get(id) ?? [])].sort((a, b) => a.channel.localeCompare(b.channel))
    t.match(twitter, { state: 'sent', attempts: 1, remoteId: world.x.posts[i]?.id, remoteUrl: `https://x.com/i/web/status/${world.x.posts[i]?.id}`, lastError: null })
    t.match(mastodon, { state: 'sent', attempts: 1, remoteId: world.mastodon.posts[i]?.id, remoteUrl: /\/@status\/\d+$/ })
    t.equal(twitter?.replyToId, i === 0 ? null : world.x.posts[i - 1]?.id)
  }
  t.equal(world.mastodon.idempotentRepeats, 0, 'nothing was sent twice')
})

t.test('each incident is its own thread, and one incident does not wait for another', async (t) => {
  const world = await socialWorld(t, { channels: ['mastodon'] })
  // The first attempt for TM202916 gets no answer until it times out; EX1's posts go out meanwhile.
  world.mastodon.failNext({ kind: 'hang' })
  await world.post('/api/v1/incidents', { reference: 'TM202916', name: 'Microsoft Teams', body: 'Teams is down.' })
  await world.post('/api/v1/incidents/TM202916/updates', { status: 'identified', body: 'An expired certificate.' })
  await world.post('/api/v1/incidents', { reference: 'EX1', name: 'Exchange', body: 'Mail is slow.' })
  await world.post('/api/v1/incidents/EX1/updates', { status: 'resolved', body: 'Mail flows again.' })
  const posts = await world.mastodon.waitForPosts(4)
  const byText = (start: string): { id: string, replyTo: string | null } => posts.find((post) => post.text.startsWith(start)) as { id: string, replyTo: string | null }
  t.equal(byText('[Identified] TM202916').replyTo, byText('[Investigating] TM202916').id)
  t.equal(byText('[Resolved] EX1').replyTo, byText('[Investigating] EX1').id)
  t.equal(byText('[Investigating] EX1').replyTo, null, 'another incident starts its own thread')
  t.same(posts.map((post) => post.text.split(':')[0]), [
    '[Investigating] EX1 Exchange', '[Resolved] EX1 Exchange', '[Investigating] TM202916 Microsoft Teams', '[Identified] TM202916 Microsoft Teams'
  ], 'EX1 went out while TM202916 waited for its first post')
})

t.test('a postmortem published with notify is posted once, answering the last post of the incident\'s thread', async (t) => {
  const world = await socialWorld(t)
  await world.post('/api/v1/incidents', { reference: 'TM202916', name: 'Microsoft Teams', body: 'Teams is down.' })
  await world.post('/api/v1/incidents/TM202916/updates', { status: 'resolved', body: 'Fixed.' })
  await world.post('/api/v1/incidents/TM202916/postmortem/publish', { body: '## Cause\n\nAn expired certificate.', notify: true })
  // Published again, edited: never posted twice.
  await world.post('/api/v1/incidents/TM202916/postmortem/publish', { body: '## Cause\n\nAn expired certificate, now watched.', notify: true })
  for (const fake of [world.x, world.mastodon]) {
    const posts = await fake.waitForPosts(3)
    t.equal(posts[2]?.text, '[Postmortem] TM202916 Microsoft Teams: what happened and what we are changing. https://status.example.com/incidents/TM202916#postmortem')
    t.equal(posts[2]?.replyTo, posts[1]?.id, 'it answers the resolution')
  }
  await world.app.outbox?.settled()
  t.equal(world.x.posts.length, 3)
  t.equal(world.mastodon.posts.length, 3)
  t.match(world.app.herald.services.deliveries.forPostmortem('TM202916'), [{ channel: 'mastodon', state: 'sent' }, { channel: 'twitter', state: 'sent' }])
})
