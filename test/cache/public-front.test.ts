// The front door: an address answered before is answered from the cache before Fastify, with the same bytes and headers, never stale.
import { Agent, request } from 'node:http'
import { dirname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { PublicFront, canonicalAddress, plainAcceptEncoding } from '../../server/cache/public-front.js'
import { PublicCache } from '../../server/cache/public-cache.js'
import { versionFreshMs } from '../../server/plugins/public-cache.js'
import { type TestContext, TestClock, tempDir, testConfig } from '../fixtures/build.js'
import { actor, addComponent } from '../public/fixtures/seed.js'

interface Answer {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** Herald listening on 127.0.0.1, and how many requests reached Fastify (the others left from the front door). */
async function listening (t: TestContext, clock = new TestClock()): Promise<{ app: FastifyInstance, base: string, fastify: () => number }> {
  const app = await buildApp({ config: testConfig(tempDir(t)), clock: clock.now, logger: false })
  t.teardown(() => app.close())
  let reached = 0
  app.addHook('onRequest', async () => { reached++ })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address !== 'object') throw new Error('not listening')
  return { app, base: `http://127.0.0.1:${address.port}`, fastify: () => reached }
}

function get (url: string, headers: Record<string, string> = {}, method = 'GET', agent: Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.once('end', () => {
        const all = Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, String(value)]))
        // Set by node on every answer, whoever writes it.
        delete all.date
        delete all.connection
        delete all['keep-alive']
        resolve({ status: res.statusCode ?? 0, headers: all, body: Buffer.concat(chunks) })
      })
    })
    req.once('error', reject)
    req.end()
  })
}

t.test('a second request gets from the front door exactly what Fastify gave, in every encoding, to GET, HEAD and revalidations', async (t) => {
  const { app, base, fastify } = await listening(t)
  const api = addComponent(app, 'API')
  const urls = ['/', '/badge.svg', `/components/${api.id}/badge.svg`, '/history.rss', '/api/v2/summary.json', '/history?utm_source=x']
  for (const url of urls) {
    for (const encoding of ['', 'gzip', 'br, gzip']) {
      const headers: Record<string, string> = encoding === '' ? {} : { 'accept-encoding': encoding }
      const first = await get(base + url, headers)
      const reached = fastify()
      const second = await get(base + url, headers)
      t.equal(first.status, 200, url)
      t.equal(fastify(), reached, `${url} (${encoding}): the second request did not reach Fastify`)
      t.same(second, first, `${url} (${encoding}): the same status, headers and bytes`)
      const head = await get(base + url, headers, 'HEAD')
      t.same(head.headers, first.headers, `${url}: HEAD has the headers`)
      t.equal(head.body.length, 0)
      const byTag = await get(base + url, { ...headers, 'if-none-match': first.headers.etag as string })
      t.equal(byTag.status, 304, `${url}: If-None-Match`)
      t.equal(byTag.body.length, 0)
      t.equal(byTag.headers.etag, first.headers.etag)
      const byDate = await get(base + url, { ...headers, 'if-modified-since': first.headers['last-modified'] as string })
      t.equal(byDate.status, 304, `${url}: If-Modified-Since`)
    }
  }
  const reached = fastify()
  t.same(await get(`${base}/history?utm_source=y`), await get(`${base}/history`), 'a parameter the page does not read changes nothing')
  t.equal(fastify(), reached, 'and is answered by the front door: the address is kept without it')
  await get(`${base}/history?q=teams`)
  t.equal(fastify(), reached + 1, 'another address (a search: a parameter the page reads) goes to Fastify first')
  const beforePost = fastify()
  t.not((await get(`${base}/history`, {}, 'POST')).status, 200)
  t.equal(fastify(), beforePost + 1, 'other methods go to Fastify (whose answer, 404 or 405, is the not-found handler’s)')
  t.equal((await get(`${base}/incidents/NOPE1`)).status, 404, 'an address with no page is never remembered')
  t.equal((await get(`${base}/incidents/NOPE1`)).status, 404)
})

t.test('a coding not made yet of a remembered body goes to Fastify once, which makes it; the front door sends it after', async (t) => {
  const { base, fastify } = await listening(t)
  const plain = await get(`${base}/`)
  let reached = fastify()
  t.same(await get(`${base}/`), plain)
  t.equal(fastify(), reached, 'the plain body from the front door')
  for (const coding of ['br', 'gzip']) {
    const asks: Array<Record<string, string>> = [{ 'accept-encoding': coding }, { 'accept-encoding': coding, 'if-none-match': '"nothing"' }]
    for (const headers of asks) {
      reached = fastify()
      const first = await get(`${base}/`, headers)
      t.equal(first.headers['content-encoding'], coding)
      const second = await get(`${base}/`, headers)
      t.same(second, first)
      t.equal(fastify(), reached + (headers['if-none-match'] === undefined ? 1 : 0), `${coding}: made by the first request only`)
    }
  }
})

