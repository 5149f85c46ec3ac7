// Scheduled maintenance through the services: its lifecycle by a test clock, restored components, overlaps, restarts, rules.
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../../server/services/errors.js'
import { automaticBodies, clockActor } from '../../server/services/maintenance-service.js'
import { type Services, createConfiguredServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { type TestContext, TestClock, tempDir, testConfig } from '../fixtures/build.js'
import { buildServices, rowCounts } from '../fixtures/services.js'
import { storedRows } from '../fixtures/stored.js'

// Both channels on, pointing nowhere: these tests look at the outbox, and no worker runs to send it.
const socialEnv: NodeJS.ProcessEnv = {
  TWITTER_API_KEY: 'key',
  TWITTER_API_SECRET: 'secret',
  TWITTER_ACCESS_TOKEN: 'token',
  TWITTER_ACCESS_SECRET: 'token-secret',
  TWITTER_API_URL: 'http://127.0.0.1:9/',
  MASTODON_URL: 'http://127.0.0.1:9/',
  MASTODON_TOKEN: 'not-used',
  SOCIAL_WORKER: 'off'
}

const start = '2020-02-04T02:00:00.000Z'
const end = '2020-02-04T04:00:00.000Z'

/** Services with both social channels on, over a database file in `dir` (a new folder by default). */
function socialServices (t: TestContext, clock: TestClock, dir = tempDir(t)): Services {
  const db = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => db.close())
  migrate(db)
  return createConfiguredServices(testConfig(dir, socialEnv), createStores(db), clock.now)
}

function updatesOf (s: Services, reference: string): Array<{ status: string, displayAt: string, body: string }> {
  return s.maintenances.get(reference).updates.map(({ status, displayAt, body }) => ({ status, displayAt, body }))
}

function deliveryRows (s: Services): Array<{ update_id: number, channel: string, state: string }> {
  return s.context.stores.db.prepare('SELECT update_id, channel, state FROM deliveries ORDER BY update_id, channel').all() as Array<{ update_id: number, channel: string, state: string }>
}

t.test('a maintenance runs by the clock: scheduled, started, updated, completed, components restored, cross-posted', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const s = socialServices(t, clock)
  t.same(s.deliveries.channels().sort(), ['mastodon', 'twitter'])
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const signIn = s.components.create({ name: 'Sign-in' }, 'cli')
  const calls = s.components.create({ name: 'Calls' }, 'cli')
  s.components.patch(signIn.id, { status: 'degraded_performance' }, 'cli')

  const scheduled = s.maintenances.schedule({
    name: 'Certificate rotation',
    body: 'We will rotate the authentication certificates.',
    scheduledFor: start,
    scheduledUntil: '2020-02-04T05:00:00+01:00',
    components: [chat.id, signIn.id, chat.id]
  }, 'token:ci')
  t.match(scheduled, {
    reference: 'MNT000001',
    status: 'scheduled',
    impact: 'none',
    startedAt: start,
    resolvedAt: null,
    maintenance: { scheduledFor: start, scheduledUntil: end, autoStart: true, autoComplete: true },
    components: [{ id: chat.id }, { id: signIn.id }]
  })
  t.equal(scheduled.components.length, 2, 'a component listed twice is linked once')
  t.same(updatesOf(s, 'MNT000001'), [{ status: 'scheduled', displayAt: '2020-02-03T13:00:00.000Z', body: 'We will rotate the authentication certificates.' }])
  t.same(s.components.list().map((c) => c.status), ['operational', 'degraded_performance', 'operational'], 'untouched until it starts')
  t.match(s.context.stores.audit.list(1)[0], { actor: 'token:ci', action: 'maintenance.schedule', incidentId: scheduled.id })
  t.equal(s.maintenances.nextDue(), start)

  clock.set('2020-02-04T01:59:59.999Z')
  t.equal(s.maintenances.runDue(), 0, 'nothing is due before the start')
  t.equal(s.maintenances.get('MNT000001').status, 'scheduled')

  clock.set('2020-02-04T02:00:03.000Z')
  t.equal(s.maintenances.runDue(), 1, 'the start')
  const started = s.maintenances.get('MNT000001')
  t.match(started, { status: 'in_progress', startedAt: start, resolvedAt: null })
  t.match(started.updates[0], {
    status: 'in_progress',
    body: automaticBodies.start,
    displayAt: start,
    createdAt: '2020-02-04T02:00:03.000Z',
    notify: true,
    // Sign-in is degraded: the worse real status stays shown (statusUnderMaintenance), so nothing is written for it.
    affectedComponents: [
      { componentId: chat.id, oldStatus: 'operational', newStatus: 'under_maintenance' }
    ]
  })
  t.equal(started.updates[0]?.affectedComponents.length, 1)
  t.same(s.components.list().map((c) => c.status), ['under_maintenance', 'degraded_performance', 'operational'])
  t.match(s.context.stores.audit.list(1)[0], { actor: clockActor, action: 'maintenance.update' })
  t.equal(s.maintenances.nextDue(), end)
  t.equal(s.maintenances.runDue(), 0, 'started once')

  clock.set('2020-02-04T03:00:00.000Z')
  const note = s.maintenances.postUpdate('mnt000001', { body: 'Half the servers are done.' }, 'token:ci')
  t.match(note, { status: 'in_progress' })
  t.match(note.updates[0], { status: 'in_progress', body: 'Half the servers are done.', affectedComponents: [] })
  clock.set('2020-02-04T03:30:00.000Z')
  const quiet = s.maintenances.postUpdate('MNT000001', { body: 'Checking every server.', status: 'verifying', notify: false }, 'token:ci')
  t.match(quiet, { status: 'verifying' })
  t.same(s.components.list().map((c) => c.status), ['under_maintenance', 'degraded_performance', 'operational'], 'verifying keeps them under maintenance')

  clock.set('2020-02-04T04:00:00.000Z')
  t.equal(s.maintenances.runDue(), 1, 'the completion')
  const completed = s.maintenances.get('MNT000001')
  t.match(completed, { status: 'completed', startedAt: start, resolvedAt: end })
  t.match(completed.updates[0], {
    status: 'completed',
    body: automaticBodies.complete,
    displayAt: end,
    affectedComponents: [
      { componentId: chat.id, oldStatus: 'under_maintenance', newStatus: 'operational' }
    ]
  })
  t.same(s.components.list().map((c) => [c.name, c.status]), [
    ['Teams chat', 'operational'], ['Sign-in', 'degraded_performance'], ['Calls', 'operational']
  ], 'each back to what it was before, the degraded one never left; an unlinked one untouched')
  t.equal(s.components.get(calls.id).status, 'operational')
  t.same(completed.updates.map((u) => u.status), ['completed', 'verifying', 'in_progress', 'in_progress', 'scheduled'])
  t.equal(s.maintenances.nextDue(), null)
  t.equal(s.maintenances.runDue(), 0, 'completed once')

  const history = s.context.stores.statusHistory.since('2020-02-04T00:00:00.000Z')
  t.same(history.map((c) => [c.componentId, c.oldStatus, c.newStatus, c.changedAt]), [
    [chat.id, 'operational', 'under_maintenance', start],
    [chat.id, 'under_maintenance', 'operational', end]
  ], 'the history is stamped with the planned times')

  // One delivery per channel per update: pending when it notifies, skipped when not.
  const updateIds = completed.updates.map((u) => u.id).reverse()
  t.same(deliveryRows(s), updateIds.flatMap((id, i) => ['mastodon', 'twitter'].map((channel) => ({
    update_id: id,
    channel,
    state: i === 3 ? 'skipped' : 'pending'
  }))), 'the announcement, start, note and completion are cross-posted; the quiet update is skipped')
  const texts = s.context.stores.deliveries.ofIncident(completed.id).map((d) => d.text)
  t.ok(texts.some((text) => text.startsWith('[In Progress] MNT000001 Certificate rotation: Scheduled maintenance is currently in progress')), 'the start is posted with its status')
  t.ok(texts.some((text) => text.startsWith('[Completed] MNT000001 Certificate rotation: The scheduled maintenance has been completed.')))
})

