// The subscriber service: subscribing, double opt-in tokens, links, unsubscribing, and the admin's add, import, removal and re-enabling.
import { createHash } from 'node:crypto'
import t from 'tap'
import { dayMs } from '../../server/domain/time.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../../server/services/errors.js'
import { createConfiguredServices, createServices } from '../../server/services/services.js'
import type { SubscribeResult } from '../../server/services/subscriber-service.js'
import { createStores } from '../../server/store/stores.js'
import { openDatabase } from '../../server/db/open-database.js'
import { copyMigratedDatabase, testConfig } from '../fixtures/build.js'
import { buildServices } from '../fixtures/services.js'
import { storedRows } from '../fixtures/stored.js'

type Built = ReturnType<typeof buildServices>

function withComponents (t: Parameters<typeof buildServices>[0]): Built & { chat: number, signIn: number } {
  const s = buildServices(t)
  const chat = s.components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'cli').id
  const signIn = s.components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, 'cli').id
  return { ...s, chat, signIn }
}

function confirmToken (result: SubscribeResult): string {
  if (result.outcome !== 'confirm') throw new Error(`expected a confirmation, got ${result.outcome}`)
  return result.confirmToken
}

function tableRows (s: Built, table: string): unknown[] {
  return s.context.stores.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()
}

