// Cache invalidation: after each kind of write, by this process or another connection, the next request of every public URL shows it.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../server/app.js'
import { openDatabase } from '../../server/db/open-database.js'
import { apiV2Documents, apiV2Prefix } from '../../server/domain/api-v2-documents.js'
import { versionFreshMs } from '../../server/plugins/public-cache.js'
import { type Services, createConfiguredServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { type TestContext, TestClock, tempDir, testConfig } from '../fixtures/build.js'
import { xEnv } from '../fixtures/fake-x.js'
import { icoStart, tinyPng } from '../fixtures/images.js'
import { routesOf } from '../fixtures/routes.js'
import { seedTeamsOutage, teamsOutage } from '../fixtures/story.js'
import { socialWorld, tellStory } from '../social/fixtures/social-world.js'

const apiV2Urls = apiV2Documents.map((document) => `${apiV2Prefix}/${document}`)

const actor = 'test'

/** The components the world starts with, by the ids they get, and the one a step adds (then deletes). */
const chat = 1
const signIn = 2
const calls = 3
const added = 4

const incidentRefs = ['TM202916', 'MT000001', 'MT000003']

/** The logo's address once a step uploads it (its name is the hash of its bytes): a 404 until then. */
const logoPath = `/brand/${createHash('sha256').update(tinyPng).digest('hex')}.png`

/** Every public URL of the world, warmed before each write and checked after it. */
function publicUrls (): string[] {
  return [
    '/',
    ...incidentRefs.map((reference) => `/incidents/${reference}`),
    '/history',
    '/history/1',
    '/history.rss',
    '/history.atom',
    '/badge.svg',
    ...[chat, signIn, calls, added].flatMap((id) => [`/components/${id}/history.rss`, `/components/${id}/history.atom`, `/components/${id}/badge.svg`]),
    ...apiV2Urls,
    '/favicon.ico',
    logoPath
  ]
}

/** Every GET route of the app as registered (/incidents/:reference). */
function getRoutes (app: FastifyInstance): string[] {
  return routesOf(app).filter((route) => route.method === 'GET').map((route) => route.path)
}

/** The public routes: everything but the admin UI, the token API and the static files. */
function publicRoutes (app: FastifyInstance): string[] {
  // The health probes (/livez, /readyz) show no content: nothing a write changes.
  return getRoutes(app).filter((path) => !/^\/(admin|api\/v1)(\/|$)/.test(path) && path !== '/static/*' && path !== '/livez' && path !== '/readyz' &&
    // The subscription pages are per visitor, never cached (test/subscribers/public-routes.test.ts).
    !/^\/(subscribe|subscriptions)(\/|$)/.test(path))
}

function routePattern (route: string): RegExp {
  return new RegExp(`^${route.replace(/[.]/g, '\\.').replace(/:[A-Za-z]+/g, '[^/]+')}$`)
}

interface Snapshot {
  statusCode: number
  body: string
  etag?: string
  lastModified?: string
}

function snapshotOf (response: LightMyRequestResponse): Snapshot {
  return {
    statusCode: response.statusCode,
    body: response.body,
    ...(response.headers.etag === undefined ? {} : { etag: String(response.headers.etag) }),
    ...(response.headers['last-modified'] === undefined ? {} : { lastModified: String(response.headers['last-modified']) })
  }
}

async function warm (app: FastifyInstance, urls: string[], headers: Record<string, string> = {}): Promise<Map<string, Snapshot>> {
  const bodies = new Map<string, Snapshot>()
  for (const url of urls) bodies.set(url, snapshotOf(await app.inject({ url, headers })))
  return bodies
}

/** Herald started afresh on the same file with the same clock: its first render of each URL is the truth. */
async function freshRenders (dir: string, clock: TestClock, urls: string[], env: NodeJS.ProcessEnv = {}): Promise<Map<string, Snapshot>> {
  const reference = await buildApp({ config: testConfig(dir, env), clock: clock.now })
  try {
    await reference.ready()
    return await warm(reference, urls)
  } finally {
    await reference.close()
  }
}

/**
 * After a write: the first request of each URL revalidates with the ETag it had before (304 exactly when
 * the body is byte-identical, else 200 with the new body), then with its Last-Modified (304 only for an
 * identical body), and the body is what a fresh Herald renders.
 */
async function checkAfterWrite (t: Test, app: FastifyInstance, before: Map<string, Snapshot>, truth: Map<string, Snapshot>): Promise<Map<string, Snapshot>> {
  const after = new Map<string, Snapshot>()
  for (const [url, old] of before) {
    const expected = truth.get(url) as Snapshot
    const byEtag = old.etag === undefined ? undefined : await app.inject({ url, headers: { 'if-none-match': old.etag } })
    const byDate = old.lastModified === undefined ? undefined : await app.inject({ url, headers: { 'if-modified-since': old.lastModified } })
    const now = snapshotOf(await app.inject(url))
    t.equal(now.statusCode, expected.statusCode, `${url}: status as a fresh render`)
    t.equal(now.body, expected.body, `${url}: body as a fresh render`)
    // A render past the cache (the witness) has no ETag: a stale one is caught by the revalidations above.
    if (now.body === expected.body && expected.etag !== undefined) t.equal(now.etag, expected.etag, `${url}: ETag as a fresh render`)
    const unchanged = now.statusCode === 200 && now.body === old.body
    if (byEtag !== undefined) {
      if (unchanged) {
        t.equal(byEtag.statusCode, 304, `${url}: unchanged, so the old ETag still validates it`)
      } else {
        t.equal(byEtag.statusCode, now.statusCode, `${url}: changed, so the old ETag gets the new answer`)
        t.equal(byEtag.body, now.body, `${url}: the new body at once`)
      }
    }
    if (byDate !== undefined) {
      if (byDate.statusCode === 304) {
        t.ok(unchanged, `${url}: 304 to If-Modified-Since only when nothing changed`)
      } else {
        t.equal(byDate.statusCode, now.statusCode, `${url}: answered in full after If-Modified-Since`)
        t.equal(byDate.body, now.body, `${url}: the new body after If-Modified-Since`)
      }
    }
    after.set(url, now)
  }
  return after
}

interface World {
  /** Who writes: the app's own services, or another connection's. */
  services: Services
  clock: TestClock
  /** The id of the first update of TM202916, once it exists. */
  firstUpdateId: () => number
}

interface Step {
  name: string
  write: (w: World) => void
  /** URLs whose body must change, each with text its new body must hold (null: gone, a 404). */
  shows: Record<string, string | RegExp | null>
}

/**
 * The longest stretch of the story's update `index` that HTML, XML and JSON all show as it is (no quote,
 * ampersand, angle bracket or line break): the text a page holds once the update is written.
 */
function phrase (index: number): string {
  const body = teamsOutage.updates[index]?.body
  if (body === undefined) throw new Error(`the story has no update ${index}`)
  return body.split(/['"&<>\n]/).reduce((longest, part) => part.length > longest.length ? part : longest)
}

/** The story's first two updates, as pages show them: the steps open TM202916 with one and post the other. */
const investigating = phrase(0)
const identified = phrase(1)

const maintenanceWindow = (day: string, from: string, until: string): { scheduledFor: string, scheduledUntil: string } =>
  ({ scheduledFor: `${day}T${from}:00.000Z`, scheduledUntil: `${day}T${until}:00.000Z` })

const steps: Step[] = [
  {
    name: 'open an incident',
    write: ({ services }) => { seedTeamsOutage(services, { components: { 'Teams chat': chat }, updates: 1, actor }) },
    shows: {
      '/': teamsOutage.name,
      '/incidents/TM202916': teamsOutage.name,
      '/history': 'TM202916',
      '/history/1': 'TM202916',
      '/history.rss': investigating,
      '/history.atom': investigating,
      [`/components/${chat}/history.rss`]: investigating,
      [`/components/${chat}/history.atom`]: investigating,
      '/badge.svg': 'Major Service Outage',
      [`/components/${chat}/badge.svg`]: 'Major Outage',
      '/api/v2/status.json': '"indicator":"critical"',
      '/api/v2/summary.json': 'TM202916',
      '/api/v2/components.json': '"status":"major_outage"',
      '/api/v2/incidents.json': 'TM202916',
      '/api/v2/incidents/unresolved.json': 'TM202916'
    }
  },
  {
    name: 'post an update',
    write: ({ services }) => { seedTeamsOutage(services, { components: { 'Teams chat': chat }, from: 1, updates: 2, actor }) },
    shows: {
      '/': identified,
      '/incidents/TM202916': identified,
      '/history.rss': identified,
      '/history.atom': identified,
      [`/components/${chat}/history.rss`]: identified,
      [`/components/${chat}/history.atom`]: identified,
      '/api/v2/summary.json': '"status":"identified"',
      '/api/v2/incidents.json': identified,
      '/api/v2/incidents/unresolved.json': identified
    }
  },
  {
    name: "edit an update's text",
    write: ({ services, firstUpdateId }) => {
      services.incidents.editUpdate('TM202916', firstUpdateId(), 'We are investigating reports of users unable to sign in to Teams', actor)
    },
    shows: {
      '/': 'reports of users unable to sign in to Teams',
      '/incidents/TM202916': 'reports of users unable to sign in to Teams',
      '/history.rss': 'reports of users unable to sign in to Teams',
      '/history.atom': 'reports of users unable to sign in to Teams',
      [`/components/${chat}/history.rss`]: 'reports of users unable to sign in to Teams',
      [`/components/${chat}/history.atom`]: 'reports of users unable to sign in to Teams',
      '/api/v2/incidents.json': 'reports of users unable to sign in to Teams',
      '/api/v2/incidents/unresolved.json': 'reports of users unable to sign in to Teams'
    }
  },
  {
    name: 'rename an incident',
    write: ({ services }) => { services.incidents.edit('TM202916', { name: 'Teams sign-in failures' }, actor) },
    shows: {
      '/': 'Teams sign-in failures',
      '/incidents/TM202916': 'Teams sign-in failures',
      '/history': 'Teams sign-in failures',
      '/history.rss': 'Teams sign-in failures',
      '/history.atom': 'Teams sign-in failures',
      [`/components/${chat}/history.rss`]: 'Teams sign-in failures',
      '/api/v2/incidents.json': 'Teams sign-in failures'
    }
  },
  {
    name: "change a component's status by hand",
    write: ({ services }) => { services.components.patch(signIn, { status: 'degraded_performance' }, actor) },
    shows: {
      '/': 'Degraded Performance',
      [`/components/${signIn}/badge.svg`]: 'Degraded Performance',
      '/api/v2/components.json': '"status":"degraded_performance"',
      '/api/v2/summary.json': '"status":"degraded_performance"'
    }
  },
  {
    name: 'rename a component',
    write: ({ services }) => { services.components.patch(chat, { name: 'Teams messaging' }, actor) },
    shows: {
      '/': 'Teams messaging',
      [`/components/${chat}/badge.svg`]: 'Teams messaging',
      [`/components/${chat}/history.rss`]: 'Teams messaging',
      [`/components/${chat}/history.atom`]: 'Teams messaging',
      '/api/v2/components.json': 'Teams messaging',
      '/api/v2/summary.json': 'Teams messaging'
    }
  },
  {
    name: 'describe a component',
    write: ({ services }) => { services.components.patch(chat, { description: 'Chats, channels and meetings' }, actor) },
    shows: {
      '/': 'Chats, channels and meetings',
      '/api/v2/components.json': 'Chats, channels and meetings',
      '/api/v2/summary.json': 'Chats, channels and meetings'
    }
  },
  {
    name: 'move a component up',
    write: ({ services }) => { services.components.move(signIn, 'up', actor) },
    shows: { '/': /Sign-in[^]*Teams messaging/, '/api/v2/components.json': /"name":"Sign-in"[^]*"name":"Teams messaging"/ }
  },
  {
    name: 'move a group down',
    write: ({ services }) => {
      const group = services.context.stores.components.listGroups()[0]
      services.components.moveGroup(group?.id ?? 0, 'down', actor)
    },
    shows: { '/': /Calls[^]*Microsoft Teams/, '/api/v2/components.json': /"name":"Calls"[^]*"name":"Microsoft Teams"/ }
  },
  {
    name: 'put a component in a group',
    write: ({ services }) => { services.components.patch(calls, { group: 'Microsoft Teams' }, actor) },
    shows: { '/': /Microsoft Teams[^]*Calls/, '/api/v2/components.json': /"name":"Calls","status":"operational",[^}]*"group_id":"group-/ }
  },
  {
    name: 'add a component',
    write: ({ services }) => {
      const meetings = services.components.create({ name: 'Meetings' }, actor)
      if (meetings.id !== added) throw new Error(`the added component has id ${meetings.id}, not ${added}`)
    },
    shows: {
      '/': 'Meetings',
      [`/components/${added}/badge.svg`]: 'Meetings',
      [`/components/${added}/history.rss`]: 'Meetings',
      [`/components/${added}/history.atom`]: 'Meetings',
      '/api/v2/components.json': 'Meetings',
      '/api/v2/summary.json': 'Meetings'
    }
  },
  {
    name: 'delete a component',
    write: ({ services }) => { services.components.remove(added, actor) },
    shows: {
      '/': /^(?![^]*Meetings)/,
      [`/components/${added}/badge.svg`]: null,
      [`/components/${added}/history.rss`]: null,
      [`/components/${added}/history.atom`]: null,
      '/api/v2/components.json': /^(?![^]*Meetings)/
    }
  },
  {
    name: 'resolve the incident',
    write: ({ services }) => {
      services.incidents.postUpdate('TM202916', { status: 'resolved', body: 'The updated certificate has resolved the issue' }, actor)
    },
    shows: {
      '/': 'The updated certificate has resolved the issue',
      '/incidents/TM202916': 'Resolved',
      '/history.rss': 'The updated certificate has resolved the issue',
      [`/components/${chat}/badge.svg`]: 'Operational',
      '/badge.svg': 'Minor Service Outage',
      '/api/v2/status.json': '"indicator":"minor"',
      '/api/v2/incidents.json': '"status":"resolved"',
      '/api/v2/incidents/unresolved.json': '"incidents":[]'
    }
  },
  {
    name: 'schedule a maintenance',
    write: ({ services }) => {
      services.maintenances.schedule({
        reference: 'MT000001',
        name: 'Certificate rotation',
        body: 'We will rotate the sign-in certificates.',
        ...maintenanceWindow('2020-02-03', '14:00', '15:00'),
        components: [calls]
      }, actor)
    },
    shows: {
      '/': 'Certificate rotation',
      '/incidents/MT000001': 'Certificate rotation',
      '/api/v2/summary.json': 'MT000001',
      '/api/v2/scheduled-maintenances.json': 'MT000001',
      '/api/v2/scheduled-maintenances/upcoming.json': 'MT000001'
    }
  },
  {
    name: "move a maintenance's window",
    write: ({ services }) => {
      services.maintenances.reschedule('MT000001', maintenanceWindow('2020-02-03', '14:10', '15:10'), actor)
    },
    shows: {
      '/': '14:10',
      '/incidents/MT000001': '14:10',
      '/api/v2/scheduled-maintenances/upcoming.json': '"scheduled_for":"2020-02-03T14:10:00.000Z"'
    }
  },
  {
    name: 'start a maintenance by the clock',
    write: ({ services, clock }) => {
      clock.set('2020-02-03T14:10:30.000Z')
      if (services.maintenances.runDue() !== 1) throw new Error('the maintenance did not start')
    },
    shows: {
      '/': 'Scheduled maintenance is currently in progress',
      '/incidents/MT000001': 'In Progress',
      '/history': 'MT000001',
      '/history.rss': 'Scheduled maintenance is currently in progress',
      [`/components/${calls}/history.rss`]: 'Scheduled maintenance is currently in progress',
      [`/components/${calls}/badge.svg`]: 'Under Maintenance',
      '/api/v2/components.json': '"status":"under_maintenance"',
      '/api/v2/scheduled-maintenances/active.json': 'MT000001',
      '/api/v2/scheduled-maintenances/upcoming.json': '"scheduled_maintenances":[]'
    }
  },
  {
    name: 'post a maintenance update by hand',
    write: ({ services }) => {
      services.maintenances.postUpdate('MT000001', { status: 'verifying', body: 'Checking every sign-in path with the new certificates.' }, actor)
    },
    shows: {
      '/': 'Checking every sign-in path',
      '/incidents/MT000001': 'Checking every sign-in path',
      '/history.atom': 'Checking every sign-in path',
      [`/components/${calls}/history.atom`]: 'Checking every sign-in path',
      '/api/v2/scheduled-maintenances/active.json': '"status":"verifying"'
    }
  },
  {
    name: 'complete a maintenance by the clock',
    write: ({ services, clock }) => {
      clock.set('2020-02-03T15:10:30.000Z')
      if (services.maintenances.runDue() !== 1) throw new Error('the maintenance did not complete')
    },
    shows: {
      '/incidents/MT000001': 'The scheduled maintenance has been completed.',
      '/history.rss': 'The scheduled maintenance has been completed.',
      [`/components/${calls}/badge.svg`]: 'Operational',
      '/api/v2/scheduled-maintenances/active.json': '"scheduled_maintenances":[]',
      '/api/v2/scheduled-maintenances.json': '"status":"completed"'
    }
  },
  {
    name: 'start a maintenance by hand',
    write: ({ services }) => {
      services.maintenances.schedule({
        reference: 'MT000002', name: 'Chat database upgrade', body: 'Upgrading the chat database.', ...maintenanceWindow('2020-02-03', '18:00', '19:00'), components: [chat]
      }, actor)
      services.maintenances.postUpdate('MT000002', { status: 'in_progress', body: 'Starting the chat database upgrade early.' }, actor)
    },
    shows: {
      '/': 'Starting the chat database upgrade early.',
      [`/components/${chat}/badge.svg`]: 'Under Maintenance',
      '/api/v2/scheduled-maintenances/active.json': 'MT000002'
    }
  },
  {
    name: 'complete a maintenance by hand',
    write: ({ services }) => {
      services.maintenances.postUpdate('MT000002', { status: 'completed', body: 'The chat database runs the new version.' }, actor)
    },
    shows: {
      '/history.rss': 'The chat database runs the new version.',
      [`/components/${chat}/badge.svg`]: 'Operational',
      '/api/v2/scheduled-maintenances/active.json': '"scheduled_maintenances":[]'
    }
  },
  {
    name: 'cancel a maintenance',
    write: ({ services }) => {
      services.maintenances.schedule({
        reference: 'MT000003', name: 'Calls relay move', body: 'Moving the calls relay.', ...maintenanceWindow('2020-02-04', '02:00', '03:00'), components: [calls]
      }, actor)
      services.maintenances.postUpdate('MT000003', { status: 'completed', body: 'Cancelled: the move is no longer needed.' }, actor)
    },
    shows: {
      '/incidents/MT000003': 'Cancelled: the move is no longer needed.',
      '/history': 'MT000003',
      '/history.rss': 'Cancelled: the move is no longer needed.',
      '/api/v2/scheduled-maintenances.json': 'MT000003'
    }
  },
  {
    name: 'change the appearance (logo, favicon, accent, auto-refresh)',
    write: ({ services }) => {
      services.appearance.save({ accent: '#1f6f43', siteLink: 'https://example.com', supportLink: '', autoRefresh: true, refreshSeconds: 60, images: { logo_light: tinyPng, favicon: icoStart } }, actor)
    },
    shows: {
      '/': 'data-refresh-seconds="60"',
      '/incidents/TM202916': logoPath,
      '/history': logoPath,
      '/history/1': logoPath,
      '/history.rss': logoPath,
      '/history.atom': logoPath,
      [`/components/${chat}/history.atom`]: logoPath,
      '/favicon.ico': '\u0000\u0000\u0001\u0000',
      [logoPath]: 'PNG'
    }
  }
]

/** Chat and Sign-in in the group Microsoft Teams, Calls on its own, and a resolved incident of the morning. */
function seed (services: Services, clock: TestClock): void {
  const { components, incidents } = services
  components.create({ name: 'Teams chat', group: 'Microsoft Teams', description: 'Messages and channels' }, actor)
  components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, actor)
  components.create({ name: 'Calls' }, actor)
  clock.set('2020-02-03T11:00:00.000Z')
  incidents.open({ name: 'Slow message delivery', body: 'Messages arrive late.', components: { [chat]: 'degraded_performance' } }, actor)
  clock.set('2020-02-03T11:40:00.000Z')
  incidents.postUpdate('HR000001', { status: 'resolved', body: 'Messages arrive on time again.' }, actor)
  clock.set('2020-02-03T13:00:00.000Z')
}

/** A second connection to the file, with its own services: what the command line or a second Herald process writes with. */
function otherConnection (t: TestContext, dir: string, clock: TestClock): Services {
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  return createConfiguredServices(testConfig(dir), createStores(db), clock.now)
}

for (const writer of ['this process', 'another connection'] as const) {
  t.test(`every public URL shows each write made by ${writer} on its very next request`, async (t) => {
    const clock = new TestClock()
    const dir = tempDir(t)
    const app = await buildApp({ config: testConfig(dir), clock: clock.now })
    t.teardown(() => app.close())
    await app.ready()
    const services = writer === 'this process' ? app.herald.services : otherConnection(t, dir, clock)
    seed(services, clock)

    const urls = publicUrls()
    for (const route of publicRoutes(app)) {
      t.ok(urls.some((url) => routePattern(route).test(url)), `the public route ${route} is in the table`)
    }
    const world: World = {
      services,
      clock,
      firstUpdateId: () => services.incidents.get('TM202916').updates.at(-1)?.id ?? 0
    }
    // The truth: a second Herald on the same file, rendering every URL afresh, past its cache.
    const witness = await buildApp({ config: testConfig(dir), clock: clock.now })
    t.teardown(() => witness.close())
    await witness.ready()
    let before = await warm(app, urls)
    for (const step of steps) {
      await t.test(step.name, async (t) => {
        clock.advance(60_000)
        step.write(world)
        // Another process's commit is seen within versionFreshMs; this process's at once.
        if (writer === 'another connection') await new Promise((resolve) => setTimeout(resolve, versionFreshMs + 1))
        const truth = await warm(witness, urls, witness.exportRequestHeaders)
        for (const [url, text] of Object.entries(step.shows)) {
          const old = before.get(url) as Snapshot
          const expected = truth.get(url) as Snapshot
          t.not(expected.body, old.body, `${url} is one the write changes`)
          if (text === null) t.equal(expected.statusCode, 404, `${url} is gone`)
          else t.match(expected.body, text, `${url} shows the change`)
        }
        before = await checkAfterWrite(t, app, before, truth)
      })
    }
  })
}

t.test('a post sent on X by this process shows its id in the API v2 on the next request, and only what it changed is new', async (t) => {
  const clock = new TestClock()
  const dir = tempDir(t)
  const world = await socialWorld(t, { channels: ['twitter'], dir, clock })
  // X is down while the story is told: the posts wait for their retry, due on the clock, which stands still.
  world.x.failAlways({ kind: 'error', status: 503 })
  await tellStory(world, 2)
  await world.app.outbox?.settled()
  t.equal(world.x.posts.length, 0, 'nothing posted yet')
  const urls = publicUrls()
  const before = await warm(world.app, urls)

  world.x.recover()
  clock.advance(60_000)
  world.app.outbox?.wake()
  await world.x.waitForPosts(2)
  await world.app.outbox?.settled()
  await checkSent(t, world.app, dir, clock, urls, before, world.x.posts.map((post) => post.id), { ...xEnv(world.x), SOCIAL_WORKER: 'off' })
})

t.test('a post sent on X by another process shows its id in the API v2 on the next request', async (t) => {
  const clock = new TestClock()
  const dir = tempDir(t)
  const world = await socialWorld(t, { channels: ['twitter'], dir, clock, env: { SOCIAL_WORKER: 'off' } })
  await tellStory(world, 2)
  const urls = publicUrls()
  const before = await warm(world.app, urls)

  // The other process runs the outbox worker (this one has SOCIAL_WORKER=off): its sends reach this one
  // only through the database, as the content version it bumps.
  const sender = await socialWorld(t, { channels: ['twitter'], dir, clock, fakes: { x: world.x, mastodon: world.mastodon } })
  await world.x.waitForPosts(2)
  await sender.app.outbox?.settled()
  await sender.app.close()
  await checkSent(t, world.app, dir, clock, urls, before, world.x.posts.map((post) => post.id), { ...xEnv(world.x), SOCIAL_WORKER: 'off' })
})

/** After posts went out: the API v2 names them at once, every other body is as a fresh render, the page unchanged. */
async function checkSent (t: Test, app: FastifyInstance, dir: string, clock: TestClock, urls: string[], before: Map<string, Snapshot>, ids: string[], env: NodeJS.ProcessEnv): Promise<void> {
  t.notMatch(before.get('/api/v2/incidents.json')?.body, /"tweet_id":"\d+"/, 'no post named before')
  t.equal(ids.length, 2)
  // The fresh Herald runs no worker: it must not touch the outbox.
  const truth = await freshRenders(dir, clock, urls, env)
  for (const url of ['/api/v2/incidents.json', '/api/v2/incidents/unresolved.json', '/api/v2/summary.json']) {
    for (const id of ids) t.match(truth.get(url)?.body, `"tweet_id":"${id}"`, `${url} names post ${id}`)
  }
  const after = await checkAfterWrite(t, app, before, truth)
  t.equal(after.get('/')?.body, before.get('/')?.body, 'the status page shows nothing of a post: the same body')
  t.equal(after.get('/history.atom')?.body, before.get('/history.atom')?.body, 'nor does a feed')
}