t.test('a maintenance announced without notify posts its automatic updates without notify too', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const s = socialServices(t, clock)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.maintenances.schedule({ name: 'Quiet work', body: 'Nobody needs to know.', scheduledFor: start, scheduledUntil: end, components: [chat.id], notify: false }, 'cli')
  clock.set(end)
  t.equal(s.maintenances.runDue(), 2, 'started and completed in one run')
  t.same(s.maintenances.get('MNT000001').updates.map((u) => [u.status, u.notify]), [['completed', false], ['in_progress', false], ['scheduled', false]])
  t.same(deliveryRows(s).map((d) => d.state), Array(6).fill('skipped'))
})

t.test('a whole missed window is performed in one run, start before completion, each at its planned time', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.components.patch(chat.id, { status: 'partial_outage' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'Upgrade.', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  s.clock.set('2020-02-05T00:00:00.000Z')
  t.equal(s.maintenances.runDue(), 2)
  t.same(updatesOf(s, 'MNT000001').map((u) => [u.status, u.displayAt]), [['completed', end], ['in_progress', start], ['scheduled', '2020-02-03T13:00:00.000Z']])
  t.equal(s.components.get(chat.id).status, 'partial_outage', 'back to its partial outage')
  t.equal(s.maintenances.runDue(), 0)
})

/** A Herald app on the database file in `dir`, with the given clock; closed at teardown (closing twice is harmless). */
async function appOn (t: TestContext, dir: string, clock: TestClock): Promise<Awaited<ReturnType<typeof buildApp>>> {
  const app = await buildApp({ config: testConfig(dir, socialEnv), clock: clock.now })
  t.teardown(() => app.close())
  await app.ready()
  return app
}

function countUpdates (s: Services, reference: string, status: string): Array<{ displayAt: string }> {
  return s.maintenances.get(reference).updates.filter((u) => u.status === status).map(({ displayAt }) => ({ displayAt }))
}

t.test('a restart during the window performs the missed start once, at the planned time', async (t) => {
  const dir = tempDir(t)
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const first = await appOn(t, dir, clock)
  const { services } = first.herald
  const chat = services.components.create({ name: 'Teams chat' }, 'cli')
  services.maintenances.schedule({ name: 'Upgrade', body: 'Upgrade.', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  await first.close()

  clock.set('2020-02-04T02:45:00.000Z')
  const second = await appOn(t, dir, clock)
  const s = second.herald.services
  t.same(countUpdates(s, 'MNT000001', 'in_progress'), [{ displayAt: start }], 'started on start-up, once, at the planned start')
  t.match(s.maintenances.get('MNT000001'), { status: 'in_progress', startedAt: start })
  t.equal(s.components.get(chat.id).status, 'under_maintenance')
  t.equal(s.maintenances.runDue(), 0, 'a second run finds nothing to do')

  // Another process on the same file, as the command line or a second server would be.
  const other = socialServices(t, clock, dir)
  t.equal(other.maintenances.runDue(), 0, 'another process on the same file finds it done')
  t.same(countUpdates(other, 'MNT000001', 'in_progress'), [{ displayAt: start }])
  t.equal(deliveryRows(other).length, 4, 'announcement and start, two channels each: the start queued once')
  await second.close()

  const third = await appOn(t, dir, clock)
  t.same(countUpdates(third.herald.services, 'MNT000001', 'in_progress'), [{ displayAt: start }], 'a further restart adds nothing')
})

t.test('a restart after the window performs the missed start and completion once each, at the planned times', async (t) => {
  const dir = tempDir(t)
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const first = await appOn(t, dir, clock)
  const chat = first.herald.services.components.create({ name: 'Teams chat' }, 'cli')
  first.herald.services.components.patch(chat.id, { status: 'degraded_performance' }, 'cli')
  first.herald.services.maintenances.schedule({ name: 'Upgrade', body: 'Upgrade.', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  await first.close()

  clock.set('2020-02-04T09:00:00.000Z')
  // Two processes on the same file run their due transitions together: each one is performed once.
  const a = socialServices(t, clock, dir)
  const b = socialServices(t, clock, dir)
  t.equal(a.maintenances.runDue() + b.maintenances.runDue(), 2)
  const second = await appOn(t, dir, clock)
  const s = second.herald.services
  t.equal(s.maintenances.runDue(), 0)
  t.same(countUpdates(s, 'MNT000001', 'in_progress'), [{ displayAt: start }])
  t.same(countUpdates(s, 'MNT000001', 'completed'), [{ displayAt: end }])
  t.match(s.maintenances.get('MNT000001'), { status: 'completed', startedAt: start, resolvedAt: end })
  t.equal(s.components.get(chat.id).status, 'degraded_performance', 'restored to what it was')
  t.equal(deliveryRows(s).length, 6, 'three updates, two channels each')
})

t.test('a restart after the window performs both transitions on start-up', async (t) => {
  const dir = tempDir(t)
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const first = await appOn(t, dir, clock)
  const chat = first.herald.services.components.create({ name: 'Teams chat' }, 'cli')
  first.herald.services.maintenances.schedule({ name: 'Upgrade', body: 'Upgrade.', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  await first.close()

  clock.set('2020-02-04T09:00:00.000Z')
  const second = await appOn(t, dir, clock)
  const s = second.herald.services
  t.same(countUpdates(s, 'MNT000001', 'in_progress'), [{ displayAt: start }])
  t.same(countUpdates(s, 'MNT000001', 'completed'), [{ displayAt: end }])
  t.equal(s.components.get(chat.id).status, 'operational')
  t.equal(s.maintenances.runDue(), 0)
})

t.test('overlapping maintenances: the first to complete does not release a component the second still holds', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const signIn = s.components.create({ name: 'Sign-in' }, 'cli')
  const first = s.maintenances.schedule({ name: 'Database', body: 'b', scheduledFor: start, scheduledUntil: '2020-02-04T03:00:00.000Z', components: [chat.id, signIn.id] }, 'cli')
  const second = s.maintenances.schedule({ name: 'Network', body: 'b', scheduledFor: '2020-02-04T02:30:00.000Z', scheduledUntil: end, components: [chat.id] }, 'cli')

  s.clock.set('2020-02-04T02:45:00.000Z')
  t.equal(s.maintenances.runDue(), 2, 'both started')
  t.same(s.components.list().map((c) => c.status), ['under_maintenance', 'under_maintenance'])

  s.clock.set('2020-02-04T03:00:00.000Z')
  t.equal(s.maintenances.runDue(), 1)
  t.equal(s.maintenances.get(first.reference).status, 'completed')
  t.equal(s.components.get(chat.id).status, 'under_maintenance', 'still held by the second')
  t.equal(s.components.get(signIn.id).status, 'operational', 'released: only the first held it')

  s.clock.set(end)
  t.equal(s.maintenances.runDue(), 1)
  t.equal(s.maintenances.get(second.reference).status, 'completed')
  t.equal(s.components.get(chat.id).status, 'operational', 'back to what it was before the first started')
})

t.test('overlapping maintenances completing in the other order, and by hand', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const long = s.maintenances.schedule({ name: 'Long', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  const short = s.maintenances.schedule({ name: 'Short', body: 'b', scheduledFor: '2020-02-04T02:30:00.000Z', scheduledUntil: '2020-02-04T03:00:00.000Z', components: [chat.id], autoComplete: false }, 'cli')
  s.clock.set('2020-02-04T02:40:00.000Z')
  t.equal(s.maintenances.runDue(), 2)
  // The long one ends early, by hand, while the short one still runs.
  s.maintenances.postUpdate(long.reference, { body: 'Done early.', status: 'completed' }, 'cli')
  t.equal(s.components.get(chat.id).status, 'under_maintenance', 'the short one still holds it')
  s.clock.set('2020-02-04T03:10:00.000Z')
  t.equal(s.maintenances.runDue(), 0, 'the short one does not complete by itself')
  s.maintenances.postUpdate(short.reference, { body: 'Done.', status: 'completed' }, 'cli')
  t.equal(s.components.get(chat.id).status, 'operational', 'back to its status before either started')
})

t.test('a chain of overlaps hands the component on until the last one completes', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const at = (hour: number): string => `2020-02-04T0${hour}:00:00.000Z`
  const one = s.maintenances.schedule({ name: 'One', body: 'b', scheduledFor: at(1), scheduledUntil: at(3), components: [chat.id] }, 'cli')
  const two = s.maintenances.schedule({ name: 'Two', body: 'b', scheduledFor: at(2), scheduledUntil: at(5), components: [chat.id] }, 'cli')
  const three = s.maintenances.schedule({ name: 'Three', body: 'b', scheduledFor: at(4), scheduledUntil: at(6), components: [chat.id] }, 'cli')
  for (const [hour, completed] of [[1, 0], [2, 0], [3, 1], [4, 1], [5, 2]] as const) {
    s.clock.set(at(hour))
    s.maintenances.runDue()
    t.equal(s.components.get(chat.id).status, 'under_maintenance', `held at ${hour}:00`)
    t.equal([one, two, three].filter((m) => s.maintenances.get(m.reference).status === 'completed').length, completed)
  }
  s.clock.set(at(6))
  t.equal(s.maintenances.runDue(), 1)
  t.equal(s.components.get(chat.id).status, 'operational', 'the status before the first of them')
})

t.test('a component set under maintenance by hand after an earlier maintenance stays so after the next', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.maintenances.schedule({ name: 'Earlier', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  s.clock.set(end)
  t.equal(s.maintenances.runDue(), 2)
  t.equal(s.components.get(chat.id).status, 'operational')
  s.clock.set('2020-02-05T00:00:00.000Z')
  s.components.patch(chat.id, { status: 'under_maintenance' }, 'cli')
  s.maintenances.schedule({ name: 'Later', body: 'b', scheduledFor: '2020-02-05T02:00:00.000Z', scheduledUntil: '2020-02-05T04:00:00.000Z', components: [chat.id] }, 'cli')
  // A cancelled maintenance over the same time holds nothing either.
  s.maintenances.schedule({ name: 'Cancelled', body: 'b', scheduledFor: '2020-02-05T01:00:00.000Z', scheduledUntil: '2020-02-05T05:00:00.000Z', components: [chat.id], reference: 'CANCEL1' }, 'cli')
  s.maintenances.postUpdate('CANCEL1', { body: 'Cancelled.', status: 'completed' }, 'cli')
  s.clock.set('2020-02-05T04:00:00.000Z')
  t.equal(s.maintenances.runDue(), 2)
  t.equal(s.components.get(chat.id).status, 'under_maintenance', 'set by hand before: not this maintenance\'s to release')
})

t.test('a component under maintenance by hand before the window stays so after it', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.components.patch(chat.id, { status: 'under_maintenance' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  s.clock.set(end)
  t.equal(s.maintenances.runDue(), 2)
  t.equal(s.components.get(chat.id).status, 'under_maintenance', 'it was under maintenance before: the maintenance did not put it there')
})

t.test('a component changed by an incident during the window keeps its new status on completion', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const signIn = s.components.create({ name: 'Sign-in' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id, signIn.id] }, 'cli')
  s.clock.set('2020-02-04T02:10:00.000Z')
  t.equal(s.maintenances.runDue(), 1)
  s.clock.set('2020-02-04T03:00:00.000Z')
  const incident = s.incidents.open({ name: 'Chat down after the upgrade', body: 'b', components: { [chat.id]: 'major_outage' } }, 'cli')
  t.same(s.context.stores.incidents.open().map((i) => i.reference), [incident.reference], 'the incident is open; the maintenance is not listed')
  s.clock.set(end)
  t.equal(s.maintenances.runDue(), 1)
  t.equal(s.components.get(chat.id).status, 'major_outage', 'the incident\'s status is kept')
  t.equal(s.components.get(signIn.id).status, 'operational', 'the other is released')
  t.same(s.maintenances.get('MNT000001').updates[0]?.affectedComponents.map((c) => c.componentId), [signIn.id], 'the completion changed only the released one')
  t.equal(incident.status, 'investigating')
})

t.test('auto_start off: it stays scheduled after its start, and starts by hand with an update', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id], autoStart: false }, 'cli')
  t.equal(s.maintenances.nextDue(), null, 'nothing for the clock')
  s.clock.set('2020-02-04T02:30:00.000Z')
  t.equal(s.maintenances.runDue(), 0)
  t.match(s.maintenances.get('MNT000001'), { status: 'scheduled', startedAt: start })
  t.equal(s.components.get(chat.id).status, 'operational')

  const started = s.maintenances.postUpdate('MNT000001', { body: 'We have started, a little late.', status: 'in_progress' }, 'cli')
  t.match(started, { status: 'in_progress', startedAt: '2020-02-04T02:30:00.000Z' })
  t.match(started.updates[0], { status: 'in_progress', body: 'We have started, a little late.', displayAt: '2020-02-04T02:30:00.000Z' })
  t.equal(s.components.get(chat.id).status, 'under_maintenance')
  t.equal(s.maintenances.nextDue(), end, 'it still completes by itself')
  s.clock.set(end)
  t.equal(s.maintenances.runDue(), 1)
  t.equal(s.components.get(chat.id).status, 'operational')
})

t.test('auto_complete off: it runs past its end until completed by hand', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.components.patch(chat.id, { status: 'degraded_performance' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id], autoComplete: false }, 'cli')
  s.clock.set('2020-02-04T06:00:00.000Z')
  t.equal(s.maintenances.runDue(), 1, 'it starts')
  t.equal(s.maintenances.runDue(), 0, 'but does not complete')
  t.equal(s.maintenances.nextDue(), null)
  t.match(s.maintenances.get('MNT000001'), { status: 'in_progress', resolvedAt: null })
  const done = s.maintenances.postUpdate('MNT000001', { body: 'All done.', status: 'completed', displayAt: '2020-02-04T05:45:00.000Z' }, 'cli')
  t.match(done, { status: 'completed', resolvedAt: '2020-02-04T05:45:00.000Z' })
  t.equal(s.components.get(chat.id).status, 'degraded_performance')
})

