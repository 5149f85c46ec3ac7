// `herald demo`: the TM202916 story still open now, over 90 days of history and maintenance that back every colour of the bars; loaded into a running server too.
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { demoCommand } from '../../server/cli/demo.js'
import { UsageError } from '../../server/cli/errors.js'
import { loadConfig } from '../../server/config.js'
import { migrate } from '../../server/db/migrate.js'
import { type Db, openDatabase } from '../../server/db/open-database.js'
import type { Incident, IncidentWithUpdates } from '../../server/domain/model.js'
import { componentUptime } from '../../server/domain/uptime.js'
import { type Services, createConfiguredServices, createServices } from '../../server/services/services.js'
import { type Stores, createStores } from '../../server/store/stores.js'
import { herald, heraldEnv, lines, serve } from './fixtures/herald-process.js'

const minute = 60_000
const day = 86_400_000

function utcDay (iso: string | number): string {
  return new Date(iso).toISOString().slice(0, 10)
}

function withUpdates (stores: Stores, incidents: Incident[]): IncidentWithUpdates[] {
  return stores.incidents.withUpdates(incidents)
}

/** Every incident and maintenance in the database, of any status. */
function allRecords (db: Db, stores: Stores): IncidentWithUpdates[] {
  const references = db.prepare<[], { reference: string }>('SELECT reference FROM incidents ORDER BY started_at').all()
  return withUpdates(stores, references.map(({ reference }) => stores.incidents.byReference(reference) as Incident))
}

