// The draft write paths: create, change, note, discard and publish (one write), checked as opening an incident is.
import t from 'tap'
import { InvalidInputError, NotFoundError } from '../../server/services/errors.js'
import { maxNoteLength } from '../../server/services/draft-service.js'
import { storedRows } from '../fixtures/stored.js'
import { buildServices } from '../fixtures/services.js'

t.test('a draft is saved with its fields, audited, and leaves the content version and the references alone', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const { counters, audit } = s.context.stores
  const version = counters.get('content_version')
  const sequence = counters.get('reference_sequence')
  s.clock.set('2020-02-03T13:30:00.000Z')
  const draft = s.drafts.create({ name: 'Sign-in failing', body: 'An authentication certificate expired', components: { [chat.id]: 'major_outage' } }, 'user:alice')
  t.match(draft, {
    name: 'Sign-in failing',
    body: 'An authentication certificate expired',
    status: 'investigating',
    impact: null,
    components: { [chat.id]: 'major_outage' },
    monitorId: null,
    note: null,
    createdBy: 'user:alice',
    createdAt: '2020-02-03T13:30:00.000Z',
    updatedAt: '2020-02-03T13:30:00.000Z'
  })
  t.same(s.drafts.list().map((d) => d.id), [draft.id])
  t.equal(s.drafts.count(), 1)
  t.equal(counters.get('content_version'), version, 'a draft is not public: the content version stays')
  t.equal(counters.get('reference_sequence'), sequence, 'no reference is taken')
  t.equal(s.components.get(chat.id).status, 'operational', 'a draft changes no component')
  t.match(audit.list(1)[0], { actor: 'user:alice', action: 'draft.create', incidentId: null, detail: { id: draft.id, name: 'Sign-in failing' } })

  s.clock.set('2020-02-03T13:40:00.000Z')
  const changed = s.drafts.update(draft.id, { name: 'Sign-in down', body: 'Expired', status: 'identified', impact: 'critical' }, 'user:bob')
  t.match(changed, { name: 'Sign-in down', body: 'Expired', status: 'identified', impact: 'critical', components: {}, createdBy: 'user:alice', updatedAt: '2020-02-03T13:40:00.000Z' })
  t.match(audit.list(1)[0], { actor: 'user:bob', action: 'draft.update', detail: { before: { name: 'Sign-in failing' }, after: { name: 'Sign-in down' } } })
  t.equal(counters.get('content_version'), version)

  s.drafts.discard(draft.id, 'user:bob')
  t.same(s.drafts.list(), [])
  t.match(audit.list(1)[0], { actor: 'user:bob', action: 'draft.discard', detail: { id: draft.id, name: 'Sign-in down' } })
  t.equal(counters.get('content_version'), version)
  t.throws(() => s.drafts.get(draft.id), NotFoundError)
  t.throws(() => s.drafts.discard(draft.id, 'user:bob'), NotFoundError)
  t.throws(() => s.drafts.update(draft.id, { name: 'x', body: 'y' }, 'user:bob'), NotFoundError)
})

t.test('publishing opens an ordinary incident and removes the draft in one write', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  s.clock.set('2020-02-03T13:30:00.000Z')
  const draft = s.drafts.create({ name: 'Sign-in failing', body: 'Investigating', status: 'identified', components: { [chat.id]: 'partial_outage' } }, 'user:alice')
  const version = s.context.stores.counters.get('content_version')
  s.clock.set('2020-02-03T13:45:00.000Z')
  const incident = s.drafts.publish(draft.id, 'user:bob')
  t.match(incident, {
    reference: 'HR000001',
    name: 'Sign-in failing',
    status: 'identified',
    impact: 'major',
    startedAt: '2020-02-03T13:45:00.000Z',
    components: [{ id: chat.id }],
    updates: [{ body: 'Investigating', status: 'identified', displayAt: '2020-02-03T13:45:00.000Z' }]
  })
  t.equal(s.components.get(chat.id).status, 'partial_outage')
  t.ok(s.context.stores.counters.get('content_version') > version, 'publishing is a public write')
  t.same(s.drafts.list(), [])
  t.match(s.context.stores.audit.list(2), [
    { actor: 'user:bob', action: 'draft.publish', incidentId: incident.id, detail: { id: draft.id, reference: 'HR000001', createdBy: 'user:alice', edited: false } },
    { actor: 'user:bob', action: 'incident.open', incidentId: incident.id }
  ])
  t.throws(() => s.drafts.publish(draft.id, 'user:bob'), NotFoundError, 'publishing twice: the draft is gone')
  t.equal(s.incidents.get('HR000001').updates.length, 1)
})

t.test('publishing with edits publishes the edits, not the saved draft', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const draft = s.drafts.create({ name: 'Draft name', body: 'Draft body', impact: 'minor' }, 'user:alice')
  const incident = s.drafts.publish(draft.id, 'token:ci', { name: 'Edited name', body: 'Edited body', status: 'monitoring', components: { [chat.id]: 'degraded_performance' } })
  t.match(incident, { name: 'Edited name', status: 'monitoring', impact: 'minor', updates: [{ body: 'Edited body' }] })
  t.match(s.context.stores.audit.list(1)[0], { action: 'draft.publish', detail: { edited: true } })
})

