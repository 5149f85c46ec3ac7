// A write that finds no room (SQLITE_FULL, here from max_page_count rather than a full disk): 503 JSON on the API, a 503 page in the admin UI, nothing committed lost, the next write works once there is room.
import t from 'tap'
import type { Db } from '../../server/db/open-database.js'
import { isDiskFull } from '../../server/db/disk-full.js'
import { diskFullMessage } from '../../server/plugins/errors.js'
import { withUsers } from '../admin/fixtures/admin-session.js'
import { buildOnDatabase } from '../fixtures/build.js'

/** The database may not grow by a single page: the next write that needs one fails with SQLITE_FULL, as on a full disk. */
function fillDisk (db: Db): void {
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
}

function makeRoom (db: Db): void {
  db.pragma('max_page_count = 1073741823')
}

// Too long for the pages the database has: it needs overflow pages.
const longBody = (what: string): string => `${what}: ${'The updated certificate is being deployed region by region. '.repeat(250)}`

t.test('isDiskFull: SQLite\'s SQLITE_FULL and the system\'s ENOSPC and EDQUOT; nothing else', async (t) => {
  t.ok(isDiskFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })))
  t.ok(isDiskFull(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })))
  t.ok(isDiskFull(Object.assign(new Error('disk quota exceeded'), { code: 'EDQUOT' })))
  t.notOk(isDiskFull(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })))
  t.notOk(isDiskFull(new Error('database or disk is full')), 'by its code, not its words')
  t.notOk(isDiskFull(null))
})

t.test('the token API: 503 JSON that says so, the earlier updates intact, and the next write works once there is room', async (t) => {
  const { app, db } = await buildOnDatabase(t)
  const { tokens, incidents } = app.herald.services
  const token = tokens.create('ci', 'cli')
  const incident = incidents.open({ name: 'Users may be unable to access Microsoft Teams', body: 'We are investigating.', components: {} }, 'cli')
  incidents.postUpdate(incident.reference, { status: 'identified', body: 'An authentication certificate has expired.' }, 'cli')
  const post = async (body: string): Promise<{ statusCode: number, json: () => unknown, headers: Record<string, unknown> }> => await app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${incident.reference}/updates`,
    headers: { authorization: `Bearer ${token}` },
    payload: { status: 'identified', body }
  })
  // Warm: the token's last use is written before the disk fills.
  t.equal((await post('Deploying the updated certificate.')).statusCode, 201)
  const before = db.prepare('SELECT * FROM updates ORDER BY id').all()

  fillDisk(db)
  const full = await post(longBody('Refused'))
  t.equal(full.statusCode, 503)
  t.match(full.headers['content-type'], /^application\/json/)
  t.same(full.json(), { statusCode: 503, error: 'Service Unavailable', message: diskFullMessage })
  t.same(db.prepare('SELECT * FROM updates ORDER BY id').all(), before, 'every update committed before is there, unchanged, and nothing of the refused one')
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok')

  makeRoom(db)
  const next = await post(longBody('Accepted'))
  t.equal(next.statusCode, 201, 'the next write works once there is room')
  t.equal(db.prepare('SELECT count(*) FROM updates').pluck().get(), before.length + 1)
})

t.test('a token whose last use cannot be recorded still opens the API: the bookkeeping write is not the request\'s', async (t) => {
  const { app } = await buildOnDatabase(t)
  const token = app.herald.services.tokens.create('ci', 'cli')
  const { tokens } = app.herald.stores
  tokens.touch = () => { throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }) }
  const read = await app.inject({ url: '/api/v1/components', headers: { authorization: `Bearer ${token}` } })
  t.equal(read.statusCode, 200, 'a read is answered')
  tokens.touch = () => { throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }) }
  t.equal((await app.inject({ url: '/api/v1/components', headers: { authorization: `Bearer ${token}` } })).statusCode, 500, 'any other failure is not hidden')
})

t.test('an admin form: a 503 page, nothing lost, the form works again once there is room', async (t) => {
  const { app, db } = await buildOnDatabase(t)
  const { admin } = await withUsers(app)
  const incident = app.herald.services.incidents.open({ name: 'Users may be unable to access Microsoft Teams', body: 'We are investigating.', components: {} }, 'cli')
  const csrf = await admin.csrfToken('/admin')
  const before = db.prepare('SELECT * FROM updates ORDER BY id').all()

  fillDisk(db)
  const full = await admin.post(`/admin/incidents/${incident.reference}/updates`, { from: 'dashboard', status: 'identified', body: longBody('Refused') }, { csrf })
  t.equal(full.statusCode, 503)
  t.match(full.headers['content-type'], /^text\/html/)
  t.match(full.body, /<html/, 'a page, not JSON')
  t.match(full.body, /<h1>Out of disk space<\/h1>[\s\S]*run out of disk space, so this change was not saved/, 'that says why')
  t.notMatch(full.body, /SQLITE_FULL|SqliteError|\n\s+at /, 'no error details')
  t.same(db.prepare('SELECT * FROM updates ORDER BY id').all(), before, 'nothing lost, nothing half-written')

  makeRoom(db)
  const next = await admin.post(`/admin/incidents/${incident.reference}/updates`, { from: 'dashboard', status: 'identified', body: longBody('Accepted') }, { csrf })
  t.equal(next.statusCode, 303, 'saved, and back to the dashboard')
  t.equal(db.prepare('SELECT count(*) FROM updates').pluck().get(), before.length + 1)
})
