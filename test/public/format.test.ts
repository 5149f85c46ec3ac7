// The formatting rules of the public views: dates in UTC, durations, percents, uptime cell words, paging links.
import t from 'tap'
import type { UptimeDay } from '../../server/domain/uptime.js'
import { formatDate, formatDateTime, formatDuration, formatMonth, formatPercent, indicatorClass } from '../../server/views/format.js'
import { historyHref, historyPageCount, historyPageView } from '../../server/views/history-page-view.js'
import { uptimeBarView, uptimeCellText } from '../../server/views/uptime-view.js'

t.test('dates and times are UTC with their zone', async (t) => {
  t.equal(formatDateTime('2020-02-03T14:00:00.000Z'), '3 Feb 2020, 14:00 UTC')
  t.equal(formatDateTime('2020-02-03T23:59:59.999Z'), '3 Feb 2020, 23:59 UTC')
  t.equal(formatDateTime('2020-02-04T03:05:00.000+05:00'), '3 Feb 2020, 22:05 UTC', 'another zone is shown in UTC')
  t.equal(formatDate('2020-12-31'), '31 Dec 2020')
  t.equal(formatDate('2020-01-01T00:30:00.000Z'), '1 Jan 2020')
  t.equal(formatMonth('2020-02'), 'February 2020')
})

t.test('durations read at a glance', async (t) => {
  t.equal(formatDuration(0), '0 s')
  t.equal(formatDuration(0.2), '1 s', 'any time at all is at least a second')
  t.equal(formatDuration(45), '45 s')
  t.equal(formatDuration(20 * 60), '20 min')
  t.equal(formatDuration(60 * 60), '1 h')
  t.equal(formatDuration(2 * 3600 + 40 * 60), '2 h 40 min')
  t.equal(formatDuration(3599.7), '1 h', 'rounded to the minute')
  t.equal(formatDuration(86_400), '1 d')
  t.equal(formatDuration(2 * 86_400 + 3 * 3600 + 10 * 60), '2 d 3 h')
})

t.test('percents never round up to 100 while there was downtime', async (t) => {
  t.equal(formatPercent(100), '100 %')
  t.equal(formatPercent(99.999), '99.99 %')
  t.equal(formatPercent(99.95), '99.95 %')
  t.equal(formatPercent(0), '0.00 %')
})

t.test('the banner class tells maintenance apart', async (t) => {
  t.equal(indicatorClass('none', false), 'indicator-none')
  t.equal(indicatorClass('none', true), 'indicator-maintenance')
  t.equal(indicatorClass('critical', false), 'indicator-critical')
})

const quiet = { degraded_performance: 0, partial_outage: 0, major_outage: 0, under_maintenance: 0 }

t.test('an uptime cell says what happened that day, worst first', async (t) => {
  const day = (worst: UptimeDay['worst'], seconds = quiet): UptimeDay => ({ date: '2020-02-03', worst, seconds, uptime: worst === null ? null : 100, observedSeconds: worst === null ? 0 : 86_400 })
  t.equal(uptimeCellText(day(null)), '3 Feb 2020: No data')
  t.equal(uptimeCellText(day('operational')), '3 Feb 2020: No downtime')
  t.equal(uptimeCellText(day('partial_outage', { ...quiet, degraded_performance: 1200, partial_outage: 5400 })),
    '3 Feb 2020: Partial Outage 1 h 30 min, Degraded Performance 20 min')
  t.equal(uptimeCellText(day('major_outage', { ...quiet, under_maintenance: 3600, major_outage: 60 })),
    '3 Feb 2020: Major Outage 1 min, Under Maintenance 1 h')
  const bar = uptimeBarView({ days: [day(null), day('operational'), day('major_outage', { ...quiet, major_outage: 60 })], percent: 99.95, seconds: quiet }, [], now)
  t.same(bar.cells.map((cell) => cell.c), ['nd', 'op', 'mo'])
  t.equal(bar.percentText, '99.95 % uptime')
  t.equal(uptimeBarView({ days: [day(null)], percent: null, seconds: quiet }, [], now).percentText, 'No data yet', 'too young for a percent')
})

const now = new Date('2020-02-03T16:00:00.000Z')

t.test('a bar tells a screen reader one summary, and details only the days with something to tell, with their incidents', async (t) => {
  const day = (date: string, worst: UptimeDay['worst'], seconds = quiet): UptimeDay => ({ date, worst, seconds, uptime: null, observedSeconds: 86_400 })
  const days = [
    day('2020-01-31', null),
    day('2020-02-01', 'partial_outage', { ...quiet, partial_outage: 5400 }),
    day('2020-02-02', 'operational'),
    day('2020-02-03', 'operational')
  ]
  const incidents = [
    { componentId: 1, reference: 'TM1', name: 'Slow <chat>', startedAt: '2020-02-01T10:00:00.000Z', resolvedAt: '2020-02-01T11:30:00.000Z' },
    // Open, and with no status change: today still lists it.
    { componentId: 1, reference: 'TM2', name: 'Looking', startedAt: '2020-02-03T15:00:00.000Z', resolvedAt: null }
  ]
  const bar = uptimeBarView({ days, percent: 99.5, seconds: quiet }, incidents, now)
  t.same(bar.cells.map((cell) => cell.d), [
    null,
    { date: '1 Feb 2020', words: 'Partial Outage 1 h 30 min', incidents: [{ href: '/incidents/TM1', name: 'Slow <chat>', reference: 'TM1' }] },
    null,
    { date: '3 Feb 2020', words: 'No downtime', incidents: [{ href: '/incidents/TM2', name: 'Looking', reference: 'TM2' }] }
  ])
  t.equal(bar.cells[2]?.t, '2 Feb 2020: No downtime', 'a quiet day keeps its words for the hover tip')
  t.equal(bar.summary, '99.50 % uptime, 2 days with incidents')
  t.equal(uptimeBarView({ days: days.slice(0, 3), percent: 99.5, seconds: quiet }, incidents.slice(0, 1), now).summary, '99.50 % uptime, 1 day with incidents')
  t.equal(uptimeBarView({ days: [days[2] as UptimeDay], percent: 100, seconds: quiet }, [], now).summary, '100 % uptime, no incidents')
  t.equal(bar.recentDays, 4, 'a bar shorter than 30 days shows all of them on a phone too')
})

t.test('history paging links keep the search and drop what is default', async (t) => {
  t.equal(historyHref(1, ''), '/history')
  t.equal(historyHref(2, ''), '/history/2', 'a page of the whole history is a path, which a static mirror can hold')
  t.equal(historyHref(1, 'a b&c'), '/history?q=a+b%26c')
  t.equal(historyHref(3, 'x'), '/history?q=x&page=3')
  t.equal(historyPageCount(0), 1)
  t.equal(historyPageCount(25), 1)
  t.equal(historyPageCount(26), 2)
  const view = historyPageView({ incidents: [], total: 60, page: 2, query: '' })
  t.match(view, { newerHref: '/history', olderHref: '/history/3', hasPages: true, pageCount: 3, resultText: null })
})
