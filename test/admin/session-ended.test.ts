// An admin form sent after its session ended (idle expiry, password change) or on a server failure: an HTML page that says so, not raw JSON.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { sessionIdleMs } from '../../server/plugins/session-store.js'
import { TestClock, type TestContext, build } from '../fixtures/build.js'
import { type AdminSession, csrfTokenOf, withUsers } from './fixtures/admin-session.js'
import { counts, unescapeHtml } from './fixtures/admin-forms.js'

const ended = 'Your session has ended: sign in again. Nothing was saved.'

async function world (t: TestContext, clock = new TestClock()): Promise<{ app: FastifyInstance, clock: TestClock } & Awaited<ReturnType<typeof withUsers>>> {
  const app = await build(t, { clock })
  const sessions = await withUsers(app)
  app.herald.services.incidents.open({ reference: 'TM202916', name: 'Teams down', body: 'Investigating.' }, 'cli')
  return { app, clock, ...sessions }
}

/** Posts a form as a browser does from the page at `referer`, with the token that page had. */
async function postFrom (session: AdminSession, url: string, referer: string | undefined, csrf: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return await session.app.inject({
    method: 'POST',
    url,
    headers: {
      'x-forwarded-proto': 'https',
      cookie: session.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      ...(referer === undefined ? {} : { referer })
    },
    payload: new URLSearchParams({ ...fields, _csrf: csrf }).toString()
  })
}

function signInLink (html: string): string | undefined {
  const href = /<a class="button primary" href="([^"]*)">Sign in again<\/a>/.exec(html)?.[1]
  return href === undefined ? undefined : unescapeHtml(href)
}

const update = { status: 'identified', body: 'The certificate expired <script>alert(1)</script>' }
const page = 'https://status.example.com/admin/incidents/TM202916'

t.test('idle expiry: the form gets a page saying the session ended, with a way back to the page', async (t) => {
  const { app, clock, admin } = await world(t)
  const csrf = csrfTokenOf((await admin.get('/admin/incidents/TM202916')).body)
  clock.advance(sessionIdleMs + 60_000)
  const before = counts(app)
  const response = await postFrom(admin, '/admin/incidents/TM202916/updates', page, csrf, update)
  t.equal(response.statusCode, 403, 'still refused as a CSRF failure')
  t.match(response.headers['content-type'], /^text\/html/)
  t.match(unescapeHtml(response.body), ended)
  t.equal(signInLink(response.body), '/admin/sign-in?next=%2Fadmin%2Fincidents%2FTM202916', 'signing in comes back to the incident')
  t.notMatch(response.body, /Missing csrf secret|<script>alert/, 'no raw error, nothing of the form echoed')
  t.same(counts(app), before, 'nothing saved')
})

t.test('a password change ends the session: the form gets the same page', async (t) => {
  const { app, admin, editor } = await world(t)
  const csrf = csrfTokenOf((await editor.get('/admin/incidents/TM202916')).body)
  await app.herald.services.users.changePassword('bob', 'a-new-builder-password-2', 'alice')
  const before = counts(app)
  const response = await postFrom(editor, '/admin/incidents/TM202916/updates', page, csrf, update)
  t.ok([401, 403].includes(response.statusCode), `refused (${response.statusCode})`)
  t.match(response.headers['content-type'], /^text\/html/)
  t.match(unescapeHtml(response.body), ended)
  t.equal(signInLink(response.body), '/admin/sign-in?next=%2Fadmin%2Fincidents%2FTM202916')
  t.same(counts(app), before, 'nothing saved')
  t.equal((await admin.get('/admin')).statusCode, 200, 'the other user is still signed in')
})

t.test('anonymous with a valid token of its own session: 401, as a page', async (t) => {
  const { app, anonymous } = await world(t)
  const csrf = await anonymous.csrfToken('/admin/sign-in')
  const before = counts(app)
  const response = await postFrom(anonymous, '/admin/maintenances/new', 'https://status.example.com/admin/maintenances/new', csrf, { name: 'Mallory' })
  t.equal(response.statusCode, 401)
  t.match(response.headers['content-type'], /^text\/html/)
  t.match(unescapeHtml(response.body), ended)
  t.equal(signInLink(response.body), '/admin/sign-in?next=%2Fadmin%2Fmaintenances%2Fnew')
  t.notMatch(response.body, /Mallory/)
  t.same(counts(app), before)
})

