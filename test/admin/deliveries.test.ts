// The social deliveries on the admin incident page: a 401 shown with its error, retried once fixed; custom post texts from the forms.
import t from 'tap'
import { maxCustomPostText } from '../../server/domain/post-text.js'
import { build, tempDir } from '../fixtures/build.js'
import { FakeMastodon } from '../fixtures/fake-mastodon.js'
import { FakeX } from '../fixtures/fake-x.js'
import { eventually, socialWorld } from '../social/fixtures/social-world.js'
import { withUsers } from './fixtures/admin-session.js'
import { counts, fieldError, markedInvalid, notice, textareaValue, unescapeHtml } from './fixtures/admin-forms.js'

const page = '/admin/incidents/TM202916'

/** The <li> of a delivery on the page, or undefined. */
function deliveryItem (html: string, id: number): string | undefined {
  return new RegExp(`<li class="delivery [^"]*" id="delivery-${id}">[\\s\\S]*?</li>`).exec(html)?.[0]
}

/** The error message shown above the timeline when a retry is refused. */
function alertOf (html: string): string | undefined {
  const match = /<p class="form-error" role="alert">([^<]*)<\/p>/.exec(html)
  return match === null ? undefined : unescapeHtml(match[1] as string)
}

t.test('a 401 shows as Failed with its error; Retry after the fix sends it, and the page links to the post', async (t) => {
  const x = await FakeX.start()
  const mastodon = await FakeMastodon.start()
  t.teardown(async () => {
    await x.close()
    await mastodon.close()
  })
  const dir = tempDir(t)
  const fakes = { x, mastodon }
  // The admin pages run in a process that leaves the sending to another (SOCIAL_WORKER=off), so each
  // state can be seen before a worker takes it; worker processes are started and stopped on the same database.
  const admin = await socialWorld(t, { dir, fakes, channels: ['twitter'], env: { SOCIAL_WORKER: 'off' } })
  const startWorker = async (): Promise<typeof admin> => await socialWorld(t, { dir, fakes, channels: ['twitter'] })
  const { editor, anonymous } = await withUsers(admin.app)
  const { deliveries, incidents } = admin.app.herald.services
  x.failAlways({ kind: 'unauthorized' })

  const customText = 'Teams is <b>down</b> & we are on it.'
  const opened = await editor.post('/admin/incidents/new', {
    name: 'Microsoft Teams',
    reference: 'TM202916',
    status: 'investigating',
    impact: '',
    body: "We're investigating an issue where users may be unable to access Microsoft Teams.",
    notify: '1',
    postText: customText
  }, { formPage: '/admin/incidents/new' })
  t.equal(opened.statusCode, 303)
  const update = incidents.get('TM202916').updates[0]
  const updateId = update?.id as number
  t.equal(update?.postText, customText, 'the custom post text is stored')
  const [delivery] = deliveries.forIncident('TM202916').get(updateId) ?? []
  const id = delivery?.id as number
  const link = `https://status.example.com/incidents/TM202916#update-${updateId}`
  t.match(delivery, { channel: 'twitter', state: 'pending', text: `${customText} ${link}` }, 'the delivery carries the custom text')

  let html = (await editor.get(page)).body
  t.match(deliveryItem(html, id), /<span class="delivery-channel">Twitter\/X<\/span>\s*<strong class="delivery-state">Pending<\/strong>/)
  t.notMatch(deliveryItem(html, id), /Retry/, 'only a failed delivery offers a retry')
  t.match(html, /Social post text:<\/span> Teams is &lt;b&gt;down&lt;\/b&gt; &amp; we are on it\./, 'the custom text is shown escaped')
  t.notOk(html.includes('<b>down</b>'))
  t.notMatch(html, /Cross-posting is off/)

  const firstWorker = await startWorker()
  await eventually(() => deliveries.get(id).state === 'failed', 'the delivery to fail')
  await firstWorker.app.close()
  t.equal(x.requests.length, 1, 'an auth error is not retried by the worker')

  html = (await editor.get(page)).body
  const failed = deliveryItem(html, id) ?? ''
  t.match(failed, /<strong class="delivery-state">Failed<\/strong>/)
  t.match(failed, /<span class="delivery-attempts muted">1 attempt<\/span>/)
  t.match(failed, /<p class="delivery-error">X answered 401: Unauthorized<\/p>/)
  t.match(failed, new RegExp(`<form method="post" action="/admin/deliveries/${id}/retry" class="delivery-retry">\\s*<input type="hidden" name="_csrf" value="[^"]+">\\s*<button type="submit" class="button">Retry</button>`))
  t.notMatch(failed, /delivery-link/, 'no link before it is sent')

  // Refused retries change nothing.
  const retryUrl = `/admin/deliveries/${id}/retry`
  t.equal((await anonymous.post(retryUrl, {}, { formPage: '/admin/sign-in' })).statusCode, 401, 'anonymous')
  t.equal((await editor.post(retryUrl, {}, { csrf: 'not-the-token' })).statusCode, 403, 'a wrong CSRF token')
  t.equal((await editor.post(retryUrl, {}, { csrf: null })).statusCode, 403, 'no CSRF token')
  for (const unknown of ['999', 'abc', '0']) {
    const response = await editor.post(`/admin/deliveries/${unknown}/retry`, {}, { formPage: page })
    t.equal(response.statusCode, 404, unknown)
    t.match(response.body, /Delivery not found/)
  }
  t.match(deliveries.get(id), { state: 'failed', attempts: 1 })
  const retries = (): number => admin.app.herald.stores.audit.list(100).filter((entry) => entry.action === 'delivery.retry').length
  t.equal(retries(), 0, 'no retry was recorded')

  x.recover()
  const retried = await editor.post(retryUrl, {}, { formPage: page })
  t.equal(retried.statusCode, 303)
  t.equal(retried.headers.location, `${page}#update-${updateId}`)
  t.match(admin.app.herald.stores.audit.list(1)[0], { action: 'delivery.retry', actor: 'user:bob', detail: { deliveryId: id, error: 'X answered 401: Unauthorized' } })
  html = (await editor.get(page)).body
  t.equal(notice(html), 'The Twitter/X post is queued to be sent again.')
  t.match(deliveryItem(html, id), /<strong class="delivery-state">Pending<\/strong>/)
  t.notMatch(deliveryItem(html, id), /delivery-error|Retry/, 'the old error is gone with the retry')

  const secondWorker = await startWorker()
  const [post] = await x.waitForPosts(1)
  await secondWorker.app.outbox?.settled()
  t.equal(post?.text, `${customText} ${link}`, 'the fake received the custom text')
  html = (await editor.get(page)).body
  const sent = deliveryItem(html, id) ?? ''
  t.match(sent, /<strong class="delivery-state">Sent<\/strong>/)
  t.match(sent, new RegExp(`<a class="delivery-link" href="https://x\\.com/i/web/status/${post?.id}" rel="noopener noreferrer">View the post</a>`))
  t.match(sent, /1 attempt/)

  const again = await editor.post(retryUrl, {}, { formPage: page })
  t.equal(again.statusCode, 409, 'a sent post is not retried')
  t.equal(alertOf(again.body), 'The Twitter/X post was not retried: it is sent, and only a failed post can be retried.')
  t.match(deliveries.get(id), { state: 'sent' })
  t.equal(retries(), 1, 'the refused retry was not recorded')
  t.equal(x.posts.length, 1, 'posted once')
})

