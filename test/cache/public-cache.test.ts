// The public cache: one render per version, compressed variants, conditional requests and cache headers.
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t from 'tap'
import { PublicCache, cachedAnswer, compressVariant, variantReady } from '../../server/cache/public-cache.js'
import { build } from '../fixtures/build.js'

t.test('renders once per key and version, even for requests arriving together', async (t) => {
  const cache = new PublicCache()
  let renders = 0
  const render = async (): Promise<{ body: string, contentType: string }> => {
    renders++
    await new Promise((resolve) => setTimeout(resolve, 10))
    return { body: `version ${renders}`, contentType: 'text/plain' }
  }
  const burst = await Promise.all(Array.from({ length: 50 }, async () => await cache.get('/', '1', render)))
  t.equal(renders, 1)
  t.ok(burst.every((entry) => entry === burst[0]), 'every request got the same entry')
  await cache.get('/', '1', render)
  t.equal(renders, 1, 'served from memory')
  const next = await cache.get('/', '2', render)
  t.equal(renders, 2, 'a new version renders again')
  t.equal(next.variants.identity.body.toString(), 'version 2')
  t.notOk(next.variants.gzip, 'small bodies are not compressed')
})

t.test('a failed render is not cached and the next request tries again', async (t) => {
  const cache = new PublicCache()
  await t.rejects(cache.get('/', '1', () => { throw new Error('boom') }), /boom/)
  const entry = await cache.get('/', '1', () => ({ body: 'ok', contentType: 'text/plain' }))
  t.equal(entry.variants.identity.body.toString(), 'ok')
})

t.test('a replaced entry is always at least a second later, so If-Modified-Since never matches a changed body', async (t) => {
  const now = Date.parse('2020-02-03T13:00:00.400Z')
  const cache = new PublicCache(10, () => now)
  const render = (body: string) => () => ({ body, contentType: 'text/plain' })
  const first = await cache.get('/', '1', render('one'))
  t.equal(first.lastModified, 'Mon, 03 Feb 2020 13:00:00 GMT')
  const second = await cache.get('/', '2', render('two'))
  t.equal(second.lastModified, 'Mon, 03 Feb 2020 13:00:01 GMT', 'a second after the body it replaced')
  const third = await cache.get('/', '3', render('three'))
  t.equal(third.lastModified, 'Mon, 03 Feb 2020 13:00:02 GMT')
  const other = await cache.get('/other', '3', render('other'))
  t.equal(other.lastModified, 'Mon, 03 Feb 2020 13:00:00 GMT', 'a new key starts at now')
})

t.test('a body changed within the second answers 200 to the If-Modified-Since of the old one', async (t) => {
  const app = await build(t)
  const first = await app.inject('/')
  app.herald.services.incidents.open({ name: 'Sign-in failures', body: 'Investigating', reference: 'TM202916' }, 'cli')
  const second = await app.inject({ url: '/', headers: { 'if-modified-since': String(first.headers['last-modified']) } })
  t.equal(second.statusCode, 200)
  t.match(second.body, /TM202916/)
  t.ok(Date.parse(String(second.headers['last-modified'])) > Date.parse(String(first.headers['last-modified'])))
  const again = await app.inject({ url: '/', headers: { 'if-modified-since': String(second.headers['last-modified']) } })
  t.equal(again.statusCode, 304, 'the new date validates the new body')
})

t.test('keeps at most its number of entries, dropping the oldest', async (t) => {
  const cache = new PublicCache(2)
  const render = (): { body: string, contentType: string } => ({ body: 'x', contentType: 'text/plain' })
  await cache.get('/a', '1', render)
  await cache.get('/b', '1', render)
  await cache.get('/a', '2', render)
  await cache.get('/c', '1', render)
  t.equal(cache.size, 2)
  let rendered = false
  await cache.get('/a', '2', () => { rendered = true; return render() })
  t.notOk(rendered, '/a was used last and stays')
  await cache.get('/b', '1', () => { rendered = true; return render() })
  t.ok(rendered, '/b was the oldest and went')
  cache.clear()
  t.equal(cache.size, 0)
})

