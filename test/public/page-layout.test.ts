// pageLayout: the page's top level in page order, each group at its first member with its worst status.
import t from 'tap'
import type { Component } from '../../server/domain/model.js'
import { pageLayout } from '../../server/domain/page-layout.js'
import type { ComponentStatus } from '../../server/domain/statuses.js'

function component (id: number, group: [number, string] | null, status: ComponentStatus = 'operational'): Component {
  return {
    id,
    name: `c${id}`,
    description: '',
    groupId: group?.[0] ?? null,
    groupName: group?.[1] ?? null,
    position: id,
    status,
    createdAt: '2020-02-03T13:00:00.000Z',
    updatedAt: '2020-02-03T13:00:00.000Z'
  }
}

t.test('components and groups in page order, members kept together, worst status per group', async (t) => {
  const teams: [number, string] = [1, 'Microsoft Teams']
  const identity: [number, string] = [2, 'Identity']
  const list = [
    component(1, null),
    component(2, teams, 'degraded_performance'),
    component(3, teams, 'major_outage'),
    component(4, null, 'partial_outage'),
    component(5, identity, 'under_maintenance'),
    // Out of page order: still lands in its group, which stays where its first member was.
    component(6, teams)
  ]
  const layout = pageLayout(list)
  t.same(layout.map((entry) => entry.kind === 'group' ? `group ${entry.id}` : `component ${entry.component.id}`),
    ['component 1', 'group 1', 'component 4', 'group 2'])
  t.match(layout[1], { kind: 'group', name: 'Microsoft Teams', status: 'major_outage' })
  t.same(layout[1]?.kind === 'group' ? layout[1].members.map((m) => m.id) : [], [2, 3, 6])
  t.match(layout[3], { kind: 'group', name: 'Identity', status: 'under_maintenance' })
  t.same(pageLayout([]), [])
})