t.test('an automatic transition is never shown before an update already posted: the history stays in order', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const signIn = s.components.create({ name: 'Sign-in' }, 'cli')
  // Started by hand an hour after its planned end: completing at the planned end would come before the start.
  s.maintenances.schedule({ name: 'Late', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id], autoStart: false, reference: 'LATE' }, 'cli')
  s.clock.set('2020-02-04T05:00:00.000Z')
  s.maintenances.postUpdate('LATE', { body: 'Starting now.', status: 'in_progress' }, 'cli')
  t.equal(s.maintenances.runDue(), 1, 'its end has passed: it completes')
  t.same(updatesOf(s, 'LATE').map((u) => [u.status, u.displayAt]), [
    ['completed', '2020-02-04T05:00:00.000Z'], ['in_progress', '2020-02-04T05:00:00.000Z'], ['scheduled', '2020-02-03T13:00:00.000Z']
  ])
  t.match(s.maintenances.get('LATE'), { startedAt: '2020-02-04T05:00:00.000Z', resolvedAt: '2020-02-04T05:00:00.000Z' })
  const history = s.context.stores.statusHistory.since('2020-02-04T00:00:00.000Z').filter((c) => c.componentId === chat.id)
  t.same(history.map((c) => c.newStatus), ['under_maintenance', 'operational'], 'under maintenance, then back: in that order')
  t.equal(s.components.get(chat.id).status, 'operational')

  // Announced after its planned start: it starts when announced, not before.
  s.maintenances.schedule({ name: 'Announced late', body: 'b', scheduledFor: '2020-02-04T04:30:00.000Z', scheduledUntil: '2020-02-04T08:00:00.000Z', components: [signIn.id], reference: 'ANNLATE' }, 'cli')
  t.equal(s.maintenances.runDue(), 1)
  t.match(s.maintenances.get('ANNLATE'), { status: 'in_progress', startedAt: '2020-02-04T05:00:00.000Z' })

  // A note cannot be dated in the future (issue 13: it would sit at the top of the history until then).
  t.throws(() => s.maintenances.postUpdate('ANNLATE', { body: 'We expect to finish at nine.', displayAt: '2020-02-04T09:00:00.000Z' }, 'cli'),
    { field: 'display_at', message: /^display_at is in the future/ })
  s.clock.set('2020-02-04T08:00:00.000Z')
  t.equal(s.maintenances.runDue(), 1)
  t.match(s.maintenances.get('ANNLATE'), { status: 'completed', resolvedAt: '2020-02-04T08:00:00.000Z' })
})

