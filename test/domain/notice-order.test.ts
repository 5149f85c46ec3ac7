// The order of the notices at the top of the status page: critical and major incidents, maintenance in progress, the rest.
import t from 'tap'
import type { MaintenanceWindow } from '../../server/domain/model.js'
import { inNoticeOrder, noticeRank } from '../../server/domain/notice-order.js'
import type { Impact } from '../../server/domain/statuses.js'

const window: MaintenanceWindow = { scheduledFor: '2020-02-03T02:00:00.000Z', scheduledUntil: '2020-02-03T04:00:00.000Z', autoStart: true, autoComplete: true }
const incident = (name: string, impact: Impact): { name: string, impact: Impact, maintenance: null } => ({ name, impact, maintenance: null })
const maintenance = (name: string): { name: string, impact: Impact, maintenance: MaintenanceWindow } => ({ name, impact: 'none', maintenance: window })

t.test('critical and major incidents come above a maintenance in progress, minor and none below', async (t) => {
  const open = [incident('none', 'none'), incident('minor', 'minor'), incident('major', 'major'), incident('critical', 'critical')]
  const ordered = inNoticeOrder<{ name: string, impact: Impact, maintenance: MaintenanceWindow | null }>(open, [maintenance('work')])
  t.same(ordered.map((notice) => notice.name), ['critical', 'major', 'work', 'minor', 'none'])
})

t.test('within a rank the given order stays: incidents newest first, maintenances by window', async (t) => {
  const ordered = inNoticeOrder<{ name: string, impact: Impact, maintenance: MaintenanceWindow | null }>(
    [incident('newer major', 'major'), incident('older major', 'major')],
    [maintenance('first window'), maintenance('second window')])
  t.same(ordered.map((notice) => notice.name), ['newer major', 'older major', 'first window', 'second window'])
  t.equal(noticeRank({ impact: 'critical', maintenance: window }), noticeRank({ impact: 'none', maintenance: window }), 'a maintenance ranks as a maintenance whatever its impact')
})
