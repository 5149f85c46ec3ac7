// The incident write paths: open, update, resolve, edit; one transaction each, audited, versioned.
import t from 'tap'
import { ConflictError, InvalidInputError, NotFoundError } from '../../server/services/errors.js'
import { buildServices, rowCounts } from '../fixtures/services.js'

t.test('opens an incident with its first update, component changes and an audit entry', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'cli')
  const signIn = s.components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, 'cli')
  const versionBefore = s.context.stores.counters.get('content_version')
  s.clock.set('2020-02-03T14:00:00.000Z')
  const incident = s.incidents.open({
    name: 'Users unable to access Microsoft Teams',
    body: "We're investigating an issue where users may be unable to access Microsoft Teams",
    reference: 'TM202916',
    components: { [chat.id]: 'major_outage', [signIn.id]: 'partial_outage' },
    displayAt: '2020-02-03T13:30:00.000Z'
  }, 'token:ci')
  t.match(incident, {
    reference: 'TM202916',
    status: 'investigating',
    impact: 'critical',
    startedAt: '2020-02-03T13:30:00.000Z',
    createdAt: '2020-02-03T14:00:00.000Z',
    resolvedAt: null,
    components: [{ id: chat.id, name: 'Teams chat' }, { id: signIn.id, name: 'Sign-in' }]
  })
  t.equal(incident.updates.length, 1)
  t.match(incident.updates[0], {
    status: 'investigating',
    notify: true,
    displayAt: '2020-02-03T13:30:00.000Z',
    affectedComponents: [
      { componentId: chat.id, oldStatus: 'operational', newStatus: 'major_outage' },
      { componentId: signIn.id, oldStatus: 'operational', newStatus: 'partial_outage' }
    ]
  })
  t.equal(s.components.get(chat.id).status, 'major_outage')
  t.ok(s.context.stores.counters.get('content_version') > versionBefore, 'the content version moved')
  t.match(s.context.stores.audit.list(1)[0], { actor: 'token:ci', action: 'incident.open', incidentId: incident.id })
  t.same(s.context.stores.statusHistory.since('2020-01-01T00:00:00.000Z').map((c) => c.changedAt),
    ['2020-02-03T13:30:00.000Z', '2020-02-03T13:30:00.000Z'], 'history is stamped with the display time')
})

t.test('generates references from the prefix and skips ones an admin already took', async (t) => {
  const s = buildServices(t)
  t.equal(s.incidents.open({ name: 'One', body: 'b' }, 'cli').reference, 'HR000001')
  s.incidents.open({ name: 'Taken', body: 'b', reference: 'HR000002' }, 'cli')
  t.equal(s.incidents.open({ name: 'Three', body: 'b' }, 'cli').reference, 'HR000003')
  t.match(s.incidents.open({ name: 'No components', body: 'b' }, 'cli'), { impact: 'none' })
})

t.test('refuses duplicates in any case, bad references and unknown components, storing nothing', async (t) => {
  const s = buildServices(t)
  s.incidents.open({ name: 'First', body: 'b', reference: 'TM202916' }, 'cli')
  const before = rowCounts(s)
  t.throws(() => s.incidents.open({ name: 'Again', body: 'b', reference: 'tm202916' }, 'cli'), ConflictError)
  t.throws(() => s.incidents.open({ name: 'Bad', body: 'b', reference: 'TM-1' }, 'cli'), InvalidInputError)
  t.throws(() => s.incidents.open({ name: 'Bad', body: 'b', components: { 999: 'major_outage' } }, 'cli'), /no component with id 999/)
  t.throws(() => s.incidents.postUpdate('TM202916', { body: 'b', status: 'identified', components: { abc: 'major_outage' } }, 'cli'), InvalidInputError)
  t.throws(() => s.incidents.postUpdate('NOPE', { body: 'b', status: 'identified' }, 'cli'), NotFoundError)
  t.throws(() => s.incidents.edit('NOPE', { name: 'x' }, 'cli'), NotFoundError)
  t.throws(() => s.incidents.get('NOPE'), NotFoundError)
  t.same(rowCounts(s), before)
  t.equal(s.incidents.get('tm202916').reference, 'TM202916', 'lookup is case-insensitive')
})

