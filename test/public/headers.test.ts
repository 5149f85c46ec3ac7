// Response headers of every route, read from the app: public ones cached for a CDN, admin and token API ones never stored.
import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../server/app.js'
import { ConfigError, loadConfig } from '../../server/config.js'
import { searchLimits } from '../../server/routes/public/history-page.js'
import { brandView } from '../../server/views/brand-view.js'
import { withUsers } from '../admin/fixtures/admin-session.js'
import { type BuildOptions, type TestContext, TestClock, build, tempDir, testConfig } from '../fixtures/build.js'
import { type Route, routesOf } from '../fixtures/routes.js'
import { tinyPng } from '../fixtures/images.js'
import { seedTeamsOutage } from '../fixtures/story.js'

const actor = 'test'
const publicCacheControl = 'public, max-age=10, stale-while-revalidate=86400, stale-if-error=86400'

const isAdmin = (route: Route): boolean => /^\/admin(\/|$)/.test(route.path)
const isTokenApi = (route: Route): boolean => /^\/api\/v1(\/|$)/.test(route.path)
// @fastify/static's files keep its own caching (an hour), outside the public cache; the health probes
// (/livez, /readyz) are for a load balancer, never cached.
const isProbe = (route: Route): boolean => route.path === '/livez' || route.path === '/readyz'
// The subscription pages are per visitor (a form, a token in the address): no-store, tested in test/subscribers/public-routes.test.ts.
const isPerVisitor = (route: Route): boolean => /^\/(subscribe|subscriptions)(\/|$)/.test(route.path)
const isPublic = (route: Route): boolean => !isAdmin(route) && !isTokenApi(route) && !isProbe(route) && !isPerVisitor(route) && route.path !== '/static/*'

/** Parameters filled with what the world has: maintenances under their section, the rest the incident, user bob, id 1. */
function urlOf (route: Route): string {
  return route.path
    .replace(/\/maintenances\/:reference/g, '/maintenances/MT000001')
    .replace(/:reference/g, 'TM202916')
    .replace(/:name/g, 'bob')
    .replace(/:[A-Za-z]+/g, '1')
}

/** The content type a public address promises by its extension; pages are HTML. */
function contentTypeOf (path: string): string {
  // Herald's own favicon (no other is uploaded in this world) is an SVG document.
  if (path === '/favicon.ico') return 'image/svg+xml'
  if (path.endsWith('.png')) return 'image/png'
  if (path.endsWith('.css')) return 'text/css; charset=utf-8'
  if (path.endsWith('.rss')) return 'application/rss+xml; charset=utf-8'
  if (path.endsWith('.atom')) return 'application/atom+xml; charset=utf-8'
  if (path.endsWith('.json')) return 'application/json; charset=utf-8'
  if (path.endsWith('.svg')) return 'image/svg+xml; charset=utf-8'
  return 'text/html; charset=utf-8'
}

interface World {
  app: FastifyInstance
  token: string
}

/**
 * Chat and Sign-in in a group, the TM202916 story (test/fixtures/story.ts), a maintenance MT000001, a template, users alice and bob, tokens.
 * `app` builds it (by default build(t)): one that adds hooks builds it without making it ready.
 */
async function world (t: TestContext, options: BuildOptions = {}, app?: FastifyInstance): Promise<World> {
  const clock = options.clock ?? new TestClock()
  app ??= await build(t, { ...options, clock })
  const { components, maintenances, templates, tokens } = app.herald.services
  const chat = components.create({ name: 'Teams chat', group: 'Microsoft Teams', description: 'Messages and channels' }, actor)
  const signIn = components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, actor)
  seedTeamsOutage(app.herald.services, { components: { 'Teams chat': chat.id, 'Sign-in': signIn.id }, clock, actor })
  maintenances.schedule({
    reference: 'MT000001', name: 'Certificate rotation', body: 'Rotating the certificates.', scheduledFor: '2020-02-04T02:00:00.000Z', scheduledUntil: '2020-02-04T03:00:00.000Z', components: [chat.id]
  }, actor)
  templates.create({ name: 'Outage', title: 'Users may be unable to access {component}', body: 'We are investigating.' }, actor)
  tokens.create('bob', 'cli')
  // A logo and an accent: their files under /brand/ are public addresses too.
  app.herald.services.appearance.save({ accent: '#1f6f43', siteLink: '', supportLink: '', autoRefresh: false, refreshSeconds: 60, images: { logo_light: tinyPng } }, actor)
  return { app, token: tokens.create('ci', 'cli') }
}

