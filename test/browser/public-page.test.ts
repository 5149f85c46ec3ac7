// The status page and an incident page in Chromium, as a reader sees them on a phone and a desktop, light and dark, with the busy demo.
import type { Page } from 'playwright-core'
import t from 'tap'
import { loadBusyDemo } from './fixtures/busy-demo.js'
import { chromiumMissing, inCi, launchChromium, watchForProblems } from './fixtures/chromium.js'
import { startHerald } from './fixtures/live-herald.js'
import { brokenWords, horizontalScroll } from './fixtures/page-audit.js'

// Scripts run in the page are strings: what a bundler adds to a function's text would not exist there.

/** Where the details of each day a keyboard reaches show when it has focus, and those that leave the screen or are not shown. */
const tipsOffScreen = `(() => {
  const wrong = []
  const days = [...document.querySelectorAll('.bar li[tabindex]')].filter((li) => li.getClientRects().length > 0)
  for (const li of days) {
    li.focus()
    const tip = li.querySelector('span').getBoundingClientRect()
    if (tip.width < 40 || tip.height < 10) wrong.push('not shown: ' + li.textContent)
    else if (tip.left < 0 || tip.right > window.innerWidth) wrong.push('off screen (' + Math.round(tip.left) + ' to ' + Math.round(tip.right) + '): ' + li.textContent)
  }
  document.activeElement.blur()
  return { days: days.length, wrong }
})()`

/** The details of the day that has the focus (or holds it), as shown: its text and box, or null. */
const focusedDay = `(() => {
  const li = document.activeElement === null ? null : document.activeElement.closest('.bar li')
  if (li === null) return null
  const tip = li.querySelector('span')
  const box = tip.getBoundingClientRect()
  return { text: tip.innerText, width: box.width, height: box.height, focusedTag: document.activeElement.tagName }
})()`

/** The contrast of each colour of the legend (the uptime cells' colours) with the page's background, as WCAG computes it. */
const cellContrasts = `(() => {
  const channels = (color) => color.match(/[\\d.]+/g).slice(0, 3).map(Number)
  const luminance = (color) => {
    const [r, g, b] = channels(color).map((c) => c / 255).map((c) => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const page = luminance(getComputedStyle(document.body).backgroundColor)
  const contrasts = {}
  for (const cell of document.querySelectorAll('.legend i')) {
    const own = luminance(getComputedStyle(cell).backgroundColor)
    contrasts[cell.className] = Math.round(100 * (Math.max(own, page) + 0.05) / (Math.min(own, page) + 0.05)) / 100
  }
  return contrasts
})()`

async function tabToFirstDay (page: Page): Promise<boolean> {
  await page.locator('body').focus()
  for (let i = 0; i < 300; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate('document.activeElement !== null && document.activeElement.matches(".bar li")')) return true
  }
  return false
}

