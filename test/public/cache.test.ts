// Public pages come from the cache of rendered bodies: stable ETags, 304s, fresh after a write, new each UTC day.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { recordRenders } from '../fixtures/renders.js'
import { all } from './fixtures/html.js'
import { addComponent, incident } from './fixtures/seed.js'

t.test('a page keeps its ETag, answers 304 when it matches, and changes on the very next request after a write', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const api = addComponent(app, 'API')
  const reference = incident(app, clock, {
    name: 'Errors',
    steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body: 'Looking.', components: { [api.id]: 'major_outage' } }]
  })
  for (const url of ['/', `/incidents/${reference}`, '/history']) {
    const first = await app.inject({ url })
    const second = await app.inject({ url })
    t.equal(first.statusCode, 200, url)
    t.ok(first.headers.etag, `${url} has an ETag`)
    t.ok(first.headers['last-modified'])
    t.equal(second.headers.etag, first.headers.etag, `${url}: same ETag twice`)
    t.equal(second.body, first.body)
    const conditional = await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } })
    t.equal(conditional.statusCode, 304, `${url}: 304 on a matching If-None-Match`)
    t.equal(conditional.body, '')
  }

  const before = await app.inject({ url: '/' })
  clock.set('2020-02-03T12:30:00.000Z')
  app.herald.services.incidents.postUpdate(reference, { status: 'identified', body: 'Found the cause.' }, 'test')
  for (const url of ['/', `/incidents/${reference}`]) {
    const after = await app.inject({ url, headers: { 'if-none-match': String(before.headers.etag) } })
    t.equal(after.statusCode, 200, `${url}: the old ETag no longer matches`)
    t.match(after.body, 'Found the cause.', `${url}: the new update shows at once`)
  }
  t.not((await app.inject({ url: '/' })).headers.etag, before.headers.etag)
})

t.test('the status page changes when the UTC day rolls over', async (t) => {
  const clock = new TestClock('2020-02-03T23:59:00.000Z')
  const app = await build(t, { clock })
  addComponent(app, 'API')
  const before = await app.inject({ url: '/' })
  const days = (html: string): string[] => all(html, /<h3><time datetime="(\d{4}-\d\d-\d\d)">/)
  t.equal(days(before.body)[0], '2020-02-03')

  clock.set('2020-02-04T00:00:30.000Z')
  const after = await app.inject({ url: '/', headers: { 'if-none-match': String(before.headers.etag) } })
  t.equal(after.statusCode, 200, 'no 304 for yesterday\'s page')
  t.not(after.headers.etag, before.headers.etag)
  t.equal(days(after.body)[0], '2020-02-04', 'today is the new day')
  t.equal(days(after.body).length, 14)
  t.match(after.body, '4 Feb 2020: No downtime', 'the uptime bar has moved on a day')
})

t.test('pages that show nothing of today are not rendered again at midnight', async (t) => {
  const clock = new TestClock('2020-02-03T23:59:00.000Z')
  const app = await build(t, { clock })
  app.herald.services.incidents.open({ name: 'Sign-in failures', body: 'Investigating', reference: 'TM202916' }, 'cli')
  const rendered = recordRenders(app)
  const urls = ['/incidents/TM202916', '/history', '/']
  for (const url of urls) t.equal((await app.inject(url)).statusCode, 200)
  t.same(rendered, ['incident.hbs', 'history.hbs', 'status.hbs'])
  clock.set('2020-02-04T00:00:30.000Z')
  for (const url of urls) t.equal((await app.inject(url)).statusCode, 200)
  t.same(rendered, ['incident.hbs', 'history.hbs', 'status.hbs', 'status.hbs'], 'only the status page, whose bars and days moved, renders again')
})
