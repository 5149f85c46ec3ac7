// Uptime on hand-made histories: whole days, days crossing midnight UTC, incidents still open.
import t from 'tap'
import type { StatusChange } from '../../server/domain/model.js'
import type { ComponentStatus } from '../../server/domain/statuses.js'
import { componentUptime, incidentDays, recentPercent, uptimeWindowStart } from '../../server/domain/uptime.js'

function change (changedAt: string, oldStatus: ComponentStatus, newStatus: ComponentStatus): StatusChange {
  return { componentId: 1, oldStatus, newStatus, changedAt }
}

const now = new Date('2020-02-10T12:00:00.000Z')
const longAgo = '2019-01-01T00:00:00.000Z'

t.test('the window is whole UTC days ending today', async (t) => {
  t.equal(uptimeWindowStart(now, 90), '2019-11-13T00:00:00.000Z')
  t.equal(uptimeWindowStart(now, 1), '2020-02-10T00:00:00.000Z')
  const uptime = componentUptime({ createdAt: longAgo, currentStatus: 'operational', changes: [], now })
  t.equal(uptime.days.length, 90)
  t.equal(uptime.days[0]?.date, '2019-11-13')
  t.equal(uptime.days.at(-1)?.date, '2020-02-10')
  t.equal(uptime.percent, 100)
  t.ok(uptime.days.every((day) => day.worst === 'operational' && day.uptime === 100))
})

t.test('a major outage crossing midnight counts on both days', async (t) => {
  const uptime = componentUptime({
    createdAt: longAgo,
    currentStatus: 'operational',
    changes: [
      change('2020-02-08T22:00:00.000Z', 'operational', 'major_outage'),
      change('2020-02-09T03:00:00.000Z', 'major_outage', 'operational')
    ],
    now,
    days: 3
  })
  const [d8, d9, d10] = uptime.days
  t.match(d8, { date: '2020-02-08', worst: 'major_outage', seconds: { major_outage: 7200 } })
  t.equal(d8?.uptime, 100 * (1 - 7200 / 86400))
  t.match(d9, { date: '2020-02-09', worst: 'major_outage', seconds: { major_outage: 10800 } })
  t.match(d10, { date: '2020-02-10', worst: 'operational', uptime: 100 })
  const observed = 2 * 86400 + 12 * 3600
  t.equal(uptime.percent, 100 * (1 - 18000 / observed))
  t.equal(uptime.seconds.major_outage, 18000)
})

t.test('partial outage weighs 0.3, degraded and maintenance do not count as downtime', async (t) => {
  const uptime = componentUptime({
    createdAt: longAgo,
    currentStatus: 'operational',
    changes: [
      change('2020-02-09T01:00:00.000Z', 'operational', 'degraded_performance'),
      change('2020-02-09T02:00:00.000Z', 'degraded_performance', 'partial_outage'),
      change('2020-02-09T12:00:00.000Z', 'partial_outage', 'under_maintenance'),
      change('2020-02-09T13:00:00.000Z', 'under_maintenance', 'operational')
    ],
    now,
    days: 2
  })
  const [d9] = uptime.days
  t.match(d9, { worst: 'partial_outage', seconds: { degraded_performance: 3600, partial_outage: 36000, under_maintenance: 3600, major_outage: 0 } })
  t.equal(d9?.uptime, 100 * (1 - 0.3 * 36000 / 86400))
})

t.test('an incident still open counts up to now, and today is a partial day', async (t) => {
  const uptime = componentUptime({
    createdAt: longAgo,
    currentStatus: 'partial_outage',
    changes: [change('2020-02-10T10:00:00.000Z', 'operational', 'partial_outage')],
    now,
    days: 1
  })
  t.match(uptime.days[0], { worst: 'partial_outage', seconds: { partial_outage: 7200 } })
  t.equal(uptime.days[0]?.uptime, 100 * (1 - 0.3 * 7200 / (12 * 3600)))
})

