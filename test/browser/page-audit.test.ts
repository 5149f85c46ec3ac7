// Every page a reader or an operator lands on, on a busy day, in Chromium at 390 and 1280 px, light and dark: axe-core finds nothing, nothing scrolls sideways, no word is cut.
import t from 'tap'
import type { Page } from 'playwright-core'
import { chromiumMissing, inCi, launchChromium, watchForProblems } from './fixtures/chromium.js'
import { loadBusyDemo } from './fixtures/busy-demo.js'
import { startHerald } from './fixtures/live-herald.js'
import { auditAtEveryWidth, auditDrawn, brokenWords, colorSchemes, controlsHardToSee, horizontalScroll } from './fixtures/page-audit.js'

const admin = { name: 'alice', password: 'correct horse battery staple' }

/** A page audited: where it is, and what brings it to the state audited once loaded. */
interface AuditedPage {
  label: string
  path: string
  prepare?: (page: Page) => Promise<void>
}

/**
 * A new incident sent with a reference already taken: the form comes back with its error next to the field,
 * the field marked invalid (its border and focus outline turn red).
 */
async function refusedNewIncident (page: Page): Promise<void> {
  await page.getByLabel('Name', { exact: true }).fill('Sign-in slower than usual')
  await page.getByLabel(/^Reference/).fill('TM202916')
  await page.getByLabel('First message').fill('Some users may find signing in slower than usual.')
  // The page's own reference check marks the field as soon as it hears TM202916 is taken, which may be before the
  // form's answer: wait for the refused answer itself, then for the page it drew.
  const refused = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/admin/incidents/new')
  await page.getByRole('button', { name: 'Open incident' }).click()
  await refused
  await page.waitForLoadState('load')
  await page.locator('#reference[aria-invalid="true"]').waitFor()
}

/** The pages audited: a visitor's, then the signed-in admin's. A new page is one line here. */
const publicPages: AuditedPage[] = [
  { label: 'status page /', path: '/' },
  { label: 'incident page /incidents/TM202916', path: '/incidents/TM202916' },
  { label: 'history /history', path: '/history' },
  { label: 'subscribe /subscribe', path: '/subscribe' },
  // Where an operator lands mid-outage before anything else of the admin: drawn for a browser with no session.
  { label: 'admin sign-in /admin/sign-in', path: '/admin/sign-in' }
]
const adminPages: AuditedPage[] = [
  { label: 'admin dashboard /admin', path: '/admin' },
  { label: 'admin incident page /admin/incidents/TM202916', path: '/admin/incidents/TM202916' },
  { label: 'admin incident list /admin/incidents', path: '/admin/incidents' },
  { label: 'admin subscribers /admin/subscribers', path: '/admin/subscribers' },
  // The demo has no monitors: the list's empty state (test/browser/monitors.test.ts audits the monitor pages with monitors).
  { label: 'admin monitors /admin/monitors', path: '/admin/monitors' },
  { label: 'admin delete confirmation /admin/incidents/TM202916/delete', path: '/admin/incidents/TM202916/delete' },
  // The two forms whose preview sits right under the page's title.
  { label: 'admin new incident /admin/incidents/new', path: '/admin/incidents/new' },
  { label: 'admin new maintenance /admin/maintenances/new', path: '/admin/maintenances/new' },
  { label: 'admin new incident, refused: the reference is taken', path: '/admin/incidents/new', prepare: refusedNewIncident },
  // Drafts 1 (a monitor's, with notes) and 2 (a person's), saved before the audit: the dashboard shows them too.
  { label: 'admin drafts /admin/drafts', path: '/admin/drafts' },
  { label: 'admin draft /admin/drafts/1', path: '/admin/drafts/1' },
  { label: 'admin discard a draft /admin/drafts/1/discard', path: '/admin/drafts/1/discard' }
]

