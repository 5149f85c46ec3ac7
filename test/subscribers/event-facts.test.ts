// The facts every subscriber message is built from, read from a real database: they agree with the pages and /api/v2.
import t from 'tap'
import { renderMarkdown } from '../../server/domain/markdown.js'
import { loadEventFacts } from '../../server/notify/event-facts.js'
import { TestClock, build } from '../fixtures/build.js'
import { incidentPage, maintenancePage, quietPage } from '../api-v2/fixtures/states.js'
import { insertNotification } from './fixtures/notifications.js'

const site = { siteName: 'Example Status', publicUrl: 'https://status.example.com' }

async function json (app: Awaited<ReturnType<typeof build>>, url: string): Promise<any> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`)
  return response.json()
}

t.test('an incident update: the incident exactly as /api/v2 shows it, the update rendered as on the page', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  incidentPage(app, clock)
  const incident = app.herald.services.incidents.get('TM202916')
  const [latest, earlier] = incident.updates
  if (latest === undefined || earlier === undefined) throw new Error('TM202916 has updates')
  const chat = app.herald.services.components.list().find((component) => component.name === 'Teams chat')
  const signIn = app.herald.services.components.list().find((component) => component.name === 'Sign-in')
  if (chat === undefined || signIn === undefined) throw new Error('the page has Teams chat and Sign-in')
  const db = app.herald.stores.db

  // The notification of an earlier update: the message tells that update, beside the incident as it is now.
  const id = insertNotification(db, { event: 'incident', incidentId: incident.id, updateId: earlier.id, componentIds: [chat.id, signIn.id] })
  const facts = loadEventFacts(app.herald.services, id, site)
  if (facts === undefined) throw new Error('facts of a stored notification')

  const listed = await json(app, '/api/v2/incidents.json')
  const shown = listed.incidents.find((entry: { id: string }) => entry.id === 'TM202916')
  t.same(facts.incident?.api, shown, 'incident.api is what /api/v2/incidents.json shows')
  t.strictSame(JSON.parse(JSON.stringify(facts.incident?.api)), shown, 'field for field, in JSON')
  t.same(facts.incident?.api.incident_updates.map((update) => update.id), incident.updates.map((update) => String(update.id)), 'updates newest first')
  t.match(facts.incident, { reference: 'TM202916', name: incident.name, impact: incident.impact, maintenance: false, url: 'https://status.example.com/incidents/TM202916' })

  t.equal(facts.update?.id, earlier.id, 'the update the notification was made for, not the latest')
  t.equal(facts.update?.status, earlier.status)
  t.equal(facts.update?.statusLabel, { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' }[earlier.status as string])
  t.equal(facts.update?.body, earlier.body)
  t.equal(facts.update?.html, renderMarkdown(earlier.body), 'the sanitized render the page shows')
  t.notMatch(facts.update?.text, /[<>*_`]/, 'the text has no markup left')
  t.equal(facts.update?.displayAt, earlier.displayAt)
  t.equal(facts.update?.url, `https://status.example.com/incidents/TM202916#update-${earlier.id}`)
  const page = await app.inject('/incidents/TM202916')
  t.match(page.body, `id="update-${earlier.id}"`, 'the anchor is on the incident page')

  const status = await json(app, '/api/v2/status.json')
  t.same(facts.page, {
    id: status.page.id,
    name: 'Example Status',
    url: 'https://status.example.com',
    statusIndicator: status.status.indicator,
    statusDescription: status.status.description
  }, 'the page as status.json shows it')
  t.same(facts.components.map((component) => component.id), [chat.id, signIn.id], 'the components the notification names')
  t.ok(facts.components.every((component) => typeof component.statusLabel === 'string' && component.statusLabel !== ''))
  t.equal(facts.componentChange, null)
  t.equal(facts.notification.id, id)
})

