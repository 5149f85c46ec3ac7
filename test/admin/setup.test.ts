// First run: the setup link creates the first admin once, within the hour; without its token, after it, or once a user exists, there is no setup page.
import t from 'tap'
import { withDatabase } from '../../server/cli/database.js'
import { loadConfig } from '../../server/config.js'
import { SetupService, setupLinkLifetimeMs } from '../../server/services/setup-service.js'
import { TestClock, build, tempDir } from '../fixtures/build.js'
import { rowCounts } from '../fixtures/services.js'
import { herald, heraldEnv, serve } from '../cli/fixtures/herald-process.js'
import { AdminSession } from './fixtures/admin-session.js'

const good = { name: 'alice', password: 'wonderland-password-1', confirm: 'wonderland-password-1' }

t.test('the setup page is not there without the token, and is there with it', async (t) => {
  const app = await build(t)
  const token = new SetupService(app.herald.services.context).issue() as string
  t.match(token, /^[A-Za-z0-9_-]{43}$/, '256 random bits')
  t.notOk(JSON.stringify(app.herald.stores.settings.get('setup_token_hash')).includes(token), 'only a hash is stored')
  const browser = new AdminSession(app)
  const unknownPage = await browser.get('/admin/nothing-here')
  for (const url of ['/admin/setup', '/admin/setup?token=', `/admin/setup?token=${token}x`, `/admin/setup?token=${token.slice(1)}`]) {
    const response = await browser.get(url)
    t.equal(response.statusCode, 404, url)
    t.equal(response.body, unknownPage.body, `${url} looks like any unknown address`)
  }
  const page = await browser.get(`/admin/setup?token=${token}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /<h1>Create the first admin<\/h1>/)
  t.match(page.body, `name="token" value="${token}"`)
  t.match(page.headers['referrer-policy'], 'no-referrer', 'the token does not leak to other sites')
})

t.test('a wrong token or bad input creates nothing; the right one creates the admin, signs them in, and is used up', async (t) => {
  const app = await build(t)
  const setup = new SetupService(app.herald.services.context)
  const token = setup.issue() as string
  const browser = new AdminSession(app)
  const formPage = `/admin/setup?token=${token}`
  const before = rowCounts(app.herald.services)

  const wrong = await browser.post('/admin/setup', { ...good, token: `${token}x` }, { formPage })
  t.equal(wrong.statusCode, 404, 'a wrong token in the form')
  const noCsrf = await browser.post('/admin/setup', { ...good, token }, { csrf: null })
  t.equal(noCsrf.statusCode, 403, 'no CSRF token')

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['empty name', { name: '' }, /id="name-error">This field is required/],
    ['too long name', { name: 'a'.repeat(65) }, /id="name-error">Use at most 64 characters/],
    ['HTML in the name', { name: '<script>alert(1)</script>' }, /id="name-error">Use 2 to 64 letters, digits/],
    ['control character in the name', { name: 'ali\u0007ce' }, /id="name-error">Use 2 to 64 letters, digits/],
    ['empty password', { password: '', confirm: '' }, /id="password-error">This field is required/],
    ['short password', { password: 'short-1', confirm: 'short-1' }, /id="password-error">Use at least 10 characters/],
    ['common password', { password: 'password123', confirm: 'password123' }, /id="password-error">This password is too common/],
    ['password with the name', { password: 'alice-rocks-2026', confirm: 'alice-rocks-2026' }, /id="password-error">Do not use your user name/],
    ['control character in the password', { password: 'wonderland\u0001pw', confirm: 'wonderland\u0001pw' }, /id="password-error">Do not use control characters/],
    ['too long password', { password: 'x1'.repeat(101), confirm: 'x1'.repeat(101) }, /id="password-error">Use at most 200 characters/],
    ['passwords that differ', { confirm: 'wonderland-password-2' }, /id="confirm-error">The two passwords differ/]
  ]
  for (const [what, fields, message] of cases) {
    const response = await browser.post('/admin/setup', { ...good, token, ...fields }, { formPage })
    t.equal(response.statusCode, 400, what)
    t.match(response.body, message, what)
    t.notMatch(response.body, /<script>alert/, `${what}: what was typed is escaped`)
    t.notMatch(response.body, /value="[^"]*wonderland|value="[^"]*password1/, `${what}: no password is shown again`)
  }
  const kept = await browser.post('/admin/setup', { ...good, token, name: 'al ice' }, { formPage })
  t.match(kept.body, /value="al ice"/, 'the name typed is kept')
  t.equal(app.herald.services.users.count(), 0, 'no user yet')
  t.same(rowCounts(app.herald.services), before, 'nothing stored')

  const created = await browser.post('/admin/setup', { ...good, token, name: '  alice ' }, { formPage })
  t.equal(created.statusCode, 303)
  t.equal(created.headers.location, '/admin')
  const dashboard = await browser.get('/admin')
  t.equal(dashboard.statusCode, 200, 'signed in')
  t.match(dashboard.body, /Welcome, alice: you are the first admin/)
  t.match(app.herald.services.users.list(), [{ name: 'alice', role: 'admin' }])
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'setup', action: 'user.create', detail: { name: 'alice', role: 'admin' } })
  t.equal(app.herald.stores.settings.get('setup_token_hash'), undefined, 'the token is used up')

  const again = new AdminSession(app)
  t.equal((await again.get(formPage)).statusCode, 404, 'the link no longer opens the page')
  const replay = await again.post('/admin/setup', { ...good, token, name: 'mallory' }, { formPage: '/admin/sign-in' })
  t.equal(replay.statusCode, 404, 'nor does posting the form again')
  t.equal(app.herald.services.users.count(), 1)
  t.equal(setup.issue(), undefined, 'no new token once a user exists')
})

t.test('a setup link works for an hour, then opens nothing', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  t.equal(setupLinkLifetimeMs, 60 * 60 * 1000)
  const token = new SetupService(app.herald.services.context).issue() as string
  t.match(JSON.parse(app.herald.stores.settings.get('setup_token_hash') as string), { expiresAt: '2020-02-03T14:00:00.000Z' },
    'the expiry is stored with the hash')
  const browser = new AdminSession(app)
  const unknownPage = await browser.get('/admin/nothing-here')
  const formPage = `/admin/setup?token=${token}`
  clock.advance(setupLinkLifetimeMs - 1)
  t.equal((await browser.get(formPage)).statusCode, 200, 'a millisecond before the hour is up')
  clock.advance(1)
  const expired = await browser.get(formPage)
  t.equal(expired.statusCode, 404, 'once the hour is up')
  t.equal(expired.body, unknownPage.body, 'an expired link looks like any unknown address')
  const post = await browser.post('/admin/setup', { ...good, token }, { formPage: '/admin/sign-in' })
  t.equal(post.statusCode, 404, 'nor does the form take it')
  t.equal(app.herald.services.users.count(), 0, 'no user created')
})

t.test('a token stored without an expiry (by an older Herald) opens nothing', async (t) => {
  const app = await build(t)
  const setup = new SetupService(app.herald.services.context)
  const token = setup.issue() as string
  const { hash } = JSON.parse(app.herald.stores.settings.get('setup_token_hash') as string) as { hash: string }
  app.herald.stores.settings.set('setup_token_hash', hash)
  t.notOk(setup.accepts(token))
})

t.test('the setup page disappears once a user exists, however made', async (t) => {
  const app = await build(t)
  const setup = new SetupService(app.herald.services.context)
  const first = setup.issue() as string
  const second = setup.issue() as string
  t.not(first, second)
  t.notOk(setup.accepts(first), 'a new link replaces the old one')
  t.ok(setup.accepts(second))
  await app.herald.services.users.create('bob', 'builder-password-1', 'admin', 'cli')
  const browser = new AdminSession(app)
  t.equal((await browser.get(`/admin/setup?token=${second}`)).statusCode, 404)
  const post = await browser.post('/admin/setup', { ...good, token: second }, { formPage: '/admin/sign-in' })
  t.equal(post.statusCode, 404)
  t.equal(app.herald.services.users.count(), 1)
})

t.test('the sign-in page says where the first admin comes from until there is one', async (t) => {
  const app = await build(t)
  const browser = new AdminSession(app)
  t.match((await browser.get('/admin/sign-in')).body, /There is no user yet.*setup link that <code>herald serve<\/code> printed.*<code>herald setup-link<\/code> prints a new one.*herald user add &lt;name&gt; --role admin/s)
  await app.herald.services.users.create('alice', 'wonderland-password-1', 'admin', 'cli')
  t.notMatch((await browser.get('/admin/sign-in')).body, /There is no user yet/)
})

const linkLine = /^ {2}https:\/\/status\.example\.com\/admin\/setup\?token=([A-Za-z0-9_-]{43})$/m

t.test('herald serve prints the setup link, which works and is not in the JSON log', async (t) => {
  const env = heraldEnv(tempDir(t), { LOG_LEVEL: 'info' })
  const server = await serve(t, env)
  await server.waitForOutput(/\/admin\/setup\?token=/)
  const match = linkLine.exec(server.stdout())
  t.ok(match, `the link is on a line of its own:\n${server.stdout()}`)
  const token = match?.[1] as string
  t.match(server.stdout(), /Herald has no user yet\. Create the first admin at this one-time link, valid for 1 hour:/)
  t.match(server.stdout(), /A restart or "herald setup-link" gives a new one/)
  const page = await fetch(`${server.url}/admin/setup?token=${token}`, { headers: { 'x-forwarded-proto': 'https' } })
  t.equal(page.status, 200)
  const wrong = await fetch(`${server.url}/admin/setup?token=nope`)
  t.equal(wrong.status, 404)
  await fetch(`${server.url}/`)
  await server.waitForOutput(/"url":"\/"/)
  const logLines = server.stdout().split('\n').filter((line) => line.startsWith('{'))
  t.ok(logLines.some((line) => line.includes('the setup link was printed')), 'the log says a link was printed')
  t.notOk(logLines.some((line) => line.includes(token)), 'the token is in no log line')
  t.notOk(logLines.some((line) => line.includes('/admin/setup')), 'nor are requests to the setup page')
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('herald setup-link prints a new link while the server runs, which replaces the old one; with a user it refuses', async (t) => {
  const env = heraldEnv(tempDir(t))
  const server = await serve(t, env)
  await server.waitForOutput(/\/admin\/setup\?token=/)
  const printed = linkLine.exec(server.stdout())?.[1] as string

  const fresh = await herald(['setup-link'], env)
  t.equal(fresh.code, 0, fresh.stderr)
  t.equal(fresh.stderr, '')
  t.match(fresh.stdout, /^Create the first admin at this one-time link, valid for 1 hour:\n\n {2}https:\/\/\S+\n\nAny link printed before no longer works\.\n$/)
  const token = linkLine.exec(fresh.stdout)?.[1] as string
  t.not(token, printed)
  const page = (value: string): Promise<Response> => fetch(`${server.url}/admin/setup?token=${value}`, { headers: { 'x-forwarded-proto': 'https' } })
  t.equal((await page(token)).status, 200, 'the new link opens the page on the running server')
  t.equal((await page(printed)).status, 404, 'the link serve printed no longer does')

  await withDatabase(loadConfig(env), async ({ services }) => await services.users.create('alice', good.password, 'admin', 'cli'))
  const refused = await herald(['setup-link'], env)
  t.equal(refused.code, 1)
  t.equal(refused.stdout, '')
  t.equal(refused.stderr, `herald: the database at ${env.DATABASE_PATH as string} already has a user, so there is no setup link: ` +
    'sign in at https://status.example.com/admin, or add a user with herald user add <name> --role admin\n')
  t.equal((await page(token)).status, 404, 'nor does any link once a user exists')
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})
