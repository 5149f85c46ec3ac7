// Session rows: an anonymous visitor writes none, the rows of signed-in users expire and are purged, and migration 007 drops the anonymous ones of old.
import Database from 'better-sqlite3'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { migrate, readMigrations } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { purgeBatch, sessionIdleMs, sessionMaxAgeMs } from '../../server/plugins/session-store.js'
import { type TestContext, TestClock, build, tempDir } from '../fixtures/build.js'
import { AdminSession } from './fixtures/admin-session.js'

const alicePassword = 'wonderland-password-1'

/** What another process would see of the database file: its data version, the session rows, the bytes on disk. */
function observer (t: TestContext, app: FastifyInstance): () => { dataVersion: number, sessions: number, bytes: number } {
  const path = app.herald.config.databasePath
  const db = new Database(path, { readonly: true })
  t.teardown(() => db.close())
  const size = (file: string): number => { try { return statSync(file).size } catch { return 0 } }
  return () => ({
    dataVersion: db.pragma('data_version', { simple: true }) as number,
    sessions: db.prepare('SELECT COUNT(*) FROM sessions').pluck().get() as number,
    bytes: size(path) + size(`${path}-wal`)
  })
}

function sessionRows (app: FastifyInstance): Array<{ user_id: number | null, created_at: string, expires_at: string }> {
  return app.herald.stores.db.prepare('SELECT user_id, created_at, expires_at FROM sessions ORDER BY expires_at').all() as never
}

t.test('anonymous requests to the admin UI write nothing to the database', async (t) => {
  const app = await build(t)
  await app.herald.services.users.create('alice', alicePassword, 'admin', 'cli')
  const look = observer(t, app)
  const before = look()
  t.equal(before.sessions, 0)

  const pages = ['/admin/sign-in', '/admin/sign-in?next=%2Fadmin%2Fincidents', '/admin', '/admin/incidents/new', '/admin/setup',
    '/admin/setup?token=guess', '/admin/nothing-here', '/admin/sign-in?next=%2Fadmin%0d%0a']
  const cookies = [undefined, 'herald_session=forged.signature', 'herald_session=; herald_csrf=forged', 'herald_device=1.2.3.forged']
  for (let i = 0; i < 25; i++) {
    for (const url of pages) {
      const cookie = cookies[i % cookies.length]
      const response = await app.inject({ url, headers: { 'x-forwarded-proto': 'https', ...(cookie === undefined ? {} : { cookie }) } })
      t.ok(response.statusCode < 500, `${url}: ${response.statusCode}`)
    }
  }
  // A browser keeping its cookies, as a person reloading the sign-in page does, and sending wrong passwords.
  const browser = new AdminSession(app)
  for (let i = 0; i < 5; i++) {
    t.equal((await browser.post('/admin/sign-in', { name: 'alice', password: `wrong-guess-${i}` }, { formPage: '/admin/sign-in' })).statusCode, 401)
  }
  t.equal((await browser.post('/admin/sign-in', { name: 'alice', password: alicePassword }, { csrf: 'forged' })).statusCode, 403)

  t.same(look(), before, 'the same data version, no session row, not a byte more')
})

t.test('signing in purges expired sessions, a batch at a time', async (t) => {
  const clock = new TestClock('2026-01-10T00:00:00.000Z')
  const app = await build(t, { clock })
  await app.herald.services.users.create('alice', alicePassword, 'admin', 'cli')
  const alice = app.herald.stores.users.byName('alice')?.id ?? null
  const { sessions } = app.herald.stores
  const abandoned = purgeBatch + 200
  app.herald.stores.db.transaction(() => {
    for (let i = 0; i < abandoned; i++) {
      sessions.save(`abandoned-${i}`, { userId: alice, data: '{}', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-01T12:00:00.000Z' })
    }
  })()
  sessions.save('alive', { userId: alice, data: '{}', createdAt: '2026-01-09T20:00:00.000Z', expiresAt: '2026-01-10T08:00:00.000Z' })

  await new AdminSession(app).signIn('alice', alicePassword)
  t.equal(sessionRows(app).length, abandoned - purgeBatch + 2, `${purgeBatch} expired rows purged by one sign-in, the live one and the new one kept`)
  await new AdminSession(app).signIn('alice', alicePassword)
  t.equal(sessionRows(app).length, 3, 'the next sign-in purges the rest')
  t.not(sessions.get('alive'), undefined)
  t.equal(sessions.get('abandoned-0'), undefined)

  clock.advance(sessionIdleMs)
  await new AdminSession(app).signIn('alice', alicePassword)
  t.equal(sessionRows(app).length, 1, 'sessions idle for 12 hours are purged too')
})

t.test("a busy session's row expires at its maximum age, so the purge finds it", async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await build(t, { clock })
  await app.herald.services.users.create('alice', alicePassword, 'admin', 'cli')
  const browser = new AdminSession(app)
  await browser.signIn('alice', alicePassword)
  for (let hours = 0; hours < 7 * 24 - 6; hours += 6) {
    clock.advance(6 * 3600_000)
    t.equal((await browser.get('/admin')).statusCode, 200)
  }
  const [row] = sessionRows(app)
  t.equal(row?.expires_at, new Date(Date.parse(row?.created_at ?? '') + sessionMaxAgeMs).toISOString(), 'not 12 hours past the last request')
})

t.test('migration 007 drops the session rows anonymous visitors wrote, and keeps the signed-in ones', async (t) => {
  const db = openDatabase(join(tempDir(t), 'herald.db'))
  t.teardown(() => db.close())
  migrate(db, readMigrations().filter((m) => m.version <= 6))
  db.exec(`
    INSERT INTO users (id, name, password_hash, role, created_at, updated_at) VALUES (1, 'alice', 'x', 'admin', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    INSERT INTO sessions (id_hash, user_id, data, created_at, expires_at) VALUES
      ('a1', NULL, '{"_csrf":"x"}', '2026-01-01T00:00:00.000Z', '2026-01-01T12:00:00.000Z'),
      ('a2', NULL, '{"_csrf":"y"}', '2026-01-02T00:00:00.000Z', '2099-01-01T00:00:00.000Z'),
      ('s1', 1, '{"userId":1}', '2026-01-02T00:00:00.000Z', '2099-01-01T00:00:00.000Z');
  `)
  t.same(migrate(db, readMigrations().filter((m) => m.version <= 7)), ['007-anonymous-sessions.sql'])
  t.same(db.prepare('SELECT id_hash FROM sessions').pluck().all(), ['s1'])
})
