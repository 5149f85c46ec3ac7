// An incident's postmortem through the token API: draft, publish, unpublish, read; refusals (bad input, open incident, maintenance) store nothing.
import t from 'tap'
import { maxPostmortemBody } from '../../server/domain/postmortems.js'
import { TestClock } from '../fixtures/build.js'
import { type ApiWorld, apiWorld, call, errorOf, hostileText, snapshot } from './fixtures/api-world.js'

/** The world, with HR000001 resolved at 11:00 and the clock at 12:00. */
async function resolvedWorld (t: Parameters<typeof apiWorld>[0]): Promise<ApiWorld & { clock: TestClock }> {
  const clock = new TestClock('2020-02-03T10:00:00.000Z')
  const w = await apiWorld(t, clock)
  clock.set('2020-02-03T11:00:00.000Z')
  w.app.herald.services.incidents.postUpdate(w.reference, { status: 'resolved', body: 'Fixed.' }, 'cli')
  clock.set('2020-02-03T12:00:00.000Z')
  return { ...w, clock }
}

t.test('a draft, then published with a given time, then edited and published again, then unpublished', async (t) => {
  const w = await resolvedWorld(t)
  const url = `/api/v1/incidents/${w.reference}/postmortem`
  const none = await call(w, 'GET', url)
  t.equal(none.statusCode, 404)
  t.equal(errorOf(none).message, `${w.reference} has no postmortem`)

  const drafted = await call(w, 'PUT', url, { payload: { body: hostileText } })
  t.equal(drafted.statusCode, 200)
  t.equal(drafted.headers['cache-control'], 'no-store')
  t.same(drafted.json(), {
    reference: w.reference,
    draft: hostileText,
    draft_updated_at: '2020-02-03T12:00:00.000Z',
    body: null,
    body_updated_at: null,
    published_at: null,
    created_at: '2020-02-03T12:00:00.000Z',
    updated_at: '2020-02-03T12:00:00.000Z'
  }, 'typed text kept as typed')
  t.match(w.app.herald.stores.audit.list(1)[0], { actor: 'token:ci', action: 'postmortem.draft' })

  w.clock.set('2020-02-04T12:00:00.000Z')
  const published = await call(w, 'POST', `${url}/publish`, { payload: { published_at: '2020-02-04T06:00:00-05:00' } })
  t.equal(published.statusCode, 200)
  t.match(published.json(), { body: hostileText, published_at: '2020-02-04T11:00:00.000Z', body_updated_at: '2020-02-04T12:00:00.000Z' }, 'as given, in UTC')
  t.same((await call(w, 'GET', url)).json(), published.json(), 'GET reads what was written')

  const again = await call(w, 'POST', `${url}/publish`, { payload: { body: 'Revised.' } })
  t.match(again.json(), { draft: 'Revised.', body: 'Revised.', published_at: '2020-02-04T11:00:00.000Z' }, 'keeps its published time')

  const unpublished = await call(w, 'POST', `${url}/unpublish`, { payload: {} })
  t.equal(unpublished.statusCode, 200)
  t.match(unpublished.json(), { draft: 'Revised.', body: null, published_at: null })
  const twice = await call(w, 'POST', `${url}/unpublish`, { payload: {} })
  t.equal(twice.statusCode, 409)
  t.equal(errorOf(twice).message, `${w.reference} has no published postmortem`)
})

t.test('refused with a clear 4xx, storing nothing: bad input, an open incident, a maintenance, an unknown reference', async (t) => {
  const w = await resolvedWorld(t)
  const url = `/api/v1/incidents/${w.reference}/postmortem`
  const open = w.app.herald.services.incidents.open({ reference: 'OPEN1', name: 'Open', body: 'Down.' }, 'cli')
  w.app.herald.services.maintenances.schedule({ reference: 'MNT1', name: 'Upgrade', body: 'Planned.', scheduledFor: '2020-02-05T02:00:00Z', scheduledUntil: '2020-02-05T04:00:00Z' }, 'cli')
  await call(w, 'PUT', url, { payload: { body: 'Draft.' } })
  const before = snapshot(w.app)
  const cases: Array<[string, 'PUT' | 'POST', string, unknown, number, RegExp]> = [
    ['empty body', 'PUT', url, { body: '' }, 400, /^body\/body /],
    ['no body', 'PUT', url, {}, 400, /body/],
    ['a number', 'PUT', url, { body: 7 }, 400, /^body\/body /],
    ['control characters', 'PUT', url, { body: 'a\u0001b' }, 400, /^body\/body /],
    ['a lone surrogate', 'PUT', url, { body: 'a\uD800b' }, 400, /^body\/body /],
    ['only a bidi override', 'PUT', url, { body: '\u202E' }, 400, /^body\/body /],
    ['over the limit', 'PUT', url, { body: 'x'.repeat(maxPostmortemBody + 1) }, 400, /^body\/body /],
    ['an unknown field', 'PUT', url, { body: 'x', html: '<b>' }, 400, /html/],
    ['published in the future', 'POST', `${url}/publish`, { published_at: '2020-02-03T12:01:00Z' }, 400, /^published_at 2020-02-03T12:01:00.000Z is in the future$/],
    ['published before it was resolved', 'POST', `${url}/publish`, { published_at: '2020-02-03T10:59:00Z' }, 400, /^published_at is before HR000001 was resolved/],
    ['published at no time', 'POST', `${url}/publish`, { published_at: 'soon' }, 400, /^body\/published_at /],
    ['notify as text', 'POST', `${url}/publish`, { notify: 'yes' }, 400, /^body\/notify /],
    ['unpublish with a field', 'POST', `${url}/unpublish`, { now: true }, 400, /now/],
    ['an open incident', 'PUT', `/api/v1/incidents/${open.reference}/postmortem`, { body: 'x' }, 409, /^OPEN1 is not resolved: a postmortem is written once the incident is resolved$/],
    ['an open incident, published', 'POST', `/api/v1/incidents/${open.reference}/postmortem/publish`, { body: 'x' }, 409, /^OPEN1 is not resolved/],
    ['a maintenance', 'PUT', '/api/v1/incidents/MNT1/postmortem', { body: 'x' }, 409, /^MNT1 is a maintenance: only an incident has a postmortem$/],
    ['an unknown reference', 'PUT', '/api/v1/incidents/NOPE1/postmortem', { body: 'x' }, 404, /^no incident with reference NOPE1$/],
    ['a malformed reference', 'PUT', '/api/v1/incidents/no%20pe/postmortem', { body: 'x' }, 400, /^params\/reference /]
  ]
  for (const [what, method, path, payload, status, message] of cases) {
    const response = await call(w, method, path, { payload: payload as Record<string, unknown> })
    t.equal(response.statusCode, status, what)
    t.match(errorOf(response).message, message, what)
  }
  const field = errorOf(await call(w, 'POST', `${url}/publish`, { payload: { published_at: '2020-02-03T12:01:00Z' } })).field
  t.equal(field, 'published_at', 'the error names the field')
  t.same(snapshot(w.app), before, 'nothing was stored')
})

t.test('without a token, nothing', async (t) => {
  const w = await resolvedWorld(t)
  const response = await call(w, 'PUT', `/api/v1/incidents/${w.reference}/postmortem`, { anonymous: true, payload: { body: 'x' } })
  t.equal(response.statusCode, 401)
})