t.test('an email subscription waits for its confirmation, and the token is kept only as its hash', async (t) => {
  const s = withComponents(t)
  const audited = s.context.stores.audit.list().length
  const result = s.subscribers.subscribe({ kind: 'email', target: ' Alice@Example.COM ', components: [s.signIn, s.chat, s.chat], source: 'visitor' })
  t.equal(s.context.stores.audit.list().length, audited, 'a visitor\'s subscription is not an admin action: not audited')
  const token = confirmToken(result)
  t.match(token, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url')
  t.match(result.subscriber, { kind: 'email', target: 'Alice@example.com', state: 'unconfirmed', allComponents: false, componentIds: [s.chat, s.signIn].sort((a, b) => a - b), source: 'visitor', confirmedAt: null, signingSecret: null })
  const row = s.context.stores.db.prepare('SELECT confirm_token_hash, confirm_expires_at, target_key FROM subscribers').get() as Record<string, string>
  t.equal(row.confirm_token_hash, createHash('sha256').update(token).digest('hex'))
  t.equal(row.confirm_expires_at, new Date(s.clock.now().getTime() + 7 * dayMs).toISOString())
  t.equal(row.target_key, 'alice@example.com')
  t.notMatch(JSON.stringify(storedRows(s.context.stores.db)), token, 'the token itself is stored nowhere')

  t.match(s.subscribers.confirmationFor(token), { id: result.subscriber.id, state: 'unconfirmed' }, 'the GET page finds it')
  t.equal(s.subscribers.get(result.subscriber.id).state, 'unconfirmed', 'and changes nothing')
  s.clock.advance(60_000)
  const confirmed = s.subscribers.confirm(token)
  t.match(confirmed, { state: 'active', confirmedAt: s.clock.now().toISOString() })
  t.throws(() => s.subscribers.confirm(token), NotFoundError, 'single use')
  t.throws(() => s.subscribers.confirmationFor(token), NotFoundError, 'the GET page no longer finds it')
  t.equal((s.context.stores.db.prepare('SELECT confirm_token_hash FROM subscribers').get() as { confirm_token_hash: unknown }).confirm_token_hash, null)
})

t.test('subscribing again: a new token for an unconfirmed address, nothing for an active or bounced one', async (t) => {
  const s = withComponents(t)
  const first = confirmToken(s.subscribers.subscribe({ kind: 'email', target: 'bob@example.com', components: [s.chat], source: 'visitor' }))
  const again = s.subscribers.subscribe({ kind: 'email', target: 'BOB@example.com', components: 'all', source: 'visitor' })
  const second = confirmToken(again)
  t.not(second, first)
  t.match(again.subscriber, { target: 'bob@example.com', allComponents: true, componentIds: [] }, 'the components asked last')
  t.throws(() => s.subscribers.confirm(first), NotFoundError, 'the old token stops working')
  const id = s.subscribers.confirm(second).id
  const before = storedRows(s.context.stores.db)
  const already = s.subscribers.subscribe({ kind: 'email', target: 'bob@example.com', components: [s.signIn], source: 'visitor' })
  t.match(already, { outcome: 'already', subscriber: { id, state: 'active', allComponents: true } })
  t.same(tableRows(s, 'subscribers'), (before.subscribers as unknown[]), 'nothing changed')
  s.context.stores.subscribers.markBounced(id, s.clock.now().toISOString())
  t.match(s.subscribers.subscribe({ kind: 'email', target: 'bob@example.com', components: 'all', source: 'visitor' }), { outcome: 'already', subscriber: { state: 'bounced' } })
})

t.test('confirmation tokens expire after 7 days, and the unconfirmed are pruned then', async (t) => {
  const s = withComponents(t)
  const token = confirmToken(s.subscribers.subscribe({ kind: 'email', target: 'carol@example.com', components: 'all', source: 'visitor' }))
  const kept = confirmToken(s.subscribers.subscribe({ kind: 'email', target: 'dave@example.com', components: 'all', source: 'visitor' }))
  s.subscribers.confirm(kept)
  s.clock.advance(7 * dayMs - 1)
  t.equal(s.subscribers.pruneUnconfirmed(), 0, 'not yet')
  t.ok(s.subscribers.confirmationFor(token))
  s.clock.advance(1)
  t.throws(() => s.subscribers.confirmationFor(token), NotFoundError, 'expired')
  t.throws(() => s.subscribers.confirm(token), NotFoundError)
  t.equal(s.subscribers.pruneUnconfirmed(), 1)
  t.same(s.subscribers.list().subscribers.map((x) => x.target), ['dave@example.com'], 'the confirmed one stays')
})

t.test('unknown and malformed confirmation tokens are not found', async (t) => {
  const s = withComponents(t)
  for (const token of ['', 'x', 'A'.repeat(43), 'A'.repeat(44), '../../etc', 'A'.repeat(42) + '\u202E']) {
    t.throws(() => s.subscribers.confirmationFor(token), NotFoundError, JSON.stringify(token))
    t.throws(() => s.subscribers.confirm(token), NotFoundError, JSON.stringify(token))
  }
})

t.test('webhooks and chats are active at once; a webhook gets a secret shown once, renewed on subscribing again', async (t) => {
  const s = withComponents(t)
  const hook = s.subscribers.subscribe({ kind: 'webhook', target: 'https://hooks.example.com/status', contactEmail: 'Ops@Example.com', components: [s.chat], source: 'visitor' })
  t.match(hook, { outcome: 'subscribed', subscriber: { kind: 'webhook', state: 'active', contactEmail: 'Ops@example.com', componentIds: [s.chat], confirmedAt: s.clock.now().toISOString() } })
  if (hook.outcome !== 'subscribed') throw new Error('not subscribed')
  t.match(hook.signingSecret, /^whsec_[A-Za-z0-9_-]{43}$/)
  t.equal(hook.subscriber.signingSecret, hook.signingSecret)
  const chat = s.subscribers.subscribe({ kind: 'slack', target: 'https://hooks.slack.com/services/T/B/x', components: 'all', source: 'visitor' })
  t.match(chat, { outcome: 'subscribed', signingSecret: null, subscriber: { kind: 'slack', state: 'active', signingSecret: null, contactEmail: null } })

  s.context.stores.subscribers.recordFailure(hook.subscriber.id, 'HTTP 500', s.clock.now().toISOString())
  s.context.stores.subscribers.quarantine(hook.subscriber.id, s.clock.now().toISOString())
  const again = s.subscribers.subscribe({ kind: 'webhook', target: 'https://hooks.example.com/status', components: 'all', source: 'visitor' })
  if (again.outcome !== 'subscribed') throw new Error('not subscribed')
  t.not(again.signingSecret, hook.signingSecret, 'a new secret')
  t.match(again.subscriber, { id: hook.subscriber.id, state: 'active', allComponents: true, contactEmail: null, failingSince: null, signingSecret: again.signingSecret })
  t.equal(s.subscribers.counts().webhook.active, 1)
})

t.test('refused input names its field and stores nothing', async (t) => {
  const s = withComponents(t)
  s.components.remove(s.signIn, 'cli')
  const before = storedRows(s.context.stores.db)
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ['a bad address', () => s.subscribers.subscribe({ kind: 'email', target: 'a@b.c\r\nBcc: x@example.com', components: 'all', source: 'visitor' }), 'email', /control or invisible/],
    ['a non-ASCII local part', () => s.subscribers.subscribe({ kind: 'email', target: 'josé@example.com', components: 'all', source: 'visitor' }), 'email', /ASCII/],
    ['a plain http URL', () => s.subscribers.subscribe({ kind: 'webhook', target: 'http://hooks.example.com/', components: 'all', source: 'visitor' }), 'url', /https/],
    ['a URL with credentials', () => s.subscribers.subscribe({ kind: 'discord', target: 'https://u:p@hooks.example.com/', components: 'all', source: 'visitor' }), 'url', /user name or password/],
    ['a javascript: URL', () => s.subscribers.subscribe({ kind: 'teams', target: 'javascript:alert(1)', components: 'all', source: 'visitor' }), 'url', /javascript:/],
    ['a bad contact', () => s.subscribers.subscribe({ kind: 'webhook', target: 'https://hooks.example.com/', contactEmail: 'nobody', components: 'all', source: 'visitor' }), 'contact_email', /contact email/],
    ['no component', () => s.subscribers.subscribe({ kind: 'email', target: 'a@example.com', components: [], source: 'visitor' }), 'components', /at least one/],
    ['a deleted component', () => s.subscribers.subscribe({ kind: 'email', target: 'a@example.com', components: [s.signIn], source: 'visitor' }), 'components', /no component with id/],
    ['an unknown component', () => s.subscribers.subscribe({ kind: 'email', target: 'a@example.com', components: [s.chat, 99_999], source: 'visitor' }), 'components', /no component with id 99999/],
    ['too many components', () => s.subscribers.subscribe({ kind: 'email', target: 'a@example.com', components: Array.from({ length: 1001 }, (_, i) => i + 1), source: 'visitor' }), 'components', /at most 1000/],
    ['a 10 MB address', () => s.subscribers.subscribe({ kind: 'email', target: `${'a'.repeat(10_000_000)}@example.com`, components: 'all', source: 'visitor' }), 'email', /at most 254/],
    ['a 10 MB URL', () => s.subscribers.subscribe({ kind: 'webhook', target: `https://example.com/${'a'.repeat(10_000_000)}`, components: 'all', source: 'visitor' }), 'url', /at most 2048/],
    ['a component id that is no integer', () => s.subscribers.subscribe({ kind: 'email', target: 'a@example.com', components: [1.5], source: 'visitor' }), 'components', /no component/]
  ]
  for (const [what, call, field, message] of cases) {
    t.throws(call, new InvalidInputError('', { field }), what)
    try { call() } catch (error) { t.match(error, { field, message }, what) }
  }
  t.same(storedRows(s.context.stores.db), before)
})

