// The read paths: each answer's facts are of one snapshot, even while another process writes between its queries.
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { read, write } from '../../server/services/context.js'
import { type Services, createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import type { TestContext } from '../fixtures/build.js'
import { buildServices } from '../fixtures/services.js'

/** A read in one turn (these services have no second connection: see stepped-reads.test.ts). */
const noStep = async (): Promise<void> => {}

/** Another process on the same database file: its own connection and services, as the command line has. */
function otherProcess (t: TestContext, services: Services): Services {
  const db = openDatabase(services.context.stores.db.name)
  t.teardown(() => db.close())
  return createServices({ stores: createStores(db), clock: services.context.clock, incidentPrefix: 'HR' })
}

t.test('read() sees one snapshot: a commit of another connection between two of its queries is not seen', async (t) => {
  const s = buildServices(t)
  const other = otherProcess(t, s)
  s.components.create({ name: 'Teams chat' }, 'cli')
  const counts = read(s.context, () => {
    const before = s.components.list().length
    other.components.create({ name: 'Sign-in' }, 'cli')
    return [before, s.components.list().length]
  })
  t.same(counts, [1, 1], 'both queries of the read see the one component')
  t.equal(s.components.list().length, 2, 'a read after it sees the commit')
})

t.test('a read inside a write is part of the write: it sees what the write did so far', async (t) => {
  const s = buildServices(t)
  const component = s.components.create({ name: 'Teams chat' }, 'cli')
  const seen = write(s.context, () => {
    s.components.patch(component.id, { status: 'major_outage' }, 'cli')
    return s.reads.public.status().components[0]?.status
  })
  t.equal(seen, 'major_outage')
})

t.test('the status page facts are of one moment: an incident opened while they are read is not half there', async (t) => {
  const s = buildServices(t)
  const other = otherProcess(t, s)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const { components } = s.context.stores
  const list = components.list.bind(components)
  // Right after the components are read, another process opens an incident that takes chat down.
  components.list = () => {
    const listed = list()
    other.incidents.open({ name: 'Teams outage', body: 'Investigating', impact: 'major', components: { [chat.id]: 'major_outage' } }, 'cli')
    return listed
  }
  const facts = await s.reads.public.statusPage({ pastFrom: '2020-01-21T00:00:00.000Z', pastTo: '2020-02-04T00:00:00.000Z', uptimeFrom: '2019-11-06T00:00:00.000Z' }, noStep)
  components.list = list
  t.match(facts.components, [{ name: 'Teams chat', status: 'operational' }])
  t.same(facts.openIncidents, [], 'the incident opened after the snapshot is not listed')
  t.same(facts.changes, [], 'nor its status change')
  t.equal((await s.reads.public.statusPage({ pastFrom: '2020-01-21T00:00:00.000Z', pastTo: '2020-02-04T00:00:00.000Z', uptimeFrom: '2019-11-06T00:00:00.000Z' }, noStep)).openIncidents.length, 1,
    'the next read has it')
})

t.test('the admin dashboard and the token API list are of one moment too', async (t) => {
  const s = buildServices(t)
  const other = otherProcess(t, s)
  s.components.create({ name: 'Teams chat' }, 'cli')
  const { incidents } = s.context.stores
  const open = incidents.open.bind(incidents)
  incidents.open = () => {
    const listed = open()
    other.incidents.open({ name: 'Teams outage', body: 'Investigating' }, 'cli')
    other.maintenances.schedule({ name: 'Certificate renewal', body: 'Renewing', scheduledFor: '2020-02-04T13:00:00.000Z', scheduledUntil: '2020-02-04T14:00:00.000Z' }, 'cli')
    return listed
  }
  const dashboard = s.reads.admin.dashboard(5)
  incidents.open = open
  t.same(dashboard.openIncidents, [])
  t.same(dashboard.upcomingMaintenances, [], 'the maintenance scheduled after the snapshot is not listed')
  t.equal(s.reads.admin.dashboard(5).upcomingMaintenances.length, 1)
  t.equal(s.maintenances.list('upcoming', 100).length, 1)
})

t.test('the uptime facts: each change with its statuses, each incident once per component it touched, its texts shared', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const signIn = s.components.create({ name: 'Sign-in' }, 'cli')
  const components = { [chat.id]: 'major_outage', [signIn.id]: 'degraded_performance' } as const
  const opened = s.incidents.open({ reference: 'TM202916', name: 'Teams outage', body: 'Investigating', impact: 'major', components }, 'cli')
  s.incidents.postUpdate(opened.reference, { status: 'resolved', body: 'Fixed', components: { [chat.id]: 'operational', [signIn.id]: 'operational' } }, 'cli')
  const facts = await s.reads.public.statusPage({ pastFrom: '2000-01-01T00:00:00.000Z', pastTo: '2100-01-01T00:00:00.000Z', uptimeFrom: '2000-01-01T00:00:00.000Z' }, noStep)
  t.same(facts.changes.map(({ componentId, oldStatus, newStatus }) => [componentId, oldStatus, newStatus]).sort(), [
    [chat.id, 'major_outage', 'operational'],
    [chat.id, 'operational', 'major_outage'],
    [signIn.id, 'degraded_performance', 'operational'],
    [signIn.id, 'operational', 'degraded_performance']
  ].sort())
  t.same(facts.uptimeIncidents.map((incident) => incident.componentId).sort(), [chat.id, signIn.id].sort(), 'a row per component it touched')
  for (const incident of facts.uptimeIncidents) {
    t.match(incident, { reference: 'TM202916', name: 'Teams outage', startedAt: String, resolvedAt: String })
  }
  const [first, second] = facts.uptimeIncidents
  t.not(first, second, 'each row is its own object, with its own component')
  t.same({ ...first, componentId: 0 }, { ...second, componentId: 0 }, 'and the same texts')
})

