// The front door: an address answered before is answered from the cache before Fastify, with the same bytes and headers, never stale.
import { request } from 'node:http'
import { dirname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { PublicFront } from '../../server/cache/public-front.js'
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

function get (url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
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
  await get(`${base}/history?utm_source=y`)
  t.equal(fastify(), reached + 1, 'another address (a new query) goes to Fastify first')
  const beforePost = fastify()
  t.not((await get(`${base}/history`, {}, 'POST')).status, 200)
  t.equal(fastify(), beforePost + 1, 'other methods go to Fastify (whose answer, 404 or 405, is the not-found handler’s)')
  t.equal((await get(`${base}/incidents/NOPE1`)).status, 404, 'an address with no page is never remembered')
  t.equal((await get(`${base}/incidents/NOPE1`)).status, 404)
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
  const request = (url: string, method = 'GET'): Parameters<PublicFront['answer']>[0] => ({ url, method, headers: {} }) as unknown as Parameters<PublicFront['answer']>[0]
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
