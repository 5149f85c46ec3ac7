// `herald demo`: the TM202916 story with its real timing, still open now, over 90 days of resolved history.
import { join } from 'node:path'
import t from 'tap'
import { demoCommand } from '../../server/cli/demo.js'
import { UsageError } from '../../server/cli/errors.js'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import type { Incident } from '../../server/domain/model.js'
import { createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { tempDir } from '../fixtures/build.js'
import { herald, heraldEnv, lines } from './fixtures/herald-process.js'

const minute = 60_000
const day = 86_400_000

function utcDay (iso: string | number): string {
  return new Date(iso).toISOString().slice(0, 10)
}

t.test('demo loads the story into an empty database, refuses a second time, and --force replaces it', async (t) => {
  const dir = tempDir(t)
  const env = heraldEnv(dir)
  const loaded = await herald(['demo'], env)
  t.equal(loaded.code, 0, loaded.stderr)
  t.equal(loaded.stderr, '')
  t.match(loaded.stdout, /5 components in 2 groups/)
  t.match(loaded.stdout, /open: TM202916 "Users may be unable to access Microsoft Teams" \(Monitoring, last update [45] minutes ago\)/)
  const now = Date.now()

  const db = openDatabase(env.DATABASE_PATH as string)
  t.teardown(() => db.close())
  const stores = createStores(db)

  t.test('components sit in groups, with Sign-in and Teams chat down', async (t) => {
    const components = stores.components.list()
    t.match(components, [
      { name: 'Teams chat', groupName: 'Microsoft Teams', status: /^(partial|major)_outage$/ },
      { name: 'Meetings & calling', groupName: 'Microsoft Teams' },
      { name: 'Sign-in', groupName: 'Microsoft Teams', status: /^(partial|major)_outage$/ },
      { name: 'Admin center', groupName: 'Admin' },
      { name: 'Status API', groupName: null, status: 'operational' }
    ])
    t.equal(components.length, 5)
  })

  t.test('TM202916 is open, with its updates an hour apart, the last a few minutes old', async (t) => {
    const [incident] = stores.incidents.withUpdates([stores.incidents.byReference('TM202916') as Incident])
    if (incident === undefined) return t.fail('TM202916 is missing')
    t.equal(incident.resolvedAt, null)
    t.not(incident.status, 'resolved')
    const updates = [...incident.updates].reverse()
    t.ok(updates.length >= 3)
    t.match(updates.map((u) => u.status), ['investigating', 'identified', /^(identified|monitoring)$/])
    t.match(updates[0]?.body, /^We're investigating an issue where users may be unable to access Microsoft Teams/)
    t.match(updates[1]?.body, /authentication certificate has expired/)
    t.match(updates[2]?.body, /initiated the deployment of the updated certificate/)
    const times = updates.map((u) => Date.parse(u.displayAt))
    const [first = 0, identified = 0, deploying = 0] = times
    t.equal(first - Date.parse(incident.startedAt), 30 * minute, 'down at 08:30 ET, first update at 09:00 ET')
    t.equal(identified - first, 60 * minute, 'the certificate identified at 10:00 ET')
    t.ok(Math.abs(deploying - identified - 60 * minute) <= 10 * minute, 'the new certificate deploying about an hour later')
    t.ok(now - (times.at(-1) ?? 0) < 60 * minute && now >= (times.at(-1) ?? Infinity), 'the last update is from the last hour')
    t.same(updates.map((u) => u.createdAt), updates.map((u) => u.displayAt), 'each update was written at its own time')
    t.match(updates[0]?.affectedComponents, [{ name: 'Teams chat', newStatus: 'major_outage' }])
  })

  t.test('older incidents are resolved and spread over 90 days, with quiet days in the last 14', async (t) => {
    const { incidents, total } = stores.incidents.page(100, 0)
    t.equal(total, 9)
    const older = incidents.filter((incident) => incident.reference !== 'TM202916')
    t.ok(older.length >= 5 && older.length <= 10)
    for (const incident of older) {
      t.equal(incident.status, 'resolved', `${incident.reference} is resolved`)
      t.ok(incident.resolvedAt !== null && incident.resolvedAt > incident.startedAt)
      t.match(incident.reference, /^TM\d{6}$/)
    }
    const ages = older.map((incident) => (now - Date.parse(incident.startedAt)) / day)
    t.ok(Math.max(...ages) > 60 && Math.max(...ages) < 90, 'the oldest is from two to three months ago')
    const last14 = new Set(older.filter((incident) => now - Date.parse(incident.startedAt) < 14 * day).map((i) => utcDay(i.startedAt)))
    t.ok(last14.size >= 2 && last14.size <= 10, 'some of the last 14 days have incidents, others none')
    const changes = stores.statusHistory.since(new Date(now - 90 * day).toISOString())
    t.ok(changes.some((c) => now - Date.parse(c.changedAt) > 30 * day), 'the uptime bars have old changes')
    t.ok(changes.some((c) => c.newStatus === 'under_maintenance'), 'and a status set by hand')
  })

  t.test('a second demo is refused with one line; --force replaces the demo and keeps tokens', async (t) => {
    const again = await herald(['demo'], env)
    t.equal(again.code, 1)
    t.equal(again.stdout, '')
    t.match(again.stderr, /^herald: the database at .*herald\.db already has 9 incidents; run "herald demo --force" to replace its incidents and components with the demo\n$/)

    const services = createServices({ stores, clock: () => new Date(), incidentPrefix: 'HR' })
    services.tokens.create('keep', 'test')
    const extra = services.components.create({ name: 'Mail' }, 'test')
    const forced = await herald(['demo', '--force'], env)
    t.equal(forced.code, 0, forced.stderr)
    t.equal(stores.incidents.page(100, 0).total, 9, 'replaced, not doubled')
    t.equal(stores.components.list().length, 5)
    t.equal(stores.components.get(extra.id), undefined, 'components that were there are gone')
    t.match(stores.tokens.list(), [{ name: 'keep' }], 'tokens stay')
  })
})

t.test('loaded at 11:04 ET on 3 February 2020, the story lands on its real times', async (t) => {
  const dir = tempDir(t)
  const env = heraldEnv(dir)
  const output: string[] = []
  demoCommand([], env, (line) => output.push(line), new Date('2020-02-03T16:04:30.000Z'))
  t.match(output, [/^Loaded the demo into .*herald\.db:$/, /5 components/, /9 incidents with \d+ updates since 2019-11-05$/, /TM202916/, /https:\/\/status\.example\.com\/$/])

  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  const { incidents } = createStores(db)
  const [incident] = incidents.withUpdates([incidents.byReference('TM202916') as Incident])
  // ET is UTC-5 in February.
  t.equal(incident?.startedAt, '2020-02-03T13:30:00.000Z', '08:30 ET')
  t.same(incident?.updates.map((u) => u.displayAt).reverse(), ['2020-02-03T14:00:00.000Z', '2020-02-03T15:00:00.000Z', '2020-02-03T16:00:00.000Z'])
  const startDays = incidents.page(100, 0).incidents.map((i) => utcDay(i.startedAt))
  t.equal(startDays.filter((d) => d === '2020-02-02').length, 1, 'yesterday had an incident')
  t.equal(startDays.filter((d) => d >= '2020-01-20' && d < '2020-02-03').length, 4, 'four in the 14 days before today')
})

t.test('components already there with the same name and group are reused, not doubled', async (t) => {
  const dir = tempDir(t)
  const env = heraldEnv(dir)
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  migrate(db)
  const stores = createStores(db)
  const services = createServices({ stores, clock: () => new Date(), incidentPrefix: 'HR' })
  const signIn = services.components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, 'test')
  const other = services.components.create({ name: 'Sign-in', description: 'A different one, outside the group' }, 'test')
  demoCommand([], env, () => {})
  t.same(stores.components.list().map((c) => c.id).sort(), [signIn.id, other.id, signIn.id + 2, signIn.id + 3, signIn.id + 4, signIn.id + 5].sort())
  t.match(stores.incidents.withUpdates([stores.incidents.byReference('TM202916') as Incident])[0]?.components, [{ id: signIn.id }])
})

t.test('demo takes only --force', async (t) => {
  const env = heraldEnv(tempDir(t))
  const error = t.throws(() => demoCommand(['--now'], env, () => {}), /^demo: Unknown option '--now'/)
  t.type(error, UsageError, 'a usage mistake, shown with the usage')
  t.throws(() => demoCommand(['later'], env, () => {}), /^demo: Unexpected argument 'later'/)
  const result = await herald(['demo', 'now'], env)
  t.equal(result.code, 1)
  t.match(lines(result.stderr)[0], /^herald: demo: Unexpected argument 'now'/)
})