t.test('custom post text on the forms: checked next to the field, kept, previewed; nothing stored when wrong', async (t) => {
  // The forms have a post text only when a channel is on; SOCIAL_WORKER=off sends nothing.
  const app = await build(t, { env: { TWITTER_API_KEY: 'k', TWITTER_API_SECRET: 's', TWITTER_ACCESS_TOKEN: 't', TWITTER_ACCESS_SECRET: 'a', SOCIAL_WORKER: 'off' } })
  const { editor } = await withUsers(app)
  app.herald.services.incidents.open({ name: 'Microsoft Teams', body: 'Down.', reference: 'TM202916' }, 'cli')
  let html = (await editor.get(page)).body
  t.match(html, /<label for="postText">Social post text <span class="optional">optional; replaces the generated text<\/span><\/label>/)

  const before = counts(app)
  const tooLong = `<i>${'x'.repeat(maxCustomPostText)}`
  const cases: Array<[string, string]> = [
    [tooLong, `Use at most ${maxCustomPostText} characters.`],
    ['bell\u0007', 'Write the post without control characters (tabs and line breaks are fine), or leave it empty for the generated text.']
  ]
  for (const [postText, message] of cases) {
    const update = await editor.post(`${page}/updates`, { from: 'incident', status: 'identified', body: 'An expired certificate.', notify: '1', postText }, { formPage: page })
    t.equal(update.statusCode, 400)
    t.equal(fieldError(update.body, 'postText'), message)
    t.ok(markedInvalid(update.body, 'postText'))
    t.equal(textareaValue(update.body, 'postText'), postText, 'the typed value is kept')
    t.equal(textareaValue(update.body, 'body'), 'An expired certificate.')

    const opened = await editor.post('/admin/incidents/new', { name: 'Other', status: 'investigating', body: 'b', postText }, { formPage: '/admin/incidents/new' })
    t.equal(opened.statusCode, 400)
    t.equal(fieldError(opened.body, 'postText'), message)
    t.equal(textareaValue(opened.body, 'postText'), postText)
  }
  t.ok((await editor.post(`${page}/updates`, { from: 'incident', status: 'identified', body: 'b', postText: tooLong }, { formPage: page })).body.includes('&lt;i&gt;xxx'), 'escaped')
  t.same(counts(app), before, 'nothing was stored')

  // The no-JS Preview button and the live preview both use the custom text when it is filled.
  const preview = await editor.post(`${page}/updates`, { from: 'incident', status: 'identified', body: 'An expired certificate.', postText: 'Certificate <expired>.', preview: '1' }, { formPage: page })
  t.equal(preview.statusCode, 200)
  t.match(preview.body, /<p class="post-text" data-preview-post>Certificate &lt;expired&gt;\. https:\/\/status\.example\.com\/incidents\/TM202916<\/p>/)
  const token = await editor.csrfToken(page)
  const live = await app.inject({
    method: 'POST',
    url: '/admin/preview',
    headers: { 'x-forwarded-proto': 'https', cookie: editor.cookie, 'x-csrf-token': token },
    payload: { body: 'An expired certificate.', status: 'identified', reference: 'TM202916', name: 'Microsoft Teams', postText: 'Certificate expired.' }
  })
  t.equal(live.statusCode, 200)
  t.equal(live.json().post.text, 'Certificate expired. https://status.example.com/incidents/TM202916')
  const generated = await app.inject({
    method: 'POST',
    url: '/admin/preview',
    headers: { 'x-forwarded-proto': 'https', cookie: editor.cookie, 'x-csrf-token': token },
    payload: { body: 'An expired certificate.', status: 'identified', reference: 'TM202916', name: 'Microsoft Teams', postText: '  ' }
  })
  t.equal(generated.json().post.text, '[Identified] TM202916 Microsoft Teams: An expired certificate. https://status.example.com/incidents/TM202916', 'blank: generated')

  // Left empty, no custom text is stored; filled, it is, and shown on the page.
  t.equal((await editor.post(`${page}/updates`, { from: 'incident', status: 'identified', body: 'b', postText: ' \n ' }, { formPage: page })).statusCode, 303)
  t.equal(app.herald.services.incidents.get('TM202916').updates[0]?.postText, null)
  t.equal((await editor.post(`${page}/updates`, { from: 'incident', status: 'monitoring', body: 'c', postText: 'Fixed <soon>.' }, { formPage: page })).statusCode, 303)
  t.equal(app.herald.services.incidents.get('TM202916').updates[0]?.postText, 'Fixed <soon>.')
  html = (await editor.get(page)).body
  t.match(html, /Social post text:<\/span> Fixed &lt;soon&gt;\./)

  // A rename or a new impact is not news for the followers: nothing is queued.
  const queued = counts(app).deliveries
  t.equal((await editor.post(`${page}/edit`, { name: 'Microsoft Teams sign-in', impact: 'critical' }, { formPage: page })).statusCode, 303)
  t.equal(app.herald.services.incidents.get('TM202916').name, 'Microsoft Teams sign-in')
  t.equal(counts(app).deliveries, queued, 'no delivery for a rename')
})
