// Unknown addresses: an HTML 404 page in the site layout, JSON under /api/.
import t from 'tap'
import { build } from '../fixtures/build.js'

t.test('an unknown page gets an HTML 404 in the site layout', async (t) => {
  const app = await build(t)
  for (const url of ['/nowhere', '/incidents', '/history/extra', '/static/missing.css', '/%3Cscript%3E?x=%3Cscript%3E']) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 404, url)
    t.match(response.headers['content-type'], /^text\/html; charset=utf-8/)
    t.match(response.body, '<h1>Page not found</h1>')
    t.match(response.body, /<header class="site-header">[\s\S]*<main id="main"[\s\S]*<footer class="site-footer">/)
    t.notMatch(response.body, '<script>')
  }
  const post = await app.inject({ method: 'POST', url: '/nowhere' })
  t.equal(post.statusCode, 404, 'another method on an address that does not exist is a 404 too')
  t.match(post.body, '<h1>Page not found</h1>')
})

t.test('under /api/ the 404 is JSON', async (t) => {
  const app = await build(t)
  for (const url of ['/api/nothing', '/api/v9/nothing.json', '/api']) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 404, url)
    t.match(response.headers['content-type'], /^application\/json/)
    t.match(response.json(), { statusCode: 404, error: 'Not Found', message: /not found/ })
  }
  t.match((await app.inject({ url: '/apiary' })).headers['content-type'], /^text\/html/, 'only the /api/ folder, not any path starting with "api"')
})

t.test('static assets are served', async (t) => {
  const app = await build(t)
  for (const [url, type] of [['/static/herald.css', /^text\/css/], ['/static/local-time.js', /javascript/], ['/static/favicon.svg', /^image\/svg\+xml/]] as const) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 200, url)
    t.match(response.headers['content-type'], type)
  }
})
