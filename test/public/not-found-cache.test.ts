// An address that names nothing is looked up once per content version, its page rendered once, and a flood of them cannot push the pages out.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { notFoundCacheEntries } from '../../server/plugins/public-cache.js'
import { TestClock, build } from '../fixtures/build.js'
import { recordRenders } from '../fixtures/renders.js'
import { incident } from './fixtures/seed.js'

/** Counts the store reads of incident pages and history pages from now on. */
function countLookups (app: FastifyInstance): { references: string[], pages: number } {
  const { incidents } = app.herald.stores
  const seen = { references: [] as string[], pages: 0 }
  const byReference = incidents.byReference.bind(incidents)
  const page = incidents.page.bind(incidents)
  incidents.byReference = (reference) => {
    seen.references.push(reference)
    return byReference(reference)
  }
  incidents.page = (...args) => {
    seen.pages++
    return page(...args)
  }
  return seen
}

t.test('the same unknown address twice is looked up and rendered once, until a write makes it something', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  incident(app, clock, { name: 'Sign-in failures', steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body: 'Looking.' }] })
  const rendered = recordRenders(app)
  const lookups = countLookups(app)

  for (let i = 0; i < 3; i++) {
    const response = await app.inject('/incidents/TM202916')
    t.equal(response.statusCode, 404)
    t.match(response.body, 'Incident not found')
    t.equal(response.headers['cache-control'], 'no-cache', 'still not for a CDN to keep')
    t.equal(response.headers.etag, undefined)
  }
  t.same(lookups.references, ['TM202916'], 'looked up once')
  t.same(rendered, ['error.hbs'], 'rendered once')
  t.equal((await app.inject('/incidents/tm202916')).statusCode, 404, 'another spelling of the same reference')
  t.same(lookups.references, ['TM202916'], 'shares the answer')

  for (let i = 0; i < 3; i++) t.equal((await app.inject('/history/999999')).statusCode, 404)
  t.equal(lookups.pages, 1, 'the history past its end is read once')
  t.same(rendered, ['error.hbs', 'error.hbs'], 'its own page, rendered once')

  // Another 404 with the same page: no second template render, though it is looked up.
  t.equal((await app.inject('/incidents/NOPE1')).statusCode, 404)
  t.same(rendered, ['error.hbs', 'error.hbs'], 'an error page is rendered once whatever the address')
  t.same(lookups.references, ['TM202916', 'NOPE1'])

  app.herald.services.incidents.open({ reference: 'TM202916', name: 'Users unable to access Microsoft Teams', body: 'Investigating.' }, 'test')
  const found = await app.inject('/incidents/TM202916')
  t.equal(found.statusCode, 200, 'the incident made later is served at once')
  t.match(found.body, 'Users unable to access Microsoft Teams')
})

t.test('a stream of distinct unknown addresses stays in its own bounded cache, and the pages stay cached', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const reference = incident(app, clock, { name: 'Sign-in failures', steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body: 'Looking.' }] })
  const pages = ['/', `/incidents/${reference}`, '/history', '/history.rss']
  for (const url of pages) t.equal((await app.inject(url)).statusCode, 200, url)
  const rendered = recordRenders(app)
  const lookups = countLookups(app)

  for (let i = 0; i <= notFoundCacheEntries; i++) t.equal((await app.inject(`/incidents/NOPE${i}`)).statusCode, 404)
  t.equal(lookups.references.length, notFoundCacheEntries + 1, 'each new one is looked up')
  for (const url of pages) t.equal((await app.inject(url)).statusCode, 200, url)
  t.same(rendered, ['error.hbs'], 'the pages were not pushed out (and the error page rendered once)')

  lookups.references.length = 0
  t.equal((await app.inject(`/incidents/NOPE${notFoundCacheEntries}`)).statusCode, 404)
  t.same(lookups.references, [], 'the most recent is still known')
  t.equal((await app.inject('/incidents/NOPE0')).statusCode, 404)
  t.same(lookups.references, ['NOPE0'], 'the oldest went first')
})
