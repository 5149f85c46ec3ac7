// Postmortems through the services: draft, publish (its time, its posts), edit, unpublish; refused on an open incident or a maintenance.
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { fitsLimit } from '../../server/domain/post-text.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../../server/services/errors.js'
import { type Services, createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { type TestContext, TestClock, copyMigratedDatabase, tempDir } from '../fixtures/build.js'
import { buildServices } from '../fixtures/services.js'
import { storedRows } from '../fixtures/stored.js'

const publicUrl = 'https://status.example.com'

/** Services with both channels on (nothing sends: no worker runs here). */
function socialServices (t: TestContext, clock = new TestClock()): Services & { clock: TestClock } {
  const db = openDatabase(copyMigratedDatabase(tempDir(t)))
  t.teardown(() => db.close())
  const social = { publicUrl, limits: [{ channel: 'twitter' as const }, { channel: 'mastodon' as const, maxChars: 500 }] }
  return { ...createServices({ stores: createStores(db), clock: clock.now, incidentPrefix: 'HR', social }), clock }
}

/** TM202916 opened at 08:30 and resolved at 11:00. */
function resolvedOutage (s: Services & { clock: TestClock }): void {
  s.clock.set('2020-02-03T08:30:00.000Z')
  s.incidents.open({ reference: 'TM202916', name: 'Microsoft Teams', body: 'Investigating.' }, 'cli')
  s.clock.set('2020-02-03T11:00:00.000Z')
  s.incidents.postUpdate('TM202916', { status: 'resolved', body: 'Fixed.' }, 'cli')
}

t.test('a draft is saved without publishing; publishing gives it its time, the incident a change, an audit entry', async (t) => {
  const s = buildServices(t)
  resolvedOutage(s)
  s.clock.set('2020-02-04T09:00:00.000Z')
  const version = s.context.stores.counters.get('content_version')
  const drafted = s.postmortems.saveDraft('TM202916', '## What happened\n\nA certificate expired.', 'user:alice')
  t.match(drafted.postmortem, { draft: '## What happened\n\nA certificate expired.', body: null, publishedAt: null, draftUpdatedAt: '2020-02-04T09:00:00.000Z' })
  t.equal(drafted.incident.updatedAt, '2020-02-03T11:00:00.000Z', 'a draft is no change readers see')
  t.ok(s.context.stores.counters.get('content_version') > version)
  t.match(s.context.stores.audit.list(1)[0], { actor: 'user:alice', action: 'postmortem.draft', detail: { reference: 'TM202916', characters: 40 } })

  s.clock.set('2020-02-05T10:00:00.000Z')
  const published = s.postmortems.publish('TM202916', {}, 'user:alice')
  t.match(published.postmortem, {
    body: '## What happened\n\nA certificate expired.',
    publishedAt: '2020-02-05T10:00:00.000Z',
    bodyUpdatedAt: '2020-02-05T10:00:00.000Z'
  })
  t.equal(published.incident.updatedAt, '2020-02-05T10:00:00.000Z', 'the incident changed for readers')
  t.equal(published.incident.status, 'resolved', 'its own status stays: /api/v2 shows postmortem')
  t.match(s.context.stores.audit.list(1)[0], { action: 'postmortem.publish', detail: { publishedAt: '2020-02-05T10:00:00.000Z', republished: false, posted: [] } })

  // Editing after publishing: a new draft changes nothing public until published again, which keeps the time.
  s.clock.set('2020-02-06T10:00:00.000Z')
  s.postmortems.saveDraft('TM202916', 'Revised.', 'user:alice')
  t.equal(s.postmortems.get('TM202916').postmortem?.body, '## What happened\n\nA certificate expired.')
  s.clock.set('2020-02-06T11:00:00.000Z')
  const republished = s.postmortems.publish('TM202916', {}, 'user:alice')
  t.match(republished.postmortem, { body: 'Revised.', publishedAt: '2020-02-05T10:00:00.000Z', bodyUpdatedAt: '2020-02-06T11:00:00.000Z' })
  t.match(s.context.stores.audit.list(1)[0], { detail: { republished: true } })
})

t.test('a published time may be given: never in the future, never before the incident was resolved', async (t) => {
  const s = buildServices(t)
  resolvedOutage(s)
  s.clock.set('2020-02-10T00:00:00.000Z')
  s.postmortems.saveDraft('TM202916', 'Text.', 'cli')
  const before = storedRows(s.context.stores.db)
  for (const [publishedAt, message] of [
    ['2020-02-10T00:01:00.000Z', /published_at 2020-02-10T00:01:00.000Z is in the future/],
    ['2020-02-03T10:59:00.000Z', /published_at is before TM202916 was resolved \(2020-02-03T11:00:00.000Z\)/],
    ['2020-02-30T00:00:00Z', /published_at is not a time that exists/],
    ['yesterday', /published_at is not a time that exists/]
  ] as const) {
    const error = t.throws(() => s.postmortems.publish('TM202916', { publishedAt }, 'cli'))
    t.ok(error instanceof InvalidInputError, publishedAt)
    t.match(error, { message, field: 'published_at' })
  }
  t.same(storedRows(s.context.stores.db), before, 'nothing was stored')
  const published = s.postmortems.publish('TM202916', { publishedAt: '2020-02-08T12:00:00+01:00' }, 'cli')
  t.equal(published.postmortem?.publishedAt, '2020-02-08T11:00:00.000Z', 'stored in UTC')
})

t.test('refused on an open incident, a maintenance, an unknown reference; unpublish only what is published', async (t) => {
  const s = buildServices(t)
  s.clock.set('2020-02-03T08:30:00.000Z')
  s.incidents.open({ reference: 'OPEN1', name: 'Open', body: 'Down.' }, 'cli')
  s.maintenances.schedule({ reference: 'MNT1', name: 'Upgrade', body: 'Planned.', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T04:00:00.000Z' }, 'cli')
  const before = storedRows(s.context.stores.db)
  const open = t.throws(() => s.postmortems.saveDraft('OPEN1', 'Text.', 'cli'))
  t.ok(open instanceof ConflictError)
  t.match(open, { message: 'OPEN1 is not resolved: a postmortem is written once the incident is resolved' })
  t.throws(() => s.postmortems.publish('OPEN1', { body: 'Text.' }, 'cli'), ConflictError)
  t.throws(() => s.postmortems.saveDraft('MNT1', 'Text.', 'cli'), { message: /MNT1 is a maintenance/ })
  t.throws(() => s.postmortems.saveDraft('NOPE1', 'Text.', 'cli'), NotFoundError)
  t.throws(() => s.postmortems.unpublish('OPEN1', 'cli'), { message: 'OPEN1 has no published postmortem' })
  t.same(storedRows(s.context.stores.db), before, 'nothing was stored')

  s.incidents.postUpdate('OPEN1', { status: 'resolved', body: 'Fixed.' }, 'cli')
  t.throws(() => s.postmortems.publish('OPEN1', {}, 'cli'), { message: 'OPEN1 has no postmortem draft to publish: write one first', field: 'body' })
  s.postmortems.publish('OPEN1', { body: 'Straight out.' }, 'cli')
  t.match(s.postmortems.get('OPEN1').postmortem, { draft: 'Straight out.', body: 'Straight out.' })

  // Reopened: the published postmortem stays (it can be taken down), but no new one is written until resolved again.
  s.incidents.postUpdate('OPEN1', { status: 'investigating', body: 'Back.' }, 'cli')
  t.throws(() => s.postmortems.saveDraft('OPEN1', 'More.', 'cli'), ConflictError)
  s.clock.set('2020-02-03T09:00:00.000Z')
  const unpublished = s.postmortems.unpublish('OPEN1', 'user:alice')
  t.match(unpublished.postmortem, { draft: 'Straight out.', body: null, publishedAt: null, bodyUpdatedAt: null })
  t.equal(unpublished.incident.updatedAt, '2020-02-03T09:00:00.000Z')
  t.match(s.context.stores.audit.list(1)[0], { actor: 'user:alice', action: 'postmortem.unpublish' })
})

t.test('posted to the social channels only when asked, once per channel, in the incident thread', async (t) => {
  const s = socialServices(t)
  resolvedOutage(s)
  const deliveries = (): Array<Record<string, unknown>> =>
    s.context.stores.db.prepare('SELECT update_id, channel, state, text, link FROM deliveries WHERE update_id IS NULL ORDER BY id').all() as Array<Record<string, unknown>>
  s.postmortems.publish('TM202916', { body: 'What happened.' }, 'cli')
  t.same(deliveries(), [], 'not asked: no post')
  s.postmortems.unpublish('TM202916', 'cli')

  s.postmortems.publish('TM202916', { notify: true }, 'cli')
  const link = `${publicUrl}/incidents/TM202916#postmortem`
  const text = `[Postmortem] TM202916 Microsoft Teams: what happened and what we are changing. ${link}`
  t.same(deliveries(), [
    { update_id: null, channel: 'twitter', state: 'pending', text, link },
    { update_id: null, channel: 'mastodon', state: 'pending', text, link }
  ])
  t.match(s.context.stores.audit.list(1)[0], { detail: { posted: ['twitter', 'mastodon'] } })
  t.same(s.deliveries.forPostmortem('TM202916').map((d) => d.channel), ['mastodon', 'twitter'], 'in channel order')
  t.notOk([...s.deliveries.forIncident('TM202916').keys()].includes(null as unknown as number), 'the updates\' deliveries are apart')

  s.postmortems.publish('TM202916', { body: 'Edited.', notify: true }, 'cli')
  t.equal(deliveries().length, 2, 'never posted twice')

  // Unpublished before it went out: its posts are not sent.
  s.postmortems.unpublish('TM202916', 'cli')
  t.same(deliveries().map((d) => d.state), ['skipped', 'skipped'])
})

t.test('the post fits each channel whatever the name', async (t) => {
  const s = socialServices(t)
  s.clock.set('2020-02-03T08:30:00.000Z')
  const name = `${'Très long nom '.repeat(14)}\u202Eevil`
  s.incidents.open({ reference: 'LONG1', name, body: 'Down.', status: 'resolved' }, 'cli')
  s.postmortems.publish('LONG1', { body: 'Text.', notify: true }, 'cli')
  const rows = s.context.stores.db.prepare('SELECT channel, text FROM deliveries WHERE update_id IS NULL').all() as Array<{ channel: 'twitter' | 'mastodon', text: string }>
  t.equal(rows.length, 2)
  for (const row of rows) {
    t.ok(fitsLimit(row.text, row.channel === 'twitter' ? { channel: 'twitter' } : { channel: 'mastodon', maxChars: 500 }), row.channel)
    t.ok(row.text.endsWith(`${publicUrl}/incidents/LONG1#postmortem`), 'the link is whole')
    t.match(row.text, /\u2069/, 'the override in the name is closed')
  }
})
