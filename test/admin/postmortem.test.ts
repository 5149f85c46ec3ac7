// The postmortem section of the admin incident page: draft, preview, publish (its time, its posts when ticked), unpublish; refusals beside their field.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { storedRows } from '../fixtures/stored.js'
import { fieldError, markedInvalid, notice, textareaValue } from './fixtures/admin-forms.js'
import { withUsers } from './fixtures/admin-session.js'

const socialEnv: NodeJS.ProcessEnv = {
  TWITTER_API_KEY: 'key',
  TWITTER_API_SECRET: 'secret',
  TWITTER_ACCESS_TOKEN: 'token',
  TWITTER_ACCESS_SECRET: 'token-secret',
  TWITTER_API_URL: 'http://127.0.0.1:9/',
  SOCIAL_WORKER: 'off'
}

const page = '/admin/incidents/TM202916'
const action = '/admin/incidents/TM202916/postmortem'

async function world (t: Parameters<typeof build>[0], env: NodeJS.ProcessEnv = {}) {
  const clock = new TestClock('2020-02-03T08:30:00.000Z')
  const app = await build(t, { clock, env })
  const users = await withUsers(app)
  app.herald.services.incidents.open({ reference: 'TM202916', name: 'Microsoft Teams', body: 'Investigating.' }, 'test')
  return { app, clock, ...users }
}

t.test('an open incident shows why no postmortem yet; a typed URL is refused with the reason, storing nothing', async (t) => {
  const { app, editor } = await world(t)
  const html = (await editor.get(page)).body
  t.match(html, '<h2 id="postmortem-heading">Postmortem</h2>')
  t.match(html, 'A postmortem is written once the incident is resolved.')
  t.notMatch(html, 'id="postmortem-body"', 'no form')
  const before = storedRows(app.herald.stores.db)
  const response = await editor.post(action, { action: 'draft', body: 'Too early.' }, { formPage: page })
  t.equal(response.statusCode, 409)
  t.match(response.body, 'Nothing was saved: TM202916 is not resolved: a postmortem is written once the incident is resolved.')
  t.same(storedRows(app.herald.stores.db), before)

  app.herald.services.maintenances.schedule({ reference: 'MNT1', name: 'Upgrade', body: 'Planned.', scheduledFor: '2020-02-04T02:00:00Z', scheduledUntil: '2020-02-04T04:00:00Z' }, 'test')
  const maintenance = await editor.post('/admin/incidents/MNT1/postmortem', { action: 'draft', body: 'x' }, { formPage: page })
  t.equal(maintenance.statusCode, 303, 'a maintenance: sent to its own page')
  t.equal(maintenance.headers.location, '/admin/maintenances/MNT1')
  t.equal(app.herald.stores.db.prepare('SELECT COUNT(*) FROM postmortems').pluck().get(), 0)
})

t.test('draft, preview, publish, edit, unpublish: each said, each shown', async (t) => {
  const { app, clock, editor } = await world(t)
  clock.set('2020-02-03T11:00:00.000Z')
  app.herald.services.incidents.postUpdate('TM202916', { status: 'resolved', body: 'Fixed.' }, 'test')
  // Every step within the session's 12 idle hours.
  clock.set('2020-02-03T12:00:00.000Z')

  let html = (await editor.get(page)).body
  t.match(html, 'Not written yet.')
  t.notMatch(html, 'Post to social channels when publishing', 'cross-posting off: no tick')

  const body = '## Cause\n\nAn expired certificate. <script>alert(1)</script>'
  const preview = await editor.post(action, { action: 'preview', body }, { formPage: page })
  t.equal(preview.statusCode, 200)
  t.match(preview.body, '<h3>Cause</h3>')
  t.match(preview.body, '&lt;script&gt;alert(1)&lt;/script&gt;')
  t.notMatch(preview.body, '<script>alert(1)')
  t.equal(textareaValue(preview.body, 'postmortem-body'), body, 'kept as typed')
  t.equal(app.herald.services.postmortems.get('TM202916').postmortem, null, 'a preview stores nothing')

  let response = await editor.post(action, { action: 'draft', body }, { formPage: page })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/admin/incidents/TM202916#postmortem')
  html = (await editor.get(page)).body
  t.equal(notice(html), 'The postmortem draft of TM202916 is saved; it is not published.')
  t.match(html, 'Draft saved 3 Feb 2020, 12:00 UTC; not published.')
  t.equal(textareaValue(html, 'postmortem-body'), body)
  t.notMatch((await app.inject('/incidents/TM202916')).body, 'postmortem-heading', 'not on the public page')

  clock.set('2020-02-03T13:00:00.000Z')
  response = await editor.post(action, { action: 'publish', body, publishedAt: '2020-02-03 12:30' }, { formPage: page })
  t.equal(response.statusCode, 303)
  html = (await editor.get(page)).body
  t.equal(notice(html), 'The postmortem of TM202916 is published.')
  t.match(html, 'Published 3 Feb 2020, 12:30 UTC.')
  t.match(html, '<a href="/incidents/TM202916#postmortem">See it on the public page</a>')
  t.match(html, '>Publish changes</button>')
  t.match((await app.inject('/incidents/TM202916')).body, '<h3>Cause</h3>')
  t.match(app.herald.stores.audit.list(1)[0], { actor: 'user:bob', action: 'postmortem.publish' })

  response = await editor.post(action, { action: 'draft', body: 'Revised.' }, { formPage: page })
  html = (await editor.get(page)).body
  t.match(html, 'The draft has changes that are not published yet.')
  t.match((await app.inject('/incidents/TM202916')).body, '<h3>Cause</h3>', 'the published text stays until published again')

  response = await editor.post(action, { action: 'unpublish' }, { formPage: page })
  t.equal(response.statusCode, 303)
  html = (await editor.get(page)).body
  t.equal(notice(html), 'The postmortem of TM202916 is unpublished; its draft is kept.')
  t.equal(textareaValue(html, 'postmortem-body'), 'Revised.')
  t.notMatch((await app.inject('/incidents/TM202916')).body, 'postmortem-heading')
  const audit = (await editor.get('/admin/audit')).body
  for (const words of ['Saved a postmortem draft', 'Published a postmortem', 'Unpublished a postmortem']) t.match(audit, words, 'the audit log says it in words')
})

