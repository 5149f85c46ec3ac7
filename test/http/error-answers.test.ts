// Wrong situations get consistent answers: browsers an HTML page, the APIs JSON; 405 with Allow; no 414 or JSON echo of the URL.
import { connect } from 'node:net'
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { build } from '../fixtures/build.js'

const html = 'text/html; charset=utf-8'

/** A GET sent byte for byte as written, and the whole answer. */
function raw (port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = ''
    const socket = connect(port, '127.0.0.1')
    socket.on('data', (chunk: Buffer) => { answer += chunk.toString('latin1') })
    socket.on('close', () => resolve(answer))
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
  })
}

function isPage (t: Test, response: LightMyRequestResponse, statusCode: number, words: RegExp): void {
  t.equal(response.statusCode, statusCode)
  t.equal(response.headers['content-type'], html, 'an HTML page')
  t.match(response.body, words)
  t.match(response.body, /<html/)
}

function isJson (t: Test, response: LightMyRequestResponse, statusCode: number): Record<string, unknown> {
  t.equal(response.statusCode, statusCode)
  t.match(response.headers['content-type'], /^application\/json/)
  return response.json()
}

t.test('a path parameter over 100 characters or a broken escape is not found, not 414 or 400 JSON', async (t) => {
  const app = await build(t)
  const long = 'X'.repeat(150)
  for (const url of [`/incidents/${long}`, `/components/${long}/history.rss`, '/incidents/%E0%A4%A', `/history/${long}`]) {
    const response = await app.inject(url)
    isPage(t, response, 404, /Page not found/)
    t.notMatch(response.body, long, 'the address is not echoed')
  }
  const api = isJson(t, await app.inject({ url: `/api/v1/incidents/${long}`, headers: { authorization: 'Bearer x' } }), 404)
  t.match(api, { statusCode: 404, error: 'Not Found' })
})

t.test('a wrong method on an existing path gets 405 with Allow', async (t) => {
  const app = await build(t)
  for (const [method, url] of [['POST', '/'], ['DELETE', '/history.rss'], ['PUT', '/history'], ['POST', '/badge.svg']] as const) {
    const response = await app.inject({ method, url })
    isPage(t, response, 405, /Method not allowed/)
    t.equal(response.headers.allow, 'GET, HEAD', `${method} ${url}`)
  }
  const v2 = await app.inject({ method: 'POST', url: '/api/v2/summary.json' })
  t.match(isJson(t, v2, 405), { statusCode: 405, error: 'Method Not Allowed' })
  t.equal(v2.headers.allow, 'GET, HEAD')
  const signOut = await app.inject({ method: 'GET', url: '/admin/sign-out' })
  t.equal(signOut.statusCode, 405, 'an admin action opened as a page')
  t.equal(signOut.headers.allow, 'POST')
  t.equal(signOut.headers['cache-control'], 'no-store')
  // A route that sends its own request to the not-found answer (the setup page without its token) stays 404.
  const setup = await app.inject('/admin/setup')
  isPage(t, setup, 404, /Page not found/)
  for (const response of [setup, signOut, await app.inject('/admin/nowhere')]) {
    t.match(response.headers, { 'content-security-policy': /frame-ancestors 'none'/, 'x-content-type-options': 'nosniff' }, 'an admin address outside the admin routes has security headers too')
  }
  isPage(t, await app.inject({ method: 'POST', url: '/nowhere' }), 404, /Page not found/)
})

t.test('traversal and oversized forms get pages, the API JSON', async (t) => {
  const app = await build(t)
  // Sent as written: app.inject would resolve the dots before Herald sees them.
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  for (const path of ['/static/../package.json', '/static/%2e%2e/package.json', '/static/..%5cpackage.json', '/static//etc/passwd', '/static/a%00b.css']) {
    const answer = await raw(port, path)
    t.match(answer, /^HTTP\/1\.1 40[34] /, path)
    t.match(answer, /\r\ncontent-type: text\/html; charset=utf-8\r\n/i, `${path}: a page, not JSON`)
    t.notMatch(answer, /"name": "herald"|root:/)
  }
  const form = await app.inject({
    method: 'POST',
    url: '/admin/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `name=alice&password=${'x'.repeat(300 * 1024)}`
  })
  isPage(t, form, 413, /Too much to send/)
  const api = await app.inject({
    method: 'POST',
    url: '/api/v1/components',
    headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
    payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })
  })
  t.ok(api.statusCode === 401 || api.statusCode === 413, 'refused')
  t.match(api.headers['content-type'], /^application\/json/)
})

t.test('a failure answers a browser with a page and a script with JSON, never details', async (t) => {
  const app = await build(t)
  // The database gone from under a running server: every read fails.
  app.herald.stores.db.close()
  const page = await app.inject('/history?q=certificate')
  isPage(t, page, 500, /Something went wrong/)
  t.notMatch(page.body, /database|Sqlite|stack/i)
  const json = isJson(t, await app.inject('/api/v2/summary.json'), 500)
  t.same(json, { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side.' })
})
