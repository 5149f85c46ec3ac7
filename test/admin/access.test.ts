// Access to the admin UI: every page and action refuses anonymous requests, editors cannot manage users or tokens, and no change goes through without the session's CSRF token.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { type TestContext, build } from '../fixtures/build.js'
import { type AdminSession, type FormFields, withUsers } from './fixtures/admin-session.js'
import { type AdminRoute, adminRoutes } from './fixtures/admin-routes.js'
import { databaseSnapshot } from './fixtures/database-snapshot.js'

// The only admin routes open to anyone: signing in and out, and the setup page (which checks its own token).
const openRoutes = ['GET /admin/sign-in', 'POST /admin/sign-in', 'POST /admin/sign-out', 'GET /admin/setup', 'POST /admin/setup']
const adminOnlySections = ['/admin/users', '/admin/tokens']

// Forms that would change something if the request got through; other actions get a generic body.
const bodies: Record<string, FormFields> = {
  '/admin/users': { name: 'mallory', role: 'admin', password: 'mallory-password-1', confirm: 'mallory-password-1' },
  '/admin/users/:name/password': { password: 'mallory-password-1', confirm: 'mallory-password-1' },
  '/admin/tokens': { name: 'mallory' },
  '/admin/incidents/new': { name: 'Mallory was here', status: 'investigating', impact: 'critical', body: 'Pwned.' },
  '/admin/incidents/:reference/updates': { status: 'resolved', body: 'Pwned.' },
  '/admin/incidents/:reference/updates/:id': { body: 'Pwned.' },
  '/admin/components': { name: 'Mallory' },
  '/admin/components/:id': { name: 'Mallory', status: 'major_outage' },
  '/admin/components/:id/status': { status: 'major_outage' },
  '/admin/components/:id/move': { direction: 'down' },
  '/admin/components/groups/:id/move': { direction: 'down' },
  '/admin/templates': { name: 'Mallory', title: 'Pwned', body: 'Pwned.' },
  '/admin/templates/:id': { name: 'Mallory', title: 'Pwned', body: 'Pwned.' },
  '/admin/sign-in': { name: 'alice', password: 'wonderland-password-1' },
  '/admin/setup': { token: 'x', name: 'mallory', password: 'mallory-password-1', confirm: 'mallory-password-1' }
}
const genericBody: FormFields = { name: 'Mallory', body: 'Pwned.', status: 'major_outage' }

// The live preview is the one JSON action: its script sends the CSRF token in a header, and its schema
// refuses unknown fields (so a form body would be refused by validation before any access check).
const jsonActions: Record<string, unknown> = { '/admin/preview': { body: 'Pwned.', status: 'investigating' } }

/** Posts to an action as its page would: a form with _csrf, or JSON with x-csrf-token. A null token sends none. */
async function post (session: AdminSession, route: AdminRoute, csrf: string | null): Promise<LightMyRequestResponse> {
  const url = urlOf(route)
  const json = jsonActions[route.path]
  if (json === undefined) return await session.post(url, bodies[route.path] ?? genericBody, { csrf })
  return await session.app.inject({
    method: 'POST',
    url,
    headers: { 'x-forwarded-proto': 'https', cookie: session.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) },
    payload: json as Record<string, unknown>
  })
}

/** A world with one of everything a parameter can name: bob (user and token), TM202916 and its update 1, component, group and template 1. */
async function world (t: TestContext): Promise<{ app: FastifyInstance } & Awaited<ReturnType<typeof withUsers>>> {
  const app = await build(t)
  const sessions = await withUsers(app)
  const { components, incidents, templates, tokens } = app.herald.services
  tokens.create('bob', 'cli')
  const chat = components.create({ name: 'Chat', group: 'Teams' }, 'cli')
  incidents.open({ reference: 'TM202916', name: 'Teams down', body: 'Investigating.', components: { [chat.id]: 'partial_outage' } }, 'cli')
  templates.create({ name: 'Outage', title: 'Users may be unable to access {component}', body: 'We are investigating.' }, 'cli')
  return { app, ...sessions }
}

/** An address for a route: parameters filled with what the world has. */
function urlOf (route: AdminRoute): string {
  return route.path.replace(/:name/g, 'bob').replace(/:reference/g, 'TM202916').replace(/:[A-Za-z]+/g, '1')
}

const key = (route: AdminRoute): string => `${route.method} ${route.path}`