t.test('a write, another connection’s write and a new day each send the next request to Fastify for the new body', async (t) => {
  const clock = new TestClock()
  const { app, base, fastify } = await listening(t, clock)
  const api = addComponent(app, 'API')
  const first = await get(`${base}/`)
  await get(`${base}/`)

  app.herald.services.components.patch(api.id, { status: 'major_outage' }, actor)
  let reached = fastify()
  const afterWrite = await get(`${base}/`)
  t.equal(fastify(), reached + 1, 'rendered through Fastify')
  t.match(afterWrite.body.toString(), 'Major Service Outage', 'the very next request shows the write')
  t.not(afterWrite.headers.etag, first.headers.etag)

  const other = await buildApp({ config: testConfig(dirname(app.herald.config.databasePath)), background: false, logger: false })
  t.teardown(() => other.close())
  other.herald.services.components.patch(api.id, { status: 'operational' }, 'cli')
  await new Promise((resolve) => setTimeout(resolve, versionFreshMs + 1))
  t.match((await get(`${base}/`)).body.toString(), 'All Systems Operational', 'another process’s write, within versionFreshMs')

  await get(`${base}/badge.svg`)
  const badge = await get(`${base}/badge.svg`)
  const page = (await get(`${base}/`)).body.toString()
  clock.advance(24 * 3_600_000)
  reached = fastify()
  t.not((await get(`${base}/`)).body.toString(), page, 'a new UTC day renders the status page again')
  t.same(await get(`${base}/badge.svg`), badge, 'a body that does not show the day stays')
  t.equal(fastify(), reached + 1, 'only the daily page went to Fastify')
})

t.test('the front door answers nothing before it is configured or once closed, and forgets the oldest of too many addresses', async (t) => {
  const front = new PublicFront()
  const bodies = new PublicCache()
  const entry = await bodies.get('/', '1', () => ({ contentType: 'text/plain', body: 'hello' }))
  t.ok(entry)
  const calls: Array<[number, Record<string, string>]> = []
  const response = { writeHead: (status: number, headers: Record<string, string>) => { calls.push([status, headers]) }, end: () => {} }
  const request = (url: string, method = 'GET'): Parameters<PublicFront['answer']>[0] => ({ url, method, headers: {}, rawHeaders: [] }) as unknown as Parameters<PublicFront['answer']>[0]
  const answer = (url: string, method?: string): boolean => front.answer(request(url, method), response as unknown as Parameters<PublicFront['answer']>[1])
  front.remember('/', { bodies, key: '/', daily: false, headers: {} })
  t.notOk(answer('/'), 'not configured: Fastify answers')
  front.configure({ version: () => '1', cache: { maxAge: 10, stale: 60 } })
  t.ok(answer('/'))
  t.equal(calls[0]?.[0], 200)
  t.equal(calls[0]?.[1]['content-length'], '5')
  t.notOk(answer('/', 'DELETE'))
  for (let i = 0; i < 10_000; i++) front.remember(`/?n=${i}`, { bodies, key: '/', daily: false, headers: {} })
  t.notOk(answer('/'), 'the oldest address was forgotten')
  t.ok(answer('/?n=9999'))
  front.close()
  t.notOk(answer('/?n=9999'), 'closing: Fastify answers (503)')
})

t.test('the key is the canonical address: parameters a page does not read, and their order, make no new entry', async (t) => {
  const { base, fastify } = await listening(t)
  const page = await get(`${base}/`)
  const reached = fastify()
  // A keep-alive agent: 20,000 requests on a few connections, as a script making up cache busters would.
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  t.teardown(() => agent.destroy())
  const distinct = 20_000
  let same = 0
  for (let start = 0; start < distinct; start += 100) {
    const answers = await Promise.all(Array.from({ length: 100 }, async (_, i) => await get(`${base}/?x=${start + i}&utm_source=${i}`, {}, 'GET', agent)))
    same += answers.filter((answer) => answer.status === 200 && answer.body.equals(page.body) && answer.headers.etag === page.headers.etag).length
  }
  t.equal(same, distinct, 'every one is the page')
  t.equal(fastify(), reached, 'none reached Fastify: no render, no entry')

  await get(`${base}/history?q=sign+teams&utm_source=a`)
  const searched = fastify()
  for (const url of ['/history?utm_source=b&q=sign+teams', '/history?q=sign%20teams', '/history?ref=x&q=sign+teams&x=1']) {
    t.equal((await get(base + url)).status, 200, url)
  }
  t.equal(fastify(), searched, 'the order of the parameters and their spelling make no new address')
  for (const url of ['/history?q=a&q=b', '/history?page=0&x=1']) {
    t.equal((await get(base + url)).status, 400, `${url}: refused by the route`)
    t.equal((await get(base + url)).status, 400, `${url}: and again, never answered from the front door`)
  }
})

