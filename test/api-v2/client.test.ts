// A client written for Atlassian Statuspage (the npm package statuspage.io) reads a listening Herald unchanged.
import t from 'tap'
import { Statuspage } from 'statuspage.io'
import { TestClock, build } from '../fixtures/build.js'
import { incidentPage } from './fixtures/states.js'

t.test('statuspage.io reads the summary, the status, the components and the incidents', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  incidentPage(app, clock)
  app.herald.services.maintenances.schedule({
    name: 'Certificate rotation',
    reference: 'MAINT1',
    body: 'We will rotate certificates.',
    scheduledFor: '2020-02-04T10:00:00.000Z',
    scheduledUntil: '2020-02-04T12:00:00.000Z'
  }, 'test')
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('not listening on a port')

  // The client is made for a page id on statuspage.io; setApiUrl points its HTTP client elsewhere.
  const client = new Statuspage('kctbh9vrtdwd')
  client.setApiUrl(`http://127.0.0.1:${address.port}`)

  const summary = await client.api.getSummary()
  t.equal(summary.page.name, 'Example Status')
  t.equal(summary.status.indicator, 'critical')
  t.same(summary.incidents.map((incident) => incident.id), ['TM202916'])
  t.same(summary.scheduled_maintenances.map((maintenance) => [maintenance.id, maintenance.scheduled_for]), [['MAINT1', '2020-02-04T10:00:00.000Z']])
  t.equal(summary.components.length, 6, 'four components and two groups')

  const status = await client.api.getStatus()
  t.same(status.status, { indicator: 'critical', description: 'Major Service Outage' })

  const { components } = await client.api.getComponents()
  const chat = components.find((component) => component.name === 'Teams chat')
  t.match(chat, { status: 'partial_outage', group: false, group_id: /^group-\d+$/ })
  t.ok(components.some((component) => component.group && component.id === chat?.group_id), 'its group is listed')

  const { incidents } = await client.api.incidents.getAll()
  t.same(incidents.map((incident) => [incident.id, incident.status, incident.impact]), [['TM202916', 'monitoring', 'critical'], ['OLD1', 'resolved', 'minor']])
  t.same(incidents[0]?.incident_updates.map((update) => update.status), ['monitoring', 'identified', 'investigating'])
  t.match(incidents[0]?.shortlink, 'https://status.example.com/incidents/TM202916')

  const unresolved = await client.api.incidents.getUnresolved()
  t.same(unresolved.incidents.map((incident) => incident.id), ['TM202916'])

  // Its three maintenance calls all ask for upcoming.json (a slip in statuspage.io 3.3.8); that one answers.
  const upcoming = await client.api.scheduledMaintenances.getUpcoming()
  t.same(upcoming.scheduled_maintenances.map((maintenance) => [maintenance.id, maintenance.status]), [['MAINT1', 'scheduled']])
})
