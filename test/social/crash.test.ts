// Herald killed with SIGKILL while posts are in flight, then started again: every update posted exactly once per channel, threads intact.
import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { DeliveriesStore } from '../../server/store/deliveries-store.js'
import { herald, heraldEnv, serve } from '../cli/fixtures/herald-process.js'
import { tempDir } from '../fixtures/build.js'
import { mastodonEnv, mastodonToken } from '../fixtures/fake-mastodon.js'
import { xCredentials, xEnv } from '../fixtures/fake-x.js'
import { eventually, startFakes, story } from './fixtures/social-world.js'

t.test('kill -9 in the middle of sends, twice: each update is posted once per channel and the threads hold', async (t) => {
  const dir = tempDir(t)
  const { x, mastodon } = await startFakes(t)
  // A claim lapses 4 request timeouts after it was made: a short timeout keeps the waits after a crash short.
  const env = heraldEnv(dir, { ...xEnv(x), ...mastodonEnv(mastodon), SOCIAL_REQUEST_TIMEOUT_MS: '1000', SOCIAL_RETRY_BASE_MS: '50', LOG_LEVEL: 'info' })
  const token = (await herald(['token', 'create', 'ops'], env)).stdout.trim()
  const post = async (url: string, path: string, payload: object): Promise<void> => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload)
    })
    t.equal(response.status, 201, `POST ${path}`)
  }
  const outputs: string[] = []

  // 1. Both channels make the first post and never answer: Herald dies not knowing it was posted.
  const first = await serve(t, env)
  x.failNext({ kind: 'hold' })
  mastodon.failNext({ kind: 'hold' })
  await post(first.url, '/api/v1/incidents', { reference: 'TM202916', name: 'Microsoft Teams', ...story[0] })
  await eventually(() => x.heldCount === 1 && mastodon.heldCount === 1, 'both first posts in flight')
  first.child.kill('SIGKILL')
  await first.exited
  outputs.push(first.stdout(), first.stderr())
  x.dropHeld()
  mastodon.dropHeld()
  t.equal(x.posts.length + mastodon.posts.length, 2, 'the first post is on both channels; Herald did not hear back')

  // 2. Started again: two more updates; the first is resent the safe way once its claim lapses.
  const second = await serve(t, env)
  await post(second.url, '/api/v1/incidents/TM202916/updates', story[1])
  await post(second.url, '/api/v1/incidents/TM202916/updates', story[2])
  await x.waitForPosts(3, 30_000)
  await mastodon.waitForPosts(3, 30_000)

  // 3. This time the requests are taken and never answered, nothing posted: killed again.
  x.failNext({ kind: 'hang' })
  mastodon.failNext({ kind: 'hang' })
  await post(second.url, '/api/v1/incidents/TM202916/updates', story[3])
  await eventually(() => x.heldCount === 1 && mastodon.heldCount === 1, 'both last posts in flight')
  second.child.kill('SIGKILL')
  await second.exited
  outputs.push(second.stdout(), second.stderr())
  x.dropHeld()
  mastodon.dropHeld()

  const third = await serve(t, env)
  await x.waitForPosts(4, 30_000)
  await mastodon.waitForPosts(4, 30_000)
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  const deliveries = new DeliveriesStore(db)
  await eventually(() => deliveries.ofIncident(1).every((delivery) => delivery.state === 'sent'), 'every delivery to be recorded as sent', 30_000)
  // A moment longer: anything sent twice would show now.
  await new Promise((resolve) => setTimeout(resolve, 500))
  third.child.kill('SIGTERM')
  await third.exited
  outputs.push(third.stdout(), third.stderr())

  for (const fake of [x, mastodon]) {
    const name = fake.constructor.name
    t.equal(fake.posts.length, 4, `${name}: four posts`)
    for (let id = 1; id <= 4; id++) {
      t.equal(fake.posts.filter((p) => p.text.endsWith(`#update-${id}`)).length, 1, `${name}: update ${id} posted exactly once`)
    }
    t.same(fake.posts.map((p) => p.text.split(' ')[0]), ['[Investigating]', '[Identified]', '[Monitoring]', '[Resolved]'], `${name}: in order`)
    t.same(fake.posts.map((p) => p.replyTo), [null, fake.posts[0]?.id, fake.posts[1]?.id, fake.posts[2]?.id], `${name}: one thread`)
  }
  // At least: on a busy machine an answered request may also time out, which is resent the same safe way.
  t.ok(mastodon.idempotentRepeats >= 1, 'Mastodon gave back the lost status for the repeated Idempotency-Key')
  const [firstMastodon, firstTwitter] = deliveries.ofIncident(1).filter((d) => d.updateId === 1)
  t.match(firstMastodon, { channel: 'mastodon', uncertain: true, remoteId: mastodon.posts[0]?.id })
  t.match(firstTwitter, { channel: 'twitter', uncertain: true, remoteId: x.posts[0]?.id, lastError: 'found posted by an earlier attempt whose answer was lost' })
  t.ok((firstMastodon?.attempts ?? 0) >= 2 && (firstTwitter?.attempts ?? 0) >= 2, 'each was resent after the crash')

  const output = outputs.join('\n')
  t.match(output, /social post sent/, 'the processes logged their sends')
  for (const secret of [...Object.values(xCredentials), mastodonToken]) t.notOk(output.includes(secret), `no log line contains ${secret}`)
})
