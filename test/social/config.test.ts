// The social settings: a channel is on when all its settings are there; some of them only stops start-up, naming what is missing.
import t from 'tap'
import { ConfigError, loadConfig } from '../../server/config.js'

const twitter = {
  TWITTER_API_KEY: 'key-A1',
  TWITTER_API_SECRET: 'secret-B2',
  TWITTER_ACCESS_TOKEN: 'token-C3',
  TWITTER_ACCESS_SECRET: 'secret-D4'
}
const mastodon = { MASTODON_URL: 'https://mastodon.example', MASTODON_TOKEN: 'token-E5' }

t.test('no social settings: cross-posting is off and the configuration has no social part', async (t) => {
  t.equal(loadConfig({}).social, undefined)
  t.equal(loadConfig({ SOCIAL_WORKER: 'off', SOCIAL_MAX_ATTEMPTS: '3' }).social, undefined, 'tuning alone turns nothing on')
})

t.test('each channel with its defaults, both at once', async (t) => {
  t.same(loadConfig({ ...twitter, ...mastodon }).social, {
    twitter: { apiKey: 'key-A1', apiSecret: 'secret-B2', accessToken: 'token-C3', accessSecret: 'secret-D4', apiUrl: 'https://api.x.com/' },
    mastodon: { url: 'https://mastodon.example/', token: 'token-E5', charLimit: 500 },
    worker: true,
    requestTimeoutMs: 10_000,
    maxAttempts: 8,
    retryBaseMs: 5_000
  })
  t.match(loadConfig(twitter).social, { twitter: { apiUrl: 'https://api.x.com/' }, mastodon: null })
  t.match(loadConfig(mastodon).social, { twitter: null, mastodon: { url: 'https://mastodon.example/' } })
  t.match(loadConfig({
    ...twitter,
    ...mastodon,
    TWITTER_API_URL: 'http://127.0.0.1:8080/x-proxy',
    MASTODON_URL: 'https://social.example.com/base/',
    MASTODON_CHAR_LIMIT: '5000',
    SOCIAL_WORKER: 'off',
    SOCIAL_REQUEST_TIMEOUT_MS: '2500',
    SOCIAL_MAX_ATTEMPTS: '3',
    SOCIAL_RETRY_BASE_MS: '100'
  }).social, {
    twitter: { apiUrl: 'http://127.0.0.1:8080/x-proxy/' },
    mastodon: { url: 'https://social.example.com/base/', charLimit: 5000 },
    worker: false,
    requestTimeoutMs: 2500,
    maxAttempts: 3,
    retryBaseMs: 100
  }, 'base URLs end in a slash, so that paths are added under them')
})

t.test('partial or bad settings fail with a message naming the variable, never a credential', async (t) => {
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ ...twitter, TWITTER_ACCESS_SECRET: '' }, /^TWITTER_ACCESS_SECRET is missing: Twitter\/X needs TWITTER_API_KEY, TWITTER_API_SECRET, TWITTER_ACCESS_TOKEN, TWITTER_ACCESS_SECRET/],
    [{ TWITTER_API_KEY: 'key-A1' }, /^TWITTER_API_SECRET, TWITTER_ACCESS_TOKEN, TWITTER_ACCESS_SECRET are missing/],
    [{ TWITTER_API_URL: 'https://proxy.example/' }, /^TWITTER_API_KEY, TWITTER_API_SECRET, TWITTER_ACCESS_TOKEN, TWITTER_ACCESS_SECRET are missing/],
    [{ MASTODON_URL: 'https://mastodon.example' }, /^MASTODON_TOKEN is missing: Mastodon needs MASTODON_URL, MASTODON_TOKEN/],
    [{ MASTODON_TOKEN: 'token-E5' }, /^MASTODON_URL is missing/],
    [{ MASTODON_CHAR_LIMIT: '500' }, /^MASTODON_URL, MASTODON_TOKEN are missing/],
    [{ ...mastodon, MASTODON_URL: 'mastodon.example' }, /^MASTODON_URL must be an absolute http\(s\) URL/],
    [{ ...mastodon, MASTODON_URL: 'ftp://mastodon.example' }, /^MASTODON_URL must start with http/],
    [{ ...mastodon, MASTODON_URL: 'https://user:pw@mastodon.example' }, /^MASTODON_URL must not contain a user name or password$/],
    [{ ...mastodon, MASTODON_URL: 'https://mastodon.example/?a=1' }, /^MASTODON_URL must not have a query/],
    [{ ...twitter, TWITTER_API_URL: 'not a url' }, /^TWITTER_API_URL must be an absolute/],
    [{ ...mastodon, MASTODON_CHAR_LIMIT: '50' }, /^MASTODON_CHAR_LIMIT must be a whole number from 100 to 10000/],
    [{ ...mastodon, MASTODON_CHAR_LIMIT: 'lots' }, /^MASTODON_CHAR_LIMIT must be/],
    [{ ...mastodon, MASTODON_TOKEN: 'token with spaces' }, /^MASTODON_TOKEN must not contain spaces or control characters$/],
    [{ ...twitter, TWITTER_API_SECRET: 'secret\u0007B2' }, /^TWITTER_API_SECRET must not contain spaces/],
    [{ SOCIAL_WORKER: 'maybe' }, /^SOCIAL_WORKER must be one of on, off/],
    [{ SOCIAL_REQUEST_TIMEOUT_MS: '10' }, /^SOCIAL_REQUEST_TIMEOUT_MS must be a whole number from 100/],
    [{ SOCIAL_MAX_ATTEMPTS: '0' }, /^SOCIAL_MAX_ATTEMPTS must be/],
    [{ SOCIAL_RETRY_BASE_MS: '-5' }, /^SOCIAL_RETRY_BASE_MS must be/]
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), message, JSON.stringify(env))
    t.throws(() => loadConfig(env), ConfigError)
    try {
      loadConfig(env)
    } catch (error) {
      for (const secret of ['key-A1', 'secret-B2', 'token-C3', 'token-E5', 'token with spaces', 'secret\u0007B2']) {
        t.notOk((error as Error).message.includes(secret), `the message does not show ${JSON.stringify(secret)}`)
      }
    }
  }
})
