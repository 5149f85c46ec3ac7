// EXPORT_DIR: the mirror follows every kind of write and the UTC day, by itself, and a folder it cannot use stops the start.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { type TestContext, TestClock, build, tempDir, testConfig } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { actor } from '../public/fixtures/seed.js'
import { seedSite, staleFiles } from './fixtures/site.js'

async function mirrored (t: TestContext): Promise<{ app: FastifyInstance, clock: TestClock, dir: string }> {
  const dir = join(tempDir(t), 'mirror')
  const clock = new TestClock()
  const app = await build(t, { clock, env: { EXPORT_DIR: dir } })
  return { app, clock, dir }
}

const read = (dir: string, file: string): string => { try { return readFileSync(join(dir, file), 'utf8') } catch { return '' } }

t.test('after each kind of write, the next pass makes every file of the mirror the live answer', async (t) => {
  const { app, clock, dir } = await mirrored(t)
  const seeded = seedSite(app, clock)
  const mirror = app.exportMirror
  if (mirror === null) throw new Error('no mirror')
  await mirror.sync()
  const { services, stores } = app.herald
  const api = stores.components.list().find((component) => component.name === 'API')
  const chat = stores.components.list().find((component) => component.name === 'Chat')
  if (api === undefined || chat === undefined) throw new Error('no components')

  const writes: Array<[string, () => void, string, string]> = [
    ['an incident opened', () => services.incidents.open({ name: 'Chat is slow', body: 'Messages arrive late.', components: { [chat.id]: 'degraded_performance' } }, actor), 'index.html', 'Chat is slow'],
    ['an update posted', () => services.incidents.postUpdate(seeded.open, { status: 'identified', body: 'A bad deploy.' }, actor), `incidents/${seeded.open}/index.html`, 'A bad deploy.'],
    ['an update edited', () => {
      const latest = services.incidents.get(seeded.open).updates[0]
      services.incidents.editUpdate(seeded.open, latest?.id ?? 0, 'A bad deploy, rolled back.', actor)
    }, 'history.rss', 'A bad deploy, rolled back.'],
    ['an incident resolved', () => services.incidents.postUpdate(seeded.open, { status: 'resolved', body: 'All requests succeed again.', components: { [api.id]: 'operational' } }, actor), 'api/v2/incidents.json', 'All requests succeed again.'],
    ['a component status set by hand', () => services.components.patch(chat.id, { status: 'major_outage' }, actor), `components/${chat.id}/badge.svg`, 'Major Outage'],
    ['a component renamed', () => services.components.patch(chat.id, { name: 'Chat and calls' }, actor), `incidents/${seeded.old}/index.html`, 'Chat and calls'],
    ['a component moved', () => services.components.move(api.id, 'down', actor), 'api/v2/components.json', '"Web app"'],
    ['a component added', () => services.components.create({ name: 'Webhooks' }, actor), 'api/v2/summary.json', 'Webhooks'],
    ['a maintenance rescheduled', () => services.maintenances.reschedule(seeded.upcoming, { name: 'Database upgrade, part 1' }, actor), 'api/v2/scheduled-maintenances/upcoming.json', 'Database upgrade, part 1'],
    ['a maintenance started by the clock', () => {
      clock.set('2020-03-05T02:00:00.000Z')
      services.maintenances.runDue()
    }, 'api/v2/scheduled-maintenances/active.json', 'Database upgrade, part 1'],
    ['a maintenance completed by the clock', () => {
      clock.set('2020-03-05T04:00:00.000Z')
      services.maintenances.runDue()
    }, `incidents/${seeded.upcoming}/index.html`, 'The scheduled maintenance has been completed.']
  ]
  for (const [what, write, file, shows] of writes) {
    clock.advance(60_000)
    write()
    await mirror.sync()
    t.same(await staleFiles(app, dir), [], `${what}: every file is the live answer`)
    t.match(read(dir, file), shows, `${what}: ${file} shows it`)
  }
})

t.test('the mirror follows writes and the day by itself, including writes of another process', async (t) => {
  const { app, clock, dir } = await mirrored(t)
  await eventually(() => read(dir, 'index.html').includes('All Systems Operational'), 'written after start', 10_000)
  t.pass('written after start')
  const chat = app.herald.services.components.create({ name: 'Chat' }, actor)
  await eventually(() => read(dir, 'index.html').includes('Chat'), 'a write shows within a few seconds', 10_000)
  t.pass('a write shows within a few seconds')

  // A second connection to the same file, as the command line or another Herald process writes.
  const other = await buildApp({ config: testConfig(dirname(app.herald.config.databasePath)), background: false, logger: false })
  t.teardown(() => other.close())
  other.herald.services.components.patch(chat.id, { status: 'partial_outage' }, 'cli')
  await eventually(() => read(dir, 'api/v2/status.json').includes('Partial System Outage'), 'another process’s write shows too', 10_000)
  t.pass('another process’s write shows too')

  const today = read(dir, 'index.html')
  clock.advance(24 * 3_600_000)
  await eventually(() => read(dir, 'index.html') !== today, 'a new UTC day moves the uptime bars', 10_000)
  t.pass('a new UTC day moves the uptime bars')
  await eventually(async () => (await staleFiles(app, dir)).length === 0, 'no file of the mirror is stale', 10_000)
  t.pass('no file of the mirror is stale')
})

t.test('the mirror’s own requests are not logged, a visitor’s are, and a guessed export header is an ordinary request', async (t) => {
  const root = tempDir(t)
  const lines: string[] = []
  const stream = { write: (line: string) => { lines.push(line) } }
  const app = await buildApp({ config: testConfig(root, { EXPORT_DIR: join(root, 'mirror') }), logger: { level: 'info', stream } })
  t.teardown(() => app.close())
  await app.ready()
  await app.exportMirror?.sync()
  const logged = (): string[] => lines.filter((line) => line.includes('"incoming request"'))
  t.same(logged(), [], 'a whole pass, and not one request line')
  await app.inject('/history.rss')
  t.equal(logged().length, 1, 'a visitor’s request is logged')
  const guessed = await app.inject({ url: '/history.rss', headers: { 'x-herald-export': 'guess' } })
  t.ok(guessed.headers.etag, 'served from the cache, as any request')
  t.equal(logged().length, 2, 'and logged')
})

t.test('a folder the mirror cannot use stops the start with the reason', async (t) => {
  const root = tempDir(t)
  writeFileSync(join(root, 'not-a-folder'), 'x')
  const app = await buildApp({ config: testConfig(root, { EXPORT_DIR: join(root, 'not-a-folder') }), logger: false })
  await t.rejects(async () => { await app.ready() }, { name: 'ExportError', message: /cannot use .*not-a-folder for the static mirror/ })
  await app.close()
})

t.test('without EXPORT_DIR there is no mirror, and a one-off export app runs no background work', async (t) => {
  const app = await build(t)
  t.equal(app.exportMirror, null)
  const dir = tempDir(t)
  const quiet = await buildApp({ config: testConfig(dir, { EXPORT_DIR: join(dir, 'mirror') }), background: false, logger: false })
  t.teardown(() => quiet.close())
  await quiet.ready()
  t.equal(quiet.exportMirror, null, 'the export command writes its folder itself')
  t.notOk(quiet.hasDecorator('outbox'), 'no outbox worker')
  t.notOk(quiet.hasDecorator('maintenanceClock'), 'no maintenance clock')
})