/** The branding's files of the world: the logo and the accent stylesheet, as the status page links them. */
function brandFiles (app: FastifyInstance): string[] {
  const brand = brandView(app.herald.services.reads.public.appearance())
  return [brand.logo?.src ?? '', brand.accentStylesheet ?? '']
}

/** Named by the hash of their bytes, the branding's files are kept for a year; the rest as CACHE_MAX_AGE says. */
function cacheControlOf (url: string, cacheControl = publicCacheControl): string {
  return url.startsWith('/brand/') ? cacheControl.replace(/max-age=\d+/, 'max-age=31536000') : cacheControl
}

/** The public addresses: one per route, plus the spellings that share a route (a search, a lower-case reference). */
function publicUrls (app: FastifyInstance): string[] {
  const routes = routesOf(app).filter((route) => route.method === 'GET' && isPublic(route) && route.path !== '/brand/:file')
  const urls = routes.map(urlOf)
  return [...urls, ...brandFiles(app), '/incidents/MT000001', '/incidents/tm202916', '/history?q=Teams', '/history?page=1']
}

function checkPublicHeaders (t: Test, url: string, response: LightMyRequestResponse, cacheControl: string): void {
  t.equal(response.headers['cache-control'], cacheControl, `${url}: Cache-Control for a CDN`)
  t.equal(response.headers.vary, 'Accept-Encoding', `${url}: Vary`)
  t.match(response.headers.etag, /^"[A-Za-z0-9_-]+(-gz|-br)?"$/, `${url}: a strong ETag`)
  const lastModified = String(response.headers['last-modified'])
  t.equal(new Date(lastModified).toUTCString(), lastModified, `${url}: Last-Modified is an HTTP date`)
}

t.test('every public route answers with its content type and the public cache headers, to GET, HEAD and a revalidation', async (t) => {
  const { app } = await world(t)
  const urls = publicUrls(app)
  t.ok(urls.length >= 18, `${urls.length} public addresses`)
  for (const url of urls) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 200, `${url}: found`)
    t.equal(response.headers['content-type'], contentTypeOf(url.split('?')[0] as string), `${url}: content type`)
    t.equal(response.headers['content-encoding'], undefined, `${url}: not compressed unless asked`)
    checkPublicHeaders(t, url, response, cacheControlOf(url))
    if (/\.(rss|atom|json|svg)$/.test(url)) t.equal(response.headers['access-control-allow-origin'], '*', `${url}: readable from any origin`)

    const head = await app.inject({ method: 'HEAD', url })
    t.equal(head.statusCode, 200, `HEAD ${url}`)
    t.equal(head.body, '', `HEAD ${url}: no body`)
    t.equal(head.headers['content-type'], response.headers['content-type'], `HEAD ${url}: content type`)
    t.equal(head.headers.etag, response.headers.etag, `HEAD ${url}: the ETag of GET`)
    checkPublicHeaders(t, `HEAD ${url}`, head, cacheControlOf(url))

    // A 304 carries the headers a 200 would (RFC 9110, 15.4.5), so a CDN refreshes what it keeps.
    const notModified = await app.inject({ url, headers: { 'if-none-match': String(response.headers.etag) } })
    t.equal(notModified.statusCode, 304, `${url}: 304 for its own ETag`)
    t.equal(notModified.body, '')
    checkPublicHeaders(t, `${url} (304)`, notModified, cacheControlOf(url))
    t.equal(notModified.headers.etag, response.headers.etag)
    const byDate = await app.inject({ url, headers: { 'if-modified-since': String(response.headers['last-modified']) } })
    t.equal(byDate.statusCode, 304, `${url}: 304 for its own Last-Modified`)
  }
})

