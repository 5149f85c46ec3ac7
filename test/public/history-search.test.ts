// History searches: one cached body per normalized search, renders limited per address (429) and queued, cached ones never limited.
import t, { type Test } from 'tap'
import { maxSearchesWaiting } from '../../server/plugins/public-cache.js'
import { searchLimits } from '../../server/routes/public/history-page.js'
import { TestClock, build } from '../fixtures/build.js'
import { recordRenders } from '../fixtures/renders.js'
import { all } from './fixtures/html.js'
import { incident } from './fixtures/seed.js'

const names = (html: string): string[] => all(html, /<h3><a href="\/incidents\/\w+">([^<]+)<\/a><\/h3>/)

async function history (t: Test) {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const steps = [{ at: '2020-02-03T12:00:00.000Z', status: 'resolved' as const, body: 'Done.' }]
  incident(app, clock, { name: 'Teams sign-in failures', reference: 'TM202916', steps })
  incident(app, clock, { name: 'Ärger mit der Anmeldung', steps })
  incident(app, clock, { name: 'Café menu service down', steps })
  clock.set('2020-02-04T00:00:00.000Z')
  return { app, clock }
}

t.test('spellings of one search share one cached body: trimmed, spaces collapsed, any case, any order, NFC', async (t) => {
  const { app } = await history(t)
  const rendered = recordRenders(app)
  const spellings = ['teams%20sign', 'Teams%20%20Sign', '%20TEAMS%09sign%20', 'teams+SIGN', 'tEaMs%0A%20sign', 'teams%00%20sign%7F', 'sign%20teams', 'SIGN+Teams+teams']
  const bodies: string[] = []
  for (const q of spellings) {
    const response = await app.inject(`/history?q=${q}`)
    t.equal(response.statusCode, 200, q)
    bodies.push(response.body)
  }
  t.same(rendered, ['history.hbs'], 'rendered once for all of them')
  t.ok(bodies.every((body) => body === bodies[0]), 'the same body')
  t.same(names(bodies[0] as string), ['Teams sign-in failures'])
  t.match(bodies[0], 'value="sign teams"', 'the search box shows the search as it was run: each word once, in order')
  t.match(bodies[0], '<link rel="canonical" href="https://status.example.com/history?q&#x3D;sign+teams">')

  rendered.length = 0
  // "é" written as e and a combining accent (NFD) is the same search as "é" (NFC).
  const decomposed = await app.inject(`/history?q=${encodeURIComponent('CAFE\u0301')}`)
  const composed = await app.inject(`/history?q=${encodeURIComponent('caf\u00e9')}`)
  t.same(names(decomposed.body), ['Café menu service down'], 'NFD finds the NFC name')
  t.equal(composed.body, decomposed.body)
  t.same(rendered, ['history.hbs'], 'one render for both forms')
})

t.test('a search finds names in any case, letters beyond ASCII too, and a reference in any case', async (t) => {
  const { app } = await history(t)
  for (const q of ['ärger', 'ÄRGER', 'Ärger anmeldung']) {
    const response = await app.inject(`/history?q=${encodeURIComponent(q)}`)
    t.same(names(response.body), ['Ärger mit der Anmeldung'], q)
  }
  for (const q of ['tm202916', 'TM202916', ' Tm202916 ']) {
    t.same(names((await app.inject(`/history?q=${encodeURIComponent(q)}`)).body), ['Teams sign-in failures'], JSON.stringify(q))
  }
  t.same(names((await app.inject('/history?q=%C3%A4rger%20teams')).body), [], 'every word must match')
})

t.test('new searches from one address are limited (429, Retry-After, an HTML page); others, and cached searches, are not', async (t) => {
  const { app, clock } = await history(t)
  const from = (remoteAddress: string, q: string) => app.inject({ url: `/history?q=${encodeURIComponent(q)}`, remoteAddress })
  const rendered = recordRenders(app)
  t.equal((await from('192.0.2.9', 'teams')).statusCode, 200, 'a search someone else made')
  for (let i = 0; i < searchLimits.max; i++) t.equal((await from('192.0.2.1', `word ${i}`)).statusCode, 200, `search ${i + 1}`)
  t.equal(rendered.length, searchLimits.max + 1)

  const limited = await from('192.0.2.1', 'one more')
  t.equal(limited.statusCode, 429, 'one more new search is refused')
  const retryAfter = Number(limited.headers['retry-after'])
  t.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= searchLimits.windowMs / 1000, `Retry-After: ${limited.headers['retry-after']}`)
  t.match(limited.headers['content-type'], /^text\/html/)
  t.match(limited.body, '<h1>Too many searches</h1>')
  t.equal(limited.headers['cache-control'], 'no-cache')
  t.equal(rendered.length, searchLimits.max + 2, 'nothing rendered but the refusal page')

  t.equal((await from('192.0.2.1', 'word 3')).statusCode, 200, 'its own earlier search is cached: not limited')
  t.equal((await from('192.0.2.1', 'TEAMS')).statusCode, 200, 'a search another address made is cached: not limited')
  t.equal((await app.inject({ url: '/history', remoteAddress: '192.0.2.1' })).statusCode, 200, 'the pages are not limited')
  t.equal((await from('192.0.2.2', 'one more')).statusCode, 200, 'another address still gets its answer')
  t.equal((await from('192.0.2.1', 'one more')).statusCode, 200, 'and then it is cached for everyone')
  t.equal((await from('192.0.2.1', 'yet another')).statusCode, 429)

  clock.advance(searchLimits.windowMs)
  t.equal((await from('192.0.2.1', 'yet another')).statusCode, 200, 'the window over, it may search again')
})

t.test('search renders wait their turn, and beyond a bound are refused at once with 503 and Retry-After', async (t) => {
  const { app } = await history(t)
  const count = maxSearchesWaiting + 10
  const answers = await Promise.all(Array.from({ length: count }, async (_, i) =>
    await app.inject({ url: `/history?q=word${i}`, remoteAddress: `198.51.100.${i % 200}` })))
  const statuses = answers.map((answer) => answer.statusCode)
  t.ok(statuses.every((status) => status === 200 || status === 503), 'each is answered or refused')
  const refused = answers.filter((answer) => answer.statusCode === 503)
  t.ok(statuses.filter((status) => status === 200).length <= maxSearchesWaiting, 'no more renders than the bound waited')
  t.ok(refused.length >= 10, `${refused.length} refused`)
  for (const answer of refused) {
    t.equal(answer.headers['retry-after'], '5')
    t.match(answer.body, 'Too many searches right now')
  }
  t.equal((await app.inject('/history?q=later')).statusCode, 200, 'once they are done, searches are answered again')
})
