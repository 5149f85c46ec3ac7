// scheduled-maintenances.json, /upcoming and /active: the lists at the exact instants the clock moves a maintenance, and its fields.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { TestClock, build } from '../fixtures/build.js'
import { actor, addComponent, get, ids } from './fixtures/api.js'
import { hour, minute } from './fixtures/states.js'

async function lists (app: FastifyInstance): Promise<{ upcoming: string[], active: string[], all: string[], summary: string[] }> {
  return {
    upcoming: ids((await get(app, '/api/v2/scheduled-maintenances/upcoming.json')).body.scheduled_maintenances),
    active: ids((await get(app, '/api/v2/scheduled-maintenances/active.json')).body.scheduled_maintenances),
    all: ids((await get(app, '/api/v2/scheduled-maintenances.json')).body.scheduled_maintenances),
    summary: ids((await get(app, '/api/v2/summary.json')).body.scheduled_maintenances)
  }
}

t.test('upcoming until the planned start to the millisecond, active while in progress or verifying, then only history', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  const website = addComponent(app, 'Website')
  const { maintenances } = app.herald.services
  maintenances.schedule({
    name: 'Certificate rotation',
    reference: 'MAINT1',
    body: 'We will rotate certificates.',
    scheduledFor: '2020-02-03T10:00:00.000Z',
    scheduledUntil: '2020-02-03T12:00:00.000Z',
    components: [website.id]
  }, actor)

  clock.set('2020-02-03T09:59:59.999Z')
  t.equal(maintenances.runDue(), 0, 'one millisecond early: nothing to do')
  t.same(await lists(app), { upcoming: ['MAINT1'], active: [], all: ['MAINT1'], summary: ['MAINT1'] })
  t.equal((await get(app, '/api/v2/status.json')).body.status.description, 'All Systems Operational')

  clock.set('2020-02-03T10:00:00.000Z')
  t.equal(maintenances.runDue(), 1, 'at the planned start it starts')
  t.same(await lists(app), { upcoming: [], active: ['MAINT1'], all: ['MAINT1'], summary: ['MAINT1'] })
  t.same((await get(app, '/api/v2/status.json')).body.status, { indicator: 'none', description: 'Service Under Maintenance' })
  const components = (await get(app, '/api/v2/components.json')).body.components
  t.equal(components[0].status, 'under_maintenance')

  clock.set('2020-02-03T11:00:00.000Z')
  maintenances.postUpdate('MAINT1', { status: 'verifying', body: 'Checking.' }, actor)
  t.same(await lists(app), { upcoming: [], active: ['MAINT1'], all: ['MAINT1'], summary: ['MAINT1'] }, 'verifying is still active')

  clock.set('2020-02-03T11:59:59.999Z')
  t.equal(maintenances.runDue(), 0)
  t.same((await lists(app)).active, ['MAINT1'], 'active until the planned end')
  clock.set('2020-02-03T12:00:00.000Z')
  t.equal(maintenances.runDue(), 1, 'at the planned end it completes')
  t.same(await lists(app), { upcoming: [], active: [], all: ['MAINT1'], summary: [] }, 'completed: only in the full list')

  const [done] = (await get(app, '/api/v2/scheduled-maintenances.json')).body.scheduled_maintenances
  t.match(done, {
    id: 'MAINT1',
    name: 'Certificate rotation',
    status: 'completed',
    created_at: '2020-02-03T08:00:00.000Z',
    monitoring_at: null,
    resolved_at: '2020-02-03T12:00:00.000Z',
    impact: 'maintenance',
    shortlink: 'https://status.example.com/incidents/MAINT1',
    started_at: '2020-02-03T08:00:00.000Z',
    scheduled_for: '2020-02-03T10:00:00.000Z',
    scheduled_until: '2020-02-03T12:00:00.000Z',
    reminder_intervals: null
  }, 'Statuspage dates a maintenance’s start to its announcement and calls its impact "maintenance"')
  t.same(done.incident_updates.map((u: any) => [u.status, u.display_at, u.affected_components]), [
    ['completed', '2020-02-03T12:00:00.000Z', [{ code: String(website.id), name: 'Website', old_status: 'under_maintenance', new_status: 'operational' }]],
    ['verifying', '2020-02-03T11:00:00.000Z', null],
    ['in_progress', '2020-02-03T10:00:00.000Z', [{ code: String(website.id), name: 'Website', old_status: 'operational', new_status: 'under_maintenance' }]],
    ['scheduled', '2020-02-03T08:00:00.000Z', null]
  ], 'every update newest first, with the component changes the clock made')
  t.same(done.components.map((c: any) => [c.id, c.status]), [[String(website.id), 'operational']])
  t.equal((await get(app, '/api/v2/status.json')).body.status.description, 'All Systems Operational')
  t.same(ids((await get(app, '/api/v2/incidents.json')).body.incidents), [], 'a maintenance is not listed among incidents')
})

