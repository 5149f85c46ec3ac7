// Migration 005 (maintenance) on a database at version 4 with data: every row kept, foreign keys enforced and intact.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { MigrationError, migrate, readMigrations } from '../../server/db/migrate.js'
import { type Db, openDatabase } from '../../server/db/open-database.js'
import { createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { type TestContext, TestClock, tempDir } from '../fixtures/build.js'

// The tables of version 4 that hold the story, and the columns incidents had then.
const tables = ['components', 'incidents', 'incident_components', 'updates', 'component_status_changes', 'deliveries', 'audit_log', 'counters']
const incidentColumnsV4 = 'id, reference, name, impact, status, created_at, updated_at, started_at, monitoring_at, resolved_at'

function openAt4 (t: TestContext): Db {
  const db = openDatabase(join(tempDir(t), 'herald.db'))
  t.teardown(() => db.close())
  migrate(db, readMigrations().filter((m) => m.version <= 4))
  return db
}

/** TM202916 resolved with its story, a second incident still open, status changes by update and by hand, deliveries. */
function fillVersion4 (db: Db): void {
  db.exec(`
    INSERT INTO components (id, name, description, position, status, created_at, updated_at)
      VALUES (1, 'Teams chat', '', 1, 'operational', '2020-02-01T00:00:00.000Z', '2020-02-03T17:00:00.000Z'),
             (2, 'Sign-in', '', 2, 'degraded_performance', '2020-02-01T00:00:00.000Z', '2020-02-04T09:00:00.000Z');
    INSERT INTO incidents (id, reference, name, impact, status, created_at, updated_at, started_at, monitoring_at, resolved_at)
      VALUES (1, 'TM202916', 'Users unable to access Microsoft Teams', 'critical', 'resolved', '2020-02-03T13:30:00.000Z',
              '2020-02-03T17:00:00.000Z', '2020-02-03T13:30:00.000Z', '2020-02-03T16:00:00.000Z', '2020-02-03T17:00:00.000Z'),
             (2, 'hr000002', 'Slow sign-in', 'minor', 'investigating', '2020-02-04T09:00:00.000Z',
              '2020-02-04T09:00:00.000Z', '2020-02-04T08:55:00.000Z', NULL, NULL);
    INSERT INTO incident_components (incident_id, component_id) VALUES (1, 1), (2, 2);
    INSERT INTO updates (id, incident_id, status, body, notify, display_at, created_at, updated_at, post_text)
      VALUES (1, 1, 'investigating', 'We''re investigating an issue.', 1, '2020-02-03T13:30:00.000Z', '2020-02-03T13:31:00.000Z', '2020-02-03T13:31:00.000Z', NULL),
             (2, 1, 'identified', 'A certificate has expired.', 1, '2020-02-03T15:00:00.000Z', '2020-02-03T15:00:00.000Z', '2020-02-03T15:05:00.000Z', 'Certificate expired: fix on its way'),
             (3, 1, 'resolved', 'Resolved.', 0, '2020-02-03T17:00:00.000Z', '2020-02-03T17:00:00.000Z', '2020-02-03T17:00:00.000Z', NULL),
             (4, 2, 'investigating', 'Sign-in is slow.', 1, '2020-02-04T09:00:00.000Z', '2020-02-04T09:00:00.000Z', '2020-02-04T09:00:00.000Z', NULL);
    INSERT INTO component_status_changes (id, component_id, update_id, old_status, new_status, changed_at)
      VALUES (1, 1, 1, 'operational', 'major_outage', '2020-02-03T13:30:00.000Z'),
             (2, 1, 3, 'major_outage', 'operational', '2020-02-03T17:00:00.000Z'),
             (3, 2, NULL, 'operational', 'under_maintenance', '2020-02-04T01:00:00.000Z'),
             (4, 2, 4, 'under_maintenance', 'degraded_performance', '2020-02-04T09:00:00.000Z');
    INSERT INTO deliveries (id, update_id, incident_id, channel, state, text, link, idempotency_key, reply_to_id, attempts,
                            uncertain, next_attempt_at, remote_id, remote_url, last_error, created_at, updated_at, sent_at)
      VALUES (1, 1, 1, 'twitter', 'sent', '[Investigating] TM202916 …', 'https://status.example.com/incidents/TM202916#update-1',
              'key-1', NULL, 1, 0, NULL, '1224', 'https://x.com/s/status/1224', NULL, '2020-02-03T13:31:00.000Z', '2020-02-03T13:31:02.000Z', '2020-02-03T13:31:02.000Z'),
             (2, 2, 1, 'twitter', 'failed', '[Identified] TM202916 …', 'https://status.example.com/incidents/TM202916#update-2',
              'key-2', '1224', 8, 1, NULL, NULL, NULL, 'X answered 503', '2020-02-03T15:00:00.000Z', '2020-02-03T15:10:00.000Z', NULL),
             (3, 3, 1, 'mastodon', 'skipped', '[Resolved] TM202916 …', 'https://status.example.com/incidents/TM202916#update-3',
              'key-3', NULL, 0, 0, NULL, NULL, NULL, NULL, '2020-02-03T17:00:00.000Z', '2020-02-03T17:00:00.000Z', NULL),
             (4, 4, 2, 'mastodon', 'pending', '[Investigating] HR000002 …', 'https://status.example.com/incidents/hr000002#update-4',
              'key-4', NULL, 0, 0, '2020-02-04T09:00:05.000Z', NULL, NULL, NULL, '2020-02-04T09:00:00.000Z', '2020-02-04T09:00:00.000Z', NULL);
    INSERT INTO audit_log (id, at, actor, action, incident_id, detail)
      VALUES (1, '2020-02-03T13:31:00.000Z', 'token:ops', 'incident.open', 1, '{"reference":"TM202916"}'),
             (2, '2020-02-04T09:00:00.000Z', 'cli', 'incident.open', 2, '{}'),
             (3, '2020-02-04T01:00:00.000Z', 'user:alice', 'component.edit', NULL, '{}');
    INSERT INTO counters (name, value) VALUES ('reference_sequence', 2)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value;
  `)
}

// Not storedRows (test/fixtures/stored.ts): incidents are compared on their version-4 columns, the ones the migration must keep.
function rows (db: Db): Record<string, unknown[]> {
  return Object.fromEntries(tables.map((table) => {
    const columns = table === 'incidents' ? incidentColumnsV4 : '*'
    return [table, db.prepare(`SELECT ${columns} FROM ${table} ORDER BY 1, 2`).all()]
  }))
}

function indexes (db: Db): string[] {
  return db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name").pluck().all() as string[]
}

t.test('migrating a version 4 database with incidents, updates, status changes and deliveries keeps every row', async (t) => {
  const db = openAt4(t)
  t.equal(db.pragma('user_version', { simple: true }), 4)
  fillVersion4(db)
  t.same(db.pragma('foreign_key_check'), [], 'the version 4 data is consistent to begin with')
  const before = rows(db)
  const indexesBefore = indexes(db)

  t.same(migrate(db, readMigrations().filter((m) => m.version <= 5)), ['005-maintenance.sql'])
  t.equal(db.pragma('user_version', { simple: true }), 5)
  t.same(rows(db), before, 'every row of every table, unchanged')
  t.same(db.prepare('SELECT DISTINCT kind FROM incidents').pluck().all(), ['incident'])
  t.same(db.prepare('SELECT COUNT(*) FROM incidents WHERE scheduled_for IS NOT NULL OR scheduled_until IS NOT NULL OR auto_start IS NOT NULL OR auto_complete IS NOT NULL').pluck().get(), 0)
  t.same(db.prepare('SELECT id, update_id FROM component_status_changes ORDER BY id').all(),
    [{ id: 1, update_id: 1 }, { id: 2, update_id: 3 }, { id: 3, update_id: null }, { id: 4, update_id: 4 }], 'status changes still name their updates (no SET NULL ran)')
  for (const index of indexesBefore) t.ok(indexes(db).includes(index), `index ${index} is still there`)
  t.ok(indexes(db).includes('incidents_maintenance'))

  t.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on again')
  t.same(db.pragma('foreign_key_check'), [], 'no reference dangles')
  t.throws(() => db.prepare("INSERT INTO updates (incident_id, status, body, display_at, created_at, updated_at) VALUES (99, 'investigating', 'b', 'x', 'x', 'x')").run(), /FOREIGN KEY constraint failed/)
  t.throws(() => db.prepare("INSERT INTO deliveries (update_id, incident_id, channel, text, link, idempotency_key, created_at, updated_at) VALUES (4, 99, 'twitter', 't', 'l', 'k-99', 'x', 'x')").run(), /FOREIGN KEY constraint failed/, 'deliveries refer to the new incidents table')
  t.throws(() => db.prepare('INSERT INTO incident_components (incident_id, component_id) VALUES (99, 1)').run(), /FOREIGN KEY constraint failed/)
  t.throws(() => db.prepare("INSERT INTO incidents (reference, name, impact, status, created_at, updated_at, started_at) VALUES ('tm202916', 'x', 'none', 'investigating', 'x', 'x', 'x')").run(), /UNIQUE constraint failed/, 'references stay unique regardless of case')

  // The cascades still reach the rebuilt tables: deleting an incident takes its updates and deliveries along.
  db.prepare('DELETE FROM incidents WHERE id = 1').run()
  t.equal(db.prepare('SELECT COUNT(*) FROM updates WHERE incident_id = 1').pluck().get(), 0)
  t.equal(db.prepare('SELECT COUNT(*) FROM deliveries WHERE incident_id = 1').pluck().get(), 0)
  t.same(db.prepare('SELECT update_id FROM component_status_changes WHERE id = 1').pluck().get(), null, 'and status changes lose their update')
  t.same(db.prepare('SELECT incident_id FROM audit_log WHERE id = 1').pluck().get(), null, 'and the audit keeps its entry')
})

t.test('the new checks: a maintenance needs its window, an incident takes only incident statuses', async (t) => {
  const db = openAt4(t)
  migrate(db)
  const insert = db.prepare(`INSERT INTO incidents (reference, kind, name, impact, status, created_at, updated_at, started_at,
    scheduled_for, scheduled_until, auto_start, auto_complete) VALUES (?, ?, 'x', 'none', ?, 'x', 'x', 'x', ?, ?, ?, ?)`)
  t.throws(() => insert.run('A1', 'incident', 'scheduled', null, null, null, null), /CHECK constraint failed/)
  t.throws(() => insert.run('A2', 'maintenance', 'investigating', 'a', 'b', 1, 1), /CHECK constraint failed/)
  t.throws(() => insert.run('A3', 'maintenance', 'scheduled', null, 'b', 1, 1), /CHECK constraint failed/)
  t.throws(() => insert.run('A4', 'maintenance', 'scheduled', 'b', 'a', 1, 1), /CHECK constraint failed/, 'the end after the start')
  t.throws(() => insert.run('A5', 'maintenance', 'scheduled', 'a', 'b', null, 1), /CHECK constraint failed/)
  t.throws(() => insert.run('A6', 'incident', 'investigating', 'a', 'b', null, null), /CHECK constraint failed/, 'an incident has no window')
  t.throws(() => insert.run('A7', 'outage', 'investigating', null, null, null, null), /CHECK constraint failed/)
  insert.run('A8', 'maintenance', 'scheduled', 'a', 'b', 1, 0)
  insert.run('A9', 'incident', 'postmortem', null, null, null, null)
  t.pass('the two kinds are stored')
})

t.test('Herald works on the migrated database: old incidents read, updated and listed; maintenances scheduled', async (t) => {
  const db = openAt4(t)
  fillVersion4(db)
  migrate(db)
  const clock = new TestClock('2020-02-04T10:00:00.000Z')
  const s = createServices({ stores: createStores(db), clock: clock.now, incidentPrefix: 'HR' })
  t.match(s.incidents.get('TM202916'), {
    status: 'resolved',
    maintenance: null,
    monitoringAt: '2020-02-03T16:00:00.000Z',
    updates: [{ id: 3, notify: false }, { id: 2, postText: 'Certificate expired: fix on its way' }, { id: 1, affectedComponents: [{ componentId: 1, newStatus: 'major_outage' }] }]
  })
  s.incidents.postUpdate('HR000002', { body: 'Found it.', status: 'identified' }, 'cli')
  t.same(s.context.stores.incidents.open().map((i) => i.reference), ['hr000002'])
  const maintenance = s.maintenances.schedule({ name: 'Upgrade', body: 'b', scheduledFor: '2020-02-05T02:00:00.000Z', scheduledUntil: '2020-02-05T04:00:00.000Z', components: [2] }, 'cli')
  t.equal(maintenance.reference, 'MNT000001', 'maintenances have their own sequence (since 011)')
  t.equal(s.incidents.open({ name: 'Another', body: 'b' }, 'cli').reference, 'HR000003', 'the reference sequence goes on')
  t.same(db.pragma('foreign_key_check'), [])
})

t.test('a migration that would leave references dangling is rolled back, and foreign keys come back on', async (t) => {
  const dir = tempDir(t)
  const migrations = join(dir, 'migrations')
  mkdirSync(migrations)
  writeFileSync(join(migrations, '001-tables.sql'), `
    CREATE TABLE parents (id INTEGER PRIMARY KEY) STRICT;
    CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents(id) ON DELETE CASCADE) STRICT;
    INSERT INTO parents (id) VALUES (1), (2);
    INSERT INTO children (id, parent_id) VALUES (10, 1), (20, 2);`)
  // A rebuild that forgets a row: without the check, the child of parent 2 would point at nothing.
  writeFileSync(join(migrations, '002-rebuild.sql'), `
    CREATE TABLE parents_new (id INTEGER PRIMARY KEY, name TEXT) STRICT;
    INSERT INTO parents_new (id) SELECT id FROM parents WHERE id = 1;
    DROP TABLE parents;
    ALTER TABLE parents_new RENAME TO parents;`)
  const db = openDatabase(join(dir, 'fk.db'))
  t.teardown(() => db.close())
  const error = t.throws(() => migrate(db, readMigrations(migrations))) as Error
  t.type(error, MigrationError)
  t.match(error.message, /002-rebuild\.sql.*1 rows of children refer to missing rows of parents/)
  t.equal(db.pragma('user_version', { simple: true }), 1)
  t.same(db.prepare('SELECT id FROM parents ORDER BY id').pluck().all(), [1, 2], 'the rebuild was rolled back')
  t.same(db.prepare('SELECT id FROM children ORDER BY id').pluck().all(), [10, 20], 'no cascade ran')
  t.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on again after the failure')

  writeFileSync(join(migrations, '002-rebuild.sql'), `
    CREATE TABLE parents_new (id INTEGER PRIMARY KEY, name TEXT) STRICT;
    INSERT INTO parents_new (id) SELECT id FROM parents;
    DROP TABLE parents;
    ALTER TABLE parents_new RENAME TO parents;`)
  t.same(migrate(db, readMigrations(migrations)), ['002-rebuild.sql'])
  t.same(db.prepare('SELECT id FROM children ORDER BY id').pluck().all(), [10, 20], 'dropping the old table cascaded into nothing')
  t.throws(() => db.prepare('INSERT INTO children (id, parent_id) VALUES (30, 3)').run(), /FOREIGN KEY constraint failed/)
})