t.test('the past incidents\' facts: each incident with the one update the page shows, the newest by display time', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.clock.set('2020-02-02T10:00:00.000Z')
  const backdated = s.incidents.open({ reference: 'TM202916', name: 'Teams outage', body: 'Investigating', components: { [chat.id]: 'major_outage' } }, 'cli')
  s.clock.set('2020-02-02T11:00:00.000Z')
  s.incidents.postUpdate(backdated.reference, { status: 'resolved', body: 'Fixed', components: { [chat.id]: 'operational' } }, 'cli')
  // Posted last, shown earlier: a note back-dated between the two.
  s.clock.set('2020-02-02T12:00:00.000Z')
  s.incidents.postUpdate(backdated.reference, { status: 'resolved', body: 'Cause found at 10:30', displayAt: '2020-02-02T10:30:00.000Z' }, 'cli')
  const plain = s.incidents.open({ reference: 'TM202917', name: 'Sign-in slow', body: 'Looking' }, 'cli')
  s.incidents.postUpdate(plain.reference, { status: 'resolved', body: 'Over' }, 'cli')
  const facts = await s.reads.public.statusPage({ pastFrom: '2020-01-21T00:00:00.000Z', pastTo: '2020-02-04T00:00:00.000Z', uptimeFrom: '2019-11-06T00:00:00.000Z' }, noStep)
  t.same(facts.recentIncidents.map((incident) => [incident.reference, incident.latest?.body]), [['TM202917', 'Over'], ['TM202916', 'Fixed']])
  t.match(facts.recentIncidents[1]?.latest?.affectedComponents, [{ componentId: chat.id, name: 'Teams chat', oldStatus: 'major_outage', newStatus: 'operational' }],
    'with the component changes it made')
  const { incidents } = s.context.stores
  const whole = incidents.withUpdates(facts.recentIncidents)
  t.same(facts.recentIncidents.map((incident) => incident.latest), whole.map((incident) => incident.updates[0]), 'the update withUpdates lists first')
  t.same(incidents.withLatestUpdate([]), [])
})
