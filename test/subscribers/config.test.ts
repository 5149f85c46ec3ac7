// The subscriptions' settings: email over SMTP with its From and optional DKIM, the URL rules, the worker's timings.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../../server/config.js'

const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n'

t.test('without SMTP_URL email is off and the rest has its defaults', async (t) => {
  t.same(loadConfig({}).subscriptions, {
    email: null,
    allowPrivateUrls: false,
    allowHttpUrls: false,
    worker: true,
    requestTimeoutMs: 10_000,
    maxAttempts: 12,
    retryBaseMs: 30_000,
    quarantineAfterMs: 86_400_000,
    noticeEmail: null,
    unconfirmedDays: 7
  })
})

t.test('reads every setting', async (t) => {
  const dir = t.testdir({ 'dkim.pem': pem })
  const config = loadConfig({
    SMTP_URL: 'smtp://user:s3cret@mail.example.com:587',
    MAIL_FROM: 'Example Status <status@Example.COM>',
    DKIM_PRIVATE_KEY_FILE: join(dir, 'dkim.pem'),
    DKIM_DOMAIN: 'Example.com',
    DKIM_SELECTOR: 'herald2026',
    SUBSCRIPTIONS_ALLOW_PRIVATE_URLS: '1',
    SUBSCRIPTIONS_ALLOW_HTTP: '1',
    SUBSCRIPTIONS_WORKER: 'off',
    SUBSCRIPTIONS_REQUEST_TIMEOUT_MS: '2000',
    SUBSCRIPTIONS_MAX_ATTEMPTS: '3',
    SUBSCRIPTIONS_RETRY_BASE_MS: '10',
    SUBSCRIPTIONS_QUARANTINE_AFTER_MS: '60000',
    ADMIN_NOTICE_EMAIL: 'ops@example.com'
  })
  t.same(config.subscriptions, {
    email: {
      smtpUrl: 'smtp://user:s3cret@mail.example.com:587',
      from: 'Example Status <status@example.com>',
      dkim: { privateKey: pem, domainName: 'example.com', keySelector: 'herald2026' }
    },
    allowPrivateUrls: true,
    allowHttpUrls: true,
    worker: false,
    requestTimeoutMs: 2000,
    maxAttempts: 3,
    retryBaseMs: 10,
    quarantineAfterMs: 60_000,
    noticeEmail: 'ops@example.com',
    unconfirmedDays: 7
  })
})

t.test('smtps:// and a bare From address, without DKIM', async (t) => {
  t.same(loadConfig({ SMTP_URL: 'smtps://mail.example.com', MAIL_FROM: ' status@example.com ' }).subscriptions.email,
    { smtpUrl: 'smtps://mail.example.com', from: 'status@example.com', dkim: null })
  t.equal(loadConfig({ SUBSCRIPTIONS_ALLOW_HTTP: 'no' }).subscriptions.allowHttpUrls, false)
})

t.test('a From name with a comma or dot is quoted, so that it stays one address', async (t) => {
  const from = (text: string): string | undefined => loadConfig({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: text }).subscriptions.email?.from
  t.equal(from('Example, Inc. <status@example.com>'), '"Example, Inc." <status@example.com>')
  t.equal(from('"Example Status" <status@example.com>'), 'Example Status <status@example.com>')
  t.equal(from('"Example; Status" <status@example.com>'), '"Example; Status" <status@example.com>')
  t.equal(from('Statut Équipe <status@example.com>'), 'Statut Équipe <status@example.com>')
  t.equal(from('<status@example.com>'), 'status@example.com')
  t.equal(from('"" <status@example.com>'), 'status@example.com')
})