t.test('a maintenance started by hand before its time is active; one completed before it started is history', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  const { maintenances } = app.herald.services
  const window = { scheduledFor: '2020-02-04T00:00:00.000Z', scheduledUntil: '2020-02-04T02:00:00.000Z' }
  maintenances.schedule({ name: 'Early', reference: 'EARLY', body: 'Work.', ...window }, actor)
  maintenances.schedule({ name: 'Called off', reference: 'OFF', body: 'Work.', ...window }, actor)
  maintenances.postUpdate('EARLY', { status: 'in_progress', body: 'Starting early.' }, actor)
  maintenances.postUpdate('OFF', { status: 'completed', body: 'Not needed after all.' }, actor)
  t.same(await lists(app), { upcoming: [], active: ['EARLY'], all: ['OFF', 'EARLY'], summary: ['EARLY'] })
})

t.test('lists are newest first by planned start; the full list holds the 50 most recent', async (t) => {
  const clock = new TestClock('2020-02-01T00:00:00.000Z')
  const app = await build(t, { clock })
  const { maintenances } = app.herald.services
  const day = 24 * hour
  // Announced in an order unlike their windows: the window orders, not the announcement.
  const plan: Array<[string, number]> = [['MB', 3], ['MA', 1], ['MD', 5], ['MC', 4], ['ME', 2]]
  for (const [reference, days] of plan) {
    maintenances.schedule({
      name: `Work ${reference}`,
      reference,
      body: 'Work.',
      scheduledFor: new Date(Date.parse('2020-02-01T00:00:00.000Z') + days * day).toISOString(),
      scheduledUntil: new Date(Date.parse('2020-02-01T00:00:00.000Z') + days * day + hour).toISOString()
    }, actor)
    clock.advance(minute)
  }
  // The app's own maintenance clock may run as well; run right after each move, it finds nothing left to do.
  clock.set('2020-02-03T00:00:00.000Z')
  t.equal(maintenances.runDue(), 3, 'MA started and completed, ME started')
  clock.set('2020-02-05T00:00:00.000Z')
  t.equal(maintenances.runDue(), 4, 'ME completed, MB started and completed, MC started')
  maintenances.postUpdate('MD', { status: 'in_progress', body: 'Starting a day early.' }, actor)
  t.same(await lists(app), {
    upcoming: [],
    active: ['MD', 'MC'],
    all: ['MD', 'MC', 'MB', 'ME', 'MA'],
    summary: ['MD', 'MC']
  })
  clock.set('2020-02-05T00:30:00.000Z')
  t.equal(maintenances.runDue(), 0)
  maintenances.schedule({ name: 'Later', reference: 'MF', body: 'Work.', scheduledFor: '2020-03-01T00:00:00.000Z', scheduledUntil: '2020-03-01T01:00:00.000Z' }, actor)
  maintenances.schedule({ name: 'Later still', reference: 'MG', body: 'Work.', scheduledFor: '2020-03-02T00:00:00.000Z', scheduledUntil: '2020-03-02T01:00:00.000Z' }, actor)
  t.same((await lists(app)).upcoming, ['MG', 'MF'])
  t.same((await lists(app)).summary, ['MG', 'MF', 'MD', 'MC'], 'upcoming and active together, newest first')

  for (let i = 0; i < 50; i++) {
    maintenances.schedule({
      name: `Routine ${i}`,
      reference: `R${i}`,
      body: 'Work.',
      scheduledFor: new Date(Date.parse('2020-04-01T00:00:00.000Z') + i * day).toISOString(),
      scheduledUntil: new Date(Date.parse('2020-04-01T00:00:00.000Z') + i * day + hour).toISOString()
    }, actor)
  }
  const all = (await lists(app)).all
  t.equal(all.length, 50)
  t.same(all.slice(0, 2), ['R49', 'R48'])
  t.equal(all.at(-1), 'R0', 'the earlier windows are left out')
})