t.test('updates move the status and times; resolving restores the components; reopening clears resolution', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const meetings = s.components.create({ name: 'Meetings' }, 'cli')
  s.incidents.open({ name: 'Outage', body: 'Investigating', reference: 'TM202916', components: { [chat.id]: 'major_outage' } }, 'cli')
  s.clock.advance(3600_000)
  s.incidents.postUpdate('TM202916', { body: 'Identified', status: 'identified', components: { [meetings.id]: 'degraded_performance' } }, 'cli')
  s.clock.advance(3600_000)
  const monitoring = s.incidents.postUpdate('TM202916', { body: 'Monitoring', status: 'monitoring', notify: false }, 'cli')
  t.equal(monitoring.monitoringAt, s.clock.now().toISOString())
  t.equal(monitoring.updates[0]?.notify, false)
  s.clock.advance(3600_000)
  const resolved = s.incidents.postUpdate('TM202916', { body: 'Resolved', status: 'resolved' }, 'cli')
  t.equal(resolved.resolvedAt, s.clock.now().toISOString())
  t.same(resolved.updates.map((u) => u.status), ['resolved', 'monitoring', 'identified', 'investigating'], 'newest first')
  t.same(resolved.updates[0]?.affectedComponents.map((a) => [a.name, a.oldStatus, a.newStatus]),
    [['Teams chat', 'major_outage', 'operational'], ['Meetings', 'degraded_performance', 'operational']])
  t.equal(s.components.get(chat.id).status, 'operational')
  const postmortem = s.incidents.postUpdate('TM202916', { body: 'Postmortem', status: 'postmortem' }, 'cli')
  t.equal(postmortem.resolvedAt, resolved.resolvedAt, 'a postmortem keeps the resolution time')
  const reopened = s.incidents.postUpdate('TM202916', { body: 'It is back', status: 'investigating', components: { [chat.id]: 'partial_outage' } }, 'cli')
  t.equal(reopened.resolvedAt, null)
  t.equal(s.components.get(chat.id).status, 'partial_outage')
})

t.test('resolving with components given applies those, leaving the others alone', async (t) => {
  const s = buildServices(t)
  const a = s.components.create({ name: 'A' }, 'cli')
  const b = s.components.create({ name: 'B' }, 'cli')
  s.incidents.open({ name: 'Outage', body: 'x', reference: 'AB12', components: { [a.id]: 'major_outage', [b.id]: 'major_outage' } }, 'cli')
  s.incidents.postUpdate('AB12', { body: 'Mostly fixed', status: 'resolved', components: { [a.id]: 'operational' } }, 'cli')
  t.equal(s.components.get(a.id).status, 'operational')
  t.equal(s.components.get(b.id).status, 'major_outage')
})

t.test('editing an update keeps its time and audits the old text; renaming audits too', async (t) => {
  const s = buildServices(t)
  const incident = s.incidents.open({ name: 'Outage', body: 'We are investigatign', reference: 'AB12' }, 'cli')
  const update = incident.updates[0]
  if (update === undefined) throw new Error('no update')
  s.clock.advance(60_000)
  const edited = s.incidents.editUpdate('ab12', update.id, 'We are investigating', 'user:alice')
  t.equal(edited.body, 'We are investigating')
  t.equal(edited.displayAt, update.displayAt)
  t.not(edited.updatedAt, update.updatedAt)
  t.match(s.context.stores.audit.list(1)[0], { actor: 'user:alice', action: 'update.edit', detail: { before: 'We are investigatign', after: 'We are investigating' } })
  const other = s.incidents.open({ name: 'Other', body: 'x', reference: 'CD34' }, 'cli')
  t.throws(() => s.incidents.editUpdate('CD34', update.id, 'x', 'cli'), NotFoundError, 'an update of another incident')
  t.throws(() => s.incidents.editUpdate('AB12', 9999, 'x', 'cli'), NotFoundError)
  t.equal(other.updates.length, 1)
  const renamed = s.incidents.edit('AB12', { name: 'Teams outage', impact: 'major' }, 'cli')
  t.match(renamed, { name: 'Teams outage', impact: 'major' })
  t.match(s.context.stores.audit.list(1)[0], { action: 'incident.edit', detail: { before: { name: 'Outage', impact: 'none' } } })
  t.match(s.incidents.edit('AB12', {}, 'cli'), { name: 'Teams outage', impact: 'major' }, 'an empty change keeps everything')
})

