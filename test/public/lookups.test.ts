// Public addresses that name a record look it up once, inside the cached render: a hit reads no record, a miss is an uncached 404.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { addComponent, incident } from './fixtures/seed.js'

/** Counts the calls of a store method from now on. */
function count<T extends object> (target: T, method: keyof T & string): { calls: number } {
  const counter = { calls: 0 }
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target)
  ;(target as Record<string, unknown>)[method] = (...args: unknown[]) => { counter.calls++; return original(...args) }
  return counter
}

t.test('a cached incident page, history page, component feed or badge reads no record on a hit', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const api = addComponent(app, 'API')
  const reference = incident(app, clock, { name: 'Errors', steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body: 'Looking.', components: { [api.id]: 'major_outage' } }] })
  for (let i = 0; i < 25; i++) app.herald.services.incidents.open({ name: `Old ${i}`, body: 'x' }, 'test')
  const { stores } = app.herald
  const byReference = count(stores.incidents, 'byReference')
  const page = count(stores.incidents, 'page')
  const component = count(stores.components, 'get')
  const urls = [`/incidents/${reference}`, '/history?page=2', `/components/${api.id}/history.rss`, `/components/${api.id}/history.atom`, `/components/${api.id}/badge.svg`]
  for (const url of urls) t.equal((await app.inject(url)).statusCode, 200, url)
  t.equal(byReference.calls, 1, 'the incident is looked up once, inside render')
  t.equal(page.calls, 1, 'the history page and its count are read once')
  t.equal(component.calls, 3, 'each component address looks its component up once')
  for (const url of urls) t.equal((await app.inject(url)).statusCode, 200, `${url} again`)
  t.same([byReference.calls, page.calls, component.calls], [1, 1, 3], 'cache hits read no record')
})

t.test('every spelling of a reference shares one cached page', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  incident(app, clock, { name: 'Errors', reference: 'TM202916', steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body: 'Looking.' }] })
  const withUpdates = count(app.herald.stores.incidents, 'withUpdates')
  const upper = await app.inject('/incidents/TM202916')
  const lower = await app.inject('/incidents/tm202916')
  t.equal(lower.statusCode, 200)
  t.equal(lower.headers.etag, upper.headers.etag)
  t.equal(withUpdates.calls, 1, 'rendered once')
})

t.test('a 404 for a record that does not exist yet is never cached: the record made later is served', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  for (const url of ['/incidents/TM202916', '/incidents/tm202916', '/components/1/badge.svg', '/components/1/history.rss', '/history?page=2']) {
    const missing = await app.inject(url)
    t.equal(missing.statusCode, 404, url)
    t.match(missing.headers['content-type'], /^text\/html/)
    t.equal(missing.headers['cache-control'], 'no-cache', `${url}: the 404 is not cacheable`)
    t.notOk(missing.headers.etag, `${url}: no ETag on a 404`)
    const again = await app.inject({ url, headers: { 'if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' } })
    t.equal(again.statusCode, 404, `${url}: never a 304 for a 404`)
  }

  incident(app, clock, { name: 'Errors', reference: 'TM202916', steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body: 'Looking.' }] })
  const chat = addComponent(app, 'Teams chat')
  t.equal(chat.id, 1)
  for (let i = 0; i < 25; i++) app.herald.services.incidents.open({ name: `Old ${i}`, body: 'x' }, 'test')
  for (const url of ['/incidents/tm202916', '/components/1/badge.svg', '/components/1/history.rss', '/history?page=2']) {
    t.equal((await app.inject(url)).statusCode, 200, `${url} once it exists`)
  }
})

t.test('a record removed after its page was cached answers 404, and an unknown one keeps answering 404', async (t) => {
  const app = await build(t)
  const chat = addComponent(app, 'Teams chat')
  t.equal((await app.inject(`/components/${chat.id}/badge.svg`)).statusCode, 200)
  app.herald.services.components.remove(chat.id, 'test')
  t.equal((await app.inject(`/components/${chat.id}/badge.svg`)).statusCode, 404)
  t.equal((await app.inject(`/components/${chat.id}/badge.svg`)).statusCode, 404)
})
