// incidents.json and incidents/unresolved.json: which incidents, in what order, and each one's fields and updates.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { actor, addComponent, get, ids } from './fixtures/api.js'
import { hour, minute } from './fixtures/states.js'

t.test('unresolved: investigating, identified and monitoring; not resolved, not postmortem; again once reopened', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  const { incidents } = app.herald.services
  for (const status of ['investigating', 'identified', 'monitoring', 'resolved'] as const) {
    incidents.open({ name: `Opened ${status}`, reference: status.toUpperCase(), body: 'First words.', status }, actor)
    clock.advance(minute)
  }
  incidents.open({ name: 'Written up', reference: 'PM1', body: 'First words.' }, actor)
  clock.advance(minute)
  incidents.postUpdate('PM1', { status: 'resolved', body: 'Fixed.' }, actor)
  clock.advance(minute)
  incidents.postUpdate('PM1', { status: 'postmortem', body: 'What happened.' }, actor)
  clock.advance(minute)
  incidents.open({ name: 'Back again', reference: 'AGAIN', body: 'First words.' }, actor)
  clock.advance(minute)
  incidents.postUpdate('AGAIN', { status: 'resolved', body: 'Fixed?' }, actor)

  const unresolved = (await get(app, '/api/v2/incidents/unresolved.json')).body.incidents
  t.same(ids(unresolved), ['MONITORING', 'IDENTIFIED', 'INVESTIGATING'], 'the three open statuses, newest first')
  t.same((await get(app, '/api/v2/summary.json')).body.incidents, unresolved, 'the summary lists the same')
  const all = (await get(app, '/api/v2/incidents.json')).body.incidents
  t.same(ids(all), ['AGAIN', 'PM1', 'RESOLVED', 'MONITORING', 'IDENTIFIED', 'INVESTIGATING'], 'every incident, newest first')
  t.match(all.find((i: any) => i.id === 'PM1'), { status: 'postmortem', resolved_at: '2020-02-03T08:05:00.000Z' }, 'a postmortem keeps when it was resolved')
  t.match(all.find((i: any) => i.id === 'MONITORING'), { status: 'monitoring', monitoring_at: '2020-02-03T08:02:00.000Z', resolved_at: null })

  clock.advance(minute)
  incidents.postUpdate('AGAIN', { status: 'investigating', body: 'It is back.' }, actor)
  const reopened = (await get(app, '/api/v2/incidents/unresolved.json')).body.incidents
  t.same(ids(reopened), ['AGAIN', 'MONITORING', 'IDENTIFIED', 'INVESTIGATING'], 'a reopened incident is unresolved again')
  t.equal(reopened[0].resolved_at, null)
})

t.test('incidents.json: the 50 most recent by start, maintenances apart', async (t) => {
  const clock = new TestClock('2020-01-01T00:00:00.000Z')
  const app = await build(t, { clock })
  const { incidents, maintenances } = app.herald.services
  for (let i = 1; i <= 52; i++) {
    incidents.open({ name: `Incident ${i}`, reference: `INC${i}`, body: 'Words.' }, actor)
    clock.advance(hour)
  }
  // Started before all the others, posted last: the start orders, not the posting.
  incidents.open({ name: 'Back-dated', reference: 'EARLY', body: 'Words.', startedAt: '2019-12-31T00:00:00.000Z' }, actor)
  maintenances.schedule({ name: 'Planned', reference: 'PLAN1', body: 'Work.', scheduledFor: '2020-03-01T00:00:00.000Z', scheduledUntil: '2020-03-01T01:00:00.000Z' }, actor)
  const listed = (await get(app, '/api/v2/incidents.json')).body.incidents
  t.equal(listed.length, 50)
  t.same(ids(listed), Array.from({ length: 50 }, (_, i) => `INC${52 - i}`), 'newest first, the oldest three left out')
  const unresolved = (await get(app, '/api/v2/incidents/unresolved.json')).body.incidents
  t.equal(unresolved.length, 53, 'every unresolved incident, however many')
  t.equal(unresolved.at(-1).id, 'EARLY')
  t.notOk(unresolved.some((i: any) => i.id === 'PLAN1'), 'a maintenance is no unresolved incident')
})

