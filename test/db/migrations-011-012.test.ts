// Migrations 011 (cancelled maintenances, the maintenances' own sequence) and 012 (template presets) on a database with data: every row kept.
import { join } from 'node:path'
import t from 'tap'
import { migrate, readMigrations } from '../../server/db/migrate.js'
import { type Db, openDatabase } from '../../server/db/open-database.js'
import { createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { type TestContext, TestClock, tempDir } from '../fixtures/build.js'

const tables = ['incidents', 'updates', 'component_status_changes', 'deliveries', 'audit_log']

/** A database just before 011 (written in SQL: the code reads 011's column), with a maintenance that ran under INC000001, an incident, updates, a delivery. */
function openBefore011 (t: TestContext): Db {
  const db = openDatabase(join(tempDir(t), 'herald.db'))
  t.teardown(() => db.close())
  migrate(db, readMigrations().filter((m) => m.version < 11))
  db.exec(`
    INSERT INTO components (id, name, status, created_at, updated_at) VALUES (1, 'Teams chat', 'major_outage', '2020-02-01T00:00:00.000Z', '2020-02-03T13:00:00.000Z');
    INSERT INTO incidents (id, reference, kind, name, impact, status, created_at, updated_at, started_at, resolved_at, scheduled_for, scheduled_until, auto_start, auto_complete)
      VALUES (1, 'INC000001', 'maintenance', 'Upgrade', 'none', 'completed', '2020-02-01T00:00:00.000Z', '2020-02-02T04:00:00.000Z',
              '2020-02-02T02:00:00.000Z', '2020-02-02T04:00:00.000Z', '2020-02-02T02:00:00.000Z', '2020-02-02T04:00:00.000Z', 1, 1);
    INSERT INTO incidents (id, reference, name, impact, status, created_at, updated_at, started_at)
      VALUES (2, 'INC000002', 'Chat down', 'critical', 'investigating', '2020-02-03T13:00:00.000Z', '2020-02-03T13:00:00.000Z', '2020-02-03T13:00:00.000Z');
    INSERT INTO incident_components (incident_id, component_id) VALUES (1, 1), (2, 1);
    INSERT INTO updates (id, incident_id, status, body, notify, display_at, created_at, updated_at, post_text)
      VALUES (1, 1, 'scheduled', 'We will upgrade.', 1, '2020-02-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z', NULL),
             (2, 1, 'completed', 'Done.', 0, '2020-02-02T04:00:00.000Z', '2020-02-02T04:00:00.000Z', '2020-02-02T04:00:00.000Z', 'Done!'),
             (3, 2, 'investigating', 'Looking.', 1, '2020-02-03T13:00:00.000Z', '2020-02-03T13:00:00.000Z', '2020-02-03T13:00:00.000Z', NULL);
    INSERT INTO component_status_changes (component_id, update_id, old_status, new_status, changed_at)
      VALUES (1, 3, 'operational', 'major_outage', '2020-02-03T13:00:00.000Z');
    INSERT INTO deliveries (update_id, incident_id, channel, state, text, link, idempotency_key, created_at, updated_at)
      VALUES (3, 2, 'mastodon', 'pending', '[Investigating] INC000002 Chat down', 'https://status.example.com/incidents/INC000002#update-3', 'k-3',
              '2020-02-03T13:00:00.000Z', '2020-02-03T13:00:00.000Z');
    INSERT INTO audit_log (at, actor, action, incident_id) VALUES ('2020-02-03T13:00:00.000Z', 'cli', 'incident.open', 2);
    UPDATE counters SET value = 2 WHERE name = 'reference_sequence';`)
  return db
}

function rows (db: Db): Record<string, unknown[]> {
  return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()]))
}