t.test('a hit keeps an entry: the least recently used one goes first', async (t) => {
  const cache = new PublicCache(2)
  const renders: string[] = []
  const render = (key: string) => () => { renders.push(key); return { body: key, contentType: 'text/plain' } }
  await cache.get('/a', '1', render('/a'))
  await cache.get('/b', '1', render('/b'))
  await cache.get('/a', '1', render('/a'))
  await cache.get('/c', '1', render('/c'))
  await cache.get('/a', '1', render('/a'))
  t.same(renders, ['/a', '/b', '/c'], '/a was read after /b, so /b went and /a stayed')
  await cache.get('/b', '1', render('/b'))
  t.same(renders, ['/a', '/b', '/c', '/b'])
})

t.test('public pages come compressed as the client asks, with cache headers for a CDN', async (t) => {
  const app = await build(t)
  app.herald.services.components.create({ name: 'Teams chat' }, 'cli')
  app.herald.services.incidents.open({ name: 'Sign-in failures', body: 'We are investigating. '.repeat(80), reference: 'TM202916' }, 'cli')
  const plain = await app.inject('/')
  t.equal(plain.statusCode, 200)
  t.equal(plain.headers['content-encoding'], undefined)
  t.equal(plain.headers.vary, 'Accept-Encoding')
  t.equal(plain.headers['cache-control'], 'public, max-age=10, stale-while-revalidate=86400, stale-if-error=86400')

  const br = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, br' } })
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body)
  t.ok(br.rawPayload.length < plain.rawPayload.length / 3, 'much smaller')

  const gz = await app.inject({ url: '/history.rss', headers: { 'accept-encoding': 'gzip' } })
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.equal(gunzipSync(gz.rawPayload).toString(), (await app.inject('/history.rss')).body)

  t.not(br.headers.etag, plain.headers.etag, 'each coding has its own strong ETag')
  const revalidated = await app.inject({ url: '/', headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } })
  t.equal(revalidated.statusCode, 304)
  t.equal(revalidated.headers.vary, 'Accept-Encoding')
  t.equal(revalidated.headers.etag, br.headers.etag)
  const otherCoding = await app.inject({ url: '/', headers: { 'if-none-match': String(br.headers.etag) } })
  t.equal(otherCoding.statusCode, 200, 'a brotli ETag does not validate the plain body')

  const head = await app.inject({ method: 'HEAD', url: '/' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.equal(head.headers.etag, plain.headers.etag)
})

t.test('each compressed body is made the first time a client takes it, once however many ask together', async (t) => {
  const cache = new PublicCache()
  const text = 'We are investigating. '.repeat(100)
  const entry = await cache.get('/', '1', () => ({ body: text, contentType: 'text/html; charset=utf-8' }))
  t.ok(entry.compressible)
  t.same(Object.keys(entry.variants), ['identity'], 'a render compresses nothing')
  t.ok(variantReady(entry, 'identity'))
  t.notOk(variantReady(entry, 'br'))
  await Promise.all(Array.from({ length: 20 }, async () => await compressVariant(entry, 'br')))
  const br = entry.variants.br
  t.ok(br !== undefined && variantReady(entry, 'br'))
  t.same(Object.keys(entry.variants).sort(), ['br', 'identity'], 'no gzip until a client takes gzip')
  t.equal(brotliDecompressSync(br?.body ?? Buffer.alloc(0)).toString(), text)
  t.equal(br?.etag, `${entry.variants.identity.etag.slice(0, -1)}-br"`)
  await compressVariant(entry, 'br')
  t.equal(entry.variants.br, br, 'made once: asking again changes nothing')
  await compressVariant(entry, 'gzip')
  t.equal(gunzipSync(entry.variants.gzip?.body ?? Buffer.alloc(0)).toString(), text)
  t.equal(entry.variants.gzip?.etag, `${entry.variants.identity.etag.slice(0, -1)}-gz"`)

  const small = await cache.get('/small', '1', () => ({ body: 'ok', contentType: 'text/plain' }))
  const image = await cache.get('/logo.png', '1', () => ({ body: Buffer.alloc(5000, 1), contentType: 'image/png' }))
  for (const plain of [small, image]) {
    t.notOk(plain.compressible)
    t.ok(variantReady(plain, 'br'), 'sent as it is to a client that takes Brotli')
    await compressVariant(plain, 'br')
    t.same(Object.keys(plain.variants), ['identity'])
  }
})