t.test('an incident: reference as id, permalink, impact, times, and every update newest first with what it changed', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const app = await build(t, { clock })
  const chat = addComponent(app, 'Teams chat', 'Microsoft Teams')
  const signIn = addComponent(app, 'Sign-in')
  const gone = addComponent(app, 'Old gateway')
  const { incidents, components } = app.herald.services
  // Its own TM202916, not seedTeamsOutage: a start before the first update shown, a component deleted since, an update not cross-posted and one back-dated.
  const opened = incidents.open({
    name: 'Users unable to access Microsoft Teams',
    reference: 'TM202916',
    body: "We're investigating an issue where users may be unable to access Microsoft Teams",
    startedAt: '2020-02-03T13:30:00.000Z',
    displayAt: '2020-02-03T13:31:00.000Z',
    components: { [chat.id]: 'major_outage', [signIn.id]: 'partial_outage', [gone.id]: 'major_outage' }
  }, actor)
  clock.set('2020-02-03T15:00:00.000Z')
  incidents.postUpdate('TM202916', { status: 'identified', body: "We've determined that an authentication certificate has expired", notify: false }, actor)
  clock.set('2020-02-03T16:00:00.000Z')
  incidents.postUpdate('TM202916', { status: 'monitoring', body: 'Deploying the new certificate.', components: { [signIn.id]: 'operational' } }, actor)
  clock.set('2020-02-03T17:00:00.000Z')
  // Posted last, but shown at 14:00: it sits between the first two.
  incidents.postUpdate('TM202916', { status: 'monitoring', body: 'Noted late.', displayAt: '2020-02-03T14:00:00.000Z' }, actor)
  components.remove(gone.id, actor)

  const [incident] = (await get(app, '/api/v2/incidents.json')).body.incidents
  const page = (await get(app, '/api/v2/status.json')).body.page
  t.match(incident, {
    id: 'TM202916',
    name: 'Users unable to access Microsoft Teams',
    status: 'monitoring',
    created_at: '2020-02-03T13:30:00.000Z',
    updated_at: '2020-02-03T17:00:00.000Z',
    monitoring_at: '2020-02-03T16:00:00.000Z',
    resolved_at: null,
    impact: 'critical',
    shortlink: 'https://status.example.com/incidents/TM202916',
    started_at: '2020-02-03T13:30:00.000Z',
    page_id: page.id,
    reminder_intervals: null
  })
  t.same(incident.incident_updates.map((u: any) => [u.status, u.display_at]), [
    ['monitoring', '2020-02-03T16:00:00.000Z'],
    ['identified', '2020-02-03T15:00:00.000Z'],
    ['monitoring', '2020-02-03T14:00:00.000Z'],
    ['investigating', '2020-02-03T13:31:00.000Z']
  ], 'newest first by the time shown')
  const [monitoring, identified, late, first] = incident.incident_updates
  t.same(first, {
    id: String(opened.updates[0]?.id),
    status: 'investigating',
    body: "We're investigating an issue where users may be unable to access Microsoft Teams",
    incident_id: 'TM202916',
    created_at: '2020-02-03T13:30:00.000Z',
    updated_at: '2020-02-03T13:30:00.000Z',
    display_at: '2020-02-03T13:31:00.000Z',
    affected_components: [
      { code: String(chat.id), name: 'Microsoft Teams - Teams chat', old_status: 'operational', new_status: 'major_outage' },
      { code: String(signIn.id), name: 'Sign-in', old_status: 'operational', new_status: 'partial_outage' },
      { code: String(gone.id), name: 'Old gateway', old_status: 'operational', new_status: 'major_outage' }
    ],
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null
  }, 'a grouped component is named "group - component", as Statuspage names it; a deleted one keeps its name')
  t.same(monitoring.affected_components, [{ code: String(signIn.id), name: 'Sign-in', old_status: 'partial_outage', new_status: 'operational' }])
  t.equal(identified.affected_components, null, 'an update that changed nothing: null, as Statuspage says')
  t.equal(identified.deliver_notifications, false, 'not cross-posted')
  t.equal(late.body, 'Noted late.')
  t.same(incident.components.map((c: any) => [c.id, c.name, c.status, c.group_id]), [
    [String(chat.id), 'Teams chat', 'major_outage', `group-${chat.groupId}`],
    [String(signIn.id), 'Sign-in', 'operational', null]
  ], 'full component objects as they are now; a deleted component is left out')
  const listed = (await get(app, '/api/v2/components.json')).body.components
  t.same(incident.components[0], listed.find((c: any) => c.id === String(chat.id)), 'the same object as in components.json')
})