t.test('gzip or brotli as Accept-Encoding asks, each decompressing to the plain body, with its own ETag', async (t) => {
  const { app } = await world(t)
  let compressed = 0
  for (const url of publicUrls(app)) {
    const plain = await app.inject(url)
    for (const [accept, coding] of [['gzip', 'gzip'], ['br', 'br'], ['gzip, deflate, br', 'br'], ['br;q=0.5, gzip;q=0.9', 'gzip'], ['*', 'br']] as const) {
      const response = await app.inject({ url, headers: { 'accept-encoding': accept } })
      const where = `${url} with Accept-Encoding: ${accept}`
      t.equal(response.statusCode, 200, where)
      t.equal(response.headers.vary, 'Accept-Encoding', `${where}: Vary`)
      t.equal(response.headers['content-type'], plain.headers['content-type'], `${where}: the same content type`)
      if (plain.rawPayload.length < 1024) {
        // Below a kilobyte compression would save less than its headers cost: the plain body for everyone.
        t.equal(response.headers['content-encoding'], undefined, `${where}: small, sent plain`)
        t.equal(response.body, plain.body)
        continue
      }
      compressed++
      t.equal(response.headers['content-encoding'], coding, `${where}: ${coding}`)
      const body = coding === 'br' ? brotliDecompressSync(response.rawPayload) : gunzipSync(response.rawPayload)
      t.ok(body.equals(plain.rawPayload), `${where}: decompresses to the plain body`)
      t.ok(response.rawPayload.length < plain.rawPayload.length, `${where}: smaller`)
      t.not(response.headers.etag, plain.headers.etag, `${where}: an ETag of its own`)
      const revalidated = await app.inject({ url, headers: { 'accept-encoding': accept, 'if-none-match': String(response.headers.etag) } })
      t.equal(revalidated.statusCode, 304, `${where}: its ETag validates it`)
      t.equal(revalidated.headers['content-encoding'], undefined, `${where}: a 304 has no body to encode`)
    }
    for (const refusing of ['identity', 'gzip;q=0, br;q=0', 'deflate']) {
      const response = await app.inject({ url, headers: { 'accept-encoding': refusing } })
      t.equal(response.headers['content-encoding'], undefined, `${url} with Accept-Encoding: ${refusing}: plain`)
      t.equal(response.body, plain.body)
      t.equal(response.headers.etag, plain.headers.etag)
    }
  }
  t.ok(compressed >= 50, `${compressed} compressed answers checked`)
})

t.test('CACHE_MAX_AGE and CACHE_STALE set the times of every public answer', async (t) => {
  const { app } = await world(t, { env: { CACHE_MAX_AGE: '30', CACHE_STALE: '600' } })
  for (const url of publicUrls(app)) {
    const response = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
    const expected = cacheControlOf(url, 'public, max-age=30, stale-while-revalidate=600, stale-if-error=600')
    t.equal(response.headers['cache-control'], expected, url)
    const notModified = await app.inject({ url, headers: { 'accept-encoding': 'br', 'if-none-match': String(response.headers.etag) } })
    t.equal(notModified.headers['cache-control'], expected, `${url} (304)`)
  }
})

t.test('error pages are never cached publicly, never 304, and show what was typed escaped', async (t) => {
  const { app } = await world(t)
  const wrong: Array<[string, number]> = [
    ['/incidents/NOPE1234', 404],
    ['/incidents/%3Cscript%3Ealert(1)%3C%2Fscript%3E', 404],
    ['/incidents/TM%00202916', 404],
    ['/incidents/%C3%9CNICODE', 404],
    ['/incidents/%F0%9F%94%A5', 404],
    // Fastify's longest parameter (100 characters); a longer one is its own 414, with no page of Herald's.
    [`/incidents/${'A'.repeat(100)}`, 404],
    ['/components/999/badge.svg', 404],
    ['/components/abc/history.rss', 404],
    ['/components/1e3/history.atom', 404],
    ['/components/-1/badge.svg', 404],
    ['/components/01/badge.svg', 404],
    ['/components/%3Cb%3E/history.rss', 404],
    ['/history?page=0', 400],
    ['/history?page=abc', 400],
    ['/history?page=%3Cscript%3E', 400],
    [`/history?q=${'x'.repeat(201)}`, 400],
    ['/history?page=99', 404],
    ['/history/99', 404],
    ['/history/abc', 404],
    ['/nowhere', 404],
    [`/brand/${'0'.repeat(64)}.png`, 404],
    ['/brand/%3Cscript%3E.png', 404],
    ['/%3Cscript%3Ealert(1)%3C%2Fscript%3E', 404]
  ]
  for (const [url, statusCode] of wrong) {
    for (const headers of [{}, { 'if-none-match': '*' }, { 'if-modified-since': new Date().toUTCString() }, { 'accept-encoding': 'gzip, br' }]) {
      const response = await app.inject({ url, headers })
      const where = `${url} ${JSON.stringify(headers)}`
      t.equal(response.statusCode, statusCode, where)
      t.notMatch(String(response.headers['cache-control']), /public|max-age|stale/, `${where}: not for a CDN to keep`)
      t.ok(/no-cache|no-store/.test(String(response.headers['cache-control'])), `${where}: marked so`)
      t.equal(response.headers.etag, undefined, `${where}: no ETag to revalidate`)
      t.notMatch(response.body, /<script>alert/, `${where}: nothing typed runs`)
    }
  }
})

