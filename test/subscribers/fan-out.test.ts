// The fan-out rows: one notification per notifying update and per component status change, committed with the write or not at all.
import t from 'tap'
import type { Notification } from '../../server/domain/subscribers.js'
import { buildServices } from '../fixtures/services.js'

type Built = ReturnType<typeof buildServices>

interface Setup extends Built {
  chat: number
  signIn: number
  api: number
  /** How often notificationsDue was sent. */
  signals: () => number
  notifications: () => Notification[]
}

function setup (t: Parameters<typeof buildServices>[0], options: { subscriber?: boolean } = {}): Setup {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'cli').id
  const signIn = s.components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, 'cli').id
  const api = s.components.create({ name: 'Status API' }, 'cli').id
  if (options.subscriber !== false) s.subscribers.add('cli', { kind: 'webhook', target: 'https://hooks.example.com/', components: 'all' }, { skipConfirmation: false })
  let count = 0
  s.context.signals.subscribe('notificationsDue', () => { count++ })
  const { db, notifications } = s.context.stores
  return {
    ...s,
    chat,
    signIn,
    api,
    signals: () => count,
    notifications: () => (db.prepare('SELECT id FROM notifications ORDER BY id').all() as Array<{ id: number }>).map(({ id }) => notifications.get(id) as Notification)
  }
}

t.test('an incident update that notifies queues one notification, and one per component it changed', async (t) => {
  const s = setup(t)
  const incident = s.incidents.open({ name: 'Users unable to access Microsoft Teams', body: 'Investigating', reference: 'TM202916', components: { [s.chat]: 'major_outage', [s.signIn]: 'partial_outage' } }, 'cli')
  const [update] = incident.updates
  const lastSubscriberId = s.context.stores.subscribers.maxId()
  t.match(s.notifications(), [
    { event: 'incident', incidentId: incident.id, updateId: update?.id, componentId: null, oldStatus: null, newStatus: null, componentIds: [s.chat, s.signIn], lastSubscriberId, expandedThrough: 0, createdAt: s.clock.now().toISOString() },
    { event: 'component', incidentId: null, updateId: null, componentId: s.chat, oldStatus: 'operational', newStatus: 'major_outage', componentIds: [s.chat], lastSubscriberId },
    { event: 'component', componentId: s.signIn, oldStatus: 'operational', newStatus: 'partial_outage', componentIds: [s.signIn] }
  ])
  t.equal(s.notifications().length, 3)
  t.equal(s.context.stores.notifications.get(9999), undefined)
  t.equal(s.signals(), 1, 'the worker is woken once, after the commit')

  s.clock.advance(60_000)
  // A status already held is no change: only the update's own notification.
  s.incidents.postUpdate('TM202916', { body: 'Identified', status: 'identified', components: { [s.chat]: 'major_outage' } }, 'cli')
  t.match(s.notifications().slice(3), [{ event: 'incident', componentIds: [s.chat, s.signIn] }])
  t.equal(s.notifications().length, 4)
  t.equal(s.signals(), 2)

  // Resolving puts every component back: the update, then two component changes; the incident still names both.
  s.incidents.postUpdate('TM202916', { body: 'Resolved', status: 'resolved' }, 'cli')
  t.match(s.notifications().slice(4), [
    { event: 'incident', componentIds: [s.chat, s.signIn] },
    { event: 'component', componentId: s.chat, oldStatus: 'major_outage', newStatus: 'operational' },
    { event: 'component', componentId: s.signIn, oldStatus: 'partial_outage', newStatus: 'operational' }
  ])
})

t.test('an incident that names no component concerns everyone', async (t) => {
  const s = setup(t)
  s.incidents.open({ name: 'Something is off', body: 'Looking', reference: 'HR1' }, 'cli')
  t.match(s.notifications(), [{ event: 'incident', componentIds: [] }])
  t.equal(s.notifications().length, 1)
})

t.test('an update with notify false queues nothing for subscribers, not even its component changes', async (t) => {
  const s = setup(t)
  s.incidents.open({ name: 'Quiet', body: 'Fixing a typo', reference: 'HR1', notify: false, components: { [s.api]: 'degraded_performance' } }, 'cli')
  s.incidents.postUpdate('HR1', { body: 'Still quiet', status: 'resolved', notify: false }, 'cli')
  t.same(s.notifications(), [])
  t.equal(s.signals(), 0)
  t.equal(s.components.get(s.api).status, 'operational', 'the components did change')
})

t.test('without subscribers nothing is queued', async (t) => {
  const s = setup(t, { subscriber: false })
  s.incidents.open({ name: 'Nobody listens', body: 'Down', reference: 'HR1', components: { [s.api]: 'major_outage' } }, 'cli')
  s.components.patch(s.api, { status: 'operational' }, 'cli')
  t.same(s.notifications(), [])
  t.equal(s.signals(), 0)
  // Only the highest id counts: one who subscribed and left is no one to tell.
  const id = s.subscribers.add('cli', { kind: 'email', target: 'a@example.com', components: 'all' }, { skipConfirmation: true }).subscriber.id
  s.subscribers.remove('cli', id)
  s.incidents.postUpdate('HR1', { body: 'Resolved', status: 'resolved' }, 'cli')
  t.same(s.notifications(), [])
})

