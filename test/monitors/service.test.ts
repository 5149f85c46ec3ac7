// The monitors' service: admin-only writes (audited, monitorsChanged after commit, the public content version untouched), pause and resume, secrets, apply and export.
import t, { type Test } from 'tap'
import { ApplyInputError, heartbeatSecretHash } from '../../server/services/monitor-service.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../../server/services/errors.js'
import { auditEntryView } from '../../server/views/admin/audit-view.js'
import { buildServices } from '../fixtures/services.js'

const http = { name: 'Sign-in API', kind: 'http', url: 'https://login.example.com/health' }
const tcp = { name: 'Database', kind: 'tcp', host: '10.0.0.5', port: 5432 }
const heartbeat = { name: 'Nightly backup', kind: 'heartbeat', interval_seconds: 86_400, grace_seconds: 600 }

/** The services with a count of monitorsChanged signals, the content version and the audit actions. */
function setup (t: Test): ReturnType<typeof buildServices> & { signals: () => number, version: () => number, actions: () => string[] } {
  const services = buildServices(t)
  let signals = 0
  services.context.signals.subscribe('monitorsChanged', () => {
    t.equal(services.context.stores.db.inTransaction, false, 'the signal comes after the commit')
    signals++
  })
  return {
    ...services,
    signals: () => signals,
    version: () => services.context.stores.counters.get('content_version'),
    actions: () => services.context.stores.audit.list(100).map((entry) => entry.action).reverse()
  }
}

t.test('create, update, remove: audited, signalled after commit, never moving the public content version', async (t) => {
  const s = setup(t)
  const version = s.version()
  const component = s.components.create({ name: 'Sign-in' }, 'admin')
  const afterComponent = s.version()
  const { monitor, heartbeatSecret } = s.monitors.create({ ...http, component: 'sign-in' }, 'admin')
  t.equal(heartbeatSecret, null, 'an http monitor has no secret')
  t.match(monitor, { name: 'Sign-in API', kind: 'http', componentId: component.id, state: 'pending', intervalS: 60, timeoutMs: 10_000, failureThreshold: 3, successThreshold: 2 })
  t.equal(s.signals(), 1)
  t.ok(afterComponent > version)
  t.equal(s.version(), afterComponent, 'a monitor is not on the public page: the content version stays')

  const updated = s.monitors.update(monitor.id, { ...http, interval_seconds: 30 }, 'token:ci')
  t.match(updated, { intervalS: 30, componentId: null })
  t.equal(s.signals(), 2)
  s.monitors.update(monitor.id, { ...http, interval_seconds: 30 }, 'token:ci')
  t.equal(s.signals(), 2, 'the same definition again is no change: no signal, no audit')
  s.monitors.remove(monitor.id, 'admin')
  t.throws(() => s.monitors.get(monitor.id), NotFoundError)
  t.throws(() => s.monitors.remove(monitor.id, 'admin'), NotFoundError)
  t.equal(s.signals(), 3)
  t.equal(s.version(), afterComponent)
  t.same(s.actions(), ['component.create', 'monitor.create', 'monitor.update', 'monitor.remove'])
  const audit = s.context.stores.audit.list(10)
  t.match(audit[1], { actor: 'token:ci', detail: { id: monitor.id, name: 'Sign-in API', fields: ['interval_seconds', 'component'] } })
})

