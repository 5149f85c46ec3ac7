// Sign-in rate limits: every attempt per address, failed ones per account from unknown devices and per known device, with 429, a message and Retry-After.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { signInLimits } from '../../server/http/sign-in-limits.js'
import { SetupService } from '../../server/services/setup-service.js'
import { WindowCounter } from '../../server/http/window-counter.js'
import { type TestContext, TestClock, build } from '../fixtures/build.js'
import { AdminSession } from './fixtures/admin-session.js'

const alicePassword = 'wonderland-password-1'

/** One sign-in attempt from a browser (a new one unless given) at `address` (the tests' proxy on loopback forwards it). */
async function attempt (app: FastifyInstance, name: string, password: string, address: string, browser = new AdminSession(app)): Promise<LightMyRequestResponse> {
  return await browser.post('/admin/sign-in', { name, password }, { formPage: '/admin/sign-in', headers: { 'x-forwarded-for': address } })
}

/** A browser that signed in to alice's account once (so it is a known device), then signed out. */
async function knownDevice (app: FastifyInstance, address: string): Promise<AdminSession> {
  const browser = new AdminSession(app)
  const signedIn = await attempt(app, 'alice', alicePassword, address, browser)
  if (signedIn.statusCode !== 303) throw new Error(`sign-in failed: ${signedIn.statusCode}`)
  await browser.post('/admin/sign-out', {}, { formPage: '/admin' })
  return browser
}

const unknownDeviceLimit = /Too many failed sign-in attempts for this account from devices it has not signed in on before \(a browser you signed in with before still can\); try again in 15 minutes\./

async function withAlice (t: TestContext, clock: TestClock): Promise<FastifyInstance> {
  const app = await build(t, { clock })
  await app.herald.services.users.create('alice', alicePassword, 'admin', 'cli')
  await app.herald.services.users.create('bob', 'builder-password-1', 'editor', 'cli')
  return app
}

t.test('the limits are the documented ones', async (t) => {
  t.same(signInLimits, {
    perAddress: { max: 20, windowMs: 15 * 60_000 },
    perAccount: { maxFailures: 5, windowMs: 15 * 60_000 },
    perKnownDevice: { maxFailures: 10, windowMs: 15 * 60_000 }
  })
})

t.test('after 5 failed attempts on an account, from any addresses, it is locked for 15 minutes to devices it has not signed in on', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await withAlice(t, clock)
  for (let i = 1; i <= signInLimits.perAccount.maxFailures; i++) {
    const failed = await attempt(app, 'alice', `wrong-guess-${i}`, `192.0.2.${i}`)
    t.equal(failed.statusCode, 401, `failure ${i} is an ordinary wrong password`)
  }
  const locked = await attempt(app, 'alice', alicePassword, '192.0.2.100')
  t.equal(locked.statusCode, 429, 'even the right password from a new address on a new device')
  t.match(locked.body, unknownDeviceLimit)
  t.equal(locked.headers['retry-after'], '900')
  t.match(locked.body, /value="alice"/, 'the name is kept')
  t.notMatch(locked.body, alicePassword, 'the password is not')
  t.notMatch(String(locked.headers['set-cookie'] ?? ''), /herald_session|herald_device/, 'no session, and the device is not remembered')

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

t.test('failed attempts from elsewhere never lock the owner out of a device that signed in before', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await withAlice(t, clock)
  // The owner's laptop signed in last week, then signed out.
  const laptop = await knownDevice(app, '198.51.100.7')
  t.equal((await laptop.get('/admin')).statusCode, 302, 'signed out')
  clock.advance(7 * 24 * 3600_000)

  // The incident: someone guesses, from one address and then from many, and keeps at it.
  for (let i = 1; i <= 6; i++) await attempt(app, 'alice', `wrong-guess-${i}`, '203.0.113.66')
  for (let i = 1; i <= 14; i++) await attempt(app, 'alice', `wrong-guess-${i}`, `203.0.113.${100 + i}`)
  const guessing = await attempt(app, 'alice', 'wrong-guess-again', '203.0.113.200')
  t.equal(guessing.statusCode, 429, 'the guesser is held back')
  t.match(guessing.body, unknownDeviceLimit)

  const owner = await attempt(app, 'alice', alicePassword, '192.0.2.44', laptop)
  t.equal(owner.statusCode, 303, 'the owner signs in on the laptop, from yet another address')
  t.equal((await laptop.get('/admin')).statusCode, 200)
  await laptop.post('/admin/sign-out', {}, { formPage: '/admin' })
  const typo = await attempt(app, 'alice', 'wonderland-pasword-1', '192.0.2.44', laptop)
  t.equal(typo.statusCode, 401, 'a typo on the laptop is an ordinary wrong password, not the lock')

  // A device that never signed in to this account is held back for the window, right password or not.
  const newPhone = await attempt(app, 'alice', alicePassword, '192.0.2.45')
  t.equal(newPhone.statusCode, 429, 'a brand-new device waits out the window')
  t.match(newPhone.body, unknownDeviceLimit)
  const asBob = new AdminSession(app)
  t.equal((await attempt(app, 'bob', 'builder-password-1', '192.0.2.46', asBob)).statusCode, 303)
  await asBob.post('/admin/sign-out', {}, { formPage: '/admin' })
  t.equal((await attempt(app, 'alice', alicePassword, '192.0.2.46', asBob)).statusCode, 429, "bob's device is not known for alice")
  clock.advance(15 * 60_000)
  t.equal((await attempt(app, 'alice', alicePassword, '192.0.2.45')).statusCode, 303, 'once the window passes without guesses, a new device signs in')
})

