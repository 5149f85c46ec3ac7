// The tls check against local TLS servers with certificates made in the test: trust, names, and expiry judged by Herald's clock.
import { type Socket, createServer } from 'node:net'
import t from 'tap'
import { daysLeft, issuerName } from '../../server/monitors/certificate.js'
import { type CheckEnvironment, runCheck } from '../../server/monitors/run-check.js'
import { TestClock } from '../fixtures/build.js'
import { createCa, leafCertificate, testCa, validFor } from './fixtures/certificates.js'
import { tlsMonitor } from './fixtures/check-monitors.js'
import { tlsTarget } from './fixtures/tls-target.js'

const dayMs = 86_400_000
const trusted = (clock: () => Date = () => new Date()): CheckEnvironment => ({ clock, trustedCertificates: [testCa().cert] })

t.test('a valid certificate from a trusted CA passes, with its facts', async (t) => {
  const target = await tlsTarget(t, leafCertificate({ names: ['status.example', '127.0.0.1'], ...validFor(90) }))
  const outcome = await runCheck(tlsMonitor({ port: target.port }), trusted())
  t.match(outcome, { ok: true, error: null, statusCode: null })
  t.ok(outcome.latencyMs >= 0)
  const certificate = outcome.certificate
  if (certificate === null) throw new Error('no certificate')
  t.same(certificate.names, ['status.example', '127.0.0.1'])
  t.equal(certificate.subject, 'CN=status.example')
  t.equal(certificate.issuer, 'CN=Herald Test CA, O=Herald tests')
  t.equal(issuerName(certificate), 'Herald Test CA')
  t.match(certificate.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
  t.equal(daysLeft(certificate, new Date()), 90)
  t.equal(target.connections(), 1, 'one connection a check')
})

t.test('the servername is the name judged and sent', async (t) => {
  const target = await tlsTarget(t, leafCertificate({ names: ['a.example'] }))
  const ok = await runCheck(tlsMonitor({ port: target.port, servername: 'a.example' }), trusted())
  t.match(ok, { ok: true, error: null })
  const wrong = await runCheck(tlsMonitor({ port: target.port, servername: 'b.example' }), trusted())
  t.match(wrong, { ok: false, error: 'certificate is for a.example, not b.example' })
  t.ok(wrong.certificate, 'the certificate is returned with the failure')
  const byAddress = await runCheck(tlsMonitor({ port: target.port }), trusted())
  t.match(byAddress, { ok: false, error: 'certificate is for a.example, not 127.0.0.1' }, 'an address is checked against the IP names')
})

t.test('a wildcard names one level, and a certificate without alt names is named by its common name', async (t) => {
  const wildcard = await tlsTarget(t, leafCertificate({ names: ['*.example.com'] }))
  t.match(await runCheck(tlsMonitor({ port: wildcard.port, servername: 'login.example.com' }), trusted()), { ok: true })
  t.match(await runCheck(tlsMonitor({ port: wildcard.port, servername: 'a.login.example.com' }), trusted()),
    { ok: false, error: 'certificate is for *.example.com, not a.login.example.com' })
  const commonName = await tlsTarget(t, leafCertificate({ names: ['cn.example'], noAltNames: true }))
  const outcome = await runCheck(tlsMonitor({ port: commonName.port, servername: 'other.example' }), trusted())
  t.match(outcome, { ok: false, error: 'certificate is for cn.example, not other.example' })
  t.same(outcome.certificate?.names, ['cn.example'])
})

t.test('expiring in 5 and in 20 days: still passing, with the days left right', async (t) => {
  for (const days of [5, 20]) {
    const target = await tlsTarget(t, leafCertificate(validFor(days)))
    const outcome = await runCheck(tlsMonitor({ port: target.port }), trusted())
    t.match(outcome, { ok: true, error: null }, `${days} days`)
    t.equal(daysLeft(outcome.certificate ?? { expiresAt: '' }, new Date()), days, `${days} days left`)
  }
})

t.test('an expired certificate fails and says since when', async (t) => {
  const now = Date.now()
  const target = await tlsTarget(t, leafCertificate({ notBefore: new Date(now - 90 * dayMs), notAfter: new Date(now - 3 * dayMs - 60_000) }))
  const outcome = await runCheck(tlsMonitor({ port: target.port }), trusted())
  const day = new Date(now - 3 * dayMs - 60_000).toISOString().slice(0, 10)
  t.match(outcome, { ok: false, error: `certificate expired 3 days ago (${day})` })
  t.ok(outcome.certificate !== null && daysLeft(outcome.certificate, new Date()) < 0, 'the facts come back, days left negative')
})

t.test('a certificate not yet valid fails', async (t) => {
  const from = new Date(Date.now() + 3 * dayMs - 60_000)
  const target = await tlsTarget(t, leafCertificate({ notBefore: from, notAfter: new Date(Date.now() + 90 * dayMs) }))
  const outcome = await runCheck(tlsMonitor({ port: target.port }), trusted())
  t.match(outcome, { ok: false, error: `certificate not valid until ${from.toISOString().slice(0, 10)} (in 3 days)` })
})

t.test('a self-signed certificate, or one from an unknown CA, is not trusted', async (t) => {
  const selfSigned = await tlsTarget(t, leafCertificate({ issuer: 'self' }))
  const outcome = await runCheck(tlsMonitor({ port: selfSigned.port }), trusted())
  t.match(outcome, { ok: false, error: 'certificate not trusted: self-signed certificate' })
  t.ok(outcome.certificate)
  const unknown = await tlsTarget(t, leafCertificate({ issuer: createCa('Another CA') }))
  t.match(await runCheck(tlsMonitor({ port: unknown.port }), trusted()),
    { ok: false, error: 'certificate not trusted: issuer not known (unable to verify the first certificate)' })
  const testCaLeaf = await tlsTarget(t, leafCertificate())
  t.match(await runCheck(tlsMonitor({ port: testCaLeaf.port }), { clock: () => new Date() }),
    { ok: false, error: /^certificate not trusted: issuer not known/ }, 'the test CA is not trusted unless given')
})

t.test('expiry is judged by the clock Herald is given, not the machine\'s', async (t) => {
  const clock = new TestClock(new Date())
  const target = await tlsTarget(t, leafCertificate(validFor(20)))
  t.match(await runCheck(tlsMonitor({ port: target.port }), trusted(clock.now)), { ok: true })
  clock.advance(21 * dayMs)
  const later = await runCheck(tlsMonitor({ port: target.port }), trusted(clock.now))
  t.match(later, { ok: false, error: /^certificate expired today \(\d{4}-\d\d-\d\d\)$/ })
  clock.advance(dayMs)
  t.match(await runCheck(tlsMonitor({ port: target.port }), trusted(clock.now)), { ok: false, error: /^certificate expired 1 day ago/ })

  // Expired by the machine's clock, valid by Herald's: OpenSSL's complaint about time is not Herald's verdict,
  // and the chain is still judged (OpenSSL reports only its last complaint).
  const past = new TestClock(new Date(Date.now() - 30 * dayMs))
  const expiredNow = { notBefore: new Date(Date.now() - 60 * dayMs), notAfter: new Date(Date.now() - 10 * dayMs) }
  const expired = await tlsTarget(t, leafCertificate(expiredNow))
  t.match(await runCheck(tlsMonitor({ port: expired.port }), trusted(past.now)), { ok: true, error: null })
  const expiredSelfSigned = await tlsTarget(t, leafCertificate({ ...expiredNow, issuer: 'self' }))
  t.match(await runCheck(tlsMonitor({ port: expiredSelfSigned.port }), trusted(past.now)),
    { ok: false, error: 'certificate not trusted: self-signed certificate' })
  const expiredUnknown = await tlsTarget(t, leafCertificate({ ...expiredNow, issuer: createCa('Another CA') }))
  t.match(await runCheck(tlsMonitor({ port: expiredUnknown.port }), trusted(past.now)),
    { ok: false, error: 'certificate not trusted: issuer not known (unable to get local issuer certificate)' })
  const notYetValid = await tlsTarget(t, leafCertificate({ notBefore: new Date(Date.now() + 5 * dayMs), notAfter: new Date(Date.now() + 50 * dayMs) }))
  const future = new TestClock(new Date(Date.now() + 10 * dayMs))
  t.match(await runCheck(tlsMonitor({ port: notYetValid.port }), trusted(future.now)), { ok: true })
})

t.test('a refused connection, a silent server and a closing Herald are outcomes, not exceptions', async (t) => {
  const closed = await tlsTarget(t, leafCertificate())
  await closed.close()
  t.match(await runCheck(tlsMonitor({ port: closed.port }), trusted()), { ok: false, error: /ECONNREFUSED/, certificate: null })

  // Accepts the connection and never answers the handshake.
  const held = new Set<Socket>()
  const silent = createServer((socket) => { held.add(socket) })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    silent.close()
    for (const socket of held) socket.destroy()
  })
  const port = (silent.address() as { port: number }).port
  const started = Date.now()
  const timedOut = await runCheck(tlsMonitor({ port }, { timeoutMs: 300 }), trusted())
  t.match(timedOut, { ok: false, error: 'timed out after 300 ms' })
  t.ok(Date.now() - started < 2_000, 'within the timeout and a little')

  const controller = new AbortController()
  const running = runCheck(tlsMonitor({ port }), { ...trusted(), signal: controller.signal })
  controller.abort()
  t.match(await running, { ok: false, error: 'stopped: Herald is closing' })
  const aborted = new AbortController()
  aborted.abort()
  t.match(await runCheck(tlsMonitor({ port }), { ...trusted(), signal: aborted.signal }), { ok: false, error: 'stopped: Herald is closing' })

  // A server that hangs up before any handshake.
  const hangUp = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve))
  t.teardown(() => hangUp.close())
  const rude = await runCheck(tlsMonitor({ port: (hangUp.address() as { port: number }).port }), trusted())
  t.match(rude, { ok: false, certificate: null })
  t.match(rude.error, /ECONNRESET|socket disconnected|connection closed during the TLS handshake/)
})
