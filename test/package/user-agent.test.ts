// Every request Herald makes to a social API names it: User-Agent: Herald/<version of package.json>.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { socialWorld, tellStory } from '../social/fixtures/social-world.js'

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

t.test('posts, replies and the X lookups after a lost answer carry Herald/<version>', async (t) => {
  const world = await socialWorld(t)
  // The first X post is made but its answer is lost: the retry looks the post up (users/me, the timeline).
  world.x.failNext({ kind: 'hold' })
  await tellStory(world, 2)
  await world.x.waitForPosts(2)
  await world.mastodon.waitForPosts(2)
  await world.app.outbox?.settled()
  const x = world.x.requests.map((request) => `${request.method} ${request.path} ${request.headers['user-agent']}`)
  t.same(x, [
    `POST /2/tweets Herald/${version}`,
    `POST /2/tweets Herald/${version}`,
    `GET /2/users/me Herald/${version}`,
    `GET /2/users/1111/tweets Herald/${version}`,
    `POST /2/tweets Herald/${version}`
  ])
  const mastodon = world.mastodon.requests.map((request) => `${request.method} ${request.path} ${request.headers['user-agent']}`)
  t.same(mastodon, [`POST /api/v1/statuses Herald/${version}`, `POST /api/v1/statuses Herald/${version}`])
})
