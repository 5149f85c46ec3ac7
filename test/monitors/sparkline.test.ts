// The latency sparkline and the small words of the monitor views: the drawing from numbers alone, certificate days left and their colours, ages.
import t from 'tap'
import { ageText, certificateDays, dashboardMonitorsView, watchedText } from '../../server/views/admin/monitors-view.js'
import { type SparkPoint, sparklineSummary, sparklineSvg } from '../../server/views/sparkline.js'
import type { Monitor } from '../../server/domain/monitors.js'
import { monitorDefaults } from './fixtures/check-monitors.js'

function pointsOf (svg: string): Array<[number, number]> {
  const points = /<polyline class="sparkline-line" points="([^"]*)"/.exec(svg)?.[1] ?? ''
  return points === '' ? [] : points.split(' ').map((pair) => pair.split(',').map(Number) as [number, number])
}

t.test('the line rises with the latency, oldest on the left, inside the drawing', async (t) => {
  const runs: SparkPoint[] = [40, 80, 230, 120].map((latencyMs) => ({ result: 'up', latencyMs }))
  const svg = sparklineSvg(runs, { width: 100, height: 20 })
  t.match(svg, /^<svg class="sparkline" role="img" width="100" height="20" viewBox="0 0 100 20" xmlns="http:\/\/www.w3.org\/2000\/svg"><title>4 runs, latency 40 to 230 ms, 0 down<\/title>/)
  const points = pointsOf(svg)
  t.equal(points.length, 4)
  t.same(points.map(([x]) => x), [...points.map(([x]) => x)].sort((a, b) => a - b), 'left to right in order')
  const ys = points.map(([, y]) => y)
  t.ok(ys[2] === Math.min(...ys), 'the slowest run is highest (smallest y)')
  t.ok(ys[0] === Math.max(...ys), 'the fastest run is lowest')
  for (const [x, y] of points) t.ok(x >= 0 && x <= 100 && y >= 0 && y <= 20, `${x},${y} inside`)
  t.notMatch(svg, /style=|<script|href/, 'no style attribute (CSP), no script, no link')
  t.notMatch(svg, /sparkline-down/, 'no down mark when nothing was down')
})

t.test('down runs are marked in red, those without a latency at the baseline', async (t) => {
  const svg = sparklineSvg([
    { result: 'up', latencyMs: 50 },
    { result: 'down', latencyMs: null },
    { result: 'down', latencyMs: 900 },
    { result: 'degraded', latencyMs: 600 }
  ], { width: 100, height: 20 })
  const marks = [...svg.matchAll(/<circle class="sparkline-down" cx="([^"]+)" cy="([^"]+)" r="2.5"\/>/g)]
  t.equal(marks.length, 2)
  t.equal(Number(marks[0]?.[2]), 17, 'no latency: on the baseline')
  t.equal(pointsOf(svg).length, 3, 'the line joins the runs that measured a latency')
  t.match(svg, /<title>4 runs, latency 50 to 900 ms, 2 down<\/title>/)
})

t.test('no runs, one run, odd numbers: still a drawing, never NaN or an exponent', async (t) => {
  t.match(sparklineSvg([]), /<title>No runs yet<\/title><line class="sparkline-none"/)
  const one = sparklineSvg([{ result: 'up', latencyMs: 10 }], { width: 100, height: 20 })
  t.same(pointsOf(one), [[50, 3]])
  const odd = sparklineSvg([
    { result: 'up', latencyMs: Number.NaN },
    { result: 'up', latencyMs: -5 },
    { result: 'up', latencyMs: Number.POSITIVE_INFINITY },
    { result: 'up', latencyMs: 1e-9 },
    { result: 'up', latencyMs: 0 }
  ])
  t.notMatch(odd, /NaN|Infinity|[0-9]e[-+]/)
  t.equal(sparklineSummary([{ result: 'down', latencyMs: null }]), '1 run, no latency measured, 1 down')
  const thirty = sparklineSvg(Array.from({ length: 30 }, (_, i) => ({ result: 'up' as const, latencyMs: i * 7 })))
  t.equal(pointsOf(thirty).length, 30)
})

