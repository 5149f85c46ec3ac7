// Sign-in rate limits: failed attempts per account (from any address), every attempt per address, with 429, a message and Retry-After.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { signInLimits } from '../../server/routes/admin/sign-in-limits.js'
import { WindowCounter } from '../../server/routes/admin/window-counter.js'
import { type TestContext, TestClock, build } from '../fixtures/build.js'
import { AdminSession } from './fixtures/admin-session.js'

const alicePassword = 'wonderland-password-1'

/** One sign-in attempt from a browser at `address` (the tests' proxy on loopback forwards it). */
async function attempt (app: FastifyInstance, name: string, password: string, address: string): Promise<LightMyRequestResponse> {
  const browser = new AdminSession(app)
  const csrf = await browser.csrfToken('/admin/sign-in')
  return await app.inject({
    method: 'POST',
    url: '/admin/sign-in',
    headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': address, cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ name, password, _csrf: csrf }).toString()
  })
}

async function withAlice (t: TestContext, clock: TestClock): Promise<FastifyInstance> {
  const app = await build(t, { clock })
  await app.herald.services.users.create('alice', alicePassword, 'admin', 'cli')
  await app.herald.services.users.create('bob', 'builder-password-1', 'editor', 'cli')
  return app
}

t.test('the limits are the documented ones', async (t) => {
  t.same(signInLimits, { perAddress: { max: 20, windowMs: 15 * 60_000 }, perAccount: { maxFailures: 5, windowMs: 15 * 60_000 } })
})

t.test('after 5 failed attempts on an account, from any addresses, it is locked for 15 minutes', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await withAlice(t, clock)
  for (let i = 1; i <= signInLimits.perAccount.maxFailures; i++) {
    const failed = await attempt(app, 'alice', `wrong-guess-${i}`, `192.0.2.${i}`)
    t.equal(failed.statusCode, 401, `failure ${i} is an ordinary wrong password`)
  }
  const locked = await attempt(app, 'alice', alicePassword, '192.0.2.100')
  t.equal(locked.statusCode, 429, 'even the right password from a new address')
  t.match(locked.body, /Too many sign-in attempts for this account; try again in 15 minutes\./)
  t.equal(locked.headers['retry-after'], '900')
  t.match(locked.body, /value="alice"/, 'the name is kept')
  t.notMatch(locked.body, alicePassword, 'the password is not')
  const cookie = String(locked.headers['set-cookie']).split(';')[0] as string
  const admin = await app.inject({ url: '/admin', headers: { 'x-forwarded-proto': 'https', cookie } })
  t.equal(admin.statusCode, 302, 'the session is not signed in')

  t.equal((await attempt(app, ' ALICE ', alicePassword, '192.0.2.101')).statusCode, 429, 'the same account in other case and spacing')
  t.equal((await attempt(app, 'bob', 'builder-password-1', '192.0.2.1')).statusCode, 303, 'another account is not affected')

  clock.advance(10 * 60_000)
  const later = await attempt(app, 'alice', alicePassword, '192.0.2.102')
  t.equal(later.statusCode, 429)
  t.match(later.body, /try again in 5 minutes/)
  t.equal(later.headers['retry-after'], '300')
  clock.advance(5 * 60_000)
  t.equal((await attempt(app, 'alice', alicePassword, '192.0.2.103')).statusCode, 303, 'the window has passed')
})

t.test('a successful sign-in does not count against the account', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await withAlice(t, clock)
  for (let i = 1; i <= 4; i++) t.equal((await attempt(app, 'alice', `wrong-guess-${i}`, `198.51.100.${i}`)).statusCode, 401)
  for (let i = 1; i <= 3; i++) t.equal((await attempt(app, 'alice', alicePassword, `198.51.100.${10 + i}`)).statusCode, 303, `success ${i}`)
  t.equal((await attempt(app, 'alice', 'wrong-guess-5', '198.51.100.20')).statusCode, 401, 'the fifth failure is still only refused')
  t.equal((await attempt(app, 'alice', alicePassword, '198.51.100.21')).statusCode, 429, 'the sixth attempt after five failures is limited')
})

t.test('an address gets 20 attempts in 15 minutes, whatever the accounts', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await withAlice(t, clock)
  for (let i = 1; i <= signInLimits.perAddress.max; i++) {
    t.equal((await attempt(app, `guess${i}`, 'some-password-1', '203.0.113.7')).statusCode, 401, `attempt ${i}`)
  }
  const limited = await attempt(app, 'alice', alicePassword, '203.0.113.7')
  t.equal(limited.statusCode, 429)
  t.match(limited.body, /Too many sign-in attempts from your network address; try again in 15 minutes\./)
  t.equal(limited.headers['retry-after'], '900')
  t.equal((await attempt(app, 'alice', alicePassword, '203.0.113.8')).statusCode, 303, 'another address signs in')

  clock.advance(15 * 60_000)
  t.equal((await attempt(app, 'alice', alicePassword, '203.0.113.7')).statusCode, 303, 'the address may try again once the window has passed')
})

t.test('the window counter forgets the oldest keys beyond its size, and takes hits back', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const counter = new WindowCounter(clock.now, 2)
  counter.hit('a', 1000)
  counter.hit('b', 1000)
  counter.hit('c', 1000)
  t.equal(counter.size, 2)
  t.same(counter.peek('a', 1000), { count: 0, resetInMs: 0 }, 'the oldest went first')
  t.same(counter.peek('c', 1000), { count: 1, resetInMs: 1000 })
  counter.undo('c')
  t.equal(counter.size, 1, 'a window with nothing left in it ends')
  clock.advance(1000)
  t.same(counter.hit('b', 1000), { count: 1, resetInMs: 1000 }, 'an ended window starts again')
})