t.test('bad input is refused beside its field and nothing is stored', async (t) => {
  const { app, clock, admin } = await world(t)
  clock.set('2020-02-03T11:00:00.000Z')
  app.herald.services.incidents.postUpdate('TM202916', { status: 'resolved', body: 'Fixed.' }, 'test')
  clock.set('2020-02-03T12:00:00.000Z')
  const before = storedRows(app.herald.stores.db)
  const cases: Array<[string, Record<string, string>, string, string | RegExp, number]> = [
    ['empty', { action: 'draft', body: '' }, 'postmortem-body', 'This field is required.', 400],
    ['only spaces', { action: 'publish', body: '   \n ' }, 'postmortem-body', /not allowed|nothing visible/, 400],
    ['control characters', { action: 'draft', body: 'a\u0001b' }, 'postmortem-body', /control characters/, 400],
    ['a bidi override alone', { action: 'draft', body: '\u202E' }, 'postmortem-body', /nothing visible/, 400],
    ['huge', { action: 'draft', body: 'x'.repeat(100_001) }, 'postmortem-body', 'Use at most 100000 characters.', 400],
    ['a time that is no time', { action: 'publish', body: 'Text.', publishedAt: '2020-02-30 10:00' }, 'postmortem-published-at', /^Give a date and a time in UTC/, 400],
    ['markup for a time', { action: 'publish', body: 'Text.', publishedAt: '<b>now</b>' }, 'postmortem-published-at', /^Give a date and a time in UTC/, 400],
    ['in the future', { action: 'publish', body: 'Text.', publishedAt: '2020-02-03 12:01' }, 'postmortem-published-at', 'Nothing was saved: published_at 2020-02-03T12:01:00.000Z is in the future.', 400],
    ['before the resolution', { action: 'publish', body: 'Text.', publishedAt: '2020-02-03 10:00' }, 'postmortem-published-at', /^Nothing was saved: published_at is before TM202916 was resolved/, 400]
  ]
  for (const [what, fields, id, message, status] of cases) {
    const response = await admin.post(action, fields, { formPage: page })
    t.equal(response.statusCode, status, what)
    t.match(fieldError(response.body, id), message, what)
    t.ok(markedInvalid(response.body, id), `${what}: marked invalid`)
  }
  const unknown = await admin.post(action, { action: 'delete', body: 'x' }, { formPage: page })
  t.equal(unknown.statusCode, 400)
  t.match(unknown.body, 'Choose to save, preview, publish or unpublish.')
  const notPublished = await admin.post(action, { action: 'unpublish' }, { formPage: page })
  t.equal(notPublished.statusCode, 409)
  t.match(notPublished.body, 'Nothing was saved: TM202916 has no published postmortem.')
  const noCsrf = await admin.post(action, { action: 'draft', body: 'x' }, { csrf: null })
  t.equal(noCsrf.statusCode, 403)
  t.same(storedRows(app.herald.stores.db), before, 'nothing was stored')
  t.equal((await admin.post('/admin/incidents/NOPE1/postmortem', { action: 'draft', body: 'x' }, { formPage: page })).statusCode, 404)
})

t.test('posted to the social channels only when ticked, shown with its deliveries', async (t) => {
  const { app, clock, admin } = await world(t, socialEnv)
  clock.set('2020-02-03T11:00:00.000Z')
  app.herald.services.incidents.postUpdate('TM202916', { status: 'resolved', body: 'Fixed.' }, 'test')
  const postmortemDeliveries = (): unknown[] => app.herald.stores.db.prepare('SELECT channel, state FROM deliveries WHERE update_id IS NULL').all()
  t.match((await admin.get(page)).body, 'Post to social channels when publishing')

  await admin.post(action, { action: 'publish', body: 'Text.' }, { formPage: page })
  t.same(postmortemDeliveries(), [], 'not ticked: not posted')
  await admin.post(action, { action: 'unpublish' }, { formPage: page })
  await admin.post(action, { action: 'publish', body: 'Text.', notify: '1' }, { formPage: page })
  t.same(postmortemDeliveries(), [{ channel: 'twitter', state: 'pending' }])
  const html = (await admin.get(page)).body
  t.match(between(html, 'id="postmortem"', '</section>\n</article>'), /Twitter\/X<\/span>\s*<strong class="delivery-state">Pending<\/strong>/)
})

function between (html: string, start: string, end: string): string {
  const from = html.indexOf(start)
  return html.slice(from, html.indexOf(end, from) === -1 ? undefined : html.indexOf(end, from))
}
