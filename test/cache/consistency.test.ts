// Public reads under load and under writes: a burst of first requests renders once, and no body mixes two versions.
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { Statement } from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import type { Db } from '../../server/db/open-database.js'
import { openDatabase } from '../../server/db/open-database.js'
import { apiV2Documents, apiV2Prefix } from '../../server/domain/api-v2-documents.js'
import { versionFreshMs } from '../../server/plugins/public-cache.js'
import { write } from '../../server/services/context.js'
import { type Services, createConfiguredServices } from '../../server/services/services.js'
import { PageStore } from '../../server/store/page-store.js'
import { createStores } from '../../server/store/stores.js'
import { historyPageSize } from '../../server/views/history-page-view.js'
import { type TestContext, TestClock, build, tempDir, testConfig } from '../fixtures/build.js'
import { recordRenders } from '../fixtures/renders.js'

const apiV2Urls = apiV2Documents.map((document) => `${apiV2Prefix}/${document}`)

const actor = 'test'

t.test('200 requests arriving together after a write render each body once, and all get the same one', async (t) => {
  const app = await build(t, { clock: new TestClock() })
  const { components, incidents } = app.herald.services
  const chat = components.create({ name: 'Teams chat' }, actor)
  // Warm: the bodies of the version before the write are in the cache, and must all be replaced.
  for (const url of ['/', '/api/v2/summary.json']) t.equal((await app.inject(url)).statusCode, 200)

  const views = recordRenders(app)
  // summary.json renders no template: each of its renders reads when the page last changed, once. The status
  // page's read does too (its banner's "Last updated"), and views below counts its renders. Counted on the
  // prototype: the status page reads on the server's second connection, with stores of its own.
  const { lastChange } = PageStore.prototype
  let summaries = 0
  PageStore.prototype.lastChange = function () { summaries++; return lastChange.call(this) }
  t.teardown(() => { PageStore.prototype.lastChange = lastChange })

  incidents.open({ reference: 'TM202916', name: 'Users unable to access Microsoft Teams', body: 'Investigating.', components: { [chat.id]: 'major_outage' } }, actor)
  const codings = [undefined, 'gzip', 'br', 'gzip, br']
  const burst = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
    const url = i % 2 === 0 ? '/' : '/api/v2/summary.json'
    const coding = codings[Math.floor(i / 2) % codings.length]
    const response = await app.inject({ url, headers: coding === undefined ? {} : { 'accept-encoding': coding } })
    const encoding = response.headers['content-encoding']
    const body = encoding === 'br' ? brotliDecompressSync(response.rawPayload) : encoding === 'gzip' ? gunzipSync(response.rawPayload) : response.rawPayload
    return { url, statusCode: response.statusCode, body: body.toString() }
  }))
  t.same(views, ['status.hbs'], 'the status page rendered once for 100 requests')
  t.equal(summaries, 2, 'summary.json rendered once for 100 requests (the other read is the status page\'s one render)')
  for (const url of ['/', '/api/v2/summary.json']) {
    const answers = burst.filter((answer) => answer.url === url)
    t.equal(answers.length, 100)
    t.ok(answers.every((answer) => answer.statusCode === 200), `${url}: every answer is a 200`)
    t.equal(new Set(answers.map((answer) => answer.body)).size, 1, `${url}: one body for all, whatever the coding`)
    t.match(answers[0]?.body, 'TM202916', `${url}: the body of the write`)
  }
  t.equal((await app.inject('/')).body, burst[0]?.body, 'and it is the body served from then on')
  t.same(views, ['status.hbs'], 'from memory')
})

/**
 * Makes `commit` run once, right after the first read the app's connection makes that is not the content
 * version's (the render's first read has returned, the rest is still to come). Returns whether it ran.
 */
function commitAfterFirstRead (t: TestContext, db: Db, commit: () => void): { fired: () => boolean, disarm: () => void } {
  type Read = (this: Statement, ...args: unknown[]) => unknown
  // Every statement of every connection shares this prototype: the wrapper looks at the app's only.
  const statement = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<'get' | 'all', Read>
  const originals = { get: statement.get, all: statement.all }
  let armed = true
  let fired = false
  const disarm = (): void => {
    armed = false
    statement.get = originals.get
    statement.all = originals.all
  }
  for (const name of ['get', 'all'] as const) {
    const original = originals[name]
    statement[name] = function (this: Statement, ...args: unknown[]) {
      const result = original.apply(this, args)
      if (armed && this.database === db && !this.source.includes('counters')) {
        armed = false
        fired = true
        commit()
      }
      return result
    }
  }
  t.teardown(disarm)
  return { fired: () => fired, disarm }
}

