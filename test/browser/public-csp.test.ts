// The public pages under their Content-Security-Policy in a real browser: nothing they use is refused, and another site cannot frame them.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import t from 'tap'
import { accentColours } from '../../server/domain/appearance.js'
import { otherPng, tinyPng } from '../fixtures/images.js'
import { chromiumMissing, inCi, launchChromium, watchForProblems } from './fixtures/chromium.js'
import { startHerald } from './fixtures/live-herald.js'

/** Collects the page's securitypolicyviolation events from before its first script runs (as text: it runs in the page). */
async function recordViolations (page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript({
    content: `(() => {
      const seen = []
      Object.defineProperty(window, '__cspViolations', { value: seen })
      document.addEventListener('securitypolicyviolation', (event) => {
        seen.push(event.violatedDirective + ' refused ' + (event.blockedURI || '(inline)'))
      })
    })()`
  })
  return async () => await page.evaluate<string[]>('[...window.__cspViolations]')
}

/** axe-core's browser build, evaluated in the page by the test (page.evaluate is not bound by the page's CSP). */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

const missing = chromiumMissing()
if (missing !== undefined && inCi()) {
  t.fail(`the browser test must run in CI, but ${missing}`)
} else {
  t.test('the status page, an incident page and the history raise no CSP violation, and their script and style apply', { skip: missing ?? false }, async (t) => {
    const { app, baseUrl } = await startHerald(t)
    const { components, incidents } = app.herald.services
    const chat = components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'test')
    const { reference } = incidents.open({
      reference: 'TM202916',
      name: 'Users unable to access Microsoft Teams',
      body: 'We are **investigating**: see [the notes](https://example.com/notes) and run `herald status`.',
      components: { [chat.id]: 'major_outage' }
    }, 'test')

    const browser = await launchChromium()
    t.teardown(() => browser.close())
    const page = await browser.newPage()
    const problems: string[] = []
    watchForProblems(page, 'public', problems)
    const violations = await recordViolations(page)

    for (const path of ['/', `/incidents/${reference}`, '/history', '/history?q=teams']) {
      await page.goto(baseUrl + path, { waitUntil: 'load' })
      t.same(await violations(), [], `${path}: no securitypolicyviolation`)
      // local-time.js ran: it keeps the UTC text as the title of each time it rewrote.
      const titled = await page.locator('time[data-local][title]').count()
      t.ok(titled > 0, `${path}: local-time.js ran (${titled} times shown in the reader's zone)`)
      // herald.css applied: the skip link waits above the top of the page until it is focused.
      const skipLinkTop = await page.locator('.skip-link').evaluate((element) => element.getBoundingClientRect().top)
      t.ok(skipLinkTop < 0, `${path}: herald.css applied`)
    }

    // Branded (admin Appearance): the logo and the accent stylesheet load under the same CSP; links take the
    // accent as each scheme shows it, and the dark scheme picks the dark logo.
    app.herald.services.appearance.save({ accent: '#ffff00', siteLink: 'https://example.com', supportLink: '', autoRefresh: false, refreshSeconds: 60, images: { logo_light: tinyPng, logo_dark: otherPng, favicon: tinyPng } }, 'test')
    const { images } = app.herald.services.appearance.current()
    const accent = accentColours('#ffff00')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      // Another address of the page (the query is ignored): the browser may keep "/" for CACHE_MAX_AGE.
      await page.goto(`${baseUrl}/?scheme=${scheme}`, { waitUntil: 'load' })
      t.same(await violations(), [], `branded, ${scheme}: no securitypolicyviolation`)
      t.ok(await page.evaluate<boolean>("(() => { const img = document.querySelector('.site-logo img'); return img.complete && img.naturalWidth > 0 })()"), `branded, ${scheme}: the logo is shown`)
      const expected = scheme === 'dark' ? images.logo_dark : images.logo_light
      t.match(await page.evaluate<string>("document.querySelector('.site-logo img').currentSrc"), `/brand/${expected?.hash ?? 'none'}.png`, `branded, ${scheme}: the ${scheme} logo`)
      const link = await page.evaluate<string>("getComputedStyle(document.querySelector('.site-nav a')).color")
      const rgb = (hex: string): string => `rgb(${[1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)).join(', ')})`
      t.equal(link, rgb(accent[scheme].colour), `branded, ${scheme}: links in the accent fitted to the scheme`)
      // axe-core (run by the test, past the page's CSP): the logo's text, the links' contrast in the accent.
      await page.evaluate(axeSource)
      const found = await page.evaluate<Array<{ id: string, nodes: unknown[] }>>("axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target) })))")
      t.same(found, [], `branded, ${scheme}: axe-core finds no WCAG A or AA violation`)
    }

    // Auto-refresh: the status page reloads itself when due, and waits a whole interval after someone uses it.
    app.herald.services.appearance.save({ accent: '', siteLink: '', supportLink: '', autoRefresh: true, refreshSeconds: 30, images: {} }, 'test')
    await page.clock.install()
    await page.goto(`${baseUrl}/?refresh`, { waitUntil: 'load' })
    t.same(await violations(), [], 'auto-refresh: no securitypolicyviolation')
    // Whether the page loads again within a second of real time (the page's own clock is the fake one).
    const reloads = async (): Promise<boolean> => await page.waitForEvent('load', { timeout: 1000 }).then(() => true, () => false)
    await page.clock.fastForward(20_000)
    await page.keyboard.press('Tab')
    const early = reloads()
    await page.clock.fastForward(20_000)
    t.notOk(await early, 'auto-refresh: 40 s after loading, 20 s after a key, no reload')
    const due = reloads()
    await page.clock.fastForward(12_000)
    t.ok(await due, 'auto-refresh: reloaded once 30 s passed since the key')
    t.same(problems, [], 'no console error (chromium reports CSP violations there), uncaught error or failed request')
  })

  t.test('another site cannot frame the pages unless FRAME_ANCESTORS names it', { skip: missing ?? false }, async (t) => {
    const browser = await launchChromium()
    t.teardown(() => browser.close())

    // Another site: another origin (port) on the loopback, so that chromium's local network checks, which
    // stop a page it cannot place from framing 127.0.0.1, play no part. Its page frames whatever ?src= says.
    const parentServer = createServer((request, response) => {
      const src = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('src') ?? ''
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(`<!doctype html><title>Intranet</title><iframe src="${src.replace(/[^\w:/.]/g, '')}/" width="800" height="600"></iframe>`)
    })
    await new Promise<void>((resolve) => parentServer.listen(0, '127.0.0.1', resolve))
    t.teardown(() => parentServer.close())
    const parentOrigin = `http://127.0.0.1:${(parentServer.address() as AddressInfo).port}`

    async function framed (baseUrl: string): Promise<{ loaded: boolean, console: string[] }> {
      const page = await browser.newPage()
      const console: string[] = []
      page.on('console', (message) => console.push(message.text()))
      await page.goto(`${parentOrigin}/?src=${encodeURIComponent(baseUrl)}`, { waitUntil: 'load' })
      let loaded = false
      try {
        await page.frameLocator('iframe').locator('.site-name').waitFor({ timeout: 3000 })
        loaded = true
      } catch {}
      await page.close()
      return { loaded, console }
    }

    const closed = await startHerald(t)
    const refused = await framed(closed.baseUrl)
    t.notOk(refused.loaded, 'by default the page does not show in another site\'s frame')
    t.ok(refused.console.some((text) => text.includes('frame-ancestors')), 'chromium says frame-ancestors refused it')

    const open = await startHerald(t, { FRAME_ANCESTORS: parentOrigin })
    const allowed = await framed(open.baseUrl)
    t.ok(allowed.loaded, 'a site FRAME_ANCESTORS names may frame it')
  })
}