t.test('an update that changed components gives each the status it set, and the rest their status now', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  quietPage(app, clock)
  const { components, incidents } = app.herald.services
  const [website, chat] = components.list()
  if (website === undefined || chat === undefined) throw new Error('the quiet page has components')
  const opened = incidents.open({ name: 'Chat slow', reference: 'CH1', body: 'Chat is **slow**.', components: { [chat.id]: 'degraded_performance' } }, 'test')
  const first = opened.updates[0]
  if (first === undefined) throw new Error('an update')
  // Later, chat is down: the first update's message still says degraded for it.
  incidents.postUpdate('CH1', { status: 'identified', body: 'Worse.', components: { [chat.id]: 'major_outage', [website.id]: 'partial_outage' } }, 'test')
  const id = insertNotification(app.herald.stores.db, { event: 'incident', incidentId: opened.id, updateId: first.id, componentIds: [chat.id, website.id] })
  const facts = loadEventFacts(app.herald.services, id, site)
  t.same(facts?.components.map(({ name, status, statusLabel }) => ({ name, status, statusLabel })), [
    { name: 'Teams chat', status: 'degraded_performance', statusLabel: 'Degraded Performance' },
    { name: 'Website', status: 'partial_outage', statusLabel: 'Partial Outage' }
  ])
  t.equal(facts?.update?.text, 'Chat is slow.')
  t.equal(facts?.update?.html, '<p>Chat is <strong>slow</strong>.</p>')

  // A notification naming no component lists the incident's own; a deleted component is left out.
  components.remove(website.id, 'test')
  const all = insertNotification(app.herald.stores.db, { event: 'incident', incidentId: opened.id, updateId: first.id, componentIds: [] })
  t.same(loadEventFacts(app.herald.services, all, site)?.components.map((component) => component.name), ['Teams chat'])
})

t.test('an incident that names no component concerns none', async (t) => {
  const app = await build(t)
  const opened = app.herald.services.incidents.open({ name: 'Something odd', reference: 'ODD1', body: 'Looking.', impact: 'minor' }, 'test')
  const id = insertNotification(app.herald.stores.db, { event: 'incident', incidentId: opened.id, updateId: opened.updates[0]?.id ?? 0 })
  const facts = loadEventFacts(app.herald.services, id, site)
  t.same(facts?.components, [])
  t.equal(facts?.incident?.api.components.length, 0)
  t.same(facts?.incident?.api.incident_updates[0]?.affected_components, null)
  t.equal(facts?.page.statusIndicator, 'minor', 'an open incident of minor impact')
})

t.test('a maintenance update: the maintenance as scheduled-maintenances.json shows it', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  maintenancePage(app, clock)
  const maintenance = app.herald.services.maintenances.get('MRUN')
  const started = maintenance.updates[0]
  if (started === undefined) throw new Error('MRUN has updates')
  const id = insertNotification(app.herald.stores.db, { event: 'maintenance', incidentId: maintenance.id, updateId: started.id, componentIds: maintenance.components.map((component) => component.id) })
  const facts = loadEventFacts(app.herald.services, id, site)
  const listed = await json(app, '/api/v2/scheduled-maintenances.json')
  t.same(facts?.incident?.api, listed.scheduled_maintenances.find((entry: { id: string }) => entry.id === 'MRUN'))
  t.match(facts?.incident, { maintenance: true, api: { impact: 'maintenance', status: 'in_progress', scheduled_for: String, scheduled_until: String } })
  t.match(facts?.update, { status: 'in_progress', statusLabel: 'In Progress' })
  t.same(facts?.components.map((component) => [component.name, component.status]), [['Teams chat', 'under_maintenance']])
  const status = await json(app, '/api/v2/status.json')
  t.equal(facts?.page.statusDescription, status.status.description)
})

