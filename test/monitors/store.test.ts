// The monitors' repository: definitions round-trip, names match whatever their case, state and certificates persist, runs, events and warnings.
import t from 'tap'
import type { MonitorDefinition } from '../../server/domain/monitors.js'
import { buildServices } from '../fixtures/services.js'

const at = '2020-02-03T13:00:00.000Z'

function httpDefinition (name: string, componentId: number | null = null): MonitorDefinition {
  return {
    kind: 'http',
    settings: {
      url: 'https://teams.example.com/health',
      method: 'GET',
      headers: { Authorization: 'Bearer x' },
      body: null,
      expectedStatus: { min: 200, max: 299 },
      keyword: null,
      jsonPath: { path: '$.status', equals: 'ok' },
      followRedirects: true
    },
    name,
    intervalS: 60,
    timeoutMs: 10_000,
    failureThreshold: 3,
    successThreshold: 2,
    latencyLimitMs: null,
    componentId,
    downStatus: 'major_outage',
    degradedStatus: 'degraded_performance',
    incidentMode: 'off',
    certWarningDays: [14, 7],
    paused: false
  }
}

const heartbeat: MonitorDefinition = {
  ...httpDefinition('Nightly backup'),
  kind: 'heartbeat',
  settings: { graceS: 300 },
  failureThreshold: 1,
  successThreshold: 1
}

t.test('a definition is stored and read back as given, pending since its creation, and found by id, name in any case and component', async (t) => {
  const services = buildServices(t)
  const { monitors } = services.context.stores
  const component = services.components.create({ name: 'Sign-in' }, 'admin')
  const id = monitors.insert(httpDefinition('Sign-in API', component.id), null, at)
  const monitor = monitors.byId(id)
  t.match(monitor, {
    ...httpDefinition('Sign-in API', component.id),
    id,
    state: 'pending',
    stateSince: at,
    failures: 0,
    successes: 0,
    lastRunAt: null,
    certificate: null,
    incidentId: null,
    draftId: null,
    hasHeartbeatSecret: false,
    createdAt: at,
    updatedAt: at
  })
  t.same(monitor?.settings, httpDefinition('x').settings, 'the settings round-trip through JSON')
  t.equal(monitors.byName('SIGN-IN api')?.id, id, 'a name matches whatever its case')
  t.equal(monitors.byName('Sign-in'), undefined)
  t.equal(monitors.byId(id + 1), undefined)
  t.same(monitors.ofComponent(component.id).map((m) => m.id), [id])
  t.same(monitors.ofComponent(component.id + 1), [])
  t.throws(() => monitors.insert(httpDefinition('sign-in api'), null, at), /UNIQUE/, 'two monitors never share a name, whatever its case')

  const hb = monitors.insert(heartbeat, 'a'.repeat(64), at)
  t.equal(monitors.byHeartbeatHash('a'.repeat(64))?.id, hb)
  t.equal(monitors.byHeartbeatHash('b'.repeat(64)), undefined)
  t.equal(monitors.byId(hb)?.hasHeartbeatSecret, true)
  monitors.setHeartbeatHash(hb, 'b'.repeat(64), '2020-02-03T14:00:00.000Z')
  t.equal(monitors.byHeartbeatHash('a'.repeat(64)), undefined, 'a new secret replaces the old one')
  t.equal(monitors.byHeartbeatHash('b'.repeat(64))?.updatedAt, '2020-02-03T14:00:00.000Z')
  t.same(monitors.all().map((m) => m.name), ['Nightly backup', 'Sign-in API'], 'all, by name')
})