t.test('completing a scheduled maintenance cancels it: the components are untouched', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.components.patch(chat.id, { status: 'major_outage' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  const historyBefore = s.context.stores.statusHistory.since('2000-01-01T00:00:00.000Z').length
  const cancelled = s.maintenances.postUpdate('MNT000001', { body: 'Cancelled: the outage comes first.', status: 'completed' }, 'cli')
  t.match(cancelled, { status: 'completed', resolvedAt: '2020-02-03T13:00:00.000Z' })
  t.same(cancelled.updates[0]?.affectedComponents, [])
  t.equal(s.components.get(chat.id).status, 'major_outage')
  t.equal(s.context.stores.statusHistory.since('2000-01-01T00:00:00.000Z').length, historyBefore)
  s.clock.set(end)
  t.equal(s.maintenances.runDue(), 0, 'a cancelled maintenance never starts')
  t.equal(s.components.get(chat.id).status, 'major_outage')
})

t.test('illegal transitions are refused with a conflict, storing nothing', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')
  let before = rowCounts(s)
  t.throws(() => s.maintenances.postUpdate('MNT000001', { body: 'b', status: 'verifying' }, 'cli'), ConflictError, 'scheduled → verifying')
  t.same(rowCounts(s), before)

  s.maintenances.postUpdate('MNT000001', { body: 'b', status: 'in_progress' }, 'cli')
  before = rowCounts(s)
  t.throws(() => s.maintenances.postUpdate('MNT000001', { body: 'b', status: 'scheduled' }, 'cli'), /is in_progress: it cannot become scheduled/)
  t.same(rowCounts(s), before)

  s.maintenances.postUpdate('MNT000001', { body: 'b', status: 'verifying' }, 'cli')
  before = rowCounts(s)
  t.throws(() => s.maintenances.postUpdate('MNT000001', { body: 'b', status: 'scheduled' }, 'cli'), ConflictError, 'verifying → scheduled')
  t.same(rowCounts(s), before)

  s.maintenances.postUpdate('MNT000001', { body: 'b', status: 'completed' }, 'cli')
  before = rowCounts(s)
  for (const status of ['in_progress', 'verifying', 'scheduled'] as const) {
    t.throws(() => s.maintenances.postUpdate('MNT000001', { body: 'b', status }, 'cli'), ConflictError, `completed → ${status}`)
  }
  t.same(rowCounts(s), before)
  t.equal(s.components.get(chat.id).status, 'operational')
  const note = s.maintenances.postUpdate('MNT000001', { body: 'A summary of the work.' }, 'cli')
  t.match(note.updates[0], { status: 'completed', affectedComponents: [] }, 'a completed maintenance still takes notes')
})

