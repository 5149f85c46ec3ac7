// Certificate warnings: days left, the one threshold a certificate's days call for, and the admins' mail of each warning.
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { daysLeft, warningThreshold } from '../../server/domain/certificate-warnings.js'
import { CertificateNotices, certificateNotice } from '../../server/notify/certificate-notices.js'
import type { UnsentWarning } from '../../server/services/monitor-runs.js'
import { TestClock, build } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { FakeSmtp } from '../subscribers/fixtures/fake-smtp.js'
import { certificateFacts, upOutcome } from './fixtures/engine.js'

t.test('days left are whole days, rounded down, negative once expired', async (t) => {
  const now = new Date('2026-01-01T12:00:00.000Z')
  t.equal(daysLeft('2026-01-15T12:00:00.000Z', now), 14)
  t.equal(daysLeft('2026-01-15T11:59:59.999Z', now), 13)
  t.equal(daysLeft('2026-01-01T12:00:00.000Z', now), 0)
  t.equal(daysLeft('2025-12-31T12:00:00.000Z', now), -1)
})

t.test('the smallest threshold crossed, only', async (t) => {
  t.equal(warningThreshold(20, [14, 7]), null)
  t.equal(warningThreshold(14, [14, 7]), 14)
  t.equal(warningThreshold(8, [14, 7]), 14)
  t.equal(warningThreshold(5, [14, 7]), 7, 'a new certificate with 5 days left warns once, at 7')
  t.equal(warningThreshold(-3, [14, 7]), 7, 'an expired one too')
  t.equal(warningThreshold(1, [30, 14, 7, 1]), 1)
  t.equal(warningThreshold(3, [7, 30, 14]), 7, 'in any order')
  t.equal(warningThreshold(3, []), null, 'no thresholds: no warnings')
})

// The notices: a run that finds a certificate under a threshold mails the admins once, through the subscribers' mailer.

async function mailWorld (t: Test, env: NodeJS.ProcessEnv = {}): Promise<{ app: FastifyInstance, smtp: FakeSmtp, id: number, clock: TestClock, setDays: (days: number, fingerprint?: string) => void }> {
  const smtp = await FakeSmtp.start()
  t.teardown(async () => { await smtp.close() })
  const clock = new TestClock()
  let certificate = certificateFacts(clock.now(), 30)
  const app = await build(t, {
    clock,
    env: { SMTP_URL: smtp.url(), MAIL_FROM: 'Example Status <status@example.com>', ADMIN_NOTICE_EMAIL: 'ops@example.com', SUBSCRIPTIONS_WORKER: 'off', ...env },
    monitors: { check: async () => ({ ...upOutcome, certificate }), timers: false }
  })
  const id = app.herald.services.monitors.create({ name: 'Teams <login>', kind: 'tls', target: 'login.example.com:443', interval_seconds: 300 }, 'user:alice').monitor.id
  return { app, smtp, id, clock, setDays: (days, fingerprint) => { certificate = certificateFacts(clock.now(), days, fingerprint) } }
}