t.test('a status that began before the window carries into it; without changes the current status holds', async (t) => {
  const carried = componentUptime({
    createdAt: longAgo,
    currentStatus: 'operational',
    changes: [
      change('2019-06-01T00:00:00.000Z', 'operational', 'major_outage'),
      change('2020-02-09T06:00:00.000Z', 'major_outage', 'operational')
    ],
    now,
    days: 2
  })
  t.match(carried.days[0], { worst: 'major_outage', seconds: { major_outage: 6 * 3600 } })
  const steady = componentUptime({ createdAt: longAgo, currentStatus: 'major_outage', changes: [], now, days: 2 })
  t.equal(steady.percent, 0)
  t.ok(steady.days.every((day) => day.worst === 'major_outage'))
})

t.test('days before the component existed have no data and do not count', async (t) => {
  const uptime = componentUptime({
    createdAt: '2020-02-09T06:00:00.000Z',
    currentStatus: 'operational',
    changes: [change('2020-02-10T06:00:00.000Z', 'operational', 'major_outage'), change('2020-02-10T09:00:00.000Z', 'major_outage', 'operational')],
    now,
    days: 3
  })
  t.match(uptime.days.map((day) => day.worst), [null, 'operational', 'major_outage'])
  t.equal(uptime.days[0]?.uptime, null)
  t.equal(uptime.days[0]?.observedSeconds, 0)
  t.equal(uptime.days[1]?.observedSeconds, 18 * 3600, 'the first day counts from the creation')
  t.equal(uptime.percent, 100 * (1 - 3 / 30), 'three hours down in the thirty it existed, not in the 60 of the window')
  const future = componentUptime({ createdAt: '2020-02-11T00:00:00.000Z', currentStatus: 'operational', changes: [], now, days: 1 })
  t.equal(future.percent, null, 'nothing observed yet')
})

t.test('a component with under a day of history has no percent, though its days show what happened', async (t) => {
  // Created ten minutes ago in the middle of an outage: "0.16 % uptime" would say more about chance than about it.
  const young = componentUptime({
    createdAt: '2020-02-10T11:50:00.000Z',
    currentStatus: 'major_outage',
    changes: [change('2020-02-10T11:51:00.000Z', 'operational', 'major_outage')],
    now,
    days: 2
  })
  t.equal(young.percent, null)
  t.match(young.days.map((day) => day.worst), [null, 'major_outage'])
  t.equal(recentPercent(young, 1), null, 'nor over fewer days')
  const dayOld = componentUptime({ createdAt: '2020-02-09T12:00:00.000Z', currentStatus: 'operational', changes: [], now, days: 2 })
  t.equal(dayOld.percent, 100, 'a whole day of history has its percent')
})

t.test('the percent over the last days of the window weighs each day by the time observed', async (t) => {
  const uptime = componentUptime({
    createdAt: longAgo,
    currentStatus: 'operational',
    changes: [
      change('2020-01-01T00:00:00.000Z', 'operational', 'major_outage'),
      change('2020-01-02T00:00:00.000Z', 'major_outage', 'operational'),
      change('2020-02-10T00:00:00.000Z', 'operational', 'partial_outage'),
      change('2020-02-10T06:00:00.000Z', 'partial_outage', 'operational')
    ],
    now
  })
  const observed = 29 * 86400 + 12 * 3600
  t.equal(recentPercent(uptime, 30), 100 * (1 - 0.3 * 6 * 3600 / observed), 'the day-long outage 40 days ago is not in the last 30')
  t.ok((uptime.percent ?? 0) < (recentPercent(uptime, 30) ?? 0), 'it is in the 90')
})

t.test('a day lists the incidents that ran on it', async (t) => {
  const incident = (startedAt: string, resolvedAt: string | null): { startedAt: string, resolvedAt: string | null } => ({ startedAt, resolvedAt })
  const overnight = incident('2020-02-08T22:00:00.000Z', '2020-02-09T01:00:00.000Z')
  const endsAtMidnight = incident('2020-02-08T20:00:00.000Z', '2020-02-09T00:00:00.000Z')
  const instant = incident('2020-02-09T00:00:00.000Z', '2020-02-09T00:00:00.000Z')
  const open = incident('2020-02-07T10:00:00.000Z', null)
  const all = [open, endsAtMidnight, overnight, instant]
  const ranOn = incidentDays(all, now)
  t.same(ranOn('2020-02-08'), [open, endsAtMidnight, overnight])
  t.same(ranOn('2020-02-09'), [open, overnight, instant], 'ending at midnight is not the next day; resolved as opened is its day')
  t.same(ranOn('2020-02-06'), [])
  t.same(ranOn('2020-02-10'), [open], 'an open incident runs up to now')
})