t.test('an incident may start before its first update, never after', async (t) => {
  const s = buildServices(t)
  s.clock.set('2020-02-03T14:00:00.000Z')
  const opened = s.incidents.open({ name: 'Teams down', body: 'Investigating', reference: 'TM202916', startedAt: '2020-02-03T13:30:00.000Z', displayAt: '2020-02-03T14:00:00.000Z' }, 'cli')
  t.equal(opened.startedAt, '2020-02-03T13:30:00.000Z')
  t.equal(opened.updates[0]?.displayAt, '2020-02-03T14:00:00.000Z')
  const before = rowCounts(s)
  t.throws(() => s.incidents.open({ name: 'Later', body: 'x', startedAt: '2020-02-03T15:00:00.000Z', displayAt: '2020-02-03T14:00:00.000Z' }, 'cli'), InvalidInputError)
  t.same(rowCounts(s), before)
})

t.test('an update is never dated more than a minute ahead of the clock, whoever posts it', async (t) => {
  const s = buildServices(t)
  s.clock.set('2020-02-03T14:00:00.000Z')
  s.incidents.open({ name: 'Teams down', body: 'Investigating', reference: 'TM202916' }, 'cli')
  s.maintenances.schedule({ name: 'Upgrade', body: 'b', reference: 'MNT1', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z' }, 'cli')
  const before = rowCounts(s)
  const future = '2020-02-03T14:01:00.001Z'
  const attempts = [
    () => s.incidents.open({ name: 'Later', body: 'x', displayAt: future }, 'cli'),
    () => s.incidents.postUpdate('TM202916', { body: 'x', status: 'identified', displayAt: future }, 'cli'),
    () => s.maintenances.postUpdate('MNT1', { body: 'x', displayAt: '2030-01-01T00:00:00Z' }, 'cli')
  ]
  for (const attempt of attempts) t.throws(attempt, { name: 'InvalidInputError', field: 'display_at', message: /^display_at is in the future/ })
  t.same(rowCounts(s), before, 'nothing was stored')
  t.equal(s.incidents.postUpdate('TM202916', { body: 'x', status: 'identified', displayAt: '2020-02-03T14:01:00.000Z' }, 'cli').updates[0]?.displayAt,
    '2020-02-03T14:01:00.000Z', 'a minute ahead (a fast clock) is fine')
})

t.test('times given with an offset are stored in UTC; an update before the start, or a time that does not exist, is refused', async (t) => {
  const s = buildServices(t)
  s.clock.set('2020-02-03T14:00:00.000Z')
  const incident = s.incidents.open({ name: 'Outage', body: 'Down.', reference: 'TZ1', displayAt: '2020-02-03T15:30:00+02:00', startedAt: '2020-02-03T15:00:00+02:00' }, 'cli')
  t.match(incident, { startedAt: '2020-02-03T13:00:00.000Z' })
  t.equal(incident.updates[0]?.displayAt, '2020-02-03T13:30:00.000Z')
  const counts = rowCounts(s)
  t.throws(() => s.incidents.postUpdate('TZ1', { body: 'Fixed.', status: 'resolved', displayAt: '0001-01-01T00:00:00.000Z' }, 'cli'),
    new InvalidInputError('display_at is before TZ1 started (2020-02-03T13:00:00.000Z)', { field: 'display_at' }))
  t.throws(() => s.incidents.postUpdate('TZ1', { body: 'Fixed.', status: 'resolved', displayAt: '2020-02-30T10:00:00.000Z' }, 'cli'),
    new InvalidInputError('display_at is not a time that exists', { field: 'display_at' }))
  t.same(rowCounts(s), counts, 'nothing stored')
})

t.test('a custom post text is counted in characters as the API counts them: 4,000 emoji fit in 5,000', async (t) => {
  const s = buildServices(t)
  const incident = s.incidents.open({ name: 'Outage', body: 'Down.', postText: '🔥'.repeat(4000) }, 'cli')
  t.equal(incident.updates[0]?.postText, '🔥'.repeat(4000))
})