t.test('every admin page and action answers no-store, signed in or not, success or error', async (t) => {
  const { app } = await world(t)
  const { admin, anonymous } = await withUsers(app)
  // The setup page without its token answers as an unknown address does, so that nothing hints at it: that
  // answer is the not-found handler's (see the last test).
  const routes = routesOf(app).filter((route) => isAdmin(route) && route.path !== '/admin/setup')
  t.ok(routes.filter((route) => route.method === 'GET').length >= 15, 'the admin pages are found')
  const viaHttps = { 'x-forwarded-proto': 'https' }
  let pagesShown = 0
  for (const route of routes.filter((r) => r.method === 'GET' || r.method === 'HEAD')) {
    const url = urlOf(route)
    const signedIn = await app.inject({ method: route.method as 'GET' | 'HEAD', url, headers: { ...viaHttps, cookie: admin.cookie } })
    t.ok(signedIn.statusCode < 500, `${route.method} ${url} signed in: ${signedIn.statusCode}`)
    if (signedIn.statusCode === 200) pagesShown++
    t.equal(signedIn.headers['cache-control'], 'no-store', `${route.method} ${url} signed in`)
    const stranger = await app.inject({ method: route.method as 'GET' | 'HEAD', url, headers: viaHttps })
    t.equal(stranger.headers['cache-control'], 'no-store', `${route.method} ${url} anonymous (${stranger.statusCode})`)
  }
  t.ok(pagesShown >= 30, `${pagesShown} pages (GET and HEAD) were shown signed in`)

  // Actions: refused (no CSRF token, no session) and then sent with the session's token and an empty form,
  // which most refuse as incomplete; signing out goes last, so the session lasts through the others.
  const csrf = await admin.csrfToken('/admin')
  const posts = routes.filter((route) => route.method === 'POST')
    .sort((a, b) => Number(a.path === '/admin/sign-out') - Number(b.path === '/admin/sign-out'))
  t.ok(posts.length >= 15, `${posts.length} admin actions`)
  const answers = new Set<number>()
  for (const route of posts) {
    const url = urlOf(route)
    const form = { ...viaHttps, 'content-type': 'application/x-www-form-urlencoded' }
    for (const [what, headers, payload] of [
      ['anonymous', form, ''],
      ['signed in, no CSRF token', { ...form, cookie: admin.cookie }, ''],
      ['signed in, with the CSRF token', { ...form, cookie: admin.cookie }, `_csrf=${encodeURIComponent(csrf)}`]
    ] as const) {
      const response = await app.inject({ method: 'POST', url, headers, payload })
      answers.add(response.statusCode)
      t.equal(response.headers['cache-control'], 'no-store', `POST ${url} ${what} (${response.statusCode})`)
    }
  }
  for (const statusCode of [303, 400, 403]) t.ok(answers.has(statusCode), `${statusCode} answers were among them`)
  const signedOut = await anonymous.get('/admin/sign-in')
  t.equal(signedOut.headers['cache-control'], 'no-store', 'the sign-in page too')
})