t.test('update replaces the definition and leaves the state; setPaused, saveStatus, certificate, incident and draft persist', async (t) => {
  const services = buildServices(t)
  const { monitors } = services.context.stores
  const id = monitors.insert(httpDefinition('Sign-in API'), null, at)
  monitors.saveStatus(id, { state: 'down', stateSince: at, failures: 3, successes: 0, lastRunAt: at, lastResult: 'down', lastLatencyMs: 12, lastError: 'status 500' })
  const later = '2020-02-03T13:05:00.000Z'
  monitors.update(id, { ...heartbeat, name: 'Renamed' }, later)
  t.match(monitors.byId(id), { ...heartbeat, name: 'Renamed', state: 'down', failures: 3, lastError: 'status 500', lastLatencyMs: 12, updatedAt: later, createdAt: at })
  monitors.setPaused(id, true, later)
  t.equal(monitors.byId(id)?.paused, true)
  monitors.setPaused(id, false, later)
  t.equal(monitors.byId(id)?.paused, false)

  const facts = { fingerprint: 'AB:CD', subject: 'CN=teams.example.com', issuer: 'CN=Test CA', names: ['teams.example.com'], validFrom: '2020-01-01T00:00:00.000Z', expiresAt: '2020-02-10T00:00:00.000Z' }
  monitors.setCertificate(id, facts)
  t.same(monitors.byId(id)?.certificate, facts)
  const other = monitors.insert(httpDefinition('Other'), null, at)
  monitors.setCertificate(other, { ...facts, fingerprint: 'EF', expiresAt: '2020-02-05T00:00:00.000Z' })
  monitors.insert(httpDefinition('No certificate'), null, at)
  t.same(monitors.all().filter((m) => m.certificate !== null).map((m) => m.name).sort(), ['Other', 'Renamed'], 'only those given a certificate have one')
  monitors.setCertificate(other, null)
  t.equal(monitors.byId(other)?.certificate, null)

  const incident = services.incidents.open({ name: 'Sign-in failures', body: 'Investigating.' }, 'admin')
  monitors.setIncident(id, incident.id)
  t.equal(monitors.byId(id)?.incidentId, incident.id)
  monitors.setIncident(id, null)
  t.equal(monitors.byId(id)?.incidentId, null)
  const draft = Number(services.context.stores.db.prepare(
    "INSERT INTO incident_drafts (name, body, status, created_by, created_at, updated_at) VALUES ('d', 'b', 'investigating', 'x', ?, ?)"
  ).run(at, at).lastInsertRowid)
  monitors.setDraft(id, draft)
  t.equal(monitors.byId(id)?.draftId, draft)
  monitors.setDraft(id, null)
  t.equal(monitors.byId(id)?.draftId, null)

  monitors.remove(id)
  t.equal(monitors.byId(id), undefined)
})

