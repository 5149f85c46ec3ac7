// The users pages: the list, adding a user, changing a password, removing with a confirmation; bad input stores nothing.
import t from 'tap'
import { build } from '../fixtures/build.js'
import { AdminSession, withUsers } from './fixtures/admin-session.js'
import { databaseSnapshot } from './fixtures/database-snapshot.js'

const carol = { name: 'carol', role: 'editor', password: 'correct-horse-battery', confirm: 'correct-horse-battery' }

t.test('an admin sees every user with role and creation time, and adds one who can then sign in', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const list = await admin.get('/admin/users')
  t.equal(list.statusCode, 200)
  t.match(list.body, /<th scope="row">alice <span class="muted">\(you\)<\/span><\/th>\s*<td>admin<\/td>/)
  t.match(list.body, /<th scope="row">bob<\/th>\s*<td>editor<\/td>\s*<td><time datetime="[^"]+"/)
  t.match(list.body, 'href="/admin/users/bob/remove"')
  t.notMatch(list.body, 'href="/admin/users/alice/remove"', 'the last admin has no remove link')

  const created = await admin.post('/admin/users', carol)
  t.equal(created.statusCode, 303)
  t.equal(created.headers.location, '/admin/users')
  const after = await admin.get('/admin/users')
  t.match(after.body, /role="status">Created editor carol\./)
  t.match(after.body, /<th scope="row">carol<\/th>\s*<td>editor<\/td>/)
  t.notMatch((await admin.get('/admin/users')).body, /Created editor carol/, 'the notice shows once')
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:alice', action: 'user.create', detail: { name: 'carol', role: 'editor' } })
  const browser = new AdminSession(app)
  await browser.signIn('carol', 'correct-horse-battery')
  t.equal((await browser.get('/admin')).statusCode, 200)
})

t.test('bad input on the new user form gets a message next to the field, keeps what was typed but the password, and stores nothing', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const before = databaseSnapshot(app)
  const cases: Array<[string, Record<string, string | undefined>, number, RegExp]> = [
    ['empty name', { name: '' }, 400, /id="name-error">This field is required/],
    ['too long name', { name: 'c'.repeat(65) }, 400, /id="name-error">Use at most 64 characters/],
    ['HTML in the name', { name: '<img src=x onerror=alert(1)>' }, 400, /id="name-error">Use 2 to 64 letters/],
    ['control character in the name', { name: 'car\u0000ol' }, 400, /id="name-error">Use 2 to 64 letters/],
    ['unknown role', { role: 'root' }, 400, /id="role-error">Choose one of the roles: admin or editor/],
    ['no role', { role: undefined }, 400, /id="role-error">This field is required/],
    ['empty password', { password: '', confirm: '' }, 400, /id="password-error">This field is required/],
    ['weak password', { password: 'aaaaaaaaaaaa', confirm: 'aaaaaaaaaaaa' }, 400, /id="password-error">Use more different characters/],
    ['too long password', { password: 'ab'.repeat(101), confirm: 'ab'.repeat(101) }, 400, /id="password-error">Use at most 200 characters/],
    ['HTML password that differs', { confirm: '<b>x</b>' }, 400, /id="confirm-error">The two passwords differ/],
    ['a name taken in another case', { name: 'BOB' }, 409, /id="name-error">A user of that name already exists/]
  ]
  for (const [what, fields, status, message] of cases) {
    const response = await admin.post('/admin/users', { ...carol, ...fields }, { formPage: '/admin/users' })
    t.equal(response.statusCode, status, what)
    t.match(response.body, message, what)
    t.match(response.body, /aria-invalid="true"/, `${what}: the field is marked`)
    t.notMatch(response.body, /<img src=x|<b>x<\/b>/, `${what}: what was typed is escaped`)
    t.notMatch(response.body, 'correct-horse-battery', `${what}: the password is never shown again`)
  }
  const kept = await admin.post('/admin/users', { ...carol, name: 'car ol', role: 'admin' }, { formPage: '/admin/users' })
  t.match(kept.body, /value="car ol"/, 'the name is kept')
  t.match(kept.body, /value="admin" checked/, 'the role is kept')
  t.same(databaseSnapshot(app), before, 'nothing stored')
})

