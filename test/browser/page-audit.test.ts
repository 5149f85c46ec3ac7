// Every page a reader or an operator lands on, on a busy day, in Chromium at 390 and 1280 px, light and dark: axe-core finds nothing, nothing scrolls sideways, no word is cut.
import t from 'tap'
import type { Page } from 'playwright-core'
import { chromiumMissing, inCi, launchChromium, watchForProblems } from './fixtures/chromium.js'
import { busyAdmin, startBusyHerald } from './fixtures/busy-herald.js'
import { auditAtEveryWidth, auditDrawn, brokenWords, focusWithoutOutline, horizontalScroll } from './fixtures/page-audit.js'

/** The pages audited: a visitor's, then the signed-in admin's. A new page is one line here. */
const publicPages = [
  { label: 'status page /', path: '/' },
  { label: 'incident page /incidents/TM202917', path: '/incidents/TM202917' },
  { label: 'history /history', path: '/history' }
]
const adminPages = [
  { label: 'admin dashboard /admin', path: '/admin' },
  { label: 'admin incident page /admin/incidents/TM202916', path: '/admin/incidents/TM202916' },
  // The two forms whose preview sits right under the page's title.
  { label: 'admin new incident /admin/incidents/new', path: '/admin/incidents/new' },
  { label: 'admin new maintenance /admin/maintenances/new', path: '/admin/maintenances/new' }
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
    // and a link whose focus outline is taken away.
    await page.setContent(`<!doctype html><html lang="en"><head><title>Faults</title>
      <style>.row { display: flex; gap: 1rem } .name { overflow-wrap: anywhere } .status { white-space: nowrap }
      .wide { width: 600px } a:focus { outline: none }</style></head>
      <body><main><h1>Faults</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
      <p class="wide">wide</p><div class="row"><span class="name">Meetings &amp; calling</span>
      <span class="status">Degraded Performance, for most of the users of Meetings</span></div>
      <a href="#x">a link</a></main></body></html>`)
    const findings = await auditDrawn(page, 'faults at 390 px, light')
    t.match(findings.join('\n'), /^faults at 390 px, light: axe image-alt \(critical\): .* at \["img"\]/m, 'axe: a violation, with its rule, impact, target and place')
    t.match(await horizontalScroll(page), /^the page is \d+ px wide in a 390 px viewport; past its edge: p\.wide \(right \d+ px\)/, 'the element past the edge is named')
    const cut = await brokenWords(page)
    t.match(cut.join('\n'), /^"\w+\|\w+" is cut inside the word in span\.name$/m, 'a word cut inside is found, shown where it was cut')
    t.notMatch(cut.join('\n'), /Degraded|Performance/, 'not the words of the row that wrap between words')
    t.same(await focusWithoutOutline(page), ['a "a link" shows no focus outline'], 'a focus with no outline is found')

    // What is not a fault: lines that end at punctuation (after a hyphen, before a bracket), and a word wider than the whole column.
    await page.setContent(`<!doctype html><html lang="en"><head><title>Fine</title>
      <style>.narrow { width: 4ch } .long { overflow-wrap: anywhere }</style></head>
      <body><main><h1>Fine</h1><p class="narrow">Sign-in [links](https://example.com)</p><p class="long">${'x'.repeat(80)}</p></main></body></html>`)
    t.same(await auditDrawn(page, 'fine'), [], 'breaks at punctuation and in a word wider than the column are not findings')
  })

  t.test('every page passes at each width and scheme, signed out and in', browserTest, async (t) => {
    const { baseUrl } = await startBusyHerald(t)
    const browser = await launchChromium()
    t.teardown(() => browser.close())
    const problems: string[] = []
    // Two contexts: the visitor has no admin cookie, the admin signs in once. Times in UTC, so the pages
    // draw the same text on any machine.
    const context = { timezoneId: 'UTC', locale: 'en-GB', viewport: { width: 1280, height: 900 } }
    const visitor = await (await browser.newContext(context)).newPage()
    watchForProblems(visitor, 'visitor', problems)
    const admin = await (await browser.newContext(context)).newPage()
    watchForProblems(admin, 'admin', problems)
    await admin.goto(`${baseUrl}/admin/sign-in`)
    await admin.getByLabel('User name').fill(busyAdmin.name)
    await admin.getByLabel('Password').fill(busyAdmin.password)
    await admin.getByRole('button', { name: 'Sign in' }).click()
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor()

    const audit = async (page: Page, pages: typeof publicPages): Promise<void> => {
      for (const { label, path } of pages) {
        for (const [place, findings] of await auditAtEveryWidth(page, baseUrl + path, label)) {
          // Issue 13's "Meeti / ngs": on a phone the status page's component row squeezes names inside a word.
          // Another part of the issue (h1, item 6) reworks that row: until it is merged this one finding is a todo;
          // then delete h1Item6 and the todo, and the first assertion checks every finding again.
          const h1Item6 = path === '/' ? findings.filter((finding) => finding.endsWith('is cut inside the word in span.component-name')) : []
          t.same(findings.filter((finding) => !h1Item6.includes(finding)), [], `${place}: no axe violation, no horizontal scroll, no word broken inside`)
          if (path === '/') t.same(h1Item6, [], `${place}: component names wrap between words`, { todo: 'issue 13, the status page\'s component row (h1, item 6)' })
        }
        // The outline's style and width are the same in both schemes (its colour is --focus in each): one pass.
        t.same(await focusWithoutOutline(page), [], `${label}: every element keyboard focus reaches shows its focus`)
      }
    }
    await audit(visitor, publicPages)
    await audit(admin, adminPages)
    t.same(problems, [], 'no uncaught error, console error or failed request on any page')
  })
}
