// GET /history: incidents by month newest first, pages of 25, search by reference or name words, bad queries.
import t, { type Test } from 'tap'
import { searchCacheEntries } from '../../server/plugins/public-cache.js'
import { TestClock, build } from '../fixtures/build.js'
import { recordRenders } from '../fixtures/renders.js'
import { all } from './fixtures/html.js'
import { incident, page } from './fixtures/seed.js'

async function history (t: Test) {
  const clock = new TestClock()
  const app = await build(t, { clock })
  // 30 incidents, one every 5 days from 1 Oct 2019: they span October 2019 to February 2020.
  for (let i = 0; i < 30; i++) {
    const start = Date.parse('2019-10-01T10:00:00.000Z') + i * 5 * 86_400_000
    incident(app, clock, {
      name: i === 7 ? 'Certificate expired on the sign-in service' : `Incident number ${i}`,
      reference: i === 7 ? 'TM202916' : undefined,
      steps: [
        { at: new Date(start).toISOString(), status: 'investigating', body: 'Looking.' },
        { at: new Date(start + 3_600_000).toISOString(), status: 'resolved', body: 'Done.' }
      ]
    })
  }
  clock.set('2020-02-20T00:00:00.000Z')
  return app
}

const names = (html: string): string[] => all(html, /<h3><a href="\/incidents\/\w+">([^<]+)<\/a><\/h3>/)

t.test('incidents by month, newest first, 25 a page with newer and older links', async (t) => {
  const app = await history(t)
  const first = await page(app, '/history')
  t.match(first, '<h1>Incident history</h1>')
  t.equal(names(first).length, 25)
  t.equal(names(first)[0], 'Incident number 29', 'newest first')
  t.same(all(first, /<h2 id="month-[\d-]+">([^<]+)<\/h2>/), ['February 2020', 'January 2020', 'December 2019', 'November 2019', 'October 2019'])
  t.match(first, /<span class="reference">HR\d{6}<\/span>/)
  t.match(first, 'resolved after 1 h')
  t.match(first, 'Page 1 of 2')
  t.notMatch(first, 'rel="prev"')
  // Handlebars escapes "=" in attributes; browsers read &#x3D; as "=".
  t.match(first, '<a href="/history/2" rel="next">Older →</a>')

  const second = await page(app, '/history/2')
  t.same(names(second), ['Incident number 4', 'Incident number 3', 'Incident number 2', 'Incident number 1', 'Incident number 0'])
  t.match(second, '<a href="/history" rel="prev">← Newer</a>')
  t.notMatch(second, 'rel="next"')
  t.match(second, '<title>Incident history, page 2 · Example Status</title>')
  t.match(second, '<link rel="canonical" href="https://status.example.com/history/2">')
  const byQuery = await app.inject('/history?page=2')
  t.equal(byQuery.body, second, 'the older address with ?page= serves the same page')
  t.equal(byQuery.headers.etag, (await app.inject('/history/2')).headers.etag, 'from the same cache entry')
  t.equal(await page(app, '/history/1'), first, '/history/1 is the first page')
})

t.test('the history lists an open incident with the others, by the month it started', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  incident(app, clock, {
    name: 'Over',
    steps: [
      { at: '2020-01-30T10:00:00.000Z', status: 'investigating', body: 'Looking.' },
      { at: '2020-01-30T11:00:00.000Z', status: 'resolved', body: 'Done.' }
    ]
  })
  incident(app, clock, { name: 'Still open', steps: [{ at: '2020-02-03T10:00:00.000Z', status: 'investigating', body: 'Looking.' }] })
  const html = await page(app, '/history')
  t.same(names(html), ['Still open', 'Over'])
  t.match(html, /Still open<\/a><\/h3>\s*<p class="history-meta">[\s\S]*?Investigating/)
})