const raced = [
  '/',
  '/incidents/TM202916',
  '/history',
  '/history?q=outage',
  '/history.rss',
  '/history.atom',
  '/components/1/history.rss',
  '/components/1/history.atom',
  '/badge.svg',
  '/components/1/badge.svg',
  ...apiV2Urls
]

/** The state before each race: Teams chat operational, the outage a minor one under its first name, no maintenance running. */
function resetState (services: Services): void {
  write(services.context, () => {
    for (const { reference } of services.context.stores.incidents.maintenances('active')) {
      services.maintenances.postUpdate(reference, { status: 'completed', body: 'Done.' }, actor)
    }
    services.components.patch(1, { name: 'Teams chat', status: 'operational' }, actor)
    services.incidents.edit('TM202916', { name: 'Teams outage', impact: 'minor' }, actor)
  })
}

/**
 * One commit that changes what every public body reads, in more than one of its reads: the component's
 * name and status, the incident's name, impact and timeline, a new incident (the history's count), a
 * maintenance announced and one started.
 */
function raceWrite (services: Services, clock: TestClock, round: number): void {
  // A second later than the state before, so that the times the bodies show (updated_at) change too.
  clock.advance(1000)
  const now = services.context.clock().getTime()
  const window = { scheduledFor: new Date(now + 3_600_000).toISOString(), scheduledUntil: new Date(now + 7_200_000).toISOString(), autoStart: false }
  write(services.context, () => {
    services.components.patch(1, { name: `Teams chat ${round}` }, actor)
    services.maintenances.schedule({ reference: `UP${round}`, name: `Upgrade ${round}`, body: 'Upgrading soon.', components: [2], ...window }, actor)
    services.maintenances.schedule({ reference: `NOW${round}`, name: `Repair ${round}`, body: 'Repairing.', components: [1], ...window }, actor)
    services.maintenances.postUpdate(`NOW${round}`, { status: 'in_progress', body: 'Started early.' }, actor)
    services.incidents.postUpdate('TM202916', { status: 'identified', body: `Cause ${round} found.`, components: { 1: 'major_outage' } }, actor)
    services.incidents.edit('TM202916', { name: `Teams outage ${round}`, impact: 'none' }, actor)
    services.incidents.open({ name: `Side outage ${round}`, body: 'Investigating.' }, actor)
  })
}

/** Opens incidents until the history holds `count`. */
function fillHistory (services: Services, count: number): void {
  const { total } = services.context.stores.incidents.page(1, 0)
  for (let i = total; i < count; i++) services.incidents.open({ name: `Past problem ${i}`, body: 'Investigating.' }, actor)
}

/** Waits out how long the app may keep the content version when another connection wrote. */
async function settle (): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, versionFreshMs + 1))
}

t.test('a body is of one state when another connection commits in the middle of its render', async (t) => {
  const clock = new TestClock()
  const dir = tempDir(t)
  const open = async (): Promise<FastifyInstance> => {
    const app = await buildApp({ config: testConfig(dir), clock: clock.now })
    t.teardown(() => app.close())
    await app.ready()
    return app
  }
  const app = await open()
  // Another Herald on the file renders each state whole, with nothing racing it.
  const witness = await open()
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  const other = createConfiguredServices(testConfig(dir), createStores(db), clock.now)
  other.components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, actor)
  other.components.create({ name: 'Calls' }, actor)
  other.incidents.open({ reference: 'TM202916', name: 'Teams outage', body: 'Investigating.', impact: 'minor' }, actor)

  let round = 0
  for (const url of raced) {
    round++
    clock.advance(60_000)
    resetState(other)
    // A full first page of history: the write adds a second, so a page that took its rows before the write
    // and its count after would show a link to a page that is not in it.
    if (url === '/history') fillHistory(other, historyPageSize)
    const before = await witness.inject(url)
    // Another connection's commits reach the app within versionFreshMs.
    await settle()
    const race = commitAfterFirstRead(t, app.herald.stores.db, () => { raceWrite(other, clock, round) })
    const during = await app.inject(url)
    race.disarm()
    t.ok(race.fired(), `${url}: the commit landed in the middle of the render`)
    const after = await witness.inject(url)
    t.equal(before.statusCode, 200, `${url}: the state before renders`)
    t.not(after.body, before.body, `${url}: the write changes the body`)
    t.equal(during.statusCode, 200)
    t.equal(during.body, before.body, `${url}: the body is all of the state its first read saw, nothing of the write`)
    await settle()
    t.equal((await app.inject(url)).body, after.body, `${url}: the next request shows the write`)
  }
})
