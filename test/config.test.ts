// Configuration from the environment: defaults for the embedded set-up and a clear message per bad value.
import { resolve } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../server/config.js'

t.test('defaults serve on 127.0.0.1:3000 with the database under ./data', async (t) => {
  t.same(loadConfig({}), {
    host: '127.0.0.1',
    port: 3000,
    databasePath: resolve('data/herald.db'),
    publicUrl: 'http://127.0.0.1:3000',
    siteName: 'Herald Status',
    incidentPrefix: 'INC',
    maintenancePrefix: 'MNT',
    logLevel: 'info',
    logFormat: 'auto',
    cache: { maxAge: 10, stale: 86_400 },
    frameAncestors: "'none'",
    limits: { requestTimeoutMs: 10_000, connectionsPerAddress: 256, shutdownDrainMs: 1_000 },
    subscriptions: {
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
    },
    monitors: { worker: true, trustedCertificates: [], dnsServers: [] },
    passwordHashing: { N: 32_768, r: 8, p: 1 }
  })
})

t.test('passwords are hashed at the scrypt floor whatever the environment says', async (t) => {
  t.same(loadConfig({ PASSWORD_HASHING: 'N=1024', SCRYPT_N: '1024' }).passwordHashing, { N: 32_768, r: 8, p: 1 })
})

t.test('reads every variable, trimming blanks and trailing slashes', async (t) => {
  t.match(loadConfig({
    HOST: '::1',
    PORT: '8080',
    DATABASE_PATH: '/tmp/x/h.db',
    PUBLIC_URL: 'https://status.example.com/herald/',
    SITE_NAME: '  Teams Status ',
    INCIDENT_PREFIX: 'tm',
    MAINTENANCE_PREFIX: ' chg ',
    LOG_LEVEL: 'warn',
    CACHE_MAX_AGE: '0',
    CACHE_STALE: '600',
    REQUEST_TIMEOUT_MS: '30000',
    CONNECTIONS_PER_ADDRESS: '0',
    EXPORT_DIR: '/srv/status-mirror/'
  }), {
    host: '::1',
    port: 8080,
    databasePath: '/tmp/x/h.db',
    publicUrl: 'https://status.example.com/herald',
    siteName: 'Teams Status',
    incidentPrefix: 'TM',
    maintenancePrefix: 'CHG',
    logLevel: 'warn',
    cache: { maxAge: 0, stale: 600 },
    limits: { requestTimeoutMs: 30_000, connectionsPerAddress: 0, shutdownDrainMs: 1_000 },
    exportDir: '/srv/status-mirror'
  })
  t.equal(loadConfig({ EXPORT_DIR: 'mirror' }).exportDir, resolve('mirror'), 'a relative EXPORT_DIR is from the working folder')
  t.equal(loadConfig({ HOST: '::1', PORT: '4000' }).publicUrl, 'http://[::1]:4000', 'an IPv6 host is bracketed')
  t.equal(loadConfig({ PORT: '' }).port, 3000, 'an empty value means the default')
})

t.test('bad values fail with a message naming the variable', async (t) => {
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ PORT: 'eighty' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT must be/],
    [{ PORT: '-1' }, /^PORT must be/],
    [{ PUBLIC_URL: 'status.example.com' }, /^PUBLIC_URL must be an absolute/],
    [{ PUBLIC_URL: 'ftp://status.example.com' }, /^PUBLIC_URL must start with http/],
    [{ PUBLIC_URL: 'https://status.example.com/?a=1' }, /^PUBLIC_URL must not have a query/],
    [{ SITE_NAME: 'x'.repeat(101) }, /^SITE_NAME must be at most 100/],
    [{ INCIDENT_PREFIX: 'T1' }, /^INCIDENT_PREFIX must be 1 to 10 letters/],
    [{ MAINTENANCE_PREFIX: 'M-1' }, /^MAINTENANCE_PREFIX must be 1 to 10 letters, such as MNT, not "M-1"/],
    [{ MAINTENANCE_PREFIX: 'ELEVENLETTERS' }, /^MAINTENANCE_PREFIX must be 1 to 10 letters/],
    [{ MAINTENANCE_PREFIX: 'M\u202eX' }, /^MAINTENANCE_PREFIX must be 1 to 10 letters/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ LOG_FORMAT: 'xml' }, /^LOG_FORMAT must be one of auto, json, pretty, not "xml"/],
    [{ CACHE_MAX_AGE: '10s' }, /^CACHE_MAX_AGE must be a whole number from 0 to 31536000, not "10s"/],
    [{ CACHE_MAX_AGE: '-1' }, /^CACHE_MAX_AGE must be/],
    [{ CACHE_STALE: '31536001' }, /^CACHE_STALE must be a whole number from 0 to 31536000/],
    [{ CACHE_STALE: '1.5' }, /^CACHE_STALE must be/],
    // Under a second a real client on a slow link cannot send a form; 0 would be no timeout at all.
    [{ REQUEST_TIMEOUT_MS: '0' }, /^REQUEST_TIMEOUT_MS must be a whole number from 1000 to 300000, not "0"/],
    [{ REQUEST_TIMEOUT_MS: '10s' }, /^REQUEST_TIMEOUT_MS must be/],
    [{ CONNECTIONS_PER_ADDRESS: '-5' }, /^CONNECTIONS_PER_ADDRESS must be a whole number from 0 to 1000000/]
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), message)
    t.throws(() => loadConfig(env), ConfigError)
  }
})
