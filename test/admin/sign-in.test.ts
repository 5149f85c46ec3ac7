// Signing in and out: sessions, cookie flags, CSRF on the form, expiry, and the guard on admin pages.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { AdminSession, csrfTokenOf } from './fixtures/admin-session.js'

t.test('an anonymous visitor is sent to sign in and comes back after', async (t) => {
  const app = await build(t)
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const browser = new AdminSession(app)
  const first = await browser.get('/admin')
  t.equal(first.statusCode, 302)
  t.equal(first.headers.location, '/admin/sign-in?next=%2Fadmin')
  const page = await browser.get('/admin/sign-in?next=%2Fadmin')
  t.equal(page.statusCode, 200)
  t.match(page.body, /<h1>Sign in<\/h1>/)
  t.match(page.headers['content-security-policy'], /script-src 'self'/)
  t.equal(page.headers['cache-control'], 'no-store')
  const signedIn = await browser.post('/admin/sign-in', { name: 'alice', password: 'wonderland-password-1', next: '/admin' }, { formPage: '/admin/sign-in' })
  t.equal(signedIn.statusCode, 303)
  t.equal(signedIn.headers.location, '/admin')
  const dashboard = await browser.get('/admin')
  t.equal(dashboard.statusCode, 200)
  t.match(dashboard.body, /All Systems Operational/)
  t.match(dashboard.body, /Sign out alice/)
})

t.test('the session cookie is HttpOnly, SameSite=Lax, scoped to /admin, Secure on https, and new at each sign-in', async (t) => {
  const app = await build(t)
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const browser = new AdminSession(app)
  const form = await browser.get('/admin/sign-in')
  t.equal(browser.cookieNamed('herald_session'), undefined, 'no session before sign-in: the form needs none')
  const csrfCookie = [form.headers['set-cookie']].flat().find((cookie) => cookie?.startsWith('herald_csrf=')) ?? ''
  t.match(csrfCookie, /^herald_csrf=[\w-]+\.[\w+/-]+;/, "the form's CSRF secret, in a signed cookie")
  for (const flag of [/HttpOnly/, /SameSite=Lax/, /Path=\/admin/, /Secure/]) t.match(csrfCookie, flag)
  t.notMatch(csrfCookie, /Max-Age|Expires/, 'gone when the browser closes')

  const response = await browser.signIn('alice', 'wonderland-password-1')
  const header = [response.headers['set-cookie']].flat().find((cookie) => cookie?.startsWith('herald_session=')) ?? ''
  t.match(header, /HttpOnly/)
  t.match(header, /SameSite=Lax/)
  t.match(header, /Path=\/admin/)
  t.match(header, /Secure/, 'PUBLIC_URL is https in tests')
  const first = browser.cookieNamed('herald_session')
  t.ok(first)
  // A session id planted before sign-in (session fixation) is worth nothing: each sign-in starts a new one.
  await browser.post('/admin/sign-out', {}, { formPage: '/admin' })
  const planted = `${first ?? ''}; ${browser.cookieNamed('herald_csrf') ?? ''}`
  const csrf = csrfTokenOf((await app.inject({ url: '/admin/sign-in', headers: { 'x-forwarded-proto': 'https', cookie: planted } })).body)
  const again = await app.inject({
    method: 'POST',
    url: '/admin/sign-in',
    headers: { 'x-forwarded-proto': 'https', cookie: planted, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ name: 'alice', password: 'wonderland-password-1', _csrf: csrf }).toString()
  })
  t.equal(again.statusCode, 303)
  t.notMatch(String(again.headers['set-cookie']), first ?? '', 'a new session id at sign-in')

  const plain = await build(t, { env: { PUBLIC_URL: 'http://127.0.0.1:3000' } })
  const page = await plain.inject('/admin/sign-in')
  t.match(String(page.headers['set-cookie']), /^herald_csrf=/)
  t.notMatch(String(page.headers['set-cookie']), /Secure/, 'no Secure flag over plain http')
})