t.test("changing someone's password signs them out; changing one's own keeps this session only", async (t) => {
  const app = await build(t)
  const { admin, editor } = await withUsers(app)
  const form = await admin.get('/admin/users/bob/password')
  t.equal(form.statusCode, 200)
  t.match(form.body, /Change the password of bob/)

  const before = databaseSnapshot(app)
  const weak = await admin.post('/admin/users/bob/password', { password: 'bob', confirm: 'bob' })
  t.equal(weak.statusCode, 400)
  t.match(weak.body, /id="password-error">Use at least 10 characters/)
  const differ = await admin.post('/admin/users/bob/password', { password: 'new-builder-pw-2', confirm: 'new-builder-pw-3' })
  t.equal(differ.statusCode, 400)
  t.match(differ.body, /id="confirm-error">/)
  // The form's body errors are left to the page, but a name longer than any user's is refused as on the GET.
  const longName = await admin.post(`/admin/users/${'c'.repeat(65)}/password`, { password: 'bob', confirm: 'bob' }, { formPage: '/admin/users/bob/password' })
  t.equal(longName.statusCode, 400)
  t.notMatch(longName.body, /id="password-error">/)
  t.equal((await admin.get(`/admin/users/${'c'.repeat(65)}/password`)).statusCode, 400)
  t.equal((await admin.post(`/admin/users/${'c'.repeat(65)}/remove`, {}, { formPage: '/admin/users/bob/remove' })).statusCode, 400)
  t.equal((await admin.post(`/admin/tokens/${'c'.repeat(65)}/revoke`, {}, { formPage: '/admin/tokens' })).statusCode, 400)
  t.same(databaseSnapshot(app), before, 'nothing changed')
  t.equal((await editor.get('/admin')).statusCode, 200, 'bob is still signed in')

  const changed = await admin.post('/admin/users/bob/password', { password: 'new-builder-pw-2', confirm: 'new-builder-pw-2' })
  t.equal(changed.statusCode, 303)
  t.match((await admin.get('/admin/users')).body, /The password of bob is changed and their sessions are signed out/)
  t.equal((await editor.get('/admin')).statusCode, 302, "bob's session has ended")
  await new AdminSession(app).signIn('bob', 'new-builder-pw-2')
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:alice', action: 'user.password', detail: { name: 'bob' } })

  const otherAlice = new AdminSession(app)
  await otherAlice.signIn('alice', 'wonderland-password-1')
  const own = await admin.post('/admin/users/alice/password', { password: 'looking-glass-pw-2', confirm: 'looking-glass-pw-2' })
  t.equal(own.statusCode, 303)
  t.equal((await admin.get('/admin/users')).statusCode, 200, 'this session goes on')
  t.equal((await otherAlice.get('/admin')).statusCode, 302, 'the other session of alice has ended')
})

t.test('removing asks first, ends the sessions, and never removes the last admin', async (t) => {
  const app = await build(t)
  const { admin, editor } = await withUsers(app)
  const confirm = await admin.get('/admin/users/bob/remove')
  t.equal(confirm.statusCode, 200)
  t.match(confirm.body, /<h1>Remove bob\?<\/h1>/)
  t.match(confirm.body, /action="\/admin\/users\/bob\/remove"/)
  t.ok(app.herald.services.users.byName('bob'), 'asking removes nothing')

  const removed = await admin.post('/admin/users/bob/remove', {})
  t.equal(removed.statusCode, 303)
  t.match((await admin.get('/admin/users')).body, /Removed bob; their sessions are signed out/)
  t.equal(app.herald.services.users.byName('bob'), undefined)
  t.equal((await editor.get('/admin')).statusCode, 302, "bob's session has ended")
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:alice', action: 'user.remove', detail: { name: 'bob' } })

  const last = await admin.get('/admin/users/alice/remove')
  t.match(last.body, /alice is the last admin and cannot be removed/)
  t.notMatch(last.body, /action="\/admin\/users\/alice\/remove"/, 'no remove button')
  const refused = await admin.post('/admin/users/alice/remove', {}, { formPage: '/admin/users' })
  t.equal(refused.statusCode, 409)
  t.match(refused.body, /alice is the last admin: create another admin first/)
  t.ok(app.herald.services.users.byName('alice'), 'still there')

  await app.herald.services.users.create('dave', 'deep-thought-42', 'admin', 'cli')
  const self = await admin.post('/admin/users/alice/remove', {}, { formPage: '/admin/users' })
  t.equal(self.statusCode, 303, 'with another admin, one may remove oneself')
  t.equal(self.headers.location, '/admin/sign-in')
  t.equal((await admin.get('/admin')).statusCode, 302, 'and is signed out')
})

t.test('an unknown user is a 404 page; names in addresses ignore case', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  for (const url of ['/admin/users/nobody/password', '/admin/users/nobody/remove']) {
    const response = await admin.get(url)
    t.equal(response.statusCode, 404, url)
    t.match(response.body, /No such user/)
  }
  const before = databaseSnapshot(app)
  t.equal((await admin.post('/admin/users/nobody/remove', {}, { formPage: '/admin/users' })).statusCode, 404)
  t.same(databaseSnapshot(app), before)
  t.match((await admin.get('/admin/users/BOB/remove')).body, /Remove bob\?/)
})