t.test('search finds an incident by its reference, in any case, or by words of its name', async (t) => {
  const app = await history(t)
  const byReference = await page(app, '/history?q=tm202916')
  t.same(names(byReference), ['Certificate expired on the sign-in service'])
  t.match(byReference, '1 incident matches “tm202916”')
  t.match(byReference, '<input id="history-q" type="search" name="q" value="tm202916"', 'the search box keeps the query')

  const byWords = await page(app, '/history?q=certificate%20SIGN-IN')
  t.same(names(byWords), ['Certificate expired on the sign-in service'])

  const many = await page(app, '/history?q=number')
  t.match(many, '29 incidents match “number”')
  t.equal(names(many).length, 25)
  t.match(many, '<a href="/history?q&#x3D;number&amp;page&#x3D;2" rel="next">', 'paging keeps the search')
  t.equal(names(await page(app, '/history?q=number&page=2')).length, 4)

  const none = await page(app, '/history?q=nothing%20like%20this')
  // The words of a search in order: the same search, however they were typed.
  t.match(none, '0 incidents match “like nothing this”')
  t.match(none, 'No incident matches your search.')
  t.same(names(await page(app, '/history?q=%25')), [], 'LIKE wildcards are taken literally')
})

t.test('an empty history says so', async (t) => {
  const app = await build(t)
  const html = await page(app, '/history')
  t.match(html, 'No incidents reported.')
  t.notMatch(html, 'class="pagination"')
})

t.test('bad paging and over-long searches get a clear 4xx page, never a 500', async (t) => {
  const app = await history(t)
  for (const query of ['page=0', 'page=-1', 'page=abc', 'page=1.5', 'page=99999999999999999999', 'page=1&page=2', `q=${'x'.repeat(201)}`]) {
    const response = await app.inject({ url: `/history?${query}` })
    t.equal(response.statusCode, 400, query)
    t.match(response.headers['content-type'], /^text\/html/)
    t.match(response.body, '<h1>Bad request</h1>')
  }
  const pastTheEnd = await app.inject({ url: '/history?page=3' })
  t.equal(pastTheEnd.statusCode, 404)
  t.match(pastTheEnd.body, 'The incident history has fewer pages than that.')
  t.equal((await app.inject({ url: `/history?q=${'x'.repeat(200)}` })).statusCode, 200, '200 characters is allowed')
  t.equal((await app.inject({ url: '/history?page=2&utm_source=x' })).statusCode, 200, 'unknown parameters are ignored')
  t.equal((await app.inject({ url: '/history/2?utm_source=x' })).statusCode, 200, 'also on a page path')
  for (const path of ['0', '-1', 'abc', '1.5', '2x', '01', '1234567', '%3Cscript%3E', '%E2%91%A1', '%00']) {
    const response = await app.inject({ url: `/history/${path}` })
    t.equal(response.statusCode, 404, `/history/${path} names no page`)
    t.match(response.headers['content-type'], /^text\/html/)
    t.notMatch(response.body, '<script>')
  }
  const pathPastTheEnd = await app.inject({ url: '/history/3' })
  t.equal(pathPastTheEnd.statusCode, 404)
  t.match(pathPastTheEnd.body, 'The incident history has fewer pages than that.')
})

t.test('searches are cached apart, least recently used first out, and never push the pages out', async (t) => {
  const app = await history(t)
  const rendered = recordRenders(app)
  t.equal((await app.inject('/')).statusCode, 200)
  t.equal((await app.inject('/history')).statusCode, 200)
  const first = await app.inject('/history?q=first')
  t.equal(first.statusCode, 200)
  t.ok(first.headers.etag, 'a search has an ETag like any page')
  t.ok(first.headers['last-modified'])
  t.equal(first.headers['cache-control'], 'public, max-age=10, stale-while-revalidate=86400, stale-if-error=86400')
  t.equal((await app.inject({ url: '/history?q=first', headers: { 'if-none-match': String(first.headers.etag) } })).statusCode, 304)
  rendered.length = 0
  // From many visitors: one address alone would be held to searchLimits (see search-limits.test.ts).
  const visitor = (i: number): string => `192.0.2.${i % 250}`
  for (let i = 0; i < searchCacheEntries; i++) t.equal((await app.inject({ url: `/history?q=search+${i}`, remoteAddress: visitor(i) })).statusCode, 200)
  t.equal(rendered.length, searchCacheEntries, 'each new search renders')
  rendered.length = 0
  t.equal((await app.inject('/')).statusCode, 200)
  t.equal((await app.inject('/history')).statusCode, 200)
  t.same(rendered, [], 'the status page and the history are still cached')
  t.equal((await app.inject(`/history?q=search+${searchCacheEntries - 1}`)).statusCode, 200)
  t.same(rendered, [], 'a recent search is still cached')
  t.equal((await app.inject('/history?q=first')).statusCode, 200)
  t.same(rendered, ['history.hbs'], 'the oldest search went')
})