t.test('the way back is an /admin page only: other sites, odd referers and none go to the dashboard', async (t) => {
  const { clock, admin } = await world(t)
  const csrf = csrfTokenOf((await admin.get('/admin')).body)
  clock.advance(sessionIdleMs + 60_000)
  for (const referer of [undefined, 'https://evil.example/admin/users', 'https://status.example.com/', 'not a url', '//evil.example/admin', 'https://status.example.com/admin/../public']) {
    const response = await postFrom(admin, '/admin/incidents/TM202916/updates', referer, csrf, update)
    t.equal(response.statusCode, 403, `referer ${String(referer)}`)
    const link = signInLink(response.body)
    t.ok(link === '/admin/sign-in?next=%2Fadmin' || link === '/admin/sign-in?next=%2Fadmin%2Fpublic' || link === '/admin/sign-in?next=%2Fpublic', `referer ${String(referer)}: ${String(link)}`)
    t.notMatch(link ?? '', /evil/)
  }
  const tricky = await postFrom(admin, '/admin/incidents/TM202916/updates', 'https://status.example.com/admin/x?"><script>alert(1)</script>', csrf, update)
  t.notMatch(tricky.body, /<script>alert/, 'a referer is escaped in the link')
})

t.test('a signed-in user whose form came from an earlier session: 403 page that says to open the page again', async (t) => {
  const { app, admin } = await world(t)
  const before = counts(app)
  const response = await postFrom(admin, '/admin/incidents/TM202916/updates', page, 'token-from-an-old-page', update)
  t.equal(response.statusCode, 403)
  t.match(response.headers['content-type'], /^text\/html/)
  t.match(response.body, /Nothing was saved\./)
  t.match(response.body, /href="\/admin\/incidents\/TM202916">Open the page again/)
  t.same(counts(app), before)
})

t.test('the JSON endpoints keep JSON answers', async (t) => {
  const { app, clock, admin, anonymous } = await world(t)
  const anonymousToken = await anonymous.csrfToken('/admin/sign-in')
  const preview = await app.inject({
    method: 'POST',
    url: '/admin/preview',
    headers: { 'x-forwarded-proto': 'https', cookie: anonymous.cookie, 'x-csrf-token': anonymousToken },
    payload: { body: 'Hello', status: 'investigating' }
  })
  t.equal(preview.statusCode, 401)
  t.match(preview.json(), { statusCode: 401, message: 'Sign in to do this.' })

  const csrf = csrfTokenOf((await admin.get('/admin/incidents/new')).body)
  clock.advance(sessionIdleMs + 60_000)
  const expired = await app.inject({
    method: 'POST',
    url: '/admin/preview',
    headers: { 'x-forwarded-proto': 'https', cookie: admin.cookie, 'x-csrf-token': csrf },
    payload: { body: 'Hello', status: 'investigating' }
  })
  t.equal(expired.statusCode, 403)
  t.match(expired.headers['content-type'], /json/)
  t.match(expired.json(), { statusCode: 403 })
})

t.test('a failure on our side: the status stays 500, the page says so without details', async (t) => {
  const { app, admin } = await world(t)
  const incidents = app.herald.services.incidents
  t.teardown(() => { delete (incidents as unknown as Record<string, unknown>).postUpdate })
  Object.assign(incidents, { postUpdate: () => { throw new Error('disk on fire /var/secret') } })
  const csrf = csrfTokenOf((await admin.get('/admin/incidents/TM202916')).body)
  const response = await postFrom(admin, '/admin/incidents/TM202916/updates', page, csrf, update)
  t.equal(response.statusCode, 500)
  t.match(response.headers['content-type'], /^text\/html/)
  t.match(response.body, /Something went wrong on our side/)
  t.notMatch(response.body, /disk on fire|\/var\/secret/)
  t.match(response.body, /Sign out alice/, 'still signed in: the page has the navigation')
})