t.test('runs: newest first, availability outside maintenance with degraded as up, events, pruning, and removal takes them along', async (t) => {
  const services = buildServices(t)
  const { monitors, db } = services.context.stores
  const id = monitors.insert(httpDefinition('Sign-in API'), null, at)
  const other = monitors.insert(httpDefinition('Other'), null, at)
  const minute = (n: number): string => new Date(Date.parse(at) + n * 60_000).toISOString()
  monitors.insertRun({ monitorId: id, at: minute(0), result: 'up', latencyMs: 10, statusCode: 200, error: null, inMaintenance: false })
  monitors.insertRun({ monitorId: id, at: minute(1), result: 'degraded', latencyMs: 900, statusCode: 200, error: null, inMaintenance: false })
  monitors.insertRun({ monitorId: id, at: minute(2), result: 'down', latencyMs: null, statusCode: 500, error: 'status 500', inMaintenance: false })
  monitors.insertRun({ monitorId: id, at: minute(3), result: 'down', latencyMs: null, statusCode: null, error: 'refused', inMaintenance: true })
  monitors.insertRun({ monitorId: other, at: minute(3), result: 'down', latencyMs: null, statusCode: null, error: 'refused', inMaintenance: false })
  t.same(monitors.recentRuns(id, 2).map((r) => r.at), [minute(3), minute(2)])
  t.match(monitors.recentRuns(id, 1)[0], { monitorId: id, result: 'down', statusCode: null, error: 'refused', inMaintenance: true, latencyMs: null })
  t.same(monitors.availability(id, minute(0)), { up: 2, total: 3 }, 'the run in maintenance does not count; degraded counts as up')
  t.same(monitors.availability(id, minute(2)), { up: 0, total: 1 })
  t.same(monitors.availability(id, minute(9)), { up: 0, total: 0 }, 'no runs: nothing up of nothing')

  monitors.insertEvent({ monitorId: id, at: minute(0), oldState: 'pending', newState: 'up', reason: '2 successes in a row' })
  monitors.insertEvent({ monitorId: id, at: minute(3), oldState: 'up', newState: 'down', reason: '3 failures in a row: refused' })
  t.same(monitors.events(id, 10).map((e) => [e.oldState, e.newState, e.reason]), [['up', 'down', '3 failures in a row: refused'], ['pending', 'up', '2 successes in a row']])
  t.same(monitors.events(id, 1).length, 1)

  t.same(monitors.prune(minute(2)), { runs: 2, events: 1 }, 'what is older than the cut goes')
  t.same(monitors.recentRuns(id, 10).map((r) => r.at), [minute(3), minute(2)])
  t.same(monitors.prune(minute(2)), { runs: 0, events: 0 })

  monitors.addWarning({ monitorId: id, fingerprint: 'AB', days: 14, expiresAt: minute(100), createdAt: minute(3) })
  monitors.remove(id)
  const count = (table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table} WHERE monitor_id = ?`).pluck().get(id) as number
  t.same([count('monitor_runs'), count('monitor_events'), count('certificate_warnings')], [0, 0, 0], 'a removed monitor takes its runs, events and warnings along')
  t.equal(monitors.recentRuns(other, 10).length, 1, 'another monitor keeps its own')
})

t.test('certificate warnings: once per monitor, certificate and threshold; unsent until mailed; open until dismissed', async (t) => {
  const services = buildServices(t)
  const { monitors } = services.context.stores
  const id = monitors.insert(httpDefinition('Sign-in API'), null, at)
  const other = monitors.insert(httpDefinition('Mail'), null, at)
  const warning = { monitorId: id, fingerprint: 'AB', days: 14, expiresAt: '2020-02-15T00:00:00.000Z', createdAt: at }
  t.equal(monitors.addWarning(warning), true)
  t.equal(monitors.addWarning(warning), false, 'the same threshold of the same certificate is warned once')
  t.equal(monitors.addWarning({ ...warning, days: 7 }), true, 'another threshold is another warning')
  t.equal(monitors.addWarning({ ...warning, fingerprint: 'CD' }), true, 'a new certificate is warned again')
  t.equal(monitors.addWarning({ ...warning, monitorId: other, expiresAt: '2020-02-12T00:00:00.000Z' }), true)
  const unsent = monitors.unsentWarnings()
  t.equal(unsent.length, 4)
  t.match(unsent[0], { monitorId: id, fingerprint: 'AB', days: 14, expiresAt: warning.expiresAt, createdAt: at, emailedAt: null, dismissedAt: null })
  monitors.markEmailed(unsent[0]?.id as number, '2020-02-03T13:01:00.000Z')
  monitors.markEmailed(unsent[0]?.id as number, '2020-02-03T13:09:00.000Z')
  t.equal(monitors.unsentWarnings().length, 3)
  const open = monitors.openWarnings()
  t.same(open.map((w) => [w.monitorName, w.days]), [['Mail', 14], ['Sign-in API', 7], ['Sign-in API', 14], ['Sign-in API', 14]], 'soonest expiry first, then the nearer threshold')
  t.equal(open.find((w) => w.id === unsent[0]?.id)?.emailedAt, '2020-02-03T13:01:00.000Z', 'marked once: the first time stays')
  t.equal(monitors.dismissWarning(open[0]?.id as number, '2020-02-03T13:02:00.000Z'), true)
  t.equal(monitors.dismissWarning(open[0]?.id as number, '2020-02-03T13:03:00.000Z'), false, 'a dismissed warning is not dismissed again')
  t.equal(monitors.dismissWarning(9999, at), false)
  t.equal(monitors.openWarnings().length, 3)
})