t.test('a component change: component_update and the component as components.json shows it', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  quietPage(app, clock)
  const chat = app.herald.services.components.list().find((component) => component.name === 'Teams chat')
  if (chat === undefined) throw new Error('the page has Teams chat')
  app.herald.services.components.patch(chat.id, { status: 'major_outage' }, 'test')
  const id = insertNotification(app.herald.stores.db, {
    event: 'component', componentId: chat.id, oldStatus: 'operational', newStatus: 'major_outage', componentIds: [chat.id], createdAt: clock.now().toISOString()
  })
  const facts = loadEventFacts(app.herald.services, id, site)
  const { components } = await json(app, '/api/v2/components.json')
  t.same(facts?.componentChange?.component, components.find((entry: { id: string }) => entry.id === String(chat.id)))
  t.same(facts?.componentChange?.componentUpdate, {
    id: String(id), component_id: String(chat.id), component_type: 'Component', old_status: 'operational', new_status: 'major_outage', created_at: clock.now().toISOString()
  })
  t.same(facts?.components, [{ id: chat.id, name: 'Teams chat', status: 'major_outage', statusLabel: 'Major Outage' }])
  t.equal(facts?.incident, null)
  t.equal(facts?.update, null)
  t.equal(facts?.page.statusIndicator, 'critical')

  // A component made just now has no earlier status: as Statuspage, operational.
  const fresh = insertNotification(app.herald.stores.db, { event: 'component', componentId: chat.id, oldStatus: null, newStatus: 'degraded_performance' })
  t.match(loadEventFacts(app.herald.services, fresh, site)?.componentChange?.componentUpdate, { old_status: 'operational', new_status: 'degraded_performance' })
})

t.test('nothing to tell once what the notification told is gone', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  quietPage(app, clock)
  const { components, incidents } = app.herald.services
  const [website] = components.list()
  if (website === undefined) throw new Error('a component')
  const opened = incidents.open({ name: 'Gone soon', reference: 'GONE1', body: 'Here.' }, 'test')
  const db = app.herald.stores.db
  const incidentEvent = insertNotification(db, { event: 'incident', incidentId: opened.id, updateId: opened.updates[0]?.id ?? 0 })
  const componentEvent = insertNotification(db, { event: 'component', componentId: website.id, oldStatus: 'operational', newStatus: 'major_outage' })
  t.ok(loadEventFacts(app.herald.services, incidentEvent, site))
  t.ok(loadEventFacts(app.herald.services, componentEvent, site))
  t.equal(loadEventFacts(app.herald.services, 9999, site), undefined, 'no such notification')

  incidents.remove('GONE1', 'test')
  t.equal(loadEventFacts(app.herald.services, incidentEvent, site), undefined, 'the incident was deleted (and its notification with it)')
  components.remove(website.id, 'test')
  t.equal(loadEventFacts(app.herald.services, componentEvent, site), undefined, 'the component was deleted')
})

t.test('an update missing from its incident tells nothing', async (t) => {
  const app = await build(t)
  const { incidents } = app.herald.services
  const one = incidents.open({ name: 'One', reference: 'ONE1', body: 'First.' }, 'test')
  const two = incidents.open({ name: 'Two', reference: 'TWO1', body: 'Second.' }, 'test')
  // Built by hand: an update of another incident (the fan-out never writes this; the loader still refuses it).
  const id = insertNotification(app.herald.stores.db, { event: 'incident', incidentId: one.id, updateId: two.updates[0]?.id ?? 0 })
  t.equal(loadEventFacts(app.herald.services, id, site), undefined)
})

t.test('the facts of the notifications the writes themselves queue', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  quietPage(app, clock)
  const { components, incidents, subscribers } = app.herald.services
  subscribers.subscribe({ kind: 'email', target: 'reader@example.com', components: 'all', source: 'visitor' })
  const [website] = components.list()
  if (website === undefined) throw new Error('a component')
  const opened = incidents.open({ name: 'Site slow', reference: 'SLOW1', body: 'Looking into it.', components: { [website.id]: 'degraded_performance' } }, 'test')
  const rows = app.herald.stores.db.prepare<[], { id: number, event: string }>('SELECT id, event FROM notifications ORDER BY id').all()
  t.same(rows.map((row) => row.event), ['incident', 'component'], 'the update and its component change')
  const [incidentRow, componentRow] = rows
  if (incidentRow === undefined || componentRow === undefined) throw new Error('two notifications')
  const told = loadEventFacts(app.herald.services, incidentRow.id, site)
  t.match(told, { incident: { reference: 'SLOW1' }, update: { id: opened.updates[0]?.id, body: 'Looking into it.' } })
  t.same(told?.components.map((component) => [component.id, component.status]), [[website.id, 'degraded_performance']])
  t.match(loadEventFacts(app.herald.services, componentRow.id, site)?.componentChange?.componentUpdate, {
    component_id: String(website.id), old_status: 'operational', new_status: 'degraded_performance'
  })
})