t.test('the known-device cookie: signed, HttpOnly, scoped to /admin, long-lived; forged, foreign or older than the password it is not', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await withAlice(t, clock)
  const laptop = new AdminSession(app)
  const signedIn = await attempt(app, 'alice', alicePassword, '198.51.100.7', laptop)
  const header = [signedIn.headers['set-cookie']].flat().find((cookie) => cookie?.startsWith('herald_device=')) ?? ''
  t.match(header, /^herald_device=1\.\d+\.[\w-]{22}\.[\w+/-]+;/, 'the user id, the time and a random id, signed')
  t.match(header, /Max-Age=15552000/, '180 days')
  t.match(header, /Path=\/admin/)
  t.match(header, /HttpOnly/)
  t.match(header, /SameSite=Lax/)
  t.match(header, /Secure/)
  const device = laptop.cookieNamed('herald_device') as string

  for (let i = 1; i <= 6; i++) await attempt(app, 'alice', `wrong-guess-${i}`, `203.0.113.${i}`)
  const withCookie = async (cookie: string): Promise<number> => {
    const browser = new AdminSession(app)
    const csrf = await browser.csrfToken('/admin/sign-in')
    return (await app.inject({
      method: 'POST',
      url: '/admin/sign-in',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.9', cookie: `${browser.cookie}; ${cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: 'alice', password: alicePassword, _csrf: csrf }).toString()
    })).statusCode
  }
  const [value = '', signature = ''] = [device.slice(0, device.lastIndexOf('.')), device.slice(device.lastIndexOf('.'))]
  t.equal(await withCookie(device), 303, 'the cookie, copied to another browser, is the device')
  t.equal(await withCookie(`${value.replace(/^herald_device=\d+/, 'herald_device=2')}${signature}`), 429, 'a changed user id breaks the signature')
  t.equal(await withCookie(`${value}`), 429, 'unsigned')
  t.equal(await withCookie('herald_device=garbage'), 429, 'garbage')

  clock.advance(1000)
  await app.herald.services.users.changePassword('alice', 'another-password-2', 'cli')
  t.equal(await withCookie(device), 429, 'a cookie from before the password changed is not trusted')
})

t.test('a known device gets 10 failed attempts of its own; other devices are not held back by them', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await withAlice(t, clock)
  const stolen = await knownDevice(app, '198.51.100.7')
  const laptop = await knownDevice(app, '198.51.100.8')
  for (let i = 1; i <= signInLimits.perKnownDevice.maxFailures; i++) {
    t.equal((await attempt(app, 'alice', `wrong-guess-${i}`, `203.0.113.${i}`, stolen)).statusCode, 401, `failure ${i}`)
  }
  const held = await attempt(app, 'alice', alicePassword, '203.0.113.50', stolen)
  t.equal(held.statusCode, 429)
  t.match(held.body, /Too many failed sign-in attempts on this device; try again in 15 minutes\./)
  t.equal((await attempt(app, 'alice', alicePassword, '198.51.100.8', laptop)).statusCode, 303, 'the other known device')
  t.equal((await attempt(app, 'alice', alicePassword, '198.51.100.9')).statusCode, 303, 'a new device: the failures were not counted against the account')
})

t.test('a browser that changed its own password stays a known device; one signed in before the change proves itself again', async (t) => {
  const clock = new TestClock('2026-01-01T00:00:00.000Z')
  const app = await build(t, { clock })
  const token = new SetupService(app.herald.services.context).issue() as string
  const first = new AdminSession(app)
  const created = await first.post('/admin/setup', { name: 'alice', password: alicePassword, confirm: alicePassword, token }, { formPage: `/admin/setup?token=${token}` })
  t.equal(created.statusCode, 303)
  const changed = new AdminSession(app)
  const signedIn = await attempt(app, 'alice', alicePassword, '198.51.100.8', changed)
  t.equal(signedIn.statusCode, 303)
  clock.advance(1000)
  const newPassword = 'another-password-2'
  const change = await changed.post('/admin/users/alice/password', { password: newPassword, confirm: newPassword })
  t.equal(change.statusCode, 303)
  t.equal((await first.get('/admin')).statusCode, 302, 'the change ended the setup browser\'s session')
  await changed.post('/admin/sign-out', {}, { formPage: '/admin' })

  for (let i = 1; i <= 6; i++) await attempt(app, 'alice', `wrong-guess-${i}`, `203.0.113.${i}`)
  t.equal((await attempt(app, 'alice', newPassword, '192.0.2.1')).statusCode, 429, 'a new device is held back')
  t.equal((await attempt(app, 'alice', newPassword, '192.0.2.2', changed)).statusCode, 303, 'the browser that changed the password')
  t.equal((await attempt(app, 'alice', newPassword, '192.0.2.3', first)).statusCode, 429, 'the setup browser signed in before the password changed: it proves itself again')
})

t.test('the setup browser is a known device', async (t) => {
  const app = await build(t)
  const token = new SetupService(app.herald.services.context).issue() as string
  const first = new AdminSession(app)
  await first.post('/admin/setup', { name: 'alice', password: alicePassword, confirm: alicePassword, token }, { formPage: `/admin/setup?token=${token}` })
  await first.post('/admin/sign-out', {}, { formPage: '/admin' })
  for (let i = 1; i <= 6; i++) await attempt(app, 'alice', `wrong-guess-${i}`, `203.0.113.${i}`)
  t.equal((await attempt(app, 'alice', alicePassword, '192.0.2.1')).statusCode, 429, 'a new device is held back')
  t.equal((await attempt(app, 'alice', alicePassword, '192.0.2.2', first)).statusCode, 303, 'the browser that used the setup link')
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