t.test('a refused publish leaves the draft and opens nothing', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const draft = s.drafts.create({ name: 'Name', body: 'Body', components: { [chat.id]: 'major_outage' } }, 'user:alice')
  const before = storedRows(s.context.stores.db)
  t.throws(() => s.drafts.publish(draft.id, 'user:bob', { name: 'Name', body: 'Body', status: 'resolved' as never }), { name: 'InvalidInputError', field: 'status' })
  t.throws(() => s.drafts.publish(draft.id, 'user:bob', { name: '', body: 'Body' }), { name: 'InvalidInputError', field: 'name' })
  t.same(storedRows(s.context.stores.db), before, 'refused edits store nothing')
  // The component went away after the draft was saved: the incident's own check refuses it, inside the write.
  s.context.stores.db.prepare('UPDATE components SET deleted_at = ? WHERE id = ?').run('2020-01-01T00:00:00.000Z', chat.id)
  const withoutComponent = storedRows(s.context.stores.db)
  t.throws(() => s.drafts.publish(draft.id, 'user:bob'), { name: 'InvalidInputError', field: 'components' })
  t.same(storedRows(s.context.stores.db), withoutComponent, 'nothing stored, the draft kept')
  t.equal(s.drafts.get(draft.id).name, 'Name')
})

t.test('refuses what opening an incident refuses, storing nothing', async (t) => {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat' }, 'cli')
  const draft = s.drafts.create({ name: 'Name', body: 'Body' }, 'user:alice')
  const before = storedRows(s.context.stores.db)
  const bad: Array<[string, Record<string, unknown>]> = [
    ['name', { name: '' }],
    ['name', { name: '   ' }],
    ['name', { name: 'two\nlines' }],
    ['name', { name: 'nul\u0000' }],
    ['name', { name: 'lone \uD800 surrogate' }],
    ['name', { name: '\u202E' }],
    ['name', { name: 'x'.repeat(201) }],
    ['body', { body: '' }],
    ['body', { body: 'bell\u0007' }],
    ['body', { body: 'x'.repeat(20_001) }],
    ['status', { status: 'resolved' }],
    ['status', { status: 'postmortem' }],
    ['impact', { impact: 'huge' }],
    ['components', { components: { 999: 'major_outage' } }],
    ['components', { components: { abc: 'major_outage' } }],
    ['components', { components: { [chat.id]: 'on_fire' } }],
    ['components', { components: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [String(i + 1), 'major_outage'])) }]
  ]
  for (const [field, change] of bad) {
    const input = { name: 'Name', body: 'Body', ...change } as never
    t.throws(() => s.drafts.create(input, 'user:alice'), InvalidInputError, `create: ${JSON.stringify(change).slice(0, 60)}`)
    t.throws(() => s.drafts.update(draft.id, input, 'user:alice'), { name: 'InvalidInputError', field }, `update: ${field}`)
  }
  t.same(storedRows(s.context.stores.db), before)
  // Within the bounds: 200 and 20,000 code points (an emoji counts once), an isolated bidi override inside text.
  const ok = s.drafts.create({ name: '😀'.repeat(200), body: '😀'.repeat(20_000) }, 'user:alice')
  t.equal([...ok.name].length, 200)
  t.ok(s.drafts.create({ name: 'a \u202Eb\u202C c', body: 'x' }, 'user:alice'))
})

t.test("a monitor's draft keeps its monitor, notes appended, and starts when the monitor saw it", async (t) => {
  const s = buildServices(t)
  const { db } = s.context.stores
  s.clock.set('2020-02-03T13:30:00.000Z')
  const monitorId = Number(db.prepare(`INSERT INTO monitors (name, kind, settings, interval_s, timeout_ms, state_since, created_at, updated_at)
    VALUES ('sign-in', 'http', '{}', 60, 1000, ?, ?, ?)`).run('2020-02-03T13:00:00.000Z', '2020-02-03T13:00:00.000Z', '2020-02-03T13:00:00.000Z').lastInsertRowid)
  const draft = s.drafts.create({ name: 'sign-in is down', body: 'status 500' }, 'monitor:sign-in', { monitorId, note: 'down at 13:30' })
  t.match(draft, { monitorId, note: 'down at 13:30', createdBy: 'monitor:sign-in' })
  s.clock.set('2020-02-03T13:50:00.000Z')
  s.drafts.addNote(draft.id, 'recovered at 13:50')
  t.match(s.drafts.get(draft.id), { note: 'down at 13:30\nrecovered at 13:50', updatedAt: '2020-02-03T13:50:00.000Z' })
  t.throws(() => s.drafts.addNote(draft.id, 'bad\u0000'), { name: 'InvalidInputError', field: 'note' })
  t.throws(() => s.drafts.addNote(999, 'x'), NotFoundError)

  // A person's edit keeps the monitor and its note.
  t.match(s.drafts.update(draft.id, { name: 'Sign-in down', body: 'Looking' }, 'user:alice'), { monitorId, note: 'down at 13:30\nrecovered at 13:50' })

  db.prepare('UPDATE monitors SET draft_id = ? WHERE id = ?').run(draft.id, monitorId)
  s.clock.set('2020-02-03T14:00:00.000Z')
  const incident = s.drafts.publish(draft.id, 'user:alice')
  t.match(incident, { startedAt: '2020-02-03T13:30:00.000Z', updates: [{ displayAt: '2020-02-03T14:00:00.000Z' }] })
  t.equal((db.prepare('SELECT draft_id FROM monitors WHERE id = ?').get(monitorId) as { draft_id: number | null }).draft_id, null, 'the link is cleared with the draft')
})

t.test("a monitor's note keeps its newest lines", async (t) => {
  const s = buildServices(t)
  const draft = s.drafts.create({ name: 'Flapping', body: 'b' }, 'user:alice')
  const line = 'x'.repeat(999)
  for (let i = 0; i < 6; i++) s.drafts.addNote(draft.id, `${i}${line}`)
  const note = s.drafts.get(draft.id).note as string
  t.ok(note.length <= maxNoteLength)
  t.ok(note.endsWith(`5${line}`))
  t.notOk(note.includes(`0${line}`))
})
