// The outbox migrations: 003 (the custom post text column, the outbox rebuilt with what a resend needs) and 008 (a delivery of a postmortem), each keeping the rows before it.
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

  // Up to the migration before 008, which rebuilds the outbox again (tested below).
  t.same(migrate(db, all.filter((migration) => migration.version < 8)).filter((file) => file.startsWith('003')), ['003-social.sql'])
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

t.test('008 lets a delivery be of a postmortem (no update), keeps every row as it was, posts a postmortem once per channel', async (t) => {
  const db = openDatabase(join(tempDir(t), 'herald.db'))
  t.teardown(() => db.close())
  const all = readMigrations()
  migrate(db, all.filter((migration) => migration.version < 8))
  const at = '2020-02-03T14:00:00.000Z'
  db.prepare("INSERT INTO incidents (reference, name, impact, status, started_at, created_at, updated_at, resolved_at) VALUES ('TM202916', 'Teams', 'major', 'resolved', ?, ?, ?, ?)").run(at, at, at, at)
  db.prepare("INSERT INTO updates (incident_id, status, body, display_at, created_at, updated_at) VALUES (1, 'resolved', 'Fixed.', ?, ?, ?)").run(at, at, at)
  db.prepare(`INSERT INTO deliveries (update_id, incident_id, channel, state, text, link, idempotency_key, reply_to_id, attempts, uncertain,
    next_attempt_at, remote_id, remote_url, last_error, created_at, updated_at, sent_at)
    VALUES (1, 1, 'mastodon', 'sent', 'Fixed. l', 'l', 'key-1', 'r0', 2, 1, NULL, 'r1', 'https://m/r1', 'note', ?, ?, ?)`).run(at, at, at)
  const before = db.prepare('SELECT * FROM deliveries').all()

  t.same(migrate(db, all), all.filter((migration) => migration.version >= 8).map((migration) => migration.file))
  t.same(db.prepare('SELECT * FROM deliveries').all(), before, 'every column of every row kept')
  const insert = db.prepare("INSERT INTO deliveries (update_id, incident_id, channel, text, link, idempotency_key, created_at, updated_at) VALUES (NULL, 1, ?, 'PM', 'l#postmortem', ?, ?, ?)")
  insert.run('mastodon', 'key-2', at, at)
  t.throws(() => insert.run('mastodon', 'key-3', at, at), /UNIQUE constraint failed/, 'a postmortem once per channel')
  insert.run('twitter', 'key-4', at, at)
  t.same(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all(),
    ['deliveries_due', 'deliveries_postmortem', 'deliveries_thread'])
  t.throws(() => db.prepare("INSERT INTO postmortems (incident_id, draft, draft_updated_at, body, created_at, updated_at) VALUES (1, 'd', ?, 'b', ?, ?)").run(at, at, at),
    /CHECK constraint failed/, 'a body is published, with its times')
  t.throws(() => db.prepare("INSERT INTO postmortems (incident_id, draft, draft_updated_at, created_at, updated_at) VALUES (1, x'00', ?, ?, ?)").run(at, at, at),
    /cannot store BLOB value in TEXT column/, 'STRICT')
  t.same(db.pragma('foreign_key_check'), [], 'references hold')
})