t.test('every token API route answers no-store: success, error, with a token or without', async (t) => {
  const { app, token } = await world(t)
  const routes = routesOf(app).filter(isTokenApi)
  t.ok(routes.length >= 15, `${routes.length} token API routes`)
  const answers = new Set<number>()
  for (const route of routes) {
    const method = route.method as 'GET' | 'HEAD' | 'POST' | 'PATCH'
    const url = urlOf(route)
    const withBody = method === 'POST' || method === 'PATCH'
    const attempts: Array<[string, Record<string, string>, unknown]> = [
      ['without a token', {}, withBody ? {} : undefined],
      ['with an unknown token', { authorization: 'Bearer hrld_bm90IGEgcmVhbCB0b2tlbg' }, withBody ? {} : undefined],
      ['with the token', { authorization: `Bearer ${token}` }, withBody ? {} : undefined],
      ['with the token, an unknown id', { authorization: `Bearer ${token}` }, withBody ? { name: 'x' } : undefined],
      ['with the token, a bad body', { authorization: `Bearer ${token}` }, withBody ? { name: '<script>alert(1)</script>', status: 42 } : undefined],
      ['with the token, a text body', { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, withBody ? 'name=x' : undefined]
    ]
    for (const [what, headers, payload] of attempts) {
      const target = what.includes('unknown id') ? url.replace(/\/(1|TM202916|MT000001)(?=\/|$)/, '/999999') : url
      const response = await app.inject({ method, url: target, headers, ...(payload === undefined ? {} : { payload: payload as string }) })
      answers.add(response.statusCode)
      t.equal(response.headers['cache-control'], 'no-store', `${method} ${target} ${what} (${response.statusCode})`)
    }
  }
  for (const statusCode of [200, 400, 401, 404, 415]) t.ok(answers.has(statusCode), `${statusCode} answers were among them`)
})

t.test('an address under /admin or /api that answers not found is not stored either', async (t) => {
  const { app, token } = await world(t)
  const { admin } = await withUsers(app)
  const viaHttps = { 'x-forwarded-proto': 'https' }
  const answers: Array<[string, Record<string, string>]> = [
    ['/admin/setup', viaHttps],
    ['/admin/setup', { ...viaHttps, cookie: admin.cookie }],
    ['/admin/setup?token=wrong', viaHttps],
    ['/admin/nothing', { ...viaHttps, cookie: admin.cookie }],
    ['/api/v1/nothing', {}],
    ['/api/v1/nothing', { authorization: `Bearer ${token}` }],
    ['/api/v2/nothing.json', {}]
  ]
  for (const [url, headers] of answers) {
    const response = await app.inject({ url, headers })
    t.equal(response.statusCode, 404, url)
    t.equal(response.headers['cache-control'], 'no-store', `${url} ${headers.cookie === undefined ? '' : 'signed in'}`)
  }
})

const pageCsp = (frameAncestors: string): string =>
  `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors ${frameAncestors}`

/** nosniff, a Referrer-Policy and the pages' CSP (a badge's own stricter one), on any answer outside /admin. */
function checkSecurityHeaders (t: Test, where: string, headers: IncomingHttpHeaders | OutgoingHttpHeaders, frameAncestors = "'none'"): void {
  t.equal(headers['x-content-type-options'], 'nosniff', `${where}: nosniff`)
  t.equal(headers['referrer-policy'], 'strict-origin-when-cross-origin', `${where}: Referrer-Policy`)
  const badge = /\/badge\.svg/.test(where)
  // An image opened on its own (Herald's own favicon is an SVG with an inline style).
  const image = /\/favicon\.ico|\/brand\/[0-9a-f]+\.(png|jpg|webp|ico)/.test(where)
  const csp = badge ? "default-src 'none'" : image ? "default-src 'none'; style-src 'unsafe-inline'" : pageCsp(frameAncestors)
  t.equal(headers['content-security-policy'], csp, `${where}: Content-Security-Policy`)
}

function httpGet (url: string, headers: Record<string, string> = {}): Promise<{ status: number, headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.resume()
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
    })
    req.once('error', reject)
    req.end()
  })
}

const securityHeaderNames = ['content-security-policy', 'x-content-type-options', 'referrer-policy']
const securityOf = (headers: IncomingHttpHeaders): unknown[] => securityHeaderNames.map((name) => headers[name])