t.test('plain http URLs are taken when the setting allows them', async (t) => {
  const s = buildServices(t)
  const services = createServices({ ...s.context, allowHttpUrls: true })
  t.match(services.subscribers.subscribe({ kind: 'webhook', target: 'http://127.0.0.1:9/hook', components: 'all', source: 'visitor' }), { outcome: 'subscribed' })
})

t.test('a configured Herald links to PUBLIC_URL and takes http URLs only when SUBSCRIPTIONS_ALLOW_HTTP says so', async (t) => {
  const dir = t.testdir({})
  const db = openDatabase(copyMigratedDatabase(dir))
  t.teardown(() => db.close())
  const strict = createConfiguredServices(testConfig(dir), createStores(db), () => new Date('2020-02-03T13:00:00.000Z'))
  t.throws(() => strict.subscribers.subscribe({ kind: 'webhook', target: 'http://hooks.example.com/', components: 'all', source: 'visitor' }), { name: 'InvalidInputError', field: 'url' })
  const lax = createConfiguredServices(testConfig(dir, { SUBSCRIPTIONS_ALLOW_HTTP: '1', PUBLIC_URL: 'https://status.example.com/herald/' }), createStores(db), () => new Date('2020-02-03T13:00:00.000Z'))
  const result = lax.subscribers.subscribe({ kind: 'webhook', target: 'http://hooks.example.com/', components: 'all', source: 'visitor' })
  t.match(lax.subscribers.links(result.subscriber).manage, /^https:\/\/status\.example\.com\/herald\/subscriptions\/\d+\./)
})

