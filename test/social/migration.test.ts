// Migration 003: the custom post text column, and the outbox rebuilt with what a resend needs, keeping any older row.
import { join } from 'node:path'
import t from 'tap'
import { migrate, readMigrations } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { tempDir } from '../fixtures/build.js'

t.test('003 rebuilds deliveries; rows written before it are kept as skipped', async (t) => {
  const db = openDatabase(join(tempDir(t), 'herald.db'))
  t.teardown(() => db.close())
  const all = readMigrations()
  migrate(db, all.filter((migration) => migration.version < 3))
  const at = '2020-02-03T14:00:00.000Z'
  db.prepare("INSERT INTO incidents (reference, name, impact, status, started_at, created_at, updated_at) VALUES ('TM202916', 'Teams', 'major', 'investigating', ?, ?, ?)").run(at, at, at)
  db.prepare("INSERT INTO updates (incident_id, status, body, display_at, created_at, updated_at) VALUES (1, 'investigating', 'Down.', ?, ?, ?)").run(at, at, at)
  db.prepare("INSERT INTO deliveries (update_id, channel, state, attempts, created_at, updated_at) VALUES (1, 'twitter', 'pending', 2, ?, ?)").run(at, at)

  t.same(migrate(db, all).filter((file) => file.startsWith('003')), ['003-social.sql'])
  t.same(db.prepare('SELECT * FROM deliveries').all(), [{
    id: 1,
    update_id: 1,
    incident_id: 1,
    channel: 'twitter',
    state: 'skipped',
    text: '',
    link: '',
    idempotency_key: 'legacy-1',
    reply_to_id: null,
    attempts: 2,
    uncertain: 0,
    next_attempt_at: null,
    remote_id: null,
    remote_url: null,
    last_error: null,
    created_at: at,
    updated_at: at,
    sent_at: null
  }])
  t.equal(db.prepare('SELECT post_text FROM updates').pluck().get(), null)
  t.same(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all(),
    ['deliveries_due', 'deliveries_thread'])
  t.throws(() => db.prepare("INSERT INTO deliveries (update_id, incident_id, channel, text, link, idempotency_key, created_at, updated_at) VALUES (1, 1, 'facebook', 'x', 'y', 'k', ?, ?)").run(at, at),
    /CHECK constraint failed/, 'only the known channels')
  t.same(db.pragma('foreign_key_check'), [], 'references hold')
})