t.test('canonicalAddress keeps the parameters a route reads, in order of name, and drops the rest', async (t) => {
  t.equal(canonicalAddress('/', []), '/')
  t.equal(canonicalAddress('/?a=1&b=2', []), '/')
  t.equal(canonicalAddress('/history?utm=1&q=a+b&page=2', ['q', 'page']), '/history?page=2&q=a+b')
  t.equal(canonicalAddress('/history?q=a%20b', ['q', 'page']), '/history?q=a+b', 'one spelling of a space')
  t.equal(canonicalAddress('/history?q=a&q=b', ['q']), '/history?q=a&q=b', 'a parameter given twice stays twice')
  t.equal(canonicalAddress('/history?x=1', ['q']), '/history')
  t.equal(canonicalAddress('/odd?b=1&a=2', null), '/odd?b=1&a=2', 'a route that names none is kept as sent')
})

t.test('the front door holds at most 10,000 addresses, however many distinct ones it is taught', async (t) => {
  const front = new PublicFront()
  const bodies = new PublicCache()
  await bodies.get('/', '1', () => ({ contentType: 'text/plain', body: 'hello' }))
  front.configure({ version: () => '1', cache: { maxAge: 10, stale: 60 } })
  const response = { writeHead: () => {}, end: () => {} } as unknown as Parameters<PublicFront['answer']>[1]
  const request = (url: string): Parameters<PublicFront['answer']>[0] => ({ url, method: 'GET', headers: {}, rawHeaders: [] }) as unknown as Parameters<PublicFront['answer']>[0]
  for (let i = 0; i < 20_000; i++) front.remember(`/?n=${i}`, { bodies, key: '/', daily: false, headers: {} }, [])
  t.equal(front.size, 1, 'unknown parameters: one address')
  for (let i = 0; i < 20_000; i++) front.remember(`/p/${i}?n=${i}`, { bodies, key: '/', daily: false, headers: {} }, [])
  t.equal(front.size, 10_000, 'distinct paths: the oldest forgotten')
  t.ok(front.answer(request('/p/19999?anything'), response))
  t.notOk(front.answer(request('/p/0'), response), 'forgotten: Fastify answers and teaches it again')
})

t.test('a plain GET is read from its raw headers; a conditional one, or one naming Accept-Encoding twice, from all of them', async (t) => {
  t.equal(plainAcceptEncoding(['Host', 'x', 'ACCEPT-ENCODING', 'br']), 'br', 'names in any case')
  t.equal(plainAcceptEncoding(['Host', 'x']), undefined, 'none sent')
  t.equal(plainAcceptEncoding(['accept-encoding', 'gzip', 'Accept-Encoding', 'br']), false, 'twice: node joins them, as Fastify reads them')
  t.equal(plainAcceptEncoding(['If-None-Match', '"a"']), false)
  t.equal(plainAcceptEncoding(['if-modified-since', 'Sun, 06 Nov 1994 08:49:37 GMT']), false)
  t.equal(plainAcceptEncoding(['x-accept-encoding', 'br', 'Accept-Encodinq', 'br']), undefined, 'a name of the same length is another name')

  const { base, fastify } = await listening(t)
  const first = await get(`${base}/`, { 'accept-encoding': 'gzip, br;q=0' })
  t.equal(first.headers['content-encoding'], 'gzip', 'br refused, gzip taken')
  const reached = fastify()
  t.same(await get(`${base}/`, { 'ACCEPT-ENCODING': 'gzip, br;q=0' }), first, 'the header named in capitals: the same answer')
  t.same(await get(`${base}/`, { 'accept-encoding': 'gzip, br;q=0', 'if-none-match': '"other"' }), first, 'a conditional request that does not match: the same')
  t.equal(fastify(), reached, 'all from the front door')
})