t.test('every public answer carries the security headers: each route, HEAD, 304, compressed, error pages, from Fastify and the front door alike', async (t) => {
  const clock = new TestClock()
  const built = await buildApp({ config: testConfig(tempDir(t)), clock: clock.now, logger: false })
  t.teardown(() => built.close())
  let reached = 0
  built.addHook('onRequest', async () => { reached++ })
  const { app } = await world(t, { clock }, built)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const base = `http://127.0.0.1:${port}`

  for (const url of publicUrls(app)) {
    checkSecurityHeaders(t, url, (await app.inject(url)).headers)
    checkSecurityHeaders(t, `HEAD ${url}`, (await app.inject({ method: 'HEAD', url })).headers)
    const br = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
    checkSecurityHeaders(t, `${url} (br)`, br.headers)
    checkSecurityHeaders(t, `${url} (304)`, (await app.inject({ url, headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } })).headers)

    const viaFastify = await httpGet(base + url)
    const before = reached
    const viaFront = await httpGet(base + url)
    t.equal(reached, before, `${url}: the second answer came from the front door`)
    t.same(securityOf(viaFront.headers), securityOf(viaFastify.headers), `${url}: the same from the front door`)
    checkSecurityHeaders(t, `${url} (front door)`, viaFront.headers)
    const notModified = await httpGet(base + url, { 'if-none-match': String(viaFront.headers.etag) })
    t.equal(notModified.status, 304)
    checkSecurityHeaders(t, `${url} (front door 304)`, notModified.headers)
  }

  const errors = ['/nowhere', '/incidents/NOPE1234', '/components/999/history.rss', '/history?page=0', '/history/99', '/api/v2/nothing.json', '/static/missing.css']
  for (const url of errors) {
    const response = await app.inject(url)
    t.ok(response.statusCode >= 400, `${url}: ${response.statusCode}`)
    checkSecurityHeaders(t, url, response.headers)
  }
  for (let i = 0; i <= searchLimits.max; i++) await app.inject({ url: `/history?q=new+${i}`, remoteAddress: '192.0.2.7' })
  const limited = await app.inject({ url: '/history?q=one+more', remoteAddress: '192.0.2.7' })
  t.equal(limited.statusCode, 429)
  checkSecurityHeaders(t, 'a refused search', limited.headers)
  checkSecurityHeaders(t, '/static/herald.css', (await app.inject('/static/herald.css')).headers)
})

t.test('FRAME_ANCESTORS lets the sites it names embed the pages; /admin keeps its own headers', async (t) => {
  const { app } = await world(t, { env: { FRAME_ANCESTORS: 'self https://intranet.example.com' } })
  for (const url of ['/', '/incidents/TM202916', '/history', '/history.rss', '/api/v2/summary.json', '/nowhere']) {
    checkSecurityHeaders(t, url, (await app.inject(url)).headers, "'self' https://intranet.example.com")
  }
  checkSecurityHeaders(t, '/badge.svg', (await app.inject('/badge.svg')).headers)
  const admin = await app.inject('/admin/sign-in')
  t.match(admin.headers['content-security-policy'], "frame-ancestors 'none'", '/admin is never framed')
  t.match(admin.headers['content-security-policy'], "form-action 'self'")
  t.not(admin.headers['content-security-policy'], pageCsp("'self' https://intranet.example.com"), "helmet's own policy, not the pages'")
  t.equal(admin.headers['referrer-policy'], 'same-origin', 'the admin pages name themselves to this site only (a form sent after the session ended comes back to its page)')
})

t.test('FRAME_ANCESTORS takes CSP sources, and refuses what would break the header', async (t) => {
  t.equal(loadConfig({}).frameAncestors, "'none'", 'nobody by default')
  const read: Array<[string, string]> = [
    ['none', "'none'"], ["'self'", "'self'"], ['SELF', "'self'"],
    ['self https://intranet.example.com', "'self' https://intranet.example.com"],
    ['https://*.example.com:8443 http://localhost:3000', 'https://*.example.com:8443 http://localhost:3000'],
    ['https:', 'https:'], ['*', '*'], ['  https://a.example.com   https://b.example.com ', 'https://a.example.com https://b.example.com']
  ]
  for (const [value, directive] of read) t.equal(loadConfig({ FRAME_ANCESTORS: value }).frameAncestors, directive, value)
  for (const value of ["'none' 'self'", 'https://a.example.com; script-src *', 'https://a.example.com,https://b.example.com', "'unsafe-inline'", 'a b"c', "'self"]) {
    t.throws(() => loadConfig({ FRAME_ANCESTORS: value }), ConfigError, value)
    t.throws(() => loadConfig({ FRAME_ANCESTORS: value }), /^FRAME_ANCESTORS must be/)
  }
})