t.test('a status set by hand, and a group set operational, each queue one component notification per change', async (t) => {
  const s = setup(t)
  s.components.patch(s.chat, { status: 'partial_outage' }, 'user:alice')
  t.match(s.notifications(), [{ event: 'component', componentId: s.chat, oldStatus: 'operational', newStatus: 'partial_outage', componentIds: [s.chat] }])
  s.components.patch(s.chat, { status: 'partial_outage', description: 'same status' }, 'user:alice')
  s.components.patch(s.chat, { name: 'Chat' }, 'user:alice')
  t.equal(s.notifications().length, 1, 'no change of status, no notification')
  s.components.patch(s.signIn, { status: 'degraded_performance' }, 'user:alice')
  t.equal(s.signals(), 2)

  const groupId = s.components.get(s.chat).groupId as number
  s.components.setGroupOperational(groupId, 'user:alice')
  t.match(s.notifications().slice(2), [
    { event: 'component', componentId: s.chat, oldStatus: 'partial_outage', newStatus: 'operational' },
    { event: 'component', componentId: s.signIn, oldStatus: 'degraded_performance', newStatus: 'operational' }
  ])
  t.equal(s.notifications().length, 4)
  t.equal(s.signals(), 3, 'one signal for the group write')
  s.components.setGroupOperational(groupId, 'user:alice')
  t.equal(s.notifications().length, 4, 'all operational already: nothing')
})

t.test('a maintenance: its announcement, and its start and completion by the clock, each tell subscribers', async (t) => {
  const s = setup(t)
  const start = new Date(s.clock.now().getTime() + 3_600_000).toISOString()
  const end = new Date(s.clock.now().getTime() + 7_200_000).toISOString()
  const maintenance = s.maintenances.schedule({ name: 'Certificate rotation', body: 'Planned', scheduledFor: start, scheduledUntil: end, components: [s.signIn], reference: 'MNT1' }, 'cli')
  t.match(s.notifications(), [{ event: 'maintenance', incidentId: maintenance.id, componentIds: [s.signIn] }])
  t.equal(s.notifications().length, 1)

  s.clock.set(start)
  t.equal(s.maintenances.runDue(), 1)
  const started = s.maintenances.get('MNT1').updates.find((update) => update.status === 'in_progress')
  t.match(s.notifications().slice(1), [
    { event: 'maintenance', updateId: started?.id, componentIds: [s.signIn] },
    { event: 'component', componentId: s.signIn, oldStatus: 'operational', newStatus: 'under_maintenance' }
  ])
  t.equal(s.notifications().length, 3)

  s.clock.set(end)
  t.equal(s.maintenances.runDue(), 1)
  const completed = s.maintenances.get('MNT1').updates.find((update) => update.status === 'completed')
  t.match(s.notifications().slice(3), [
    { event: 'maintenance', updateId: completed?.id },
    { event: 'component', componentId: s.signIn, oldStatus: 'under_maintenance', newStatus: 'operational' }
  ])
  t.equal(s.notifications().length, 5)
  t.equal(s.signals(), 3)
})

t.test('a maintenance announced without notify tells nobody, and its clock updates neither', async (t) => {
  const s = setup(t)
  const start = new Date(s.clock.now().getTime() + 3_600_000).toISOString()
  s.maintenances.schedule({ name: 'Quiet work', body: 'Planned', scheduledFor: start, scheduledUntil: new Date(Date.parse(start) + 60_000).toISOString(), components: [s.api], reference: 'MNT2', notify: false }, 'cli')
  s.clock.set(new Date(Date.parse(start) + 60_000))
  t.equal(s.maintenances.runDue(), 2)
  t.same(s.notifications(), [])
})

t.test('a write that rolls back leaves no notification and sends no signal', async (t) => {
  const s = setup(t)
  s.incidents.open({ name: 'Outage', body: 'Down', reference: 'HR1', components: { [s.api]: 'major_outage' } }, 'cli')
  s.components.patch(s.signIn, { status: 'partial_outage' }, 'cli')
  const before = s.notifications()
  const signals = s.signals()
  const { db } = s.context.stores
  // The audit entry is written after the update: failing it fails the whole write.
  db.exec("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
  t.throws(() => s.incidents.postUpdate('HR1', { body: 'Resolved', status: 'resolved' }, 'cli'), /disk on fire/)
  t.throws(() => s.components.patch(s.chat, { status: 'major_outage' }, 'cli'), /disk on fire/)
  t.throws(() => s.components.setGroupOperational(s.components.get(s.chat).groupId as number, 'cli'), /disk on fire/)
  db.exec('DROP TRIGGER fail_audit')
  t.same(s.notifications(), before)
  t.equal(s.signals(), signals)
  t.equal(s.components.get(s.api).status, 'major_outage')
  t.equal(s.components.get(s.signIn).status, 'partial_outage')
})

t.test('the cost is a handful of rows however many subscribers there are', async (t) => {
  const s = setup(t)
  s.subscribers.importEmails('cli', Array.from({ length: 2000 }, (_, i) => `user${i}@example.com`), { skipConfirmation: true, components: 'all' })
  s.incidents.open({ name: 'Outage', body: 'Down', reference: 'HR1', components: { [s.api]: 'major_outage' } }, 'cli')
  t.equal(s.notifications().length, 2)
  t.equal(s.notifications()[0]?.lastSubscriberId, s.context.stores.subscribers.maxId())
  t.equal((s.context.stores.db.prepare('SELECT COUNT(*) AS n FROM subscriber_deliveries').get() as { n: number }).n, 0, 'no delivery row in the write')
})