t.test('demo loads the story into an empty database, and refuses a second time in one line', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const loaded = await herald(['demo'], env)
  t.equal(loaded.code, 0, loaded.stderr)
  t.equal(loaded.stderr, '')
  t.match(loaded.stdout, /5 components in 2 groups, 2 incident templates/)
  t.match(loaded.stdout, /22 incidents and 3 maintenances with \d+ updates since/)
  t.match(loaded.stdout, /open: TM202916 "Users may be unable to access Microsoft Teams" \(Monitoring, last update 4 minutes ago\)/)
  t.match(loaded.stdout, /upcoming: MT202930 "Chat message store upgrade" on \d{4}-\d\d-\d\d 02:00 UTC/)
  t.match(loaded.stdout, /a running server shows the demo on the next request/)
  const now = Date.now()

  const db = openDatabase(env.DATABASE_PATH as string)
  t.teardown(() => db.close())
  const stores = createStores(db)
  const records = allRecords(db, stores)
  const incidents = records.filter((record) => record.maintenance === null)
  const maintenances = records.filter((record) => record.maintenance !== null)

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
    t.same(stores.incidentTemplates.list().map((template) => template.name).sort(), ['Slow', 'Unreachable'])
  })

  t.test('TM202916 is open and started with its first update; its updates are an hour apart, the last a few minutes old', async (t) => {
    const incident = incidents.find((i) => i.reference === 'TM202916')
    if (incident === undefined) return t.fail('TM202916 is missing')
    t.equal(incident.resolvedAt, null)
    t.equal(incident.status, 'monitoring')
    const updates = [...incident.updates].reverse()
    t.match(updates.map((u) => u.status), ['investigating', 'identified', 'monitoring'])
    t.match(updates[0]?.body, /^We're investigating an issue where users may be unable to access Microsoft Teams/)
    t.match(updates[1]?.body, /authentication certificate has expired/)
    t.match(updates[2]?.body, /initiated the deployment of the updated certificate/)
    const [first = 0, identified = 0, deploying = 0] = updates.map((u) => Date.parse(u.displayAt))
    t.equal(incident.startedAt, updates[0]?.displayAt, 'it started when its first update says')
    t.equal(identified - first, 60 * minute, 'the certificate identified an hour later')
    t.equal(deploying - identified, 60 * minute, 'the new certificate deploying an hour after that')
    t.ok(now - deploying < 60 * minute && now >= deploying, 'the last update is from the last hour')
    t.same(updates.map((u) => u.createdAt), updates.map((u) => u.displayAt), 'each update was written at its own time')
    t.match(updates[0]?.affectedComponents, [{ name: 'Teams chat', newStatus: 'major_outage' }])
  })

  t.test('20 older incidents and more, of every impact, each resolved with a timeline, spread over 90 days', async (t) => {
    const older = incidents.filter((incident) => incident.reference !== 'TM202916')
    t.ok(older.length >= 15 && older.length <= 25, `${older.length} older incidents`)
    t.same([...new Set(older.map((i) => i.impact))].sort(), ['critical', 'major', 'minor'], 'minor, major and critical ones')
    for (const incident of older) {
      t.equal(incident.status, 'resolved', `${incident.reference} is resolved`)
      t.ok(incident.updates.length >= 2, `${incident.reference} has a timeline`)
      t.equal(incident.updates[0]?.status, 'resolved', `${incident.reference} ends with its resolution`)
      t.ok(incident.resolvedAt !== null && incident.resolvedAt > incident.startedAt)
      t.equal(utcDay(incident.startedAt), utcDay(incident.resolvedAt as string), `${incident.reference} is over within its day`)
      t.match(incident.reference, /^TM\d{6}$/)
    }
    for (const component of stores.components.list()) {
      const affected = older.filter((incident) => incident.components.some((c) => c.id === component.id))
      t.ok(affected.length >= 2, `${component.name} had ${affected.length} incidents`)
    }
    const ages = older.map((incident) => (now - Date.parse(incident.startedAt)) / day)
    t.ok(Math.max(...ages) > 80 && Math.max(...ages) < 90, 'the oldest is from nearly three months ago')
    const last14 = new Set(older.filter((incident) => now - Date.parse(incident.startedAt) < 14 * day).map((i) => utcDay(i.startedAt)))
    t.ok(last14.size >= 3 && last14.size <= 10, 'some of the last 14 days have incidents, others none')
  })

  t.test('two maintenances ran by the clock in the past, and one is scheduled ahead', async (t) => {
    const done = maintenances.filter((m) => m.status === 'completed')
    const ahead = maintenances.filter((m) => m.status === 'scheduled')
    t.equal(done.length, 2)
    t.equal(ahead.length, 1)
    for (const maintenance of done) {
      const window = maintenance.maintenance
      if (window === null) return t.fail('a maintenance has a window')
      t.ok(Date.parse(window.scheduledUntil) < now)
      const statuses = [...maintenance.updates].reverse().map((u) => u.status)
      t.equal(statuses[0], 'scheduled', 'announced first')
      t.equal(statuses.at(-1), 'completed')
      const started = maintenance.updates.find((u) => u.body.startsWith('Scheduled maintenance is currently in progress'))
      t.equal(started?.displayAt, window.scheduledFor, 'started by the clock at the start of its window')
      t.equal(maintenance.updates[0]?.displayAt, window.scheduledUntil, 'completed by the clock at its end')
      t.match(started?.affectedComponents, [{ newStatus: 'under_maintenance' }])
      t.match(maintenance.updates[0]?.affectedComponents, [{ oldStatus: 'under_maintenance', newStatus: 'operational' }])
    }
    const next = ahead[0]
    t.match(next, { reference: 'MT202930', name: 'Chat message store upgrade', components: [{ name: 'Teams chat' }] })
    t.ok(Date.parse(next?.maintenance?.scheduledFor ?? '') > now + day, 'days ahead')
    t.equal(next?.updates.length, 1, 'only its announcement so far')
  })

  t.test('every colour of the uptime bars is an incident or a maintenance of that component on that day', async (t) => {
    const unexplained = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM component_status_changes WHERE update_id IS NULL').get()
    t.equal(unexplained?.n, 0, 'no status set by hand')
    const changes = stores.statusHistory.since('1970-01-01T00:00:00.000Z')
    let colouredDays = 0
    let maintenanceDays = 0
    for (const component of stores.components.list()) {
      const { days } = componentUptime({
        createdAt: component.createdAt,
        currentStatus: component.status,
        changes: changes.filter((c) => c.componentId === component.id),
        now: new Date(now)
      })
      t.ok(days.every((d) => d.worst !== null), `${component.name}: every day of the 90 has a bar`)
      for (const { date, worst } of days.filter((d) => d.worst !== null && d.worst !== 'operational')) {
        colouredDays++
        if (worst === 'under_maintenance') maintenanceDays++
        const behind = records.filter((record) => record.components.some((c) => c.id === component.id) &&
          (worst === 'under_maintenance') === (record.maintenance !== null) &&
          utcDay(record.startedAt) <= date && date <= utcDay(record.resolvedAt ?? now))
        t.ok(behind.length > 0, `${component.name} on ${date} (${worst ?? ''}): ${behind.map((r) => r.reference).join(', ')}`)
      }
    }
    t.ok(colouredDays >= 20, `${colouredDays} coloured days`)
    t.equal(maintenanceDays, 2, 'two blue days, one per maintenance done')
  })

  t.test('the demo writes like a person: audited, and nothing to send', async (t) => {
    const audit = stores.audit.list(1000)
    t.equal(audit.filter((entry) => entry.action === 'incident.open').length, incidents.length)
    t.equal(audit.filter((entry) => entry.action === 'maintenance.schedule').length, maintenances.length)
    t.equal(audit.filter((entry) => entry.actor === 'clock').length, 4, 'two starts and two ends by the maintenance clock')
    t.ok(records.every((record) => record.updates.every((update) => !update.notify)), 'no update asks to be posted')
  })

  t.test('a second demo is refused with one line, and writes nothing', async (t) => {
    const again = await herald(['demo'], env)
    t.equal(again.code, 1)
    t.equal(again.stdout, '')
    t.match(again.stderr, /^herald: the demo is already in .*herald\.db; "herald demo --force" loads it afresh, replacing every incident, maintenance and component\n$/)
    t.equal(allRecords(db, stores).length, records.length)
    t.equal(stores.components.list().length, 5)
  })
})