t.test('refusals name the field and store nothing', async (t) => {
  const s = setup(t)
  const refused = (input: unknown, field: string, message: RegExp): void => {
    const error = t.throws(() => s.monitors.create(input, 'admin')) as InvalidInputError
    t.ok(error instanceof InvalidInputError, `${field}: an invalid input`)
    t.equal(error.field, field)
    t.match(error.message, message)
  }
  refused({ ...http, interval_seconds: 5 }, 'interval_seconds', /^interval_seconds: at least 10 seconds$/)
  refused({ ...http, component: 'Nowhere' }, 'component', /no component is named "Nowhere"/)
  s.components.create({ name: 'Chat', group: 'Teams' }, 'admin')
  s.components.create({ name: 'Chat', group: 'Outlook' }, 'admin')
  refused({ ...http, component: 'chat' }, 'component', /more than one component.*component_id/)
  refused({ ...http, component_id: 999 }, 'component_id', /no component has id 999/)
  t.same(s.monitors.list(), [])
  t.equal(s.signals(), 0)

  s.monitors.create(http, 'admin')
  const conflict = t.throws(() => s.monitors.create({ ...tcp, name: 'SIGN-IN api' }, 'admin')) as ConflictError
  t.ok(conflict instanceof ConflictError)
  t.equal(conflict.field, 'name')
  t.equal(s.monitors.list().length, 1)
  const other = s.monitors.create(tcp, 'admin').monitor
  t.throws(() => s.monitors.update(other.id, { ...tcp, name: 'sign-in API' }, 'admin'), ConflictError, 'a rename onto another name is refused')
  t.equal(s.monitors.update(other.id, { ...tcp, name: 'DATABASE' }, 'admin').name, 'DATABASE', 'a monitor may change the case of its own name')
  t.throws(() => s.monitors.update(999, tcp, 'admin'), NotFoundError)
})