t.test('maintenance and incident updates do not cross', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  s.incidents.open({ name: 'Outage', body: 'b', reference: 'TM202916' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, reference: 'MNT1' }, 'cli')
  const before = rowCounts(s)
  t.throws(() => s.incidents.postUpdate('MNT1', { body: 'b', status: 'resolved' }, 'cli'), ConflictError)
  t.throws(() => s.incidents.edit('MNT1', { impact: 'major' }, 'cli'), ConflictError)
  t.throws(() => s.maintenances.postUpdate('TM202916', { body: 'b', status: 'completed' }, 'cli'), NotFoundError)
  t.throws(() => s.maintenances.reschedule('TM202916', { name: 'x' }, 'cli'), NotFoundError)
  t.throws(() => s.maintenances.get('TM202916'), NotFoundError)
  t.throws(() => s.maintenances.postUpdate('NOPE', { body: 'b' }, 'cli'), NotFoundError)
  t.same(rowCounts(s), before)
  t.equal(s.incidents.get('MNT1').maintenance?.scheduledFor, start, 'a maintenance reads like any incident')
})

t.test('open incidents and incident lists leave maintenances out; history leaves out the ones not started', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const { incidents } = s.context.stores
  s.incidents.open({ name: 'Outage', body: 'b', reference: 'TM202916' }, 'cli')
  s.maintenances.schedule({ name: 'Upcoming', body: 'b', scheduledFor: start, scheduledUntil: end, reference: 'MNTUP' }, 'cli')
  s.maintenances.schedule({ name: 'Running', body: 'b', scheduledFor: '2020-02-03T12:00:00.000Z', scheduledUntil: end, reference: 'MNTRUN' }, 'cli')
  t.equal(s.maintenances.runDue(), 1)
  t.same(incidents.open().map((i) => i.reference), ['TM202916'])
  t.same(incidents.recentIncidents(10).map((i) => i.reference), ['TM202916'])
  t.same(incidents.maintenances('upcoming').map((i) => i.reference), ['MNTUP'])
  t.same(incidents.maintenances('active').map((i) => i.reference), ['MNTRUN'])
  t.same(incidents.maintenances('all').map((i) => i.reference).sort(), ['MNTRUN', 'MNTUP'])
  t.same(incidents.startedBetween('2020-02-01T00:00:00.000Z', '2020-02-10T00:00:00.000Z').map((i) => i.reference).sort(), ['MNTRUN', 'TM202916'])
})

t.test('reschedule: the whole window while scheduled, only the end once started, nothing once completed', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'cli')

  const moved = s.maintenances.reschedule('MNT000001', { scheduledFor: '2020-02-05T02:00:00+00:00', scheduledUntil: '2020-02-05T04:00:00Z', name: 'Upgrade, moved' }, 'token:ci')
  t.match(moved, { name: 'Upgrade, moved', startedAt: '2020-02-05T02:00:00.000Z', maintenance: { scheduledFor: '2020-02-05T02:00:00.000Z', scheduledUntil: '2020-02-05T04:00:00.000Z' } })
  t.equal(moved.updates.length, 1, 'moving the window posts no update')
  t.match(s.context.stores.audit.list(1)[0], { actor: 'token:ci', action: 'maintenance.reschedule' })
  t.equal(s.maintenances.nextDue(), '2020-02-05T02:00:00.000Z')
  s.clock.set('2020-02-04T03:00:00.000Z')
  t.equal(s.maintenances.runDue(), 0, 'the old start no longer starts it')

  let before = rowCounts(s)
  t.throws(() => s.maintenances.reschedule('MNT000001', { scheduledUntil: '2020-02-05T01:00:00.000Z' }, 'cli'), InvalidInputError, 'end before start')
  t.throws(() => s.maintenances.reschedule('MNT000001', { scheduledFor: '2020-02-05T04:00:00.000Z' }, 'cli'), /scheduled_until must be after scheduled_for/, 'start at the end')
  t.throws(() => s.maintenances.reschedule('MNT000001', { scheduledFor: '2020-02-01T00:00:00.000Z', scheduledUntil: '2020-02-02T00:00:00.000Z' }, 'cli'), /scheduled_until .*past/, 'a window already over')
  t.throws(() => s.maintenances.reschedule('MNT000001', { scheduledUntil: '2021-02-30T00:00:00.000Z' }, 'cli'), /scheduled_until is not a time that exists/)
  t.same(rowCounts(s), before)

  const switched = s.maintenances.reschedule('MNT000001', { autoStart: false, autoComplete: false }, 'cli')
  t.match(switched.maintenance, { autoStart: false, autoComplete: false, scheduledFor: '2020-02-05T02:00:00.000Z' })
  t.equal(s.maintenances.nextDue(), null)
  s.maintenances.reschedule('MNT000001', { autoStart: true, autoComplete: true }, 'cli')

  s.clock.set('2020-02-05T02:00:00.000Z')
  t.equal(s.maintenances.runDue(), 1)
  before = rowCounts(s)
  t.throws(() => s.maintenances.reschedule('MNT000001', { scheduledFor: '2020-02-05T01:00:00.000Z' }, 'cli'), /has started: only its end can move/)
  t.same(rowCounts(s), before)
  const later = s.maintenances.reschedule('MNT000001', { scheduledFor: '2020-02-05T02:00:00.000Z', scheduledUntil: '2020-02-05T06:00:00.000Z' }, 'cli')
  t.match(later, { status: 'in_progress', startedAt: '2020-02-05T02:00:00.000Z', maintenance: { scheduledUntil: '2020-02-05T06:00:00.000Z' } }, 'the end moves; the same start is accepted')
  s.clock.set('2020-02-05T04:30:00.000Z')
  t.equal(s.maintenances.runDue(), 0, 'the old end no longer completes it')
  t.throws(() => s.maintenances.reschedule('MNT000001', { scheduledUntil: '2020-02-05T04:00:00.000Z' }, 'cli'), /scheduled_until .*past/, 'a running maintenance\'s end cannot move into the past')

  s.clock.set('2020-02-05T06:00:00.000Z')
  t.equal(s.maintenances.runDue(), 1)
  before = rowCounts(s)
  t.throws(() => s.maintenances.reschedule('MNT000001', { scheduledUntil: '2020-02-05T07:00:00.000Z' }, 'cli'), ConflictError)
  t.throws(() => s.maintenances.reschedule('MNT000001', { autoComplete: false }, 'cli'), /is completed/)
  t.same(rowCounts(s), before)
  t.match(s.maintenances.reschedule('MNT000001', { name: 'Upgrade of February' }, 'cli'), { name: 'Upgrade of February', status: 'completed' }, 'a completed one can still be renamed')
})