t.test('a certificate\'s days left: expired or under 7 red, under 14 amber, else green, always with words', async (t) => {
  const now = new Date('2026-03-01T12:00:00.000Z')
  const at = (days: number): string => new Date(now.getTime() + days * 86_400_000).toISOString()
  t.match(certificateDays(at(30), now), { days: 30, text: '30 days left', level: 'ok', levelLabel: 'OK', className: 'cert-days cert-ok' })
  t.match(certificateDays(at(14), now), { days: 14, level: 'ok' })
  t.match(certificateDays(at(13.9), now), { days: 13, text: '13 days left', level: 'soon', className: 'cert-days cert-soon' })
  t.match(certificateDays(at(7), now), { days: 7, level: 'soon' })
  t.match(certificateDays(at(6.5), now), { days: 6, text: '6 days left', level: 'urgent', className: 'cert-days cert-urgent' })
  t.match(certificateDays(at(1.2), now), { text: '1 day left', level: 'urgent' })
  t.match(certificateDays(at(0.2), now), { text: '0 days left', level: 'urgent' })
  t.match(certificateDays(at(0), now), { text: 'expired today', level: 'expired', levelLabel: 'Expired', className: 'cert-days cert-expired' })
  t.match(certificateDays(at(-1.5), now), { text: 'expired 1 day ago', level: 'expired' })
  t.match(certificateDays(at(-10.5), now), { text: 'expired 10 days ago' })
})

t.test('ages in the words local-time.js keeps current', async (t) => {
  const now = new Date('2026-03-01T12:00:00.000Z')
  const ago = (ms: number): string => ageText(new Date(now.getTime() - ms).toISOString(), now)
  t.equal(ago(30_000), 'just now')
  t.equal(ago(60_000), '1 minute ago')
  t.equal(ago(59 * 60_000), '59 minutes ago')
  t.equal(ago(3 * 3600_000), '3 hours ago')
  t.equal(ago(49 * 3600_000), '2 days ago')
})

function monitor (id: number, name: string, over: Partial<Monitor> = {}): Monitor {
  return {
    kind: 'tls',
    settings: { host: `${name}.example.com`, port: 443, servername: null },
    ...monitorDefaults,
    certWarningDays: [14, 7],
    id,
    name,
    intervalS: 300,
    state: 'up',
    stateSince: '2026-03-01T00:00:00.000Z',
    failures: 0,
    successes: 2,
    lastRunAt: null,
    lastResult: null,
    lastLatencyMs: null,
    lastError: null,
    certificate: null,
    incidentId: null,
    draftId: null,
    hasHeartbeatSecret: false,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
    ...over
  } as Monitor
}

t.test('the dashboard\'s monitors: counts by shown state, certificates soonest first, hidden when there is nothing', async (t) => {
  const now = new Date('2026-03-01T12:00:00.000Z')
  t.equal(dashboardMonitorsView({ monitors: [], warnings: [], now }).shown, false)
  const cert = (expiresAt: string): Monitor['certificate'] => ({ fingerprint: expiresAt, subject: 'CN=x', issuer: 'CN=ca', names: ['x'], validFrom: '2026-01-01T00:00:00.000Z', expiresAt })
  const a = monitor(1, 'late', { certificate: cert('2026-06-01T00:00:00.000Z') })
  const b = monitor(2, 'soon', { certificate: cert('2026-03-05T00:00:00.000Z'), state: 'down' })
  const c = monitor(3, 'paused', { paused: true, state: 'down' })
  const view = dashboardMonitorsView({ monitors: [a, b, c], warnings: [], now })
  t.equal(view.shown, true)
  t.same(view.counts.map((count) => [count.state, count.count, count.href]), [['up', 1, '/admin/monitors?state=up'], ['down', 1, '/admin/monitors?state=down'], ['paused', 1, '/admin/monitors?state=paused']])
  t.same(view.certificates.map((entry) => [entry.name, entry.days.level]), [['soon', 'urgent'], ['late', 'ok']])
  t.equal(watchedText(a), 'late.example.com:443')
  t.equal(watchedText({ ...a, kind: 'tcp', settings: { host: '2001:db8::1', port: 5432 } } as Monitor), '[2001:db8::1]:5432', 'an IPv6 host in brackets, before its port')
})
