// Recording a sent post is a service write: the public cache shows it at once, it commits with the content version, and only services/ moves that version.
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import type { Delivery } from '../../server/domain/deliveries.js'
import { type TestContext, TestClock, build } from '../fixtures/build.js'

const xCredentials = { TWITTER_API_KEY: 'k', TWITTER_API_SECRET: 's', TWITTER_ACCESS_TOKEN: 't', TWITTER_ACCESS_SECRET: 'a' }

/** Herald with X on but no worker of its own (SOCIAL_WORKER=off): the test plays the worker. */
async function withQueuedPost (t: TestContext): Promise<{ app: FastifyInstance, claimed: Delivery }> {
  const clock = new TestClock()
  const app = await build(t, { clock, env: { ...xCredentials, SOCIAL_WORKER: 'off' } })
  app.herald.services.incidents.open({ name: 'Microsoft Teams', reference: 'TM202916', body: 'Investigating.' }, 'cli')
  const now = clock.now()
  const claimed = app.herald.stores.deliveries.claimNext({
    channels: ['twitter'], now: now.toISOString(), leaseUntil: new Date(now.getTime() + 60_000).toISOString(), inFlight: []
  })
  if (claimed === undefined) throw new Error('no delivery queued')
  return { app, claimed }
}

/** The public API's tweet_id of TM202916's update, through the public cache. */
async function tweetIdOnTheApi (app: FastifyInstance): Promise<unknown> {
  const response = await app.inject('/api/v2/incidents.json')
  return response.json().incidents[0].incident_updates[0].tweet_id
}

t.test('a sent post recorded through the delivery service is on the cached public API at its next request', async (t) => {
  const { app, claimed } = await withQueuedPost(t)
  t.equal(await tweetIdOnTheApi(app), null, 'rendered, and cached, before the post went out')
  t.equal(await tweetIdOnTheApi(app), null, 'served again while nothing changed')

  const sent = app.herald.services.deliveries.recordSent(claimed.id, { remoteId: '1223344556677889900', remoteUrl: 'https://x.com/i/web/status/1223344556677889900', note: null })
  t.equal(sent, true)
  t.match(app.herald.stores.deliveries.get(claimed.id), { state: 'sent', remoteId: '1223344556677889900', sentAt: '2020-02-03T13:00:00.000Z' })
  t.equal(await tweetIdOnTheApi(app), '1223344556677889900', 'the next request shows the post')

  t.equal(app.herald.services.deliveries.recordSent(claimed.id, { remoteId: '1', remoteUrl: null, note: null }), false,
    'a delivery no longer sending (another attempt took it over) is left as it is')
  t.equal(app.herald.stores.deliveries.get(claimed.id)?.remoteId, '1223344556677889900')
})

t.test('the sent post and the content version commit together: a failed bump leaves the delivery sending', async (t) => {
  const { app, claimed } = await withQueuedPost(t)
  await tweetIdOnTheApi(app)
  const { db } = app.herald.stores
  db.exec(`CREATE TEMP TRIGGER fail_version BEFORE UPDATE ON counters WHEN NEW.name = 'content_version'
    BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
  t.throws(() => app.herald.services.deliveries.recordSent(claimed.id, { remoteId: '1223344556677889900', remoteUrl: null, note: null }), /disk full/)
  db.exec('DROP TRIGGER fail_version')
  t.match(app.herald.stores.deliveries.get(claimed.id), { state: 'sending', remoteId: null },
    'not recorded: its claim lapses and the worker resends it the safe way, instead of a cache that never learns of it')
  t.equal(await tweetIdOnTheApi(app), null)
})

t.test('no code outside services/ moves the content version (the public cache\'s invalidation has one owner)', async (t) => {
  const serverDir = resolve(import.meta.dirname, '../../server')
  const files = (readdirSync(serverDir, { recursive: true }) as string[]).filter((name) => name.endsWith('.ts'))
  const bumps = files.filter((name) => /\.bump\(\s*['"`]content_version/.test(readFileSync(join(serverDir, name), 'utf8')))
    .map((name) => relative(serverDir, join(serverDir, name)).split('\\').join('/'))
  t.same(bumps, ['services/context.ts'], 'only write() bumps it')
})