t.test('--force replaces the incidents, maintenances and components, and keeps tokens, users and templates', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  demoCommand([], env, () => {})
  const db = openDatabase(env.DATABASE_PATH as string)
  t.teardown(() => db.close())
  const stores = createStores(db)
  const before = allRecords(db, stores).length
  const services = createServices({ stores, clock: () => new Date(), incidentPrefix: 'HR' })
  services.tokens.create('keep', 'test')
  const extra = services.components.create({ name: 'Mail' }, 'test')
  services.incidents.open({ name: 'Mail is slow', body: 'Looking into it.', components: { [extra.id]: 'degraded_performance' } }, 'test')

  const printed: string[] = []
  demoCommand(['--force'], env, (line) => printed.push(line))
  t.match(printed[1], /, 0 incident templates$/, 'the templates were there already')
  t.equal(allRecords(db, stores).length, before, 'replaced, not doubled')
  t.equal(stores.components.list().length, 5)
  t.equal(stores.components.get(extra.id), undefined, 'components that were there are gone')
  t.equal(stores.incidentTemplates.list().length, 2, 'templates not doubled')
  t.match(stores.tokens.list(), [{ name: 'keep' }], 'tokens stay')
})

t.test('loaded at 11:04 ET on 3 February 2020, the story lands on its real times', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const output: string[] = []
  demoCommand([], env, (line) => output.push(line), new Date('2020-02-03T16:04:30.000Z'))
  t.match(output, [
    /^Loaded the demo into .*herald\.db:$/,
    /5 components/,
    /22 incidents and 3 maintenances with \d+ updates since 2019-11-05$/,
    /open: TM202916 .* last update 4 minutes ago/,
    /upcoming: MT202930 "Chat message store upgrade" on 2020-02-06 02:00 UTC$/,
    /^Open https:\/\/status\.example\.com\/ : a running server/,
    /^To sign in at \/admin, create the first admin: "herald setup-link" prints a one-time link\.$/
  ])
  t.equal(output.length, 7)

  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  const stores = createStores(db)
  const [incident] = withUpdates(stores, [stores.incidents.byReference('TM202916') as Incident])
  // ET is UTC-5 in February: the first update at 09:00 ET, the certificate found at 10:00, deploying at 11:00.
  t.equal(incident?.startedAt, '2020-02-03T14:00:00.000Z', '09:00 ET')
  t.same(incident?.updates.map((u) => u.displayAt).reverse(), ['2020-02-03T14:00:00.000Z', '2020-02-03T15:00:00.000Z', '2020-02-03T16:00:00.000Z'])
  const startDays = stores.incidents.page(100, 0).incidents.map((i) => utcDay(i.startedAt))
  t.equal(startDays.filter((d) => d === '2020-02-02').length, 1, 'yesterday had an incident')

  const [relays] = withUpdates(stores, [stores.incidents.byReference('MT194010') as Incident])
  t.match(relays, { status: 'completed', maintenance: { scheduledFor: '2019-12-13T02:00:00.000Z', scheduledUntil: '2019-12-13T04:00:00.000Z' } })
  t.same(relays?.updates.map((u) => [u.status, u.displayAt]).reverse(), [
    ['scheduled', '2019-12-06T16:00:00.000Z'],
    ['in_progress', '2019-12-13T02:00:00.000Z'],
    ['in_progress', '2019-12-13T03:05:00.000Z'],
    ['verifying', '2019-12-13T03:35:00.000Z'],
    ['completed', '2019-12-13T04:00:00.000Z']
  ])
  t.match(stores.incidents.byReference('MT202930'), { status: 'scheduled', maintenance: { scheduledFor: '2020-02-06T02:00:00.000Z', scheduledUntil: '2020-02-06T03:00:00.000Z' } })
})

/** The database the commands will use, migrated and opened beside them, with services to put things in it first. */
function databaseOf (t: Test, dir: string): { stores: Stores, services: Services } {
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  migrate(db)
  const stores = createStores(db)
  return { stores, services: createServices({ stores, clock: () => new Date(), incidentPrefix: 'HR' }) }
}