t.test('an answer is in the encoding its caller chose, and only once that body is made', async (t) => {
  const cache = new PublicCache()
  const cacheHeaders = { maxAge: 10, stale: 60 }
  const entry = await cache.get('/', '1', () => ({ body: 'We are investigating. '.repeat(100), contentType: 'text/html; charset=utf-8' }))
  t.throws(() => cachedAnswer({}, entry, 'br', cacheHeaders), /br body of this entry is not made yet/, 'never the plain body for a Brotli request')
  await compressVariant(entry, 'br')
  const answer = cachedAnswer({}, entry, 'br', cacheHeaders)
  t.equal(answer.headers['content-encoding'], 'br')
  t.equal(answer.headers.etag, entry.variants.br?.etag)
  t.equal(answer.body, entry.variants.br?.body)
  t.equal(cachedAnswer({ 'if-none-match': entry.variants.br?.etag }, entry, 'br', cacheHeaders).status, 304)
  t.equal(cachedAnswer({}, entry, 'identity', cacheHeaders).headers['content-encoding'], undefined)
  const small = await cache.get('/small', '1', () => ({ body: 'ok', contentType: 'text/plain' }))
  const plain = cachedAnswer({}, small, 'br', cacheHeaders)
  t.equal(plain.headers['content-encoding'], undefined, 'a body not worth compressing goes as it is')
  t.equal(plain.headers.etag, small.variants.identity.etag)
})

t.test('through the server, a request for a coding not made yet gets it made, and the front door answers the next ones', async (t) => {
  const app = await build(t)
  app.herald.services.incidents.open({ name: 'Sign-in failures', body: 'We are investigating. '.repeat(80), reference: 'TM202916' }, 'cli')
  const plain = await app.inject('/')
  for (const coding of ['br', 'gzip'] as const) {
    const first = await app.inject({ url: '/', headers: { 'accept-encoding': coding } })
    t.equal(first.headers['content-encoding'], coding)
    const body = coding === 'br' ? brotliDecompressSync(first.rawPayload) : gunzipSync(first.rawPayload)
    t.equal(body.toString(), plain.body)
    const revalidated = await app.inject({ url: '/', headers: { 'accept-encoding': coding, 'if-none-match': String(first.headers.etag) } })
    t.equal(revalidated.statusCode, 304)
  }
  // A new version: a revalidation in a coding not made yet is compared with that coding's ETag, not the plain one's.
  app.herald.services.incidents.postUpdate('TM202916', { status: 'identified', body: 'Found it. '.repeat(80) }, 'cli')
  const newPlain = await app.inject('/')
  const stale = await app.inject({ url: '/', headers: { 'accept-encoding': 'br', 'if-none-match': String(newPlain.headers.etag) } })
  t.equal(stale.statusCode, 200, 'the plain ETag does not validate the Brotli body')
  t.equal(stale.headers['content-encoding'], 'br')
  t.equal(brotliDecompressSync(stale.rawPayload).toString(), newPlain.body)
})

t.test('a write is visible on the very next request', async (t) => {
  const app = await build(t)
  const first = await app.inject('/')
  app.herald.services.incidents.open({ name: 'Sign-in failures', body: 'Investigating', reference: 'TM202916' }, 'cli')
  const second = await app.inject({ url: '/', headers: { 'if-none-match': String(first.headers.etag) } })
  t.equal(second.statusCode, 200)
  t.match(second.body, /TM202916/)
})