const missing = chromiumMissing()
if (missing !== undefined && inCi()) {
  t.fail(`the browser test must run in CI, but ${missing}`)
} else {
  t.test('the public page and an incident page at 390 and 1280 px, light and dark', { skip: missing ?? false }, async (t) => {
    const { app, baseUrl } = await startHerald(t)
    const demo = loadBusyDemo(app)
    const browser = await launchChromium()
    t.teardown(() => browser.close())

    for (const width of [390, 1280]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await t.test(`${width} px, ${colorScheme}`, async (t) => {
          const phone = width < 600
          // A zone other than UTC: every time on a card must be shown in it, maintenance windows too.
          const context = await browser.newContext({
            viewport: { width, height: 900 }, colorScheme, timezoneId: 'Asia/Kolkata', locale: 'en-US', ...(phone ? { hasTouch: true, isMobile: true } : {})
          })
          t.teardown(() => context.close())
          const page = await context.newPage()
          const problems: string[] = []
          watchForProblems(page, `${width} ${colorScheme}`, problems)

          await page.goto(`${baseUrl}/`, { waitUntil: 'load' })
          t.same(await brokenWords(page), [], '/: no word broken inside')
          t.equal(await horizontalScroll(page), undefined, '/: no horizontal scroll')

          // Uptime bars: the last 30 days on a phone, 90 on a desktop, and the words under them to match.
          const cells = await page.locator('.bar').first().locator('li:visible').count()
          t.equal(cells, phone ? 30 : 90, `${cells} days in the bar`)
          t.match(await page.locator('.bar-foot').first().innerText(), phone ? /^30 days ago\n\d+\.\d\d % uptime\nToday$/ : /^90 days ago\n\d+\.\d\d % uptime\nToday$/)
          t.match(await page.locator('.section-note').innerText(), phone ? 'past 30 days' : 'past 90 days')

          // Every colour of the bars but "No data" (meant to fade) stands out from the page at 3:1 or more.
          const contrasts = await page.evaluate(cellContrasts) as Record<string, number>
          t.same(Object.keys(contrasts).sort(), ['dg', 'mo', 'nd', 'op', 'po', 'um'])
          for (const [cell, contrast] of Object.entries(contrasts)) {
            if (cell !== 'nd') t.ok(contrast >= 3, `.${cell} at ${contrast}:1 with the page`)
          }

          // A screen reader hears one summary a component and the days with incidents, not 90 items.
          const tree = await page.locator('.bar').first().ariaSnapshot()
          t.match(tree, /^- '?list "Teams chat, past 90 days: \d+\.\d\d % uptime, \d+ days with incidents"/)
          const listed = (tree.match(/^ {2}- listitem/gm) ?? []).length
          t.equal(listed, await page.locator('.bar').first().locator('li[tabindex]:visible').count(), 'the items heard are the days a keyboard reaches')
          t.ok(listed > 0 && listed < 30, `${listed} days listed`)

          // Keyboard: Tab reaches a day, and its details show; Tab on to its incident keeps them shown.
          t.ok(await tabToFirstDay(page), 'Tab reaches a day of a bar')
          const day = await page.evaluate(focusedDay) as { text: string, width: number, height: number } | null
          t.ok(day !== null && day.width > 40 && day.height > 10, 'its details are shown')
          t.match(day?.text, /\d+ \w{3} \d{4}\n(Degraded Performance|Partial Outage|Major Outage|Under Maintenance|No downtime)/)
          await page.keyboard.press('Escape')
          t.ok(((await page.evaluate(focusedDay)) as { width: number }).width <= 1, 'Escape hides the details, the focus staying')
          await page.keyboard.press('Shift+Tab')
          await page.keyboard.press('Tab')
          t.ok(((await page.evaluate(focusedDay)) as { width: number }).width > 40, 'and they show again when the day is focused again')
          if ((await page.locator('.bar li:focus a').count()) > 0) {
            await page.keyboard.press('Tab')
            t.match(await page.evaluate(focusedDay), { focusedTag: 'A', width: Number }, 'Tab moves to the day\'s incident, its details still shown')
          }
          const tips = await page.evaluate(tipsOffScreen) as { days: number, wrong: string[] }
          t.same(tips.wrong, [], `the details of all ${tips.days} days a keyboard reaches show within the screen`)
          t.equal(await horizontalScroll(page), undefined, 'no horizontal scroll after showing them')

          // Hover: a quiet day shows its words in an opaque tip, the cell not faded.
          const quiet = page.locator('.bar').first().locator('li[data-t]:visible').nth(-5)
          await quiet.hover()
          const hovered = await page.evaluate(`(() => {
            const li = document.querySelector('.bar li[data-t]:hover')
            const after = getComputedStyle(li, '::after')
            return { content: after.content, background: after.backgroundColor, opacity: getComputedStyle(li).opacity }
          })()`) as { content: string, background: string, opacity: string }
          t.match(hovered.content, /^"\d+ \w{3} \d{4}: (No downtime|No data)"$/, 'the hover tip says the day and its words')
          t.match(hovered.background, /^rgb\(/, 'the tip is opaque')
          t.equal(hovered.opacity, '1', 'the cell is not faded (which would fade its tip)')

          if (phone) {
            // Tap: a day's details open under the finger, as on hover.
            await page.mouse.move(0, 0)
            const eventful = page.locator('.bar li[tabindex]:visible').first()
            await eventful.tap()
            t.ok(((await eventful.locator('span').boundingBox())?.width ?? 0) > 40, 'a tapped day shows its details')
          }

          // Freshness and one time format: ages, and every time (windows included) in the reader's zone.
          const ages = await page.locator('.notices time[data-ago]').allInnerTexts()
          t.equal(ages.length, 3, 'each notice says how fresh it is')
          t.match(ages[0], /^\d+ minutes ago$/, 'TM202916 was updated minutes ago')
          t.ok(Number(/^(\d+)/.exec(ages[0] ?? '')?.[1]) >= 4, `TM202916: ${ages[0]}`)
          t.match(await page.locator('.banner-updated').innerText(), /^Last updated (just now|\d+ minutes? ago)$/)
          t.match(await page.locator('.banner-updated time').getAttribute('title'), /GMT\+5:30$/, 'the banner\'s time, in full, on hover')
          const windowTimes = await page.locator('.notices .window time').allInnerTexts()
          t.equal(windowTimes.length, 2, 'the window of the maintenance in progress')
          t.match(windowTimes.join(' – '), /GMT\+5:30$/, `in the reader's zone: ${windowTimes.join(' – ')}`)
          const utc = await page.locator('time[data-local]').evaluateAll((times) => times.filter((time) => (time.textContent ?? '').includes('UTC')).length)
          t.equal(utc, 0, 'no time on the page is left in UTC')

          await page.goto(`${baseUrl}/incidents/${demo.outage}`, { waitUntil: 'load' })
          t.same(await brokenWords(page), [], 'incident page: no word broken inside')
          t.equal(await horizontalScroll(page), undefined, 'incident page: no horizontal scroll')
          t.equal(await page.locator('.incident-affected').innerText(), 'This incident affects: Teams chat, Meetings & calling, Sign-in, Admin center')

          await page.goto(`${baseUrl}/incidents/${demo.maintenance}`, { waitUntil: 'load' })
          t.same(await brokenWords(page), [], 'maintenance page: no word broken inside')
          t.match((await page.locator('.window time').allInnerTexts()).join(' – '), /GMT\+5:30$/)

          t.same(problems, [], 'no console error, uncaught error or failed request')
        })
      }
    }
  })
}