t.test('wrong credentials and bad input keep the name and say what is wrong', async (t) => {
  const app = await build(t)
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const browser = new AdminSession(app)
  const wrong = await browser.post('/admin/sign-in', { name: 'alice', password: 'nope' }, { formPage: '/admin/sign-in' })
  t.equal(wrong.statusCode, 401)
  t.match(wrong.body, /The user name or the password is wrong/)
  t.match(wrong.body, /value="alice"/)
  const unknown = await browser.post('/admin/sign-in', { name: 'mallory', password: 'wonderland-password-1' }, { formPage: '/admin/sign-in' })
  t.equal(unknown.statusCode, 401, 'an unknown user gets the same answer')
  const empty = await browser.post('/admin/sign-in', { name: '', password: '' }, { formPage: '/admin/sign-in' })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, /id="name-error">This field is required/)
  const html = await browser.post('/admin/sign-in', { name: '<script>alert(1)</script>', password: 'x' }, { formPage: '/admin/sign-in' })
  t.notMatch(html.body, /<script>alert/, 'what was typed is escaped')
  t.equal((await browser.get('/admin')).statusCode, 302, 'still signed out')
})

t.test('a form without the CSRF token of its session changes nothing', async (t) => {
  const app = await build(t)
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const browser = new AdminSession(app)
  const missing = await browser.post('/admin/sign-in', { name: 'alice', password: 'wonderland-password-1' }, { csrf: null })
  t.equal(missing.statusCode, 403)
  const other = new AdminSession(app)
  const foreign = await browser.post('/admin/sign-in', { name: 'alice', password: 'wonderland-password-1' }, { csrf: await other.csrfToken('/admin/sign-in') })
  t.equal(foreign.statusCode, 403, "another session's token does not count")
  t.equal((await browser.get('/admin')).statusCode, 302)
  await browser.signIn('alice', 'wonderland-password-1')
  const signOut = await browser.post('/admin/sign-out', {}, { csrf: 'forged' })
  t.equal(signOut.statusCode, 403)
  t.equal((await browser.get('/admin')).statusCode, 200, 'a forged sign-out does not sign out')
})

t.test('signing out ends the session on the server', async (t) => {
  const app = await build(t)
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const browser = new AdminSession(app)
  await browser.signIn('alice', 'wonderland-password-1')
  const stolen = browser.cookie
  const out = await browser.post('/admin/sign-out', {}, { formPage: '/admin' })
  t.equal(out.statusCode, 303)
  t.equal(out.headers.location, '/admin/sign-in?signed-out=1')
  const replay = await app.inject({ url: '/admin', headers: { 'x-forwarded-proto': 'https', cookie: stolen } })
  t.equal(replay.statusCode, 302, 'the old cookie no longer works')
})

t.test('sessions expire after 12 idle hours and after 7 days in any case', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await build(t, { clock })
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const browser = new AdminSession(app)
  await browser.signIn('alice', 'wonderland-password-1')
  clock.advance(11 * 3600_000)
  t.equal((await browser.get('/admin')).statusCode, 200, 'used within the idle time')
  clock.advance(11 * 3600_000)
  t.equal((await browser.get('/admin')).statusCode, 200, 'each request renews it')
  clock.advance(12 * 3600_000 + 1000)
  t.equal((await browser.get('/admin')).statusCode, 302, 'idle for over 12 hours')

  await browser.signIn('alice', 'wonderland-password-1')
  for (let hours = 10; hours <= 160; hours += 10) {
    clock.advance(10 * 3600_000)
    t.equal((await browser.get('/admin')).statusCode, 200, `in use ${hours} hours after sign-in`)
  }
  clock.advance(9 * 3600_000)
  t.equal((await browser.get('/admin')).statusCode, 302, 'over 7 days since sign-in, however busy')
})