t.test('the route list is read from the app', async (t) => {
  const app = await build(t)
  const keys = adminRoutes(app).map(key)
  for (const expected of [...openRoutes, 'GET /admin', 'GET /admin/users', 'POST /admin/users/:name/remove', 'GET /admin/tokens/:name/revoke', 'GET /admin/audit']) {
    t.ok(keys.includes(expected), `${expected} is found`)
  }
  t.ok(keys.length >= 20, `${keys.length} admin routes`)
})

t.test('anonymous: every page redirects to sign-in, every action gets 401, and nothing changes', async (t) => {
  const { app, anonymous } = await world(t)
  // A CSRF token of the anonymous session itself: the refusal must come from the sign-in guard, not from CSRF.
  const csrf = await anonymous.csrfToken('/admin/sign-in')
  const before = databaseSnapshot(app)
  const guarded = adminRoutes(app).filter((r) => !openRoutes.includes(key(r)))
  t.ok(guarded.length >= 30, `${guarded.length} guarded routes`)
  for (const route of guarded) {
    const url = urlOf(route)
    if (route.method === 'GET') {
      const response = await anonymous.get(url)
      t.equal(response.statusCode, 302, `GET ${url}`)
      t.equal(response.headers.location, `/admin/sign-in?next=${encodeURIComponent(url)}`, `GET ${url} comes back after sign-in`)
    } else {
      const response = await post(anonymous, route, csrf)
      t.equal(response.statusCode, 401, `POST ${url}`)
      t.notMatch(response.body, /Pwned|Mallory/i, `POST ${url} shows nothing of the request`)
    }
  }
  t.same(databaseSnapshot(app), before, 'nothing changed')
})

t.test('an editor cannot reach user or token management', async (t) => {
  const { app, editor, admin } = await world(t)
  const routes = adminRoutes(app).filter((route) => adminOnlySections.some((section) => route.path.startsWith(section)))
  t.ok(routes.length >= 10, `${routes.length} user and token routes`)
  const csrf = await editor.csrfToken('/admin')
  const before = databaseSnapshot(app)
  for (const route of routes) {
    const url = urlOf(route)
    const response = route.method === 'GET' ? await editor.get(url) : await post(editor, route, csrf)
    t.equal(response.statusCode, 403, `${route.method} ${url}`)
    // A page in the admin layout that says why, not raw JSON.
    t.match(response.headers['content-type'], /^text\/html/, `${route.method} ${url}: a page`)
    t.match(response.body, /<h1>Not allowed<\/h1>[\s\S]*Only an admin can do this\. Nothing was changed\./)
    if (route.method === 'GET') t.equal((await admin.get(url)).statusCode, 200, `GET ${url} opens for an admin`)
  }
  t.same(databaseSnapshot(app), before, 'nothing changed')
  t.equal((await editor.get('/admin/users/bob/password')).statusCode, 403, 'not even their own password page')
  // A script that asks for JSON gets the JSON error, as under /api/; a browser's Accept (HTML first) gets the page.
  for (const accept of ['application/json', 'application/json, */*;q=0.5']) {
    const asJson = await editor.get('/admin/users', { accept })
    t.equal(asJson.statusCode, 403, `Accept: ${accept}`)
    t.match(asJson.headers['content-type'], /^application\/json/, `Accept: ${accept}: JSON`)
    t.match(asJson.json(), { statusCode: 403, message: 'Only an admin can do this.' })
  }
  const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.7'
  t.match((await editor.get('/admin/tokens', { accept: browserAccept })).headers['content-type'], /^text\/html/, 'a browser gets the page')
  const dashboard = await editor.get('/admin/audit')
  t.equal(dashboard.statusCode, 200)
  t.notMatch(dashboard.body, /href="\/admin\/users"|href="\/admin\/tokens"/, 'no links to them in the navigation')
  t.match((await admin.get('/admin/audit')).body, /href="\/admin\/users"/, 'an admin has the links')
})

t.test('signed in, no action goes through without the CSRF token of the session', async (t) => {
  const { app, admin, editor } = await world(t)
  const foreign = await editor.csrfToken('/admin')
  const before = databaseSnapshot(app)
  const posts = adminRoutes(app).filter((route) => route.method === 'POST')
  t.ok(posts.length >= 15, `${posts.length} actions`)
  for (const route of posts) {
    for (const [what, csrf] of [['none', null], ['forged', 'forged-token'], ["another session's", foreign]] as const) {
      const response = await post(admin, route, csrf)
      t.equal(response.statusCode, 403, `POST ${urlOf(route)} with ${what} token`)
    }
  }
  t.same(databaseSnapshot(app), before, 'nothing changed')
  t.equal((await admin.get('/admin')).statusCode, 200, 'still signed in: not even sign-out went through')
})
