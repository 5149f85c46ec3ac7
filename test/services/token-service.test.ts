// API tokens: shown once, stored hashed, verified, revoked.
import t from 'tap'
import { ConflictError, InvalidInputError, NotFoundError } from '../../server/services/errors.js'
import { buildServices } from '../fixtures/services.js'

t.test('a token is shown once and only its hash is stored', async (t) => {
  const s = buildServices(t)
  const token = s.tokens.create('ci', 'cli')
  t.match(token, /^hrld_[A-Za-z0-9_-]{43}$/)
  const stored = s.context.stores.db.prepare('SELECT token_hash FROM api_tokens').pluck().get() as string
  t.not(stored, token)
  t.notOk(stored.includes(token.slice(5)), 'no part of the token is stored')
  t.match(s.tokens.verify(token), { name: 'ci' })
  t.equal(s.tokens.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), undefined)
  t.equal(s.tokens.verify('not-a-token'), undefined)
  t.notOk(JSON.stringify(s.context.stores.audit.list()).includes(token), 'the audit log never holds the token')
})

t.test('last use is recorded at most once a minute', async (t) => {
  const s = buildServices(t)
  const token = s.tokens.create('ci', 'cli')
  t.equal(s.tokens.list()[0]?.lastUsedAt, null)
  s.tokens.verify(token)
  const first = s.tokens.list()[0]?.lastUsedAt
  t.equal(first, s.clock.now().toISOString())
  s.clock.advance(30_000)
  s.tokens.verify(token)
  t.equal(s.tokens.list()[0]?.lastUsedAt, first)
  s.clock.advance(61_000)
  s.tokens.verify(token)
  t.equal(s.tokens.list()[0]?.lastUsedAt, s.clock.now().toISOString())
})

t.test('names are checked and unique; revoking removes the token', async (t) => {
  const s = buildServices(t)
  const token = s.tokens.create('deploy-bot', 'cli')
  t.throws(() => s.tokens.create('Deploy-Bot', 'cli'), ConflictError)
  t.throws(() => s.tokens.create('', 'cli'), InvalidInputError)
  t.throws(() => s.tokens.create('has space', 'cli'), InvalidInputError)
  t.throws(() => s.tokens.create('x'.repeat(65), 'cli'), InvalidInputError)
  s.tokens.revoke('deploy-bot', 'cli')
  t.equal(s.tokens.verify(token), undefined)
  t.throws(() => s.tokens.revoke('deploy-bot', 'cli'), NotFoundError)
  t.same(s.tokens.list(), [])
})
