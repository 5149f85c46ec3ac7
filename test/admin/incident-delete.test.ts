// Deleting a test incident: admins only, confirmed, audited; gone from every page, feed and API; the posts already sent listed.
import t from 'tap'
import { build } from '../fixtures/build.js'
import { storedRows } from '../fixtures/stored.js'
import { withUsers } from './fixtures/admin-session.js'
import { notice } from './fixtures/admin-forms.js'

// Twitter/X on, so updates queue deliveries; SOCIAL_WORKER=off sends nothing: the test sets each delivery's state.
const twitterOn = { TWITTER_API_KEY: 'k', TWITTER_API_SECRET: 's', TWITTER_ACCESS_TOKEN: 't', TWITTER_ACCESS_SECRET: 'a', SOCIAL_WORKER: 'off' }

t.test('an admin deletes a test incident: confirmed, audited, gone everywhere, pending posts cancelled, sent ones listed', async (t) => {
  const app = await build(t, { env: twitterOn })
  const { admin, editor } = await withUsers(app)
  const { incidents, components } = app.herald.services
  const { db } = app.herald.stores
  const chat = components.create({ name: 'Teams chat' }, 'cli').id
  incidents.open({ name: 'Test <b>incident</b>', body: 'Testing.', reference: 'TEST1', components: { [chat]: 'major_outage' } }, 'cli')
  incidents.postUpdate('TEST1', { status: 'identified', body: 'Still testing.' }, 'cli')
  incidents.open({ name: 'Real outage', body: 'Real.', reference: 'TM202916' }, 'cli')
  const [sent] = db.prepare("SELECT d.id FROM deliveries d JOIN incidents i ON i.id = d.incident_id WHERE i.reference = 'TEST1' ORDER BY d.id").pluck().all() as number[]
  db.prepare("UPDATE deliveries SET state = 'sent', remote_id = '1225', remote_url = 'https://x.com/herald/status/1225' WHERE id = ?").run(sent)
  // Seen before: the cached public answers must not outlive the deletion.
  for (const url of ['/', '/incidents/TEST1', '/history', '/history.rss', '/api/v2/incidents.json', '/api/v2/summary.json']) {
    t.match((await app.inject(url)).body, /TEST1|Test &lt;b&gt;incident/, `${url} shows it before`)
  }

  const token = app.herald.services.tokens.create('ci', 'cli')
  const tokenApi = async (url: string): Promise<number> => (await app.inject({ url, headers: { authorization: `Bearer ${token}` } })).statusCode
  t.equal(await tokenApi('/api/v1/incidents/TEST1'), 200, 'the token API has it before')

  const page = await admin.get('/admin/incidents/TEST1')
  t.match(page.body, /<a href="\/admin\/incidents\/TEST1\/delete">Delete this incident…<\/a>/)
  t.notMatch((await editor.get('/admin/incidents/TEST1')).body, /Delete this incident/, 'an editor is not offered it')

  const confirm = await admin.get('/admin/incidents/TEST1/delete')
  t.equal(confirm.statusCode, 200)
  t.match(confirm.body, /<h1>Delete TEST1\?<\/h1>/)
  t.match(confirm.body, /<bdi>Test &lt;b&gt;incident&lt;\/b&gt;<\/bdi>/)
  t.match(confirm.body, /its 2 updates disappear/)
  t.match(confirm.body, /1 social post not sent yet is cancelled/)
  t.match(confirm.body, /Twitter\/X: <a href="https:\/\/x\.com\/herald\/status\/1225" rel="noopener noreferrer">/, 'the sent post, linked')
  t.match(confirm.body, /<form method="post" action="\/admin\/incidents\/TEST1\/delete" class="form">/)

  const before = storedRows(db)
  t.equal((await editor.get('/admin/incidents/TEST1/delete')).statusCode, 403, 'an editor may not see the confirmation')
  t.equal((await editor.post('/admin/incidents/TEST1/delete', {}, { formPage: '/admin/incidents/TEST1' })).statusCode, 403, 'nor delete')
  t.equal((await admin.post('/admin/incidents/TEST1/delete', {}, { csrf: 'not-the-token' })).statusCode, 403, 'a wrong CSRF token')
  t.same(storedRows(db), before, 'nothing was deleted')

  const deleted = await admin.post('/admin/incidents/TEST1/delete', {}, { formPage: '/admin/incidents/TEST1/delete' })
  t.equal(deleted.statusCode, 303)
  t.match(deleted.headers.location, /^\/admin\/deleted-incidents\/\d+$/)
  const after = await admin.get(deleted.headers.location as string)
  t.equal(after.statusCode, 200)
  t.equal(notice(after.body), 'TEST1 is deleted.')
  t.match(after.body, /Twitter\/X: <a href="https:\/\/x\.com\/herald\/status\/1225"/, 'the posts to remove by hand, after deleting too')
  t.match((await editor.get(deleted.headers.location as string)).body, /<h1>TEST1 is deleted<\/h1>/, 'anyone signed in may read it again')

  t.equal(incidents.find('TEST1'), undefined)
  t.equal(db.prepare('SELECT COUNT(*) FROM deliveries d JOIN updates u ON u.id = d.update_id').pluck().get(), 1, 'only the other incident’s delivery is left: the pending one is cancelled')
  t.match(app.herald.stores.audit.list(1)[0], {
    action: 'incident.delete',
    actor: 'user:alice',
    detail: { reference: 'TEST1', name: 'Test <b>incident</b>', updates: 2, cancelledDeliveries: 1, sentPosts: [{ channel: 'twitter', remoteId: '1225', url: 'https://x.com/herald/status/1225' }] }
  })
  t.match((await admin.get('/admin/audit')).body, /Deleted an incident/)
  t.equal((await app.inject('/incidents/TEST1')).statusCode, 404)
  t.equal(await tokenApi('/api/v1/incidents/TEST1'), 404, 'the token API answers 404')
  t.equal(await tokenApi('/api/v1/incidents/TM202916'), 200)
  for (const url of ['/', '/history', '/history.rss', '/history.atom', '/api/v2/incidents.json', '/api/v2/summary.json', '/api/v2/incidents/unresolved.json']) {
    const body = (await app.inject(url)).body
    t.notMatch(body, /TEST1|Test &lt;b&gt;incident|Test <b>incident/, `${url} no longer shows it`)
  }
  t.match((await app.inject('/api/v2/incidents.json')).json(), { incidents: [{ name: 'Real outage' }] }, 'the other incident stays')
  t.equal((await admin.get('/admin/incidents/TEST1')).statusCode, 404)
  t.equal((await admin.get('/admin/incidents/TEST1/delete')).statusCode, 404)
  t.equal((await admin.post('/admin/incidents/TEST1/delete', {}, { formPage: '/admin' })).statusCode, 404, 'deleting twice')
})