t.test('a heartbeat gets a secret shown once, stored as its SHA-256; a new one replaces it', async (t) => {
  const s = setup(t)
  const { monitor, heartbeatSecret } = s.monitors.create(heartbeat, 'admin')
  t.match(heartbeatSecret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url')
  t.match(monitor, { failureThreshold: 1, successThreshold: 1, hasHeartbeatSecret: true, settings: { graceS: 600 } })
  const { monitors, audit, db } = s.context.stores
  t.equal(monitors.byHeartbeatHash(heartbeatSecretHash(heartbeatSecret as string))?.id, monitor.id)
  t.notOk(JSON.stringify(db.prepare('SELECT * FROM monitors').all()).includes(heartbeatSecret as string), 'the secret itself is not stored')
  const second = s.monitors.newHeartbeatSecret(monitor.id, 'admin')
  t.not(second, heartbeatSecret)
  t.equal(monitors.byHeartbeatHash(heartbeatSecretHash(heartbeatSecret as string)), undefined, 'the old secret stops working')
  t.equal(monitors.byHeartbeatHash(heartbeatSecretHash(second))?.id, monitor.id)
  t.notOk(JSON.stringify(audit.list(10)).includes(second), 'never in the audit log')
  t.equal(s.actions().at(-1), 'monitor.secret')
  const http1 = s.monitors.create(http, 'admin').monitor
  t.throws(() => s.monitors.newHeartbeatSecret(http1.id, 'admin'), ConflictError)
  // A heartbeat turned into a check no longer answers to its secret.
  s.monitors.update(monitor.id, { name: 'Nightly backup', kind: 'tcp', host: 'backup', port: 22 }, 'admin')
  t.equal(monitors.byHeartbeatHash(heartbeatSecretHash(second)), undefined)
  t.equal(s.monitors.get(monitor.id).hasHeartbeatSecret, false)
})

t.test('pause keeps the state; resume starts over, pending with counters at 0; both recorded as state changes', async (t) => {
  const s = setup(t)
  const { monitor } = s.monitors.create(tcp, 'admin')
  const { monitors } = s.context.stores
  monitors.saveStatus(monitor.id, { state: 'down', stateSince: '2020-02-03T12:00:00.000Z', failures: 5, successes: 0, lastRunAt: '2020-02-03T12:59:00.000Z', lastResult: 'down', lastLatencyMs: null, lastError: 'refused' })
  s.clock.advance(60_000)
  const paused = s.monitors.pause(monitor.id, 'admin')
  t.match(paused, { paused: true, state: 'down', failures: 5 })
  t.equal(s.monitors.pause(monitor.id, 'admin').paused, true, 'pausing a paused monitor changes nothing')
  s.clock.advance(60_000)
  const resumed = s.monitors.resume(monitor.id, 'admin')
  t.match(resumed, { paused: false, state: 'pending', stateSince: s.clock.now().toISOString(), failures: 0, successes: 0, lastError: 'refused' })
  t.same(monitors.events(monitor.id, 10).map((e) => [e.oldState, e.newState, e.reason]), [['paused', 'pending', 'resumed by admin'], ['down', 'paused', 'paused by admin']])
  t.same(s.actions(), ['monitor.create', 'monitor.pause', 'monitor.resume'])
  t.equal(s.signals(), 3)
  t.throws(() => s.monitors.pause(999, 'admin'), NotFoundError)
})

t.test('changing what a monitor checks starts it over; other changes keep its state', async (t) => {
  const s = setup(t)
  const { monitor } = s.monitors.create(http, 'admin')
  const { monitors } = s.context.stores
  const down = { state: 'down', stateSince: '2020-02-03T12:00:00.000Z', failures: 5, successes: 0, lastRunAt: '2020-02-03T12:59:00.000Z', lastResult: 'down', lastLatencyMs: 10, lastError: 'status 500' } as const
  monitors.saveStatus(monitor.id, down)
  monitors.setCertificate(monitor.id, { fingerprint: 'AB', subject: 's', issuer: 'i', names: [], validFrom: '2020-01-01T00:00:00.000Z', expiresAt: '2020-03-01T00:00:00.000Z' })
  t.match(s.monitors.update(monitor.id, { ...http, failure_threshold: 5 }, 'admin'), { state: 'down', failures: 5 }, 'a threshold is not a target')
  t.match(s.monitors.update(monitor.id, { ...http, url: 'https://login.example.com/ready' }, 'admin'), { state: 'pending', failures: 0, lastRunAt: null, lastError: null, certificate: null })
  t.match(monitors.events(monitor.id, 1)[0], { oldState: 'down', newState: 'pending', reason: 'what it checks was changed by admin' })
  monitors.saveStatus(monitor.id, down)
  t.match(s.monitors.update(monitor.id, { ...http, url: 'https://login.example.com/other', paused: true }, 'admin'), { state: 'pending', paused: true })
  t.match(monitors.events(monitor.id, 1)[0], { newState: 'paused' })
  t.match(s.monitors.update(monitor.id, { ...http, url: 'https://login.example.com/other' }, 'admin'), { state: 'pending', paused: false })
  t.match(monitors.events(monitor.id, 1)[0], { oldState: 'paused', newState: 'pending', reason: 'resumed by admin' })
})

t.test('patch keeps what it does not name; null puts a field back to its default; a new kind keeps only the shared fields', async (t) => {
  const s = setup(t)
  s.components.create({ name: 'Sign-in' }, 'admin')
  const { monitor } = s.monitors.create({ ...http, component: 'Sign-in', interval_seconds: 30, keyword: 'ok', headers: { 'X-Probe': '1' } }, 'admin')
  const patched = s.monitors.patch(monitor.id, { keyword: null, failure_threshold: 4 }, 'admin')
  t.match(patched, { intervalS: 30, failureThreshold: 4, componentId: monitor.componentId, settings: { keyword: null, headers: { 'X-Probe': '1' } } })
  t.equal(s.monitors.patch(monitor.id, { interval_seconds: null }, 'admin').intervalS, 60)
  t.equal(s.monitors.patch(monitor.id, { component: null }, 'admin').componentId, null)
  t.equal(s.monitors.patch(monitor.id, { component_id: monitor.componentId }, 'admin').componentId, monitor.componentId)
  const asTcp = s.monitors.patch(monitor.id, { kind: 'tcp', host: 'login.example.com', port: 443 }, 'admin')
  t.match(asTcp, { kind: 'tcp', settings: { host: 'login.example.com', port: 443 }, failureThreshold: 4, componentId: monitor.componentId })
  t.throws(() => s.monitors.patch(monitor.id, { url: 'https://x.example' }, 'admin'), /url: not a field of a tcp monitor/)
  t.throws(() => s.monitors.patch(monitor.id, { colour: 'red' }, 'admin'), /colour: unknown field/)
})

t.test('apply: creates, updates with the fields named, leaves the same alone, prunes; idempotent; a dry run writes nothing', async (t) => {
  const s = setup(t)
  s.components.create({ name: 'Sign-in' }, 'admin')
  s.monitors.create({ ...tcp, name: 'Old one' }, 'admin')
  const file = [{ ...http, component: 'Sign-in' }, tcp, heartbeat]
  const dry = s.monitors.apply(file, 'cli', { prune: true, dryRun: true })
  t.same(dry, { created: ['Sign-in API', 'Database', 'Nightly backup'], updated: [], unchanged: [], removed: ['Old one'], heartbeatSecrets: [] })
  t.same(s.monitors.list().map((m) => m.name), ['Old one'], 'a dry run writes nothing')
  const signalsBefore = s.signals()

  const first = s.monitors.apply(file, 'cli', { prune: false, dryRun: false })
  t.same(first.created, ['Sign-in API', 'Database', 'Nightly backup'])
  t.same(first.removed, [], 'without prune nothing is removed')
  t.equal(first.heartbeatSecrets.length, 1)
  t.equal(first.heartbeatSecrets[0]?.name, 'Nightly backup')
  const hb = s.monitors.byName('nightly backup')
  t.equal(hb?.id, s.context.stores.monitors.byHeartbeatHash(heartbeatSecretHash(first.heartbeatSecrets[0]?.secret as string))?.id)
  t.equal(s.signals(), signalsBefore + 1, 'one write, one signal')

  const second = s.monitors.apply(file, 'cli', { prune: false, dryRun: false })
  t.same(second, { created: [], updated: [], unchanged: ['Sign-in API', 'Database', 'Nightly backup'], removed: [], heartbeatSecrets: [] }, 'applying again changes nothing')
  t.equal(s.signals(), signalsBefore + 1, 'and sends nothing')

  const teamsChat = s.components.create({ name: 'Chat', group: 'Teams' }, 'admin')
  s.components.create({ name: 'Chat', group: 'Outlook' }, 'admin')
  s.monitors.create({ ...tcp, name: 'Chat relay', component_id: teamsChat.id }, 'admin')
  const exported = s.monitors.exportAll()
  t.match(exported.find((m) => m.name === 'Chat relay'), { component_id: teamsChat.id }, 'a component whose name is not unique is exported by id')
  t.notOk('component' in (exported.find((m) => m.name === 'Chat relay') as object))
  t.match(s.monitors.described(s.monitors.byName('Chat relay')?.id as number), { componentName: 'Chat', input: { component_id: teamsChat.id } })
  t.same(exported.map((m) => m.name), ['Chat relay', 'Database', 'Nightly backup', 'Old one', 'Sign-in API'])
  t.same(s.monitors.apply(exported, 'cli', { prune: true, dryRun: false }).unchanged.length, 5, 'an export applied again is all unchanged')

  const changed = s.monitors.apply([{ ...http, name: 'SIGN-IN API', interval_seconds: 120 }, { ...tcp, port: 5433 }], 'cli', { prune: true, dryRun: false })
  t.same(changed, {
    created: [],
    updated: [{ name: 'SIGN-IN API', fields: ['name', 'interval_seconds', 'component'] }, { name: 'Database', fields: ['port'] }],
    unchanged: [],
    removed: ['Chat relay', 'Nightly backup', 'Old one'],
    heartbeatSecrets: []
  })
  t.same(s.monitors.list().map((m) => m.name), ['Database', 'SIGN-IN API'])
  t.equal(s.actions().filter((a) => a === 'monitor.apply').length, 2, 'one audit entry per apply that changed something')
})

t.test('apply refuses the whole list for one bad entry, naming the entry and the path of its field', async (t) => {
  const s = setup(t)
  const check = (inputs: unknown[], index: number, path: unknown[], message: RegExp): void => {
    const error = t.throws(() => s.monitors.apply(inputs, 'cli', { prune: true, dryRun: false })) as ApplyInputError
    t.ok(error instanceof ApplyInputError)
    t.equal(error.index, index)
    t.same(error.path, path)
    t.match(error.message, message)
  }
  check([http, { ...tcp, port: 70000 }], 1, ['port'], /^monitor 2: port: at most 65535$/)
  check([http, { ...tcp, headers: { A: 'b' } }], 1, ['headers'], /not a field of a tcp monitor/)
  check([http, { ...http, url: 'https://login.example.com/', headers: { 'X-A': 'a\r\nInjected: 1' } }], 1, ['headers', 'X-A'], /one line/)
  check([http, { ...tcp, name: 'sign-in api' }], 1, ['name'], /also the name of monitor 1/)
  check(['just text'], 0, [], /a monitor must be a mapping/)
  t.same(s.monitors.list(), [], 'nothing was stored')
})

t.test('runs, events, certificates and warnings are read through the service; a warning is dismissed once', async (t) => {
  const s = setup(t)
  const { monitor } = s.monitors.create(http, 'admin')
  const { monitors } = s.context.stores
  monitors.insertRun({ monitorId: monitor.id, at: '2020-02-03T13:00:00.000Z', result: 'up', latencyMs: 5, statusCode: 200, error: null, inMaintenance: false })
  t.equal(s.monitors.runs(monitor.id, 10).length, 1)
  t.same(s.monitors.events(monitor.id, 10), [])
  t.throws(() => s.monitors.runs(999, 10), NotFoundError)
  t.throws(() => s.monitors.events(999, 10), NotFoundError)
  monitors.setCertificate(monitor.id, { fingerprint: 'AB', subject: 's', issuer: 'i', names: ['login.example.com'], validFrom: '2020-01-01T00:00:00.000Z', expiresAt: '2020-02-10T00:00:00.000Z' })
  t.same(s.monitors.list().filter((m) => m.certificate !== null).map((m) => m.id), [monitor.id])
  monitors.addWarning({ monitorId: monitor.id, fingerprint: 'AB', days: 7, expiresAt: '2020-02-10T00:00:00.000Z', createdAt: '2020-02-03T13:00:00.000Z' })
  const [warning] = s.monitors.openWarnings()
  t.match(warning, { monitorName: 'Sign-in API', days: 7 })
  const version = s.version()
  s.monitors.dismissWarning(warning?.id as number, 'admin')
  t.same(s.monitors.openWarnings(), [])
  t.throws(() => s.monitors.dismissWarning(warning?.id as number, 'admin'), NotFoundError)
  t.equal(s.version(), version)
  t.equal(s.actions().at(-1), 'monitor.dismiss-warning')
})

t.test('the audit log page says each monitor action in words', async (t) => {
  const s = setup(t)
  const { monitor } = s.monitors.create(heartbeat, 'user:alice')
  s.monitors.newHeartbeatSecret(monitor.id, 'user:alice')
  s.monitors.pause(monitor.id, 'user:alice')
  s.monitors.resume(monitor.id, 'user:alice')
  s.monitors.update(monitor.id, { ...heartbeat, grace_seconds: 5 }, 'user:alice')
  s.monitors.apply([tcp], 'cli', { prune: true, dryRun: false })
  const { monitor: other } = s.monitors.create(http, 'user:alice')
  s.context.stores.monitors.addWarning({ monitorId: other.id, fingerprint: 'AB', days: 7, expiresAt: '2020-02-10T00:00:00.000Z', createdAt: '2020-02-03T13:00:00.000Z' })
  s.monitors.dismissWarning(s.monitors.openWarnings()[0]?.id as number, 'user:alice')
  s.monitors.remove(other.id, 'user:alice')
  const words = s.context.stores.audit.list(20).reverse().map((entry) => auditEntryView({ ...entry, reference: null }).what)
  t.same(words, [
    'Created a monitor', 'Made a new heartbeat secret', 'Paused a monitor', 'Resumed a monitor', 'Changed a monitor', 'Applied a monitors file',
    'Created a monitor', 'Dismissed a certificate warning', 'Removed a monitor'
  ])
})