t.test('manage and unsubscribe links: signed, checked in constant time, idempotent once gone', async (t) => {
  const s = withComponents(t)
  const services = createServices({ ...s.context, publicUrl: 'https://status.example.com' })
  const sub = services.subscribers.confirm(confirmToken(services.subscribers.subscribe({ kind: 'email', target: 'erin@example.com', components: 'all', source: 'visitor' })))
  const links = services.subscribers.links(sub)
  const token = links.manage.slice('https://status.example.com/subscriptions/'.length)
  t.match(token, new RegExp(`^${sub.id}\\.[A-Za-z0-9_-]{43}$`))
  t.equal(links.unsubscribe, `https://status.example.com/subscriptions/unsubscribe/${token}`)
  t.same(services.subscribers.links(sub), links, 'the same links every time')
  t.match(services.subscribers.byLinkToken(token), { id: sub.id })
  const key = s.context.stores.settings.get('subscriber_link_key')
  t.match(key, /^[A-Za-z0-9_-]{43}$/, 'a 256-bit key kept in the settings')
  t.same(s.subscribers.links(sub).unsubscribe.split('/').pop(), token, 'another service object over the same database agrees')

  const [id, mac] = token.split('.') as [string, string]
  const forged = [`${id}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, `${Number(id) + 1}.${mac}`, mac, `${id}.`, `0${token}`, `${token}x`, '']
  for (const bad of forged) t.throws(() => services.subscribers.byLinkToken(bad), NotFoundError, JSON.stringify(bad))
  t.throws(() => services.subscribers.setComponents(forged[0] as string, 'all'), NotFoundError)
  t.throws(() => services.subscribers.unsubscribe(forged[0] as string), NotFoundError, 'a forged signature does not unsubscribe')
  t.throws(() => services.subscribers.unsubscribe('nonsense'), NotFoundError)
  s.context.stores.db.prepare('UPDATE subscribers SET link_version = 2 WHERE id = ?').run(sub.id)
  t.throws(() => services.subscribers.byLinkToken(token), NotFoundError, 'moving link_version retires old links')
  s.context.stores.db.prepare('UPDATE subscribers SET link_version = 1 WHERE id = ?').run(sub.id)

  const changed = services.subscribers.setComponents(token, [s.chat])
  t.match(changed, { allComponents: false, componentIds: [s.chat] })
  t.throws(() => services.subscribers.setComponents(token, [99_999]), { name: 'InvalidInputError', field: 'components' })
  t.match(services.subscribers.setComponents(token, 'all'), { allComponents: true, componentIds: [] })

  t.equal(services.subscribers.unsubscribe(token), true)
  t.equal(services.subscribers.unsubscribe(token), false, 'a second click: already gone')
  t.throws(() => services.subscribers.byLinkToken(token), NotFoundError)
  t.same(tableRows(s, 'subscriber_components'), [])
})

t.test('an id is never given again: a departed subscriber\'s links never name a newcomer', async (t) => {
  const s = withComponents(t)
  const first = s.subscribers.add('cli', { kind: 'email', target: 'first@example.com', components: 'all' }, { skipConfirmation: true }).subscriber
  const departed = s.subscribers.add('cli', { kind: 'email', target: 'departed@example.com', components: 'all' }, { skipConfirmation: true }).subscriber
  const oldLink = s.subscribers.links(departed).unsubscribe.split('/').pop() as string
  t.equal(s.subscribers.unsubscribe(oldLink), true)
  const newcomer = s.subscribers.add('cli', { kind: 'email', target: 'newcomer@example.com', components: 'all' }, { skipConfirmation: true }).subscriber
  t.ok(newcomer.id > departed.id, 'the highest id is not reused')
  t.equal(s.subscribers.unsubscribe(oldLink), false, 'the old link ends nothing')
  t.throws(() => s.subscribers.byLinkToken(oldLink), NotFoundError)
  t.same(s.subscribers.list().subscribers.map((x) => x.id), [newcomer.id, first.id])
  t.equal(s.context.stores.subscribers.maxId(), newcomer.id)
})

t.test('the admin adds subscribers, audited; an email one waits for confirmation unless told not to', async (t) => {
  const s = withComponents(t)
  const added = s.subscribers.add('user:alice', { kind: 'email', target: 'frank@example.com', components: [s.chat] }, { skipConfirmation: false })
  t.match(added, { subscriber: { state: 'unconfirmed', source: 'admin', componentIds: [s.chat] }, signingSecret: null })
  t.match(added.confirmToken, /^[A-Za-z0-9_-]{43}$/)
  const skipped = s.subscribers.add('user:alice', { kind: 'email', target: 'grace@example.com', components: 'all' }, { skipConfirmation: true })
  t.match(skipped, { subscriber: { state: 'active', confirmedAt: s.clock.now().toISOString() }, confirmToken: null })
  const hook = s.subscribers.add('user:alice', { kind: 'webhook', target: 'https://hooks.example.com/secret-path?token=abc', components: 'all' }, { skipConfirmation: false })
  t.match(hook, { subscriber: { state: 'active', kind: 'webhook' }, confirmToken: null, signingSecret: /^whsec_/ })
  t.match(s.context.stores.audit.list(3).reverse(), [
    { actor: 'user:alice', action: 'subscriber.add', detail: { kind: 'email', target: 'frank@example.com', state: 'unconfirmed', skipConfirmation: false } },
    { action: 'subscriber.add', detail: { target: 'grace@example.com', state: 'active', skipConfirmation: true } },
    { action: 'subscriber.add', detail: { kind: 'webhook', target: 'https://hooks.example.com' } }
  ])
  t.notMatch(JSON.stringify(s.context.stores.audit.list(3)), /secret-path|token=abc/, 'a URL is audited by its origin only')

  const before = storedRows(s.context.stores.db)
  t.throws(() => s.subscribers.add('user:alice', { kind: 'email', target: 'FRANK@example.com', components: 'all' }, { skipConfirmation: true }), new ConflictError('', { field: 'email' }))
  t.throws(() => s.subscribers.add('user:alice', { kind: 'webhook', target: 'https://hooks.example.com/secret-path?token=abc', components: 'all' }, { skipConfirmation: true }), new ConflictError('', { field: 'url' }))
  t.throws(() => s.subscribers.add('user:alice', { kind: 'email', target: 'nobody', components: 'all' }, { skipConfirmation: true }), { name: 'InvalidInputError', field: 'email' })
  t.same(storedRows(s.context.stores.db), before, 'refusals store nothing, not even an audit entry')
})

t.test('an import adds the valid new addresses in one write and reports the refused lines', async (t) => {
  const s = withComponents(t)
  s.subscribers.add('cli', { kind: 'email', target: 'existing@example.com', components: 'all' }, { skipConfirmation: true })
  const lines = ['new1@example.com', '', 'not an address', 'EXISTING@example.com', 'new2@Example.com', 'new1@example.com', 'a@b.c\r\nBcc: x@example.com', 'josé@example.com']
  const result = s.subscribers.importEmails('user:alice', lines, { skipConfirmation: false, components: [s.signIn] })
  t.match(result, { added: 2, existing: 2 })
  t.same(result.refused.map((r) => r.line), [3, 7, 8])
  t.match(result.refused, [{ reason: /spaces/ }, { reason: /control or invisible/ }, { reason: /ASCII/ }])
  t.same(result.confirmations.map((c) => c.subscriber.target), ['new1@example.com', 'new2@example.com'])
  for (const { subscriber, confirmToken } of result.confirmations) {
    t.match(subscriber, { state: 'unconfirmed', source: 'import', componentIds: [s.signIn] })
    t.equal(s.subscribers.confirmationFor(confirmToken).id, subscriber.id)
  }
  t.match(s.context.stores.audit.list(1)[0], { actor: 'user:alice', action: 'subscriber.import', detail: { added: 2, existing: 2, refused: 3, skipConfirmation: false } })

  const active = s.subscribers.importEmails('user:alice', ['new3@example.com'], { skipConfirmation: true, components: 'all' })
  t.match(active, { added: 1, confirmations: [] })
  t.equal(s.subscribers.list({ state: 'active' }).total, 2)

  const before = storedRows(s.context.stores.db)
  t.throws(() => s.subscribers.importEmails('user:alice', ['new4@example.com'], { skipConfirmation: true, components: [99_999] }), { name: 'InvalidInputError', field: 'components' })
  t.throws(() => s.subscribers.importEmails('user:alice', Array.from({ length: 100_001 }, (_, i) => `u${i}@example.com`), { skipConfirmation: true, components: 'all' }), { name: 'InvalidInputError', field: 'file' })
  t.same(storedRows(s.context.stores.db), before, 'a refused import stores nothing')

  // A failure half-way (here a database error on the 2nd insert) takes every row of the import back.
  const db = s.context.stores.db
  db.exec("CREATE TRIGGER fail_second AFTER INSERT ON subscribers WHEN NEW.target = 'boom@example.com' BEGIN SELECT RAISE(ABORT, 'boom'); END")
  t.throws(() => s.subscribers.importEmails('user:alice', ['ok@example.com', 'boom@example.com'], { skipConfirmation: true, components: 'all' }), /boom/)
  db.exec('DROP TRIGGER fail_second')
  t.same(storedRows(db), before, 'all or nothing')
})

t.test('list, counts and export', async (t) => {
  const s = withComponents(t)
  s.subscribers.add('cli', { kind: 'email', target: 'a@example.com', components: [s.chat, s.signIn] }, { skipConfirmation: true })
  s.subscribers.add('cli', { kind: 'email', target: 'b@example.com', components: 'all' }, { skipConfirmation: false })
  const hook = s.subscribers.add('cli', { kind: 'webhook', target: 'https://hooks.example.com/', contactEmail: 'ops@example.com', components: 'all' }, { skipConfirmation: false })
  s.subscribers.add('cli', { kind: 'teams', target: 'https://example.webhook.office.com/x', components: 'all' }, { skipConfirmation: false })
  t.same(s.subscribers.list().subscribers.map((x) => x.kind), ['teams', 'webhook', 'email', 'email'], 'newest first')
  t.match(s.subscribers.list({ kind: 'email' }), { total: 2 })
  t.match(s.subscribers.list({ kind: 'email', state: 'unconfirmed' }), { total: 1, subscribers: [{ target: 'b@example.com' }] })
  t.match(s.subscribers.list({ limit: 1, offset: 1 }), { total: 4, subscribers: [{ kind: 'webhook' }] })
  t.match(s.subscribers.list({ limit: 0, offset: -5 }), { subscribers: { length: 1 } }, 'limits are clamped')
  const counts = s.subscribers.counts()
  t.same(counts.email, { unconfirmed: 1, active: 1, quarantined: 0, bounced: 0 })
  t.same(counts.slack, { unconfirmed: 0, active: 0, quarantined: 0, bounced: 0 })
  t.equal(counts.teams.active, 1)
  const rows = s.subscribers.exportRows()
  t.match(rows, [
    { kind: 'email', target: 'a@example.com', state: 'active', components: [s.chat, s.signIn].sort((a, b) => a - b).join(' '), source: 'admin', contact_email: '', last_error: '' },
    { target: 'b@example.com', state: 'unconfirmed', components: 'all', confirmed_at: '' },
    { kind: 'webhook', contact_email: 'ops@example.com' },
    { kind: 'teams' }
  ])
  t.notMatch(JSON.stringify(rows), hook.signingSecret as string, 'no secret exported')
})

t.test('the admin removes and re-enables subscribers, audited', async (t) => {
  const s = withComponents(t)
  const hook = s.subscribers.add('cli', { kind: 'webhook', target: 'https://hooks.example.com/', components: 'all' }, { skipConfirmation: false }).subscriber
  const mail = s.subscribers.add('cli', { kind: 'email', target: 'h@example.com', components: 'all' }, { skipConfirmation: true }).subscriber
  const at = s.clock.now().toISOString()
  t.throws(() => s.subscribers.reenable('user:alice', hook.id), new ConflictError('', { field: 'state' }), 'an active one')
  s.context.stores.subscribers.recordFailure(hook.id, 'HTTP 503', at)
  t.equal(s.context.stores.subscribers.quarantine(hook.id, at), true)
  t.equal(s.context.stores.subscribers.markBounced(mail.id, at), true)
  s.clock.advance(1000)
  t.match(s.subscribers.reenable('user:alice', hook.id), { state: 'active', failingSince: null, lastError: 'HTTP 503' })
  t.match(s.subscribers.reenable('user:alice', mail.id), { state: 'active' })
  t.match(s.context.stores.audit.list(2).reverse(), [
    { actor: 'user:alice', action: 'subscriber.reenable', detail: { id: hook.id, from: 'quarantined' } },
    { action: 'subscriber.reenable', detail: { id: mail.id, from: 'bounced', target: 'h@example.com' } }
  ])
  t.throws(() => s.subscribers.reenable('user:alice', 9999), NotFoundError)

  t.match(s.subscribers.remove('user:alice', mail.id), { id: mail.id })
  t.match(s.context.stores.audit.list(1)[0], { actor: 'user:alice', action: 'subscriber.remove', detail: { id: mail.id, kind: 'email', target: 'h@example.com' } })
  t.throws(() => s.subscribers.get(mail.id), NotFoundError)
  t.throws(() => s.subscribers.remove('user:alice', mail.id), NotFoundError)
})

t.test('the store keeps each subscriber\'s delivery health', async (t) => {
  const s = withComponents(t)
  const { subscribers } = s.context.stores
  const id = s.subscribers.add('cli', { kind: 'webhook', target: 'https://hooks.example.com/', components: 'all' }, { skipConfirmation: false }).subscriber.id
  subscribers.recordFailure(id, 'timeout', '2020-02-03T13:00:00.000Z')
  subscribers.recordFailure(id, 'HTTP 500', '2020-02-03T14:00:00.000Z')
  t.match(subscribers.get(id), { failingSince: '2020-02-03T13:00:00.000Z', lastError: 'HTTP 500' }, 'the run of failures began at the first')
  subscribers.recordSuccess(id, '2020-02-03T15:00:00.000Z')
  t.match(subscribers.get(id), { failingSince: null, lastError: null, lastDeliveryAt: '2020-02-03T15:00:00.000Z' })
  t.equal(subscribers.markBounced(id, '2020-02-03T15:00:00.000Z'), true)
  t.equal(subscribers.quarantine(id, '2020-02-03T15:00:00.000Z'), false, 'only an active one')
  t.equal(subscribers.reenable(id, '2020-02-03T15:00:00.000Z'), true)
  t.equal(subscribers.reenable(id, '2020-02-03T15:00:00.000Z'), false, 'already active')
  subscribers.setState(id, 'quarantined', '2020-02-03T16:00:00.000Z')
  t.equal(subscribers.get(id)?.state, 'quarantined')
  t.equal(subscribers.maxId(), id)
  t.equal(subscribers.confirm(id, '2020-02-03T16:00:00.000Z'), false, 'only an unconfirmed one is confirmed')
  t.equal(subscribers.byTargetKey('webhook', 'https://nowhere.example.com/'), undefined)
  t.equal(subscribers.byConfirmTokenHash('0'.repeat(64)), undefined)
  t.equal(subscribers.remove(id), true)
  t.equal(subscribers.remove(id), false)
  t.equal(subscribers.maxId(), 0)
})

t.test('subscribers\' writes leave the public caches as they are: the content version moves only with what the pages show', async (t) => {
  const s = withComponents(t)
  const version = (): number => s.context.stores.counters.get('content_version')
  const before = version()
  const token = confirmToken(s.subscribers.subscribe({ kind: 'email', target: 'carol@example.com', components: 'all', source: 'visitor' }))
  const carol = s.subscribers.confirm(token)
  const links = s.subscribers.links(carol)
  const manage = links.manage.split('/').pop() as string
  s.subscribers.setComponents(manage, [s.chat])
  s.subscribers.unsubscribe(manage)
  const hook = s.subscribers.subscribe({ kind: 'webhook', target: 'https://hooks.example.com/herald', components: 'all', source: 'visitor' })
  s.subscribers.add('admin', { kind: 'email', target: 'dave@example.com', components: 'all' }, { skipConfirmation: true })
  s.subscribers.importEmails('admin', ['erin@example.com'], { skipConfirmation: false, components: 'all' })
  s.context.stores.subscribers.quarantine(hook.subscriber.id, s.clock.now().toISOString())
  s.subscribers.reenable('admin', hook.subscriber.id)
  s.subscribers.remove('admin', hook.subscriber.id)
  t.equal(version(), before, 'no subscriber write moved it: a visitor cannot make Herald render its pages again')
  s.components.patch(s.chat, { status: 'major_outage' }, 'admin')
  t.ok(version() > before, 'a change the page shows still moves it')
})