t.test('deletion waits for a post being sent, refuses a maintenance, and answers 404 for what does not exist', async (t) => {
  const app = await build(t, { env: twitterOn })
  const { admin } = await withUsers(app)
  const { incidents, maintenances } = app.herald.services
  const { db } = app.herald.stores
  incidents.open({ name: 'Test', body: 'Testing.', reference: 'TEST1' }, 'cli')
  db.prepare("UPDATE deliveries SET state = 'sending'").run()
  const before = storedRows(db)
  const refused = await admin.post('/admin/incidents/TEST1/delete', {}, { formPage: '/admin/incidents/TEST1/delete' })
  t.equal(refused.statusCode, 409)
  t.match(refused.body, /<p class="form-error" role="alert">Nothing was deleted: a post of TEST1 is being sent right now/)
  t.same(storedRows(db), before, 'nothing was deleted')

  // One with a published postmortem goes with it, and the postmortem's post is listed with the others.
  db.prepare("UPDATE deliveries SET state = 'sent', remote_id = '1', remote_url = 'https://x.com/herald/status/1'").run()
  incidents.postUpdate('TEST1', { status: 'resolved', body: 'Done.' }, 'cli')
  app.herald.services.postmortems.saveDraft('TEST1', 'What went wrong.', 'cli')
  app.herald.services.postmortems.publish('TEST1', { notify: true }, 'cli')
  t.match((await admin.get('/admin/incidents/TEST1/delete')).body, /2 social posts not sent yet are cancelled/, 'the resolution and the postmortem')
  t.equal((await admin.post('/admin/incidents/TEST1/delete', {}, { formPage: '/admin/incidents/TEST1/delete' })).statusCode, 303)
  t.equal(incidents.find('TEST1'), undefined)
  t.equal(db.prepare('SELECT COUNT(*) FROM deliveries').pluck().get(), 0, 'its deliveries, the postmortem’s too, are gone')
  t.equal((await app.inject('/incidents/TEST1')).statusCode, 404)

  maintenances.schedule({ name: 'Upgrade', body: 'b', reference: 'MNT1', scheduledFor: '2099-01-01T00:00:00Z', scheduledUntil: '2099-01-01T02:00:00Z' }, 'cli')
  const maintenance = await admin.post('/admin/incidents/MNT1/delete', {}, { formPage: '/admin' })
  t.equal(maintenance.headers.location, '/admin/maintenances/MNT1')
  t.ok(maintenances.get('MNT1'))
  for (const url of ['/admin/incidents/NOPE1/delete', '/admin/incidents/%3Cscript%3E/delete', '/admin/deleted-incidents/abc', '/admin/deleted-incidents/999999', '/admin/deleted-incidents/1']) {
    t.equal((await admin.get(url)).statusCode, 404, url)
  }
})