t.test('each refusal names the field it is about, as the token API names it, and the rule a form words for itself', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.incidents.open({ name: 'Outage', body: 'b', reference: 'TM202916' }, 'cli')
  const base = { name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }
  const before = storedRows(s.context.stores.db)
  t.throws(() => s.maintenances.schedule({ ...base, scheduledUntil: start }, 'cli'), { name: 'InvalidInputError', field: 'scheduled_until', rule: 'window-order' })
  t.throws(() => s.maintenances.schedule({ ...base, scheduledFor: '2020-02-03T10:00:00.000Z', scheduledUntil: '2020-02-03T12:00:00.000Z' }, 'cli'),
    { name: 'InvalidInputError', field: 'scheduled_until', rule: 'window-past' })
  t.throws(() => s.maintenances.schedule({ ...base, scheduledFor: 'tomorrow' }, 'cli'), { name: 'InvalidInputError', field: 'scheduled_for', rule: undefined })
  t.throws(() => s.maintenances.schedule({ ...base, components: [999] }, 'cli'), { name: 'InvalidInputError', field: 'components' })
  t.throws(() => s.maintenances.schedule({ ...base, reference: 'TM202916' }, 'cli'), { name: 'ConflictError', field: 'reference', rule: 'reference-taken', statusCode: 409 })
  t.throws(() => s.maintenances.schedule({ ...base, reference: 'TM-1' }, 'cli'), { name: 'InvalidInputError', field: 'reference', rule: undefined })
  t.throws(() => s.maintenances.schedule({ ...base, postText: 'x'.repeat(5001) }, 'cli'), { name: 'InvalidInputError', field: 'post_text' })
  t.same(storedRows(s.context.stores.db), before, 'nothing stored, not even in part')

  s.maintenances.schedule({ ...base, reference: 'MW1' }, 'cli')
  const scheduled = storedRows(s.context.stores.db)
  t.throws(() => s.maintenances.reschedule('MW1', { scheduledUntil: start }, 'cli'), { name: 'InvalidInputError', field: 'scheduled_until', rule: 'window-order' }, 'the end moved before the start')
  t.throws(() => s.maintenances.reschedule('MW1', { scheduledFor: end }, 'cli'), { name: 'InvalidInputError', field: 'scheduled_for', rule: 'window-order' }, 'the start moved onto the end')
  t.throws(() => s.maintenances.reschedule('MW1', { scheduledFor: '2020-02-03T10:00:00.000Z', scheduledUntil: '2020-02-03T12:00:00.000Z' }, 'cli'),
    { name: 'InvalidInputError', field: 'scheduled_until', rule: 'window-past' })
  t.throws(() => s.maintenances.postUpdate('MW1', { body: 'b', status: 'verifying' }, 'cli'), { name: 'ConflictError', field: 'status', rule: 'status-move', statusCode: 409 })
  t.throws(() => s.maintenances.postUpdate('MW1', { body: 'b', displayAt: '2020-02-01T00:00:00.000Z' }, 'cli'), { name: 'InvalidInputError', field: 'display_at' })
  t.same(storedRows(s.context.stores.db), scheduled, 'nothing stored, not even in part')

  s.maintenances.postUpdate('MW1', { body: 'Early start.', status: 'in_progress' }, 'cli')
  const started = s.maintenances.reschedule.bind(s.maintenances, 'MW1', { scheduledFor: '2020-02-04T01:00:00.000Z' }, 'cli')
  t.throws(started, { name: 'ConflictError', field: undefined, statusCode: 409 }, 'about the maintenance as it is, not one field: said above the form')
})

t.test('the reference a form shows is the one posting it takes, unless another record takes it in between', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const base = { name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end }
  const shown = s.maintenances.nextReference()
  t.equal(shown, 'MNT000001', 'maintenances have their own prefix (MNT without MAINTENANCE_PREFIX) and sequence')
  t.equal(s.incidents.nextReference(), 'HR000001', 'incidents keep theirs')
  t.equal(s.maintenances.nextReference(), shown, 'showing it takes nothing')
  t.equal(s.maintenances.schedule(base, 'cli').reference, shown)
  t.equal(s.incidents.open({ name: 'Outage', body: 'b' }, 'cli').reference, 'HR000001', 'a maintenance takes nothing from the incidents\' sequence')
  t.equal(s.maintenances.nextReference(), 'MNT000002', 'nor an incident from the maintenances\'')

  // A reference given by hand that the sequence would make next is skipped, by the preview as by posting.
  const next = s.maintenances.nextReference()
  s.incidents.open({ name: 'Outage', body: 'b', reference: next }, 'cli')
  const skipped = s.maintenances.nextReference()
  t.equal(skipped, 'MNT000003')
  t.equal(s.maintenances.schedule(base, 'cli').reference, skipped)

  // Someone else posts between the preview and the post: the post gets the next free one.
  const preview = s.maintenances.nextReference()
  t.equal(s.maintenances.schedule(base, 'cli').reference, preview)
  t.not(s.maintenances.schedule(base, 'cli').reference, preview)
})