const missing = chromiumMissing()
if (missing !== undefined && inCi()) {
  t.fail(`the browser test must run in CI, but ${missing}`)
} else {
  const browserTest = { skip: missing ?? false }
  t.test('the checks find what they look for', browserTest, async (t) => {
    const browser = await launchChromium()
    t.teardown(() => browser.close())
    const page = await browser.newPage({ viewport: { width: 390, height: 600 } })
    // A page with one of each fault: an image with no text, a box wider than the phone, a name in a flex row
    // that `overflow-wrap: anywhere` lets the row squeeze below its longest word (the cause of "Meeti / ngs"),
    // a link whose focus outline is taken away, a button whose outline is too faint on its card (grey on grey), and a
    // field whose edge is the page's divider colour (1.43:1, what the admin's fields had).
    await page.setContent(`<!doctype html><html lang="en"><head><title>Faults</title>
      <style>.row { display: flex; gap: 1rem } .name { overflow-wrap: anywhere } .status { white-space: nowrap }
      .wide { width: 600px } a:focus { outline: none } button:focus-visible { outline: 3px solid #767676; outline-offset: 2px }
      .card { background: #595959 }</style></head>
      <body><main><h1>Faults</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
      <p class="wide">wide</p><div class="row"><span class="name">Meetings &amp; calling</span>
      <span class="status">Degraded Performance, for most of the users of Meetings</span></div>
      <a href="#x">a link</a><p class="card"><button>a button</button></p>
      <label>A field <input name="faint" style="border: 1px solid #d1d9e0; background: #ffffff"></label></main></body></html>`)
    const findings = await auditDrawn(page, 'faults at 390 px, light')
    t.match(findings.join('\n'), /^faults at 390 px, light: axe image-alt \(critical\): .* at \["img"\]/m, 'axe: a violation, with its rule, impact, target and place')
    t.match(await horizontalScroll(page), /^the page is \d+ px wide in a 390 px viewport; past its edge: p\.wide \(right \d+ px\)/, 'the element past the edge is named')
    const cut = await brokenWords(page)
    t.match(cut.join('\n'), /^"\w+\|\w+" is cut inside the word in span\.name$/m, 'a word cut inside is found, shown where it was cut')
    t.notMatch(cut.join('\n'), /Degraded|Performance/, 'not the words of the row that wrap between words')
    t.same(await controlsHardToSee(page), [
      'input[name=faint] has an edge of 1.43:1 against its background (under 3:1)',
      'a "a link" shows no focus outline',
      'button "a button" has a focus outline of 1.54:1 against its background (under 3:1)'
    ], 'a focus with no outline is found, one whose outline is faint against the background around it, and a field whose edge is faint')

    // What is not a fault: lines that end at punctuation (after a hyphen, before a bracket), and a word wider than the whole column.
    await page.setContent(`<!doctype html><html lang="en"><head><title>Fine</title>
      <style>.narrow { width: 4ch } .long { overflow-wrap: anywhere }</style></head>
      <body><main><h1>Fine</h1><p class="narrow">Sign-in [links](https://example.com)</p><p class="long">${'x'.repeat(80)}</p></main></body></html>`)
    t.same(await auditDrawn(page, 'fine'), [], 'breaks at punctuation and in a word wider than the column are not findings')
  })

  t.test('every page passes at each width and scheme, signed out and in', browserTest, async (t) => {
    const { app, baseUrl } = await startHerald(t)
    loadBusyDemo(app)
    // Subscribers in each state, so that the admin's list is audited with rows: a long URL and a long error among them.
    const { subscribers } = app.herald.services
    subscribers.importEmails('test', ['jane@example.com', 'joe@example.org'], { skipConfirmation: true, components: 'all' })
    const hook = subscribers.add('test', { kind: 'webhook', target: `https://hooks.example.com/services/${'T0AB1CD2E'.repeat(12)}`, components: 'all' }, { skipConfirmation: false }).subscriber
    const at = new Date().toISOString()
    app.herald.stores.subscribers.recordFailure(hook.id, 'the receiver answered 500 Internal Server Error on every attempt for 24 hours', at)
    app.herald.stores.subscribers.quarantine(hook.id, at)
    await app.herald.services.users.create(admin.name, admin.password, 'admin', 'test')
    const { drafts } = app.herald.services
    const monitorDraft = drafts.create({ name: 'Sign-in is not responding', body: "Herald's monitor sign-in has found GET https://login.example.com/health failing: status 503, expected 200-299." }, 'monitor:sign-in')
    drafts.addNote(monitorDraft.id, 'Down again at 2020-02-03T14:05:00.000Z: connect ECONNREFUSED 192.0.2.10:443')
    drafts.addNote(monitorDraft.id, "Herald's monitor sign-in found GET https://login.example.com/health working again at 2020-02-03T14:20:00.000Z.")
    drafts.create({ name: 'Calls may drop in Europe', body: 'We are looking into reports of dropped calls.', status: 'identified', impact: 'minor' }, 'user:alice')
    const browser = await launchChromium()
    t.teardown(() => browser.close())
    const problems: string[] = []
    // Two contexts: the visitor has no admin cookie, the admin signs in once. The busy demo as issue 13 was
    // tried: TM202916 open, a second incident, a maintenance in progress and one ahead. Times in UTC, so the pages
    // draw the same text on any machine.
    const context = { timezoneId: 'UTC', locale: 'en-GB', viewport: { width: 1280, height: 900 } }
    const visitor = await (await browser.newContext(context)).newPage()
    watchForProblems(visitor, 'visitor', problems)
    const signedIn = await (await browser.newContext(context)).newPage()
    watchForProblems(signedIn, 'admin', problems)
    await signedIn.goto(`${baseUrl}/admin/sign-in`)
    await signedIn.getByLabel('User name').fill(admin.name)
    await signedIn.getByLabel('Password').fill(admin.password)
    await signedIn.getByRole('button', { name: 'Sign in' }).click()
    await signedIn.getByRole('heading', { name: 'Dashboard' }).waitFor()

    const audit = async (page: Page, pages: AuditedPage[]): Promise<void> => {
      for (const { label, path, prepare } of pages) {
        for (const [place, findings] of await auditAtEveryWidth(page, baseUrl + path, label, prepare)) {
          t.same(findings, [], `${place}: no axe violation, no horizontal scroll, no word broken inside`)
        }
        // The outlines' colours change with the scheme: a pass in each.
        for (const scheme of colorSchemes) {
          await page.emulateMedia({ colorScheme: scheme })
          t.same(await controlsHardToSee(page), [], `${label}, ${scheme}: every element keyboard focus reaches shows its focus, and every field its edge, at 3:1 or more`)
        }
      }
    }
    // A subscriber's own pages, reached by the links of their messages (the webhook's here).
    const links = subscribers.links(hook)
    await audit(visitor, [...publicPages,
      { label: 'manage a subscription /subscriptions/<token>', path: new URL(links.manage).pathname },
      { label: 'unsubscribe /subscriptions/unsubscribe/<token>', path: new URL(links.unsubscribe).pathname }])
    await audit(signedIn, adminPages)
    // The refused form answers 409 on purpose (and chromium may log it as a failed load): that one is expected.
    const refusal = `${baseUrl}/admin/incidents/new`
    const expected = (problem: string): boolean => problem === `admin: 409 for POST ${refusal}` ||
      (problem.startsWith('admin: console error: Failed to load resource: the server responded with a status of 409') && problem.endsWith(`(${refusal})`))
    t.ok(problems.includes(`admin: 409 for POST ${refusal}`), 'the refused form answered 409')
    t.same(problems.filter((problem) => !expected(problem)), [], 'no uncaught error, console error or failed request on any page')
  })
}