t.test('a warning is mailed once to ADMIN_NOTICE_EMAIL, and marked emailed', async (t) => {
  const { app, smtp, id, clock, setDays } = await mailWorld(t)
  await app.monitors.runNow(id)
  t.equal(app.herald.stores.monitors.unsentWarnings().length, 0, '30 days: nothing to warn')
  setDays(5)
  clock.advance(300_000)
  await app.monitors.runNow(id)
  await eventually(() => app.herald.stores.monitors.unsentWarnings().length === 0 && smtp.received.length === 1, 'the warning mailed')
  const [mail] = smtp.received
  t.same(mail?.envelope.to, ['ops@example.com'])
  t.equal(mail?.mail.subject, '[Example Status] Certificate of Teams <login> expires in 5 days')
  t.match(mail?.mail.text, /Herald's monitor Teams <login> sees at TLS login\.example\.com:443 expires in 5 days \(.*\): it crossed the 7-day warning\./)
  t.match(mail?.mail.text, /Names: teams\.example\.com\nIssuer: CN=Example CA\nFingerprint \(SHA-256\): AA:BB:CC/)
  t.match(mail?.mail.text, /https:\/\/status\.example\.com\/admin/)
  t.match(app.herald.stores.monitors.openWarnings(), [{ days: 7, emailedAt: clock.now().toISOString(), dismissedAt: null }], 'still on the dashboard until dismissed')
  clock.advance(300_000)
  await app.monitors.runNow(id)
  setDays(4, 'NE:WC:ER:T')
  clock.advance(300_000)
  await app.monitors.runNow(id)
  await eventually(() => smtp.received.length === 2, 'the new certificate\'s warning')
  t.match(smtp.received[1]?.mail.subject, /expires in 4 days/)
})

t.test('a warning whose mail fails stays unsent', async (t) => {
  const { app, smtp, id, setDays } = await mailWorld(t)
  const notices = app.monitors.notices
  if (notices === null) throw new Error('mail and ADMIN_NOTICE_EMAIL are set: the notices run')
  await smtp.close()
  setDays(5)
  await app.monitors.runNow(id)
  await notices.settled()
  t.equal(app.herald.stores.monitors.unsentWarnings().length, 1, 'the server is gone: still unsent')
})

t.test('the notices try an unsent warning again later, and mark only what was sent', async (t) => {
  const outcomes: Array<'sent' | 'failed'> = ['failed', 'sent']
  const marked: number[] = []
  const warnings = [{ id: 3, monitorId: 1, fingerprint: 'F', days: 7, expiresAt: '2020-02-08T13:00:00.000Z', createdAt: '2020-02-03T13:00:00.000Z', emailedAt: null, dismissedAt: null, monitorName: 'M', target: 'TLS a:443', issuer: null, names: [] }]
  const warned: string[] = []
  let broken = true
  const sendsWhenMarked: number[] = []
  const notices = new CertificateNotices({
    send: async (_to, subject) => {
      const outcome = outcomes.shift() ?? 'sent'
      warned.push(`${outcome}: ${subject}`)
      return outcome === 'sent' ? { outcome } : { outcome, error: 'refused', bounced: false }
    },
    to: 'ops@example.com',
    publicUrl: 'https://status.example.com',
    clock: () => new Date('2020-02-03T13:00:00.000Z'),
    unsent: () => {
      // The first pass cannot even read them (the database busy): the next pass, after the retry time, can.
      if (broken) {
        broken = false
        throw new Error('database is locked')
      }
      return warnings.filter((warning) => !marked.includes(warning.id))
    },
    markEmailed: (id) => {
      marked.push(id)
      sendsWhenMarked.push(warned.length)
    },
    log: { warn: () => {}, error: () => {} },
    retryMs: 5
  })
  t.teardown(async () => { await notices.close() })
  notices.start()
  await notices.settled()
  t.same(warned, [], 'nothing read, nothing sent')
  // Then, each after the retry time: the read works and the send fails; the next send works.
  await eventually(() => marked.length === 1, 'the retries')
  t.same(warned, ['failed: Certificate of M expires in 5 days', 'sent: Certificate of M expires in 5 days'])
  t.same(sendsWhenMarked, [2], 'marked only after the send that worked')
  notices.wake()
  await notices.settled()
  t.equal(warned.length, 2, 'nothing left to send')
})

t.test('without ADMIN_NOTICE_EMAIL the warnings are on the dashboard only', async (t) => {
  const { app, smtp, id, setDays } = await mailWorld(t, { ADMIN_NOTICE_EMAIL: '' })
  t.equal(app.monitors.notices, null)
  setDays(5)
  await app.monitors.runNow(id)
  t.equal(app.herald.stores.monitors.unsentWarnings().length, 1)
  t.equal(smtp.received.length, 0)
})

t.test('the notice\'s words for an expired certificate and one expiring today', async (t) => {
  const now = new Date('2026-01-10T12:00:00.000Z')
  const warning = { id: 1, monitorId: 1, fingerprint: 'F', days: 7, createdAt: now.toISOString(), emailedAt: null, dismissedAt: null, monitorName: 'M', target: 'TLS a:443', issuer: null, names: [] }
  t.match(certificateNotice({ ...warning, expiresAt: '2026-01-08T11:00:00.000Z' }, 'https://s.example.com', now).subject, 'Certificate of M expired 3 days ago')
  t.match(certificateNotice({ ...warning, expiresAt: '2026-01-09T11:00:00.000Z' }, 'https://s.example.com', now).subject, 'expired 2 days ago')
  t.match(certificateNotice({ ...warning, expiresAt: '2026-01-09T13:00:00.000Z' }, 'https://s.example.com', now).subject, 'expired 1 day ago')
  t.match(certificateNotice({ ...warning, expiresAt: '2026-01-10T13:00:00.000Z' }, 'https://s.example.com', now).subject, 'expires today')
  t.match(certificateNotice({ ...warning, expiresAt: '2026-01-11T13:00:00.000Z' }, 'https://s.example.com', now).text, /expires in 1 day \(/)
  t.match(certificateNotice({ ...warning, expiresAt: '2026-01-11T13:00:00.000Z' }, 'https://s.example.com', now).text, /Issuer: unknown/)
})

t.test('a warning committed during a pass is sent by another pass right after it', async (t) => {
  const warning = (id: number): UnsentWarning => ({ id, monitorId: 1, fingerprint: `F${id}`, days: 7, expiresAt: '2020-02-08T13:00:00.000Z', createdAt: '2020-02-03T13:00:00.000Z', emailedAt: null, dismissedAt: null, monitorName: `M${id}`, target: 'TLS a:443', issuer: null, names: [] })
  const waiting = [warning(1)]
  const marked: number[] = []
  let release: () => void = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const notices = new CertificateNotices({
    send: async (_to, subject) => {
      if (subject.includes('M1')) await held
      return { outcome: 'sent' }
    },
    to: 'ops@example.com',
    publicUrl: 'https://status.example.com',
    clock: () => new Date('2020-02-03T13:00:00.000Z'),
    unsent: () => waiting.filter((one) => !marked.includes(one.id)),
    markEmailed: (id) => { marked.push(id) },
    log: { warn: () => {}, error: () => {} }
  })
  t.teardown(async () => { await notices.close() })
  notices.start()
  // The first pass waits on M1's send; M2 is committed meanwhile, and its wake comes during that pass.
  waiting.push(warning(2))
  notices.wake()
  await new Promise((resolve) => { setImmediate(resolve) })
  release()
  await eventually(() => marked.length === 2, 'both sent')
  t.same(marked, [1, 2])
})