t.test('a cancelled maintenance is completed in Statuspage\'s terms: out of upcoming, its cancellation update completed with its body', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  const website = addComponent(app, 'Website')
  const { maintenances } = app.herald.services
  maintenances.schedule({
    name: 'Certificate rotation',
    reference: 'MAINT1',
    body: 'We will rotate certificates.',
    scheduledFor: '2020-02-03T10:00:00.000Z',
    scheduledUntil: '2020-02-03T12:00:00.000Z',
    components: [website.id]
  }, actor)
  t.same((await lists(app)).upcoming, ['MAINT1'])
  clock.set('2020-02-03T09:00:00.000Z')
  maintenances.cancel('MAINT1', { body: 'The rotation is called off: the certificates are good for a year.' }, actor)
  t.same(await lists(app), { upcoming: [], active: [], all: ['MAINT1'], summary: [] })
  const [cancelled] = (await get(app, '/api/v2/scheduled-maintenances.json')).body.scheduled_maintenances
  t.match(cancelled, {
    id: 'MAINT1',
    status: 'completed',
    resolved_at: '2020-02-03T09:00:00.000Z',
    scheduled_for: '2020-02-03T10:00:00.000Z',
    incident_updates: [
      { status: 'completed', body: 'The rotation is called off: the certificates are good for a year.', display_at: '2020-02-03T09:00:00.000Z' },
      { status: 'scheduled' }
    ]
  })
  clock.set('2020-02-03T10:00:00.000Z')
  t.equal(maintenances.runDue(), 0, 'it never starts')
  t.same((await get(app, '/api/v2/status.json')).body.status, { indicator: 'none', description: 'All Systems Operational' })
  t.same(await lists(app), { upcoming: [], active: [], all: ['MAINT1'], summary: [] })
})

t.test('a component in an outage when a maintenance starts shows the outage: on the page, in /api/v2 and in the overall status', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  const website = addComponent(app, 'Website')
  const api = addComponent(app, 'Public API')
  const { maintenances, incidents } = app.herald.services
  maintenances.schedule({
    name: 'Certificate rotation',
    reference: 'MAINT1',
    body: 'We will rotate certificates.',
    scheduledFor: '2020-02-03T10:00:00.000Z',
    scheduledUntil: '2020-02-03T12:00:00.000Z',
    components: [website.id, api.id]
  }, actor)
  incidents.open({ name: 'Website down', reference: 'INC1', body: 'Down.', components: { [website.id]: 'major_outage' } }, actor)
  clock.set('2020-02-03T10:00:00.000Z')
  t.equal(maintenances.runDue(), 1)
  const statuses = Object.fromEntries((await get(app, '/api/v2/components.json')).body.components.map((c: { name: string, status: string }) => [c.name, c.status]))
  t.same(statuses, { Website: 'major_outage', 'Public API': 'under_maintenance' })
  t.match((await get(app, '/api/v2/status.json')).body.status, { indicator: 'critical', description: 'Major Service Outage' })
  const page = (await app.inject('/')).body
  t.match(page, /Website<\/span>[\s\S]*?Major Outage/)
  t.match(page, /<h1 id="overall-status">Major Service Outage<\/h1>/)

  // The outage ends during the work: the incident says operational, and the maintenance's end leaves it so.
  incidents.postUpdate('INC1', { body: 'Fixed.', status: 'resolved', components: { [website.id]: 'operational' } }, actor)
  clock.set('2020-02-03T12:00:00.000Z')
  t.equal(maintenances.runDue(), 1)
  const after = Object.fromEntries((await get(app, '/api/v2/components.json')).body.components.map((c: { name: string, status: string }) => [c.name, c.status]))
  t.same(after, { Website: 'operational', 'Public API': 'operational' })
})