t.test('a half-configured setting stops start-up naming what is missing, never the password', async (t) => {
  const dir = t.testdir({ 'dkim.pem': pem, 'not-a-key.pem': 'hello\n' })
  const smtp = { SMTP_URL: 'smtp://user:s3cret@mail.example.com:587', MAIL_FROM: 'status@example.com' }
  const cases: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    ['MAIL_FROM without SMTP_URL', { MAIL_FROM: 'status@example.com' }, /SMTP_URL is missing: MAIL_FROM is set/],
    ['MAIL_FROM and DKIM without SMTP_URL', { MAIL_FROM: 'status@example.com', DKIM_SELECTOR: 's1' }, /SMTP_URL is missing: MAIL_FROM, DKIM_SELECTOR are set/],
    ['DKIM without SMTP_URL', { DKIM_DOMAIN: 'example.com' }, /SMTP_URL is missing: DKIM_DOMAIN is set/],
    ['SMTP_URL without MAIL_FROM', { SMTP_URL: smtp.SMTP_URL }, /MAIL_FROM is missing/],
    ['SMTP_URL not a URL', { ...smtp, SMTP_URL: 'user s3cret@mail' }, /SMTP_URL must be a URL such as/],
    ['SMTP_URL whose scheme is the password', { ...smtp, SMTP_URL: 's3cret:mail.example.com' }, /SMTP_URL must start with smtp:\/\/ or smtps:\/\/$/],
    ['SMTP_URL without a host', { ...smtp, SMTP_URL: 'smtp:mail' }, /SMTP_URL must name the mail server's host/],
    ['SMTP_URL of another scheme', { ...smtp, SMTP_URL: 'https://user:s3cret@mail.example.com' }, /SMTP_URL must start with smtp:\/\/ or smtps:\/\/$/],
    ['MAIL_FROM not an address', { ...smtp, MAIL_FROM: 'status' }, /MAIL_FROM must be an address or Name <address>/],
    ['MAIL_FROM with a line break', { ...smtp, MAIL_FROM: 'status@example.com\r\nBcc: x@example.com' }, /MAIL_FROM must be an address/],
    ['MAIL_FROM name with a backslash', { ...smtp, MAIL_FROM: 'Sta\\tus <status@example.com>' }, /MAIL_FROM's name must not contain/],
    ['MAIL_FROM name with a line break', { ...smtp, MAIL_FROM: 'Status\r\nBcc: x@example.com <status@example.com>' }, /MAIL_FROM's name must not contain/],
    ['MAIL_FROM name with a quote', { ...smtp, MAIL_FROM: 'Sta"tus <status@example.com>' }, /MAIL_FROM's name must not contain/],
    ['one DKIM setting', { ...smtp, DKIM_DOMAIN: 'example.com' }, /DKIM_PRIVATE_KEY_FILE, DKIM_SELECTOR are missing/],
    ['two DKIM settings', { ...smtp, DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1' }, /DKIM_PRIVATE_KEY_FILE is missing/],
    ['a missing key file', { ...smtp, DKIM_PRIVATE_KEY_FILE: join(dir, 'none.pem'), DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1' }, /DKIM_PRIVATE_KEY_FILE cannot be read .*ENOENT/],
    ['a file that is no key', { ...smtp, DKIM_PRIVATE_KEY_FILE: join(dir, 'not-a-key.pem'), DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1' }, /must hold a PEM private key/],
    ['a bad DKIM domain', { ...smtp, DKIM_PRIVATE_KEY_FILE: join(dir, 'dkim.pem'), DKIM_DOMAIN: 'example', DKIM_SELECTOR: 's1' }, /DKIM_DOMAIN must be a domain name/],
    ['a bad DKIM selector', { ...smtp, DKIM_PRIVATE_KEY_FILE: join(dir, 'dkim.pem'), DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 'a b;c' }, /DKIM_SELECTOR must be letters/],
    ['a notice address without email', { ADMIN_NOTICE_EMAIL: 'ops@example.com' }, /ADMIN_NOTICE_EMAIL needs SMTP_URL/],
    ['a bad notice address', { ...smtp, ADMIN_NOTICE_EMAIL: 'ops' }, /ADMIN_NOTICE_EMAIL must be an email address/],
    ['a flag that is not one', { SUBSCRIPTIONS_ALLOW_HTTP: 'maybe' }, /SUBSCRIPTIONS_ALLOW_HTTP must be 1 or 0/],
    ['a worker switch that is not one', { SUBSCRIPTIONS_WORKER: 'sometimes' }, /SUBSCRIPTIONS_WORKER must be one of on, off/],
    ['a timeout out of range', { SUBSCRIPTIONS_REQUEST_TIMEOUT_MS: '5' }, /SUBSCRIPTIONS_REQUEST_TIMEOUT_MS must be a whole number from 100/],
    ['a quarantine window that is no number', { SUBSCRIPTIONS_QUARANTINE_AFTER_MS: '1d' }, /SUBSCRIPTIONS_QUARANTINE_AFTER_MS must be a whole number/]
  ]
  for (const [what, env, message] of cases) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', message }, what)
    try {
      loadConfig(env)
    } catch (error) {
      t.ok(error instanceof ConfigError, `${what}: a ConfigError`)
      t.notMatch((error as Error).message, /s3cret/, `${what}: the password is not repeated`)
    }
  }
})

t.test('the DKIM key file is read at start: a key written later is not seen', async (t) => {
  const dir = t.testdir({})
  const file = join(dir, 'later.pem')
  const env = { SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'status@example.com', DKIM_PRIVATE_KEY_FILE: file, DKIM_DOMAIN: 'example.com', DKIM_SELECTOR: 's1' }
  t.throws(() => loadConfig(env), /cannot be read/)
  writeFileSync(file, pem)
  t.equal(loadConfig(env).subscriptions.email?.dkim?.privateKey, pem)
})
