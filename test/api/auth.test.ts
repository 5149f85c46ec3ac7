// The token API's door: every route refuses a request without a valid bearer token, and a valid one is recorded.
import t from 'tap'
import { TestClock } from '../fixtures/build.js'
import { type ApiWorld, apiWorld, call, errorOf, snapshot } from './fixtures/api-world.js'

type Route = ['GET' | 'POST' | 'PATCH', (w: ApiWorld) => string, (w: ApiWorld) => Record<string, unknown> | undefined]

const routes: Route[] = [
  ['GET', () => '/api/v1/components', () => undefined],
  ['POST', () => '/api/v1/components', () => ({ name: 'Calls' })],
  ['GET', (w) => `/api/v1/components/${w.chatId}`, () => undefined],
  ['PATCH', (w) => `/api/v1/components/${w.chatId}`, () => ({ status: 'major_outage' })],
  ['POST', () => '/api/v1/incidents', () => ({ name: 'Calls drop', body: 'Looking into it.' })],
  ['GET', (w) => `/api/v1/incidents/${w.reference}`, () => undefined],
  ['PATCH', (w) => `/api/v1/incidents/${w.reference}`, () => ({ impact: 'critical' })],
  ['POST', (w) => `/api/v1/incidents/${w.reference}/updates`, () => ({ body: 'Found it.', status: 'identified' })],
  ['PATCH', (w) => `/api/v1/incidents/${w.reference}/updates/${w.firstUpdateId}`, () => ({ body: 'Typo fixed.' })]
]

t.test('every route refuses a request without a valid token, and stores nothing', async (t) => {
  const w = await apiWorld(t)
  const revoked = w.app.herald.services.tokens.create('old-script', 'cli')
  w.app.herald.services.tokens.revoke('old-script', 'cli')
  const before = snapshot(w.app)

  const attempts: Array<[string, Record<string, string>, RegExp, RegExp]> = [
    ['no Authorization header', {}, /^Bearer realm="herald"$/, /token is required/],
    ['an empty Authorization header', { authorization: '' }, /^Bearer realm="herald"$/, /token is required/],
    ['the Basic scheme', { authorization: `Basic ${Buffer.from(`ci:${w.token}`).toString('base64')}` }, /^Bearer /, /must be Bearer <token>/],
    ['the token without a scheme', { authorization: w.token }, /^Bearer /, /must be Bearer <token>/],
    ['Bearer without a token', { authorization: 'Bearer ' }, /^Bearer /, /must be Bearer <token>/],
    ['two tokens', { authorization: `Bearer ${w.token} ${w.token}` }, /^Bearer /, /must be Bearer <token>/],
    ['an unknown token', { authorization: 'Bearer hrld_c29tZXRoaW5nIHRoYXQgd2FzIG5ldmVyIGlzc3VlZA' }, /error="invalid_token"/, /not valid/],
    ['a token without Herald\'s prefix', { authorization: 'Bearer abcdef' }, /error="invalid_token"/, /not valid/],
    ['a token one character off', { authorization: `Bearer ${w.token.slice(0, -1)}${w.token.endsWith('A') ? 'B' : 'A'}` }, /error="invalid_token"/, /not valid/],
    ['a revoked token', { authorization: `Bearer ${revoked}` }, /error="invalid_token"/, /revoked/]
  ]
  for (const [method, url, payload] of routes) {
    for (const [what, headers, challenge, message] of attempts) {
      const response = await w.app.inject({ method, url: url(w), headers, ...(payload(w) === undefined ? {} : { payload: payload(w) }) })
      const where = `${method} ${url(w)} with ${what}`
      t.equal(response.statusCode, 401, where)
      t.match(response.headers['www-authenticate'], challenge, `${where}: challenge`)
      t.match(response.headers['content-type'], /^application\/json/)
      t.equal(response.headers['cache-control'], 'no-store')
      t.match(errorOf(response), { statusCode: 401, error: 'Unauthorized', message }, `${where}: message`)
    }
  }
  t.same(snapshot(w.app), before, 'nothing was stored')
})

t.test('the token is checked before the body is read: no token, no 413 or 415', async (t) => {
  const w = await apiWorld(t)
  const big = await call(w, 'POST', '/api/v1/components', { anonymous: true, payload: { name: 'x'.repeat(2 * 1024 * 1024) } })
  t.equal(big.statusCode, 401)
  const text = await call(w, 'POST', '/api/v1/components', { anonymous: true, payload: 'name=x', headers: { 'content-type': 'text/plain' } })
  t.equal(text.statusCode, 401)
  const bad = await call(w, 'PATCH', '/api/v1/components/abc', { anonymous: true, payload: { name: 'x' } })
  t.equal(bad.statusCode, 401, 'bad parameters are not described to a stranger')
})

t.test('a valid token works, is recorded as the actor, and its last use is kept', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const w = await apiWorld(t, clock)
  const { tokens, audit } = w.app.herald.stores
  t.equal(tokens.byName('ci')?.lastUsedAt, null, 'never used yet')

  clock.set('2020-02-03T14:00:00.000Z')
  const response = await call(w, 'POST', '/api/v1/components', { payload: { name: 'Calls' } })
  t.equal(response.statusCode, 201)
  t.equal(tokens.byName('ci')?.lastUsedAt, '2020-02-03T14:00:00.000Z', 'last use recorded')
  t.match(audit.list(1)[0], { actor: 'token:ci', action: 'component.create', at: '2020-02-03T14:00:00.000Z' })

  const lowercase = await call(w, 'GET', '/api/v1/components', { anonymous: true, headers: { authorization: `bearer ${w.token}` } })
  t.equal(lowercase.statusCode, 200, 'the scheme is case-insensitive')

  clock.set('2020-02-03T15:00:00.000Z')
  await call(w, 'GET', '/api/v1/components')
  t.equal(tokens.byName('ci')?.lastUsedAt, '2020-02-03T15:00:00.000Z', 'a later use moves it')
})

t.test('each token is its own actor, and a revoked one stops working at once', async (t) => {
  const w = await apiWorld(t)
  const { tokens } = w.app.herald.services
  const monitor = tokens.create('monitor', 'cli')
  const opened = await call(w, 'POST', '/api/v1/incidents', {
    anonymous: true,
    headers: { authorization: `Bearer ${monitor}` },
    payload: { name: 'Calls drop', body: 'Detected by the monitor.' }
  })
  t.equal(opened.statusCode, 201)
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:monitor', action: 'incident.open' })

  tokens.revoke('monitor', 'cli')
  const after = await call(w, 'GET', '/api/v1/components', { anonymous: true, headers: { authorization: `Bearer ${monitor}` } })
  t.equal(after.statusCode, 401)
  t.equal((await call(w, 'GET', '/api/v1/components')).statusCode, 200, 'other tokens still work')
})

t.test('the OpenAPI document needs no token; an unknown API path is a 404', async (t) => {
  const w = await apiWorld(t)
  const doc = await call(w, 'GET', '/api/v1/openapi.json', { anonymous: true })
  t.equal(doc.statusCode, 200)
  t.equal(doc.headers['www-authenticate'], undefined)
  const unknown = await call(w, 'GET', '/api/v1/nothing-here')
  t.equal(unknown.statusCode, 404)
  t.match(unknown.headers['content-type'], /^application\/json/)
})