t.test('the next address after sign-in stays inside the admin UI; a bad one is dropped, never a failure', async (t) => {
  const app = await build(t)
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const bad = [
    'https://evil.example/', '//evil.example/admin', '/\\evil.example', '/admin/\\evil', '/history', '/admin/../history', '/admin/%2e%2e/history',
    '/adminx', '/admin/\r\nSet-Cookie: x=1', '/admin/x\u0000y', '/admin/\u0007', '/admin/\u00e9t\u00e9', `/admin/${'a'.repeat(5000)}`,
    'javascript:alert(1)', 'https://status.example.com/admin'
  ]
  for (const next of bad) {
    const browser = new AdminSession(app)
    const response = await browser.post('/admin/sign-in', { name: 'alice', password: 'wonderland-password-1', next }, { formPage: '/admin/sign-in' })
    t.equal(response.statusCode, 303, `posted next=${JSON.stringify(next.slice(0, 40))}`)
    t.equal(response.headers.location, '/admin', `posted next=${JSON.stringify(next.slice(0, 40))}`)
    const page = await browser.get(`/admin/sign-in?next=${encodeURIComponent(next)}`)
    t.equal(page.statusCode, 303, `signed in, next=${JSON.stringify(next.slice(0, 40))} in the address`)
    t.equal(page.headers.location, '/admin')
  }
  const anonymous = await new AdminSession(app).get(`/admin/sign-in?next=${encodeURIComponent('/admin/\r\nx')}`)
  t.equal(anonymous.statusCode, 200)
  t.match(anonymous.body, 'name="next" value="/admin"', 'the form carries the dashboard instead')

  const browser = new AdminSession(app)
  const good = await browser.post('/admin/sign-in', { name: 'alice', password: 'wonderland-password-1', next: '/admin/incidents/TM%0d%0a?tab=updates' }, { formPage: '/admin/sign-in' })
  t.equal(good.headers.location, '/admin/incidents/TM%0d%0a?tab=updates', 'an encoded CR LF is only text in the path')
})

t.test('the admin Content-Security-Policy upgrades requests to https only when PUBLIC_URL is https', async (t) => {
  const secure = await build(t)
  const overHttps = await secure.inject({ url: '/admin/sign-in', headers: { 'x-forwarded-proto': 'https' } })
  t.match(overHttps.headers['content-security-policy'], /upgrade-insecure-requests/)
  t.match(overHttps.headers['strict-transport-security'], /max-age=/)

  const plain = await build(t, { env: { PUBLIC_URL: 'http://192.168.1.20:3000' } })
  const overHttp = await plain.inject('/admin/sign-in')
  t.notMatch(overHttp.headers['content-security-policy'], /upgrade-insecure-requests/, 'the stylesheets and scripts load over http')
  t.match(overHttp.headers['content-security-policy'], /default-src 'self'/, 'the rest of the policy stays')
  t.equal(overHttp.headers['strict-transport-security'], undefined)
})

t.test('a session written back after a password change stays signed out', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await build(t, { clock })
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  const browser = new AdminSession(app)
  await browser.signIn('alice', 'wonderland-password-1')
  const cookie = browser.cookie
  const [row] = app.herald.stores.db.prepare('SELECT id_hash, user_id, data, created_at, expires_at FROM sessions').all() as Array<Record<string, unknown>>
  clock.advance(1000)
  await app.herald.services.users.changePassword('alice', 'another-password-2', 'cli')
  t.equal((await browser.get('/admin')).statusCode, 302, 'the password change ended the session')
  // What a request in flight during the change would do: save its session again.
  app.herald.stores.db.prepare('INSERT INTO sessions (id_hash, user_id, data, created_at, expires_at) VALUES (@id_hash, @user_id, @data, @created_at, @expires_at)').run(row)
  const replay = await app.inject({ url: '/admin', headers: { 'x-forwarded-proto': 'https', cookie } })
  t.equal(replay.statusCode, 302, 'a session from before the change does not come back')
})