t.test('schedule refuses bad windows, unknown components and taken references, storing nothing', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.incidents.open({ name: 'Outage', body: 'b', reference: 'TM202916' }, 'cli')
  const base = { name: 'Upgrade', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }
  const before = rowCounts(s)
  t.throws(() => s.maintenances.schedule({ ...base, scheduledUntil: start }, 'cli'), /scheduled_until must be after scheduled_for/)
  t.throws(() => s.maintenances.schedule({ ...base, scheduledUntil: '2020-02-04T01:00:00.000Z' }, 'cli'), InvalidInputError)
  t.throws(() => s.maintenances.schedule({ ...base, scheduledFor: '2020-02-03T10:00:00.000Z', scheduledUntil: '2020-02-03T12:59:59.999Z' }, 'cli'), /scheduled_until is in the past/)
  t.throws(() => s.maintenances.schedule({ ...base, scheduledFor: '2021-02-30T02:00:00.000Z', scheduledUntil: '2021-03-04T02:00:00.000Z' }, 'cli'), /scheduled_for is not a time that exists/)
  t.throws(() => s.maintenances.schedule({ ...base, scheduledUntil: '2020-02-31T04:00:00+02:00' }, 'cli'), /scheduled_until is not a time that exists/)
  t.throws(() => s.maintenances.schedule({ ...base, scheduledFor: 'tomorrow' }, 'cli'), /scheduled_for is not a time that exists/)
  t.throws(() => s.maintenances.schedule({ ...base, components: [chat.id, 999] }, 'cli'), /components: no component with id 999/)
  t.throws(() => s.maintenances.schedule({ ...base, reference: 'tm202916' }, 'cli'), ConflictError)
  t.throws(() => s.maintenances.schedule({ ...base, reference: 'MNT-1' }, 'cli'), InvalidInputError)
  t.throws(() => s.maintenances.schedule({ ...base, postText: 'x'.repeat(5001) }, 'cli'), /post text must be at most/)
  t.same(rowCounts(s), before)
  t.match(s.maintenances.schedule({ ...base, scheduledFor: '2020-02-29T02:00:00.000Z', scheduledUntil: '2020-02-29T04:00:00.000Z' }, 'cli'),
    { maintenance: { scheduledFor: '2020-02-29T02:00:00.000Z' } }, 'a leap day exists')
})

