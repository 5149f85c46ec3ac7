// The component write paths: create in groups, order, rename, set a status by hand.
import t from 'tap'
import { NotFoundError } from '../../server/services/errors.js'
import { buildServices, rowCounts } from '../fixtures/services.js'

t.test('creates components in groups, in page order', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat', group: 'Microsoft Teams', description: 'Chat and channels' }, 'cli')
  const api = s.components.create({ name: 'Status API' }, 'cli')
  const signIn = s.components.create({ name: 'Sign-in', group: 'microsoft teams' }, 'cli')
  t.match(chat, { name: 'Teams chat', groupName: 'Microsoft Teams', description: 'Chat and channels', status: 'operational' })
  t.equal(signIn.groupId, chat.groupId, 'group names match case-insensitively')
  t.same(s.components.list().map((c) => c.name), ['Teams chat', 'Sign-in', 'Status API'])
  t.same(s.context.stores.components.listGroups().map((g) => g.name), ['Microsoft Teams'])
  s.components.patch(api.id, { position: 0 }, 'cli')
  t.same(s.components.list().map((c) => c.name), ['Status API', 'Teams chat', 'Sign-in'])
})

t.test('patches fields, moves between groups and records hand-set statuses', async (t) => {
  const s = buildServices(t)
  const c = s.components.create({ name: 'Chat', group: 'Teams' }, 'cli')
  s.clock.advance(1000)
  const patched = s.components.patch(c.id, { name: 'Teams chat', description: 'd', group: null, status: 'degraded_performance' }, 'user:alice')
  t.match(patched, { name: 'Teams chat', description: 'd', groupId: null, status: 'degraded_performance' })
  t.match(s.context.stores.statusHistory.since('2000-01-01T00:00:00.000Z'), [{ componentId: c.id, oldStatus: 'operational', newStatus: 'degraded_performance' }])
  const regrouped = s.components.patch(c.id, { group: 'Admin', status: 'degraded_performance' }, 'cli')
  t.equal(regrouped.groupName, 'Admin')
  t.equal(s.context.stores.statusHistory.since('2000-01-01T00:00:00.000Z').length, 1, 'the same status again is no change')
  t.match(s.context.stores.audit.list(1)[0], { action: 'component.edit', actor: 'cli' })
  const before = rowCounts(s)
  t.throws(() => s.components.patch(999, { name: 'x' }, 'cli'), NotFoundError)
  t.throws(() => s.components.get(999), NotFoundError)
  t.same(rowCounts(s), before)
})