t.test('a database with incidents or maintenances of its own is refused in one line, and nothing is written', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const { stores, services } = databaseOf(t, dir)
  // A maintenance still scheduled: not yet in the history, but there all the same.
  services.maintenances.schedule({ name: 'Network upgrade', body: 'Planned.', scheduledFor: '2999-01-01T00:00:00.000Z', scheduledUntil: '2999-01-01T01:00:00.000Z' }, 'test')
  const refused = await herald(['demo'], env)
  t.equal(refused.code, 1)
  t.match(refused.stderr, /^herald: the database at .*herald\.db already has 1 incident or maintenance; the demo loads only into a database without any \("herald demo --force" replaces them and the components with the demo\)\n$/)
  t.equal(stores.components.list().length, 0, 'nothing added')

  services.incidents.open({ name: 'Mail is slow', body: 'Looking into it.' }, 'test')
  t.throws(() => { demoCommand([], env, () => {}) }, /already has 2 incidents or maintenances;/)
  t.equal(stores.incidentTemplates.list().length, 0, 'nothing added')
})

t.test('components already there with the same name and group are reused, not doubled', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const { stores, services } = databaseOf(t, dir)
  const signIn = services.components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, 'test')
  const other = services.components.create({ name: 'Sign-in', description: 'A different one, outside the group' }, 'test')
  services.templates.create({ name: 'Slow', title: 'Our own', body: 'Kept as it is.' }, 'test')
  const printed: string[] = []
  demoCommand([], env, (line) => printed.push(line))
  t.same(stores.components.list().map((c) => c.id).sort(), [signIn.id, other.id, signIn.id + 2, signIn.id + 3, signIn.id + 4, signIn.id + 5].sort())
  t.match(stores.incidents.withUpdates([stores.incidents.byReference('TM202916') as Incident])[0]?.components, [{ id: signIn.id }])
  t.match(printed[1], /, 1 incident templates$/)
  t.match(stores.incidentTemplates.list(), [{ name: 'Slow', title: 'Our own' }, { name: 'Unreachable' }])
})

t.test('with a social channel on, every update of the demo has its delivery skipped, the clock\'s later ones too', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir, { MASTODON_URL: 'https://mastodon.example', MASTODON_TOKEN: 'm', SOCIAL_WORKER: 'off' })
  const loadedAt = new Date('2020-02-03T16:04:30.000Z')
  demoCommand([], env, () => {}, loadedAt)
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  const stores = createStores(db)
  const states = (): Record<string, number> => Object.fromEntries(db.prepare<[], { state: string, n: number }>(
    'SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state').all().map(({ state, n }) => [state, n]))
  const updates = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM updates').get()?.n
  t.same(states(), { skipped: updates }, 'one skipped delivery per update, none to send')

  // The server's maintenance clock, days later, starts and completes the upcoming one: still nothing to send.
  let now = new Date('2020-02-06T02:00:00.000Z')
  const services = createConfiguredServices(loadConfig(env), stores, () => now)
  t.equal(services.maintenances.runDue(), 1)
  now = new Date('2020-02-06T03:00:00.000Z')
  t.equal(services.maintenances.runDue(), 1)
  t.equal(stores.incidents.byReference('MT202930')?.status, 'completed')
  t.same(states(), { skipped: (updates ?? 0) + 2 })
})

t.test('loaded from another terminal while the server runs, the demo is on the very next page', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const server = await serve(t, env)
  const before = await (await fetch(`${server.url}/`)).text()
  t.notMatch(before, 'TM202916')
  t.match(before, 'No components yet.')

  const loaded = await herald(['demo'], env)
  t.equal(loaded.code, 0, loaded.stderr)
  const after = await fetch(`${server.url}/`)
  t.equal(after.status, 200)
  const html = await after.text()
  t.match(html, 'TM202916')
  t.match(html, 'Chat message store upgrade', 'the upcoming maintenance is listed')
  t.match(await (await fetch(`${server.url}/api/v2/scheduled-maintenances/upcoming.json`)).json(), { scheduled_maintenances: [{ id: 'MT202930' }] })
  t.match(await (await fetch(`${server.url}/api/v2/incidents/unresolved.json`)).json(), { incidents: [{ id: 'TM202916' }] })
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('demo takes only --force', async (t) => {
  const env = heraldEnv(t.testdir())
  const error = t.throws(() => demoCommand(['--now'], env, () => {}), /^demo: Unknown option '--now'/)
  t.type(error, UsageError, 'a usage mistake, shown with the usage')
  t.throws(() => demoCommand(['later'], env, () => {}), /^demo: Unexpected argument 'later'/)
  const result = await herald(['demo', 'now'], env)
  t.equal(result.code, 1)
  t.match(lines(result.stderr)[0], /^herald: demo: Unexpected argument 'now'/)
})