t.test('a failing transition is rolled back whole and does not hold up the others', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.maintenances.schedule({ name: 'Broken', body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id], reference: 'MNTA' }, 'cli')
  s.maintenances.schedule({ name: 'Fine', body: 'b', scheduledFor: '2020-02-04T02:10:00.000Z', scheduledUntil: end, reference: 'MNTB' }, 'cli')
  const { db } = s.context.stores
  // A trigger stands for whatever may make one transition fail (a full disk, a bug): only MNTA's start fails.
  db.exec(`CREATE TEMP TRIGGER fail_mnta BEFORE INSERT ON updates
    WHEN NEW.status = 'in_progress' AND NEW.incident_id = (SELECT id FROM incidents WHERE reference = 'MNTA')
    BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
  s.clock.set('2020-02-04T02:30:00.000Z')
  const before = rowCounts(s)
  t.throws(() => s.maintenances.runDue(), /disk full/, 'the failure is reported')
  t.equal(s.maintenances.get('MNTB').status, 'in_progress', 'the other one started all the same')
  t.equal(s.maintenances.get('MNTA').status, 'scheduled')
  t.equal(s.components.get(chat.id).status, 'operational', 'nothing of the failed one is stored')
  t.equal(rowCounts(s).updates, (before.updates ?? 0) + 1)
  db.exec('DROP TRIGGER fail_mnta')
  t.equal(s.maintenances.runDue(), 1, 'tried again, it starts')
  t.equal(s.components.get(chat.id).status, 'under_maintenance')
})

t.test('an incident between two overlapping maintenances: its outage shows while they run, and stays after them', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-04T01:00:00.000Z'))
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.maintenances.schedule({ name: 'First', body: 'b', scheduledFor: start, scheduledUntil: '2020-02-04T06:00:00.000Z', components: [chat.id], reference: 'MONE' }, 'cli')
  s.clock.set(start)
  s.maintenances.runDue()
  s.clock.set('2020-02-04T02:30:00.000Z')
  s.incidents.open({ name: 'Chat errors', body: 'Errors.', reference: 'INC1', components: { [chat.id]: 'partial_outage' } }, 'cli')
  s.maintenances.schedule({ name: 'Second', body: 'b', scheduledFor: '2020-02-04T03:00:00.000Z', scheduledUntil: end, components: [chat.id], reference: 'MTWO' }, 'cli')
  t.equal(s.components.get(chat.id).status, 'partial_outage', 'the incident\'s outage wins over the running maintenance')
  s.clock.set('2020-02-04T03:00:00.000Z')
  s.maintenances.runDue()
  t.equal(s.components.get(chat.id).status, 'partial_outage', 'a maintenance starting over an outage leaves it shown')
  t.same(s.maintenances.get('MTWO').updates[0]?.affectedComponents, [], 'and writes no change for it')
  s.clock.set(end)
  s.maintenances.runDue()
  t.equal(s.components.get(chat.id).status, 'partial_outage')
  s.clock.set('2020-02-04T06:00:00.000Z')
  s.maintenances.runDue()
  t.equal(s.components.get(chat.id).status, 'partial_outage', 'what the open incident left, not operational')
})

t.test('a maintenance cancelled before its window is history from when it was cancelled, not its planned start', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: '2030-03-01T00:00:00.000Z', scheduledUntil: '2030-03-01T02:00:00.000Z', reference: 'LATER' }, 'cli')
  s.clock.set('2020-02-03T14:00:00.000Z')
  s.maintenances.postUpdate('LATER', { body: 'Cancelled.', status: 'completed' }, 'cli')
  t.match(s.maintenances.get('LATER'), { startedAt: '2020-02-03T14:00:00.000Z', resolvedAt: '2020-02-03T14:00:00.000Z' })
})

t.test('times are stored in UTC with milliseconds whatever their offset; an update cannot be shown before its maintenance began', async (t) => {
  const s = buildServices(t, new TestClock('2020-02-03T13:00:00.000Z'))
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: '2020-02-04T04:00:00+02:00', scheduledUntil: '2020-02-04T06:00:00+02:00', reference: 'TZ' }, 'cli')
  t.match(s.maintenances.get('TZ').maintenance, { scheduledFor: start, scheduledUntil: end })
  const counts = rowCounts(s)
  t.throws(() => s.maintenances.postUpdate('TZ', { body: 'Too early.', displayAt: '2020-02-03T12:00:00.000Z' }, 'cli'),
    new InvalidInputError('display_at is before TZ started (2020-02-03T13:00:00.000Z)', { field: 'display_at' }))
  t.same(rowCounts(s), counts, 'nothing stored')
})

t.test('a scheduled maintenance is cancelled: an update cross-posted as any other, audited, never started by the clock', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const s = socialServices(t, clock)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const announced = s.maintenances.schedule({ name: 'Certificate rotation', body: 'We will rotate.', scheduledFor: start, scheduledUntil: end, components: [chat.id] }, 'user:alice')
  clock.set('2020-02-03T15:00:00.000Z')
  const cancelled = s.maintenances.cancel(announced.reference, { body: 'The rotation is **called off**.' }, 'user:alice')
  t.match(cancelled, { status: 'cancelled', resolvedAt: '2020-02-03T15:00:00.000Z', maintenance: { scheduledFor: start, scheduledUntil: end } })
  t.same(updatesOf(s, announced.reference).map((u) => [u.status, u.displayAt]), [['cancelled', '2020-02-03T15:00:00.000Z'], ['scheduled', '2020-02-03T13:00:00.000Z']])
  t.match(s.context.stores.audit.list(1)[0], { actor: 'user:alice', action: 'maintenance.cancel', detail: { reference: announced.reference, status: 'cancelled' } })
  const cancellation = cancelled.updates[0]?.id
  t.same(deliveryRows(s).filter((d) => d.update_id === cancellation), [
    { update_id: cancellation, channel: 'mastodon', state: 'pending' },
    { update_id: cancellation, channel: 'twitter', state: 'pending' }
  ], 'cross-posted through the outbox')
  t.ok(s.context.stores.deliveries.ofIncident(cancelled.id).some((d) => d.text.startsWith(`[Cancelled] ${announced.reference} Certificate rotation: The rotation is`)))
  // Stored as completed with its cancellation time: the row says both.
  t.match(s.context.stores.db.prepare('SELECT status, cancelled_at FROM incidents WHERE id = ?').get(cancelled.id), { status: 'completed', cancelled_at: '2020-02-03T15:00:00.000Z' })

  // Out of the upcoming and active lists, into the finished ones; the clock has nothing to do, ever.
  t.same(s.maintenances.list('upcoming'), [])
  t.same(s.maintenances.list('active'), [])
  t.same(s.maintenances.list('completed').map((m) => [m.reference, m.status]), [[announced.reference, 'cancelled']])
  t.equal(s.maintenances.nextDue(), null)
  clock.set('2020-02-04T05:00:00.000Z')
  t.equal(s.maintenances.runDue(), 0, 'the clock skips it at its start and its end')
  t.equal(s.components.get(chat.id).status, 'operational', 'its components were never under maintenance')
  t.equal(s.maintenances.get(announced.reference).status, 'cancelled')

  // History: it takes notes, nothing more; its window no longer moves; its name may be fixed.
  const note = s.maintenances.postUpdate(announced.reference, { body: 'It will be planned again next month.' }, 'cli')
  t.match(note, { status: 'cancelled', updates: [{ status: 'cancelled', body: 'It will be planned again next month.' }] })
  t.equal(s.context.stores.audit.list(1)[0]?.action, 'maintenance.update', 'a note is no second cancellation')
  const before = rowCounts(s)
  for (const status of ['scheduled', 'in_progress', 'completed'] as const) {
    t.throws(() => s.maintenances.postUpdate(announced.reference, { body: 'b', status }, 'cli'), ConflictError, `cancelled cannot become ${status}`)
  }
  t.throws(() => s.maintenances.reschedule(announced.reference, { scheduledUntil: '2020-03-01T00:00:00.000Z' }, 'cli'), /is cancelled: its window can no longer change/)
  t.same(rowCounts(s), before, 'nothing stored')
  t.equal(s.maintenances.reschedule(announced.reference, { name: 'Certificate rotation (called off)' }, 'cli').status, 'cancelled', 'renamed, still cancelled')
})

t.test('only a maintenance that has not started can be cancelled; a cancelled one never holds a component', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const s = buildServices(t, clock)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const window = { body: 'b', scheduledFor: start, scheduledUntil: end, components: [chat.id] }
  const running = s.maintenances.schedule({ name: 'Running', ...window }, 'cli')
  const other = s.maintenances.schedule({ name: 'Called off', ...window }, 'cli')
  clock.set(start)
  s.maintenances.runDue()
  t.equal(s.maintenances.get(running.reference).status, 'in_progress')
  t.equal(s.maintenances.get(other.reference).status, 'in_progress', 'both started together')
  const before = rowCounts(s)
  t.throws(() => s.maintenances.cancel(running.reference, { body: 'Stop.' }, 'cli'), { name: 'ConflictError', field: 'status', rule: 'status-move' })
  s.maintenances.postUpdate(running.reference, { status: 'verifying', body: 'Checking.' }, 'cli')
  t.throws(() => s.maintenances.cancel(running.reference, { body: 'Stop.' }, 'cli'), ConflictError, 'nor once verifying')
  t.throws(() => s.maintenances.cancel('MNT999999', { body: 'Stop.' }, 'cli'), NotFoundError)
  t.throws(() => s.maintenances.cancel(running.reference, { body: 'Stop.', displayAt: 'yesterday' }, 'cli'), InvalidInputError)
  t.same(rowCounts(s), { ...before, updates: (before.updates ?? 0) + 1, audit_log: (before.audit_log ?? 0) + 1 }, 'only the verifying update was stored')
})