t.test('a back-dated change before creation extends what is known', async (t) => {
  const uptime = componentUptime({
    createdAt: '2020-02-10T00:00:00.000Z',
    currentStatus: 'operational',
    changes: [
      change('2020-02-09T20:00:00.000Z', 'operational', 'major_outage'),
      change('2020-02-09T22:00:00.000Z', 'major_outage', 'operational')
    ],
    now,
    days: 2
  })
  t.match(uptime.days[0], { worst: 'major_outage', seconds: { major_outage: 7200 } })
  t.equal(uptime.days[0]?.uptime, 100 * (1 - 7200 / (4 * 3600)))
})

t.test('changes stamped in the future are cut at now', async (t) => {
  const uptime = componentUptime({
    createdAt: longAgo,
    currentStatus: 'major_outage',
    changes: [change('2020-02-10T13:00:00.000Z', 'operational', 'major_outage')],
    now,
    days: 1
  })
  t.match(uptime.days[0], { worst: 'operational', uptime: 100 })
})

/** The definition, day by day over every period: what componentUptime must agree with however it walks. */
function naiveDays (changes: StatusChange[], start: number, nowMs: number, days: number): Array<{ worst: ComponentStatus, seconds: Record<string, number> }> {
  const periods: Array<[number, number, ComponentStatus]> = []
  let status = changes[0]?.oldStatus ?? 'operational'
  let from = start
  for (const c of changes) {
    const at = Math.min(Date.parse(c.changedAt), nowMs)
    if (at > from) periods.push([from, at, status])
    from = Math.max(from, at)
    status = c.newStatus
  }
  if (nowMs > from) periods.push([from, nowMs, status])
  const order: ComponentStatus[] = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage']
  return Array.from({ length: days }, (_, i) => {
    const dayStart = start + i * 86_400_000
    const dayEnd = Math.min(dayStart + 86_400_000, nowMs)
    const seconds: Record<string, number> = { degraded_performance: 0, partial_outage: 0, major_outage: 0, under_maintenance: 0 }
    let worst: ComponentStatus = 'operational'
    for (const [a, b, s] of periods) {
      const overlap = Math.min(b, dayEnd) - Math.max(a, dayStart)
      if (overlap <= 0) continue
      if (order.indexOf(s) > order.indexOf(worst)) worst = s
      if (s !== 'operational') seconds[s] = (seconds[s] ?? 0) + overlap / 1000
    }
    return { worst, seconds }
  })
}

t.test('many changes over the window: every day agrees with the definition', async (t) => {
  const statuses: ComponentStatus[] = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']
  let seed = 7
  const random = (): number => { seed = (seed * 48271) % 2147483647; return seed / 2147483647 }
  const start = Date.parse(uptimeWindowStart(now, 90))
  for (let round = 0; round < 20; round++) {
    const changes: StatusChange[] = []
    let status: ComponentStatus = 'operational'
    // Several changes on some days, none for weeks on others, some minutes apart.
    for (let at = start - 86_400_000 * 3; at < now.getTime(); at += Math.floor(random() * random() * 5 * 86_400_000) + 60_000) {
      const next = statuses[Math.floor(random() * statuses.length)] as ComponentStatus
      changes.push(change(new Date(at).toISOString(), status, next))
      status = next
    }
    const uptime = componentUptime({ createdAt: longAgo, currentStatus: status, changes, now })
    const expected = naiveDays(changes, start, now.getTime(), 90)
    t.same(uptime.days.map((day) => ({ worst: day.worst, seconds: day.seconds })), expected, `round ${round}: ${changes.length} changes`)
  }
})
