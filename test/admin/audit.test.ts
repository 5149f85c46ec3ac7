// The audit log page: anyone signed in, newest first, a page at a time, filtered by who and by incident, detail escaped.
import t from 'tap'
import { auditPageSize } from '../../server/routes/admin/audit.js'
import { TestClock, build } from '../fixtures/build.js'
import { withUsers } from './fixtures/admin-session.js'

t.test('who did what and when, newest first, with the detail in words and escaped', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  const { components, incidents, tokens } = app.herald.services
  const chat = components.create({ name: '<img src=x onerror=alert(1)>' }, 'user:bob')
  clock.advance(60_000)
  incidents.open({ reference: 'TM202916', name: "We're investigating an issue with Teams", body: 'Investigating.', components: { [chat.id]: 'major_outage' } }, 'user:alice')
  clock.advance(60_000)
  tokens.create('ci', 'cli')

  const page = await editor.get('/admin/audit')
  t.equal(page.statusCode, 200, 'editors read the log too')
  const body = page.body
  const order = ['Created an API token', 'Opened an incident', 'Created a component', 'Added a user']
  const positions = order.map((what) => body.indexOf(what))
  t.ok(positions.every((position) => position > 0), 'every action in words')
  t.same([...positions].sort((a, b) => a - b), positions, 'newest first')
  t.match(body, /<strong>command line<\/strong> · Created an API token/)
  t.match(body, /<strong>alice<\/strong> · Opened an incident · <a href="\/admin\/incidents\/TM202916">TM202916<\/a> · <time datetime="2020-02-03T13:31:00.000Z"/)
  t.match(body, /<dt>name<\/dt><dd>We&#x27;re investigating an issue with Teams<\/dd>/)
  t.match(body, '<dt>name</dt><dd>&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</dd>', 'the detail is escaped')
  t.notMatch(body, /<img src=x/)
  t.match(body, /5 entries\./, 'these three and the two users of the fixture (signing in is not a change)')
})

t.test('filters by who and by incident reference, and pages through the rest', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const { components, incidents } = app.herald.services
  const sign = components.create({ name: 'Sign-in' }, 'user:alice')
  incidents.open({ reference: 'TM202916', name: 'Teams down', body: 'Investigating.', components: { [sign.id]: 'major_outage' } }, 'user:alice')
  incidents.open({ reference: 'TM202917', name: 'Mail slow', body: 'Investigating.' }, 'user:bob')
  incidents.postUpdate('TM202916', { status: 'identified', body: 'A certificate expired.' }, 'user:bob')

  const byBob = await admin.get('/admin/audit?actor=user%3Abob')
  t.match(byBob.body, /2 matching entries/)
  t.notMatch(byBob.body, /<strong>alice<\/strong>/)
  t.match(byBob.body, /<option value="user:bob" selected>bob<\/option>/, 'the chosen filter stays selected')

  const byIncident = await admin.get('/admin/audit?incident=tm202916')
  t.match(byIncident.body, /2 matching entries/, 'the reference in any case')
  t.notMatch(byIncident.body, /TM202917/)
  t.match(byIncident.body, /value="tm202916"/)

  const both = await admin.get('/admin/audit?actor=user%3Abob&incident=TM202916')
  t.match(both.body, /1 matching entry\./)
  t.match(both.body, /Posted an update/)

  const none = await admin.get('/admin/audit?actor=user%3Anobody')
  t.match(none.body, /No entries match these filters/)
  const bad = await admin.get('/admin/audit?incident=%3Cscript%3E')
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /id="incident-error">Use an incident reference: 2 to 32 letters and digits/)
  t.notMatch(bad.body, /<script>/)
  const badPage = await admin.get('/admin/audit?page=zero')
  t.equal(badPage.statusCode, 400)
  t.match(badPage.body, /The page must be a whole number from 1/)
  const empty = await admin.get('/admin/audit?actor=&incident=')
  t.equal(empty.statusCode, 200, 'empty filters are no filters')
  t.notMatch(empty.body, /matching/)

  for (let i = 0; i < auditPageSize + 5; i++) components.create({ name: `Component ${i}` }, 'user:bob')
  const first = await admin.get('/admin/audit?actor=user%3Abob')
  t.match(first.body, new RegExp(`${auditPageSize + 7} matching entries, page 1 of 2`))
  t.match(first.body, /<dd>Component 54<\/dd>/, 'the newest on the first page')
  t.notMatch(first.body, /<dd>Component 3<\/dd>/)
  t.match(first.body, '<a href="/admin/audit?actor&#x3D;user%3Abob&amp;page&#x3D;2" rel="next">Older entries</a>', 'the next page keeps the filter')
  const second = await admin.get('/admin/audit?actor=user%3Abob&page=2')
  t.match(second.body, /page 2 of 2/)
  t.match(second.body, /<dd>Component 3<\/dd>/)
  t.match(second.body, /Opened an incident/, 'the oldest on the last page')
  t.match(second.body, '<a href="/admin/audit?actor&#x3D;user%3Abob" rel="prev">Newer entries</a>')
})