t.test('every row is kept, references included; the updates table takes cancelled and keeps its indexes and references', async (t) => {
  const db = openBefore011(t)
  const before = rows(db)
  t.same(db.pragma('foreign_key_check'), [])
  migrate(db, readMigrations().filter((m) => m.version <= 11))
  t.equal(db.pragma('user_version', { simple: true }), 11)
  const after = rows(db)
  t.same(after.incidents, (before.incidents as Array<Record<string, unknown>>).map((row) => ({ ...row, cancelled_at: null })), 'incidents keep every column; none is cancelled')
  for (const table of tables.slice(1)) t.same(after[table], before[table], `${table}: every row unchanged`)
  t.same(db.prepare('SELECT reference FROM incidents ORDER BY id').pluck().all(), ['INC000001', 'INC000002'], 'existing maintenances keep their references')
  t.equal(db.prepare("SELECT value FROM counters WHERE name = 'maintenance_reference_sequence'").pluck().get(), 0)
  for (const index of ['updates_incident', 'updates_display', 'updates_updated']) {
    t.equal(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(index), 1, `index ${index}`)
  }
  t.same(db.pragma('foreign_key_check'), [], 'no reference dangles')
  t.throws(() => db.prepare("INSERT INTO updates (incident_id, status, body, display_at, created_at, updated_at) VALUES (99, 'cancelled', 'b', 'x', 'x', 'x')").run(), /FOREIGN KEY constraint failed/)
  t.throws(() => db.prepare("INSERT INTO updates (incident_id, status, body, display_at, created_at, updated_at) VALUES (1, 'called_off', 'b', 'x', 'x', 'x')").run(), /CHECK constraint failed/)
  // Only a maintenance stored completed can carry a cancellation time.
  t.throws(() => db.prepare("UPDATE incidents SET cancelled_at = 'x' WHERE reference = 'INC000002'").run(), /CHECK constraint failed/, 'not an incident')
  db.prepare("UPDATE incidents SET cancelled_at = '2020-02-03T13:00:00.000Z' WHERE reference = 'INC000001'").run()
  t.throws(() => db.prepare("UPDATE incidents SET status = 'in_progress' WHERE reference = 'INC000001'").run(), /CHECK constraint failed/, 'nor one running')
  // The cascade still reaches the rebuilt table.
  db.prepare("DELETE FROM incidents WHERE reference = 'INC000002'").run()
  t.equal(db.prepare('SELECT COUNT(*) FROM updates WHERE incident_id = 2').pluck().get(), 0)
  t.equal(db.prepare('SELECT COUNT(*) FROM deliveries WHERE incident_id = 2').pluck().get(), 0)
})

t.test('after 011 new maintenances take MNT references from 1, whatever the incidents\' sequence is at', async (t) => {
  const db = openBefore011(t)
  migrate(db)
  const s = createServices({ stores: createStores(db), clock: new TestClock('2020-02-03T13:00:00.000Z').now, incidentPrefix: 'INC' })
  const maintenance = s.maintenances.schedule({ name: 'Next', body: 'b', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T03:00:00.000Z' }, 'cli')
  t.equal(maintenance.reference, 'MNT000001')
  t.equal(s.incidents.open({ name: 'Another', body: 'b' }, 'cli').reference, 'INC000003')
  t.equal(s.maintenances.get('INC000001').status, 'completed', 'the old one reads as before')
})

t.test('012: templates keep their texts, with no presets, and the new columns refuse what is no preset', async (t) => {
  const db = openBefore011(t)
  db.exec(`INSERT INTO incident_templates (name, title, body, created_at, updated_at)
    VALUES ('Unreachable', 'Users may be unable to access {component}', 'Looking.', '2020-02-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z')`)
  migrate(db)
  const s = createServices({ stores: createStores(db), clock: new TestClock('2020-02-03T13:00:00.000Z').now, incidentPrefix: 'INC' })
  t.match(s.templates.list(), [{ name: 'Unreachable', title: 'Users may be unable to access {component}', body: 'Looking.', status: null, impact: null, componentStatuses: {} }])
  const update = db.prepare('UPDATE incident_templates SET status = ?, impact = ?, component_statuses = ?')
  t.throws(() => update.run('scheduled', null, '{}'), /CHECK constraint failed/, 'a maintenance status')
  t.throws(() => update.run(null, 'huge', '{}'), /CHECK constraint failed/)
  t.throws(() => update.run(null, null, '[1]'), /CHECK constraint failed/, 'not an object')
  t.throws(() => update.run(null, null, '{'), /CHECK constraint failed|malformed JSON/)
  update.run('identified', 'major', '{"1":"major_outage","x":"bad","2":"on_fire"}')
  t.match(s.templates.list()[0], { status: 'identified', impact: 'major', componentStatuses: { 1: 'major_outage' } }, 'entries that are no component status are passed over')
  t.same(Object.keys(s.templates.list()[0]?.componentStatuses ?? {}), ['1'])
})
