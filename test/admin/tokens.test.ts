// The API tokens page: list with last use, create (the token shown once), revoke with a confirmation; bad names store nothing.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { withUsers } from './fixtures/admin-session.js'
import { databaseSnapshot } from './fixtures/database-snapshot.js'

t.test('a new token is shown once, works on the API, and its last use shows in the list', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const app = await build(t, { clock })
  const { admin } = await withUsers(app)
  t.match((await admin.get('/admin/tokens')).body, /No API tokens yet/)

  const created = await admin.post('/admin/tokens', { name: 'monitoring' })
  t.equal(created.statusCode, 201)
  const match = /<input id="token" class="account-token" type="text" value="(hrld_[A-Za-z0-9_-]+)" readonly/.exec(created.body)
  t.ok(match, 'the token in a read-only field, easy to copy')
  const token = match?.[1] as string
  t.match(created.body, /Copy the token now: it is shown only this once/)
  t.match(created.body, `curl -H "Authorization: Bearer ${token}" https://status.example.com/api/v1/components`)
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:alice', action: 'token.create', detail: { name: 'monitoring' } })

  const list = await admin.get('/admin/tokens')
  t.notMatch(list.body, token, 'never shown again')
  t.match(list.body, /<th scope="row">monitoring<\/th>\s*<td><time datetime="2020-02-03T13:00:00.000Z"[^>]*>[^<]+<\/time><\/td>\s*<td><span class="muted">never<\/span>/)
  t.notOk(JSON.stringify(databaseSnapshot(app)).includes(token), 'nowhere in the database, not even in a session')
  t.notOk(JSON.stringify(app.herald.stores.db.prepare('SELECT data FROM sessions').all()).includes(token))

  clock.advance(3600_000)
  const api = await app.inject({ url: '/api/v1/components', headers: { authorization: `Bearer ${token}` } })
  t.equal(api.statusCode, 200)
  t.match((await admin.get('/admin/tokens')).body, /<td><time datetime="2020-02-03T14:00:00.000Z"/, 'last used')
})

t.test('bad token names get a message next to the field and store nothing', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  await admin.post('/admin/tokens', { name: 'ci' })
  const before = databaseSnapshot(app)
  const cases: Array<[string, string, number, RegExp]> = [
    ['empty', '', 400, /id="name-error">This field is required/],
    ['too long', 'x'.repeat(65), 400, /id="name-error">Use at most 64 characters/],
    ['HTML', '<script>alert(1)</script>', 400, /id="name-error">Use letters, digits, dots, dashes or underscores/],
    ['control character', 'c\u001bi', 400, /id="name-error">Use letters, digits/],
    ['taken, in another case', 'CI', 409, /id="name-error">A token of that name already exists/]
  ]
  for (const [what, name, status, message] of cases) {
    const response = await admin.post('/admin/tokens', { name }, { formPage: '/admin/tokens' })
    t.equal(response.statusCode, status, what)
    t.match(response.body, message, what)
    t.notMatch(response.body, /<script>alert/, `${what}: escaped`)
    t.notMatch(response.body, /hrld_/, `${what}: no token made`)
  }
  t.match((await admin.post('/admin/tokens', { name: 'bad name' }, { formPage: '/admin/tokens' })).body, /value="bad name"/, 'what was typed is kept')
  t.same(databaseSnapshot(app), before, 'nothing stored')
})

t.test('revoking asks first; then the token no longer opens the API', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const token = app.herald.services.tokens.create('deploy', 'cli')
  const confirm = await admin.get('/admin/tokens/deploy/revoke')
  t.equal(confirm.statusCode, 200)
  t.match(confirm.body, /<h1>Revoke deploy\?<\/h1>/)
  t.equal((await app.inject({ url: '/api/v1/components', headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'asking revokes nothing')

  const revoked = await admin.post('/admin/tokens/deploy/revoke', {})
  t.equal(revoked.statusCode, 303)
  t.equal(revoked.headers.location, '/admin/tokens')
  t.match((await admin.get('/admin/tokens')).body, /Revoked deploy: requests with it now get 401/)
  t.equal((await app.inject({ url: '/api/v1/components', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:alice', action: 'token.revoke', detail: { name: 'deploy' } })

  const gone = await admin.get('/admin/tokens/deploy/revoke')
  t.equal(gone.statusCode, 404)
  t.match(gone.body, /No such API token/)
  t.equal((await admin.post('/admin/tokens/deploy/revoke', {}, { formPage: '/admin/tokens' })).statusCode, 404)
})
