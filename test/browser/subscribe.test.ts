// Subscribing in a real browser with the keyboard alone: from the status page's button to a webhook's secret, then to an email's "Check your inbox".
import t from 'tap'
import type { Page } from 'playwright-core'
import { eventually } from '../fixtures/eventually.js'
import { FakeSmtp } from '../subscribers/fixtures/fake-smtp.js'
import { HookReceiver } from '../subscribers/fixtures/hook-receiver.js'
import { chromiumMissing, inCi, launchChromium, watchForProblems } from './fixtures/chromium.js'
import { startHerald } from './fixtures/live-herald.js'

const stepTimeoutMs = 10_000

/** What has the keyboard focus, as a person would name it: its tag, type or id, and its text or label. */
async function focused (page: Page): Promise<string> {
  return await page.evaluate(`(() => {
    const element = document.activeElement
    if (element === null) return ''
    const label = element.labels && element.labels[0] ? element.labels[0].textContent : element.textContent
    return [element.tagName.toLowerCase(), element.getAttribute('type') || '', element.id || '', (label || '').trim().replace(/\\s+/g, ' ')].join('|')
  })()`)
}

/** Presses Tab until the focus is on what `wanted` matches: as far as a keyboard user gets, or fails saying where it stopped. */
async function tabTo (page: Page, wanted: RegExp, most = 60): Promise<void> {
  const seen: string[] = []
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab')
    const now = await focused(page)
    if (wanted.test(now)) return
    seen.push(now)
  }
  throw new Error(`Tab never reached ${String(wanted)}; it went through ${seen.join(' → ')}`)
}

const missing = chromiumMissing()
if (missing !== undefined && inCi()) {
  t.fail(`the browser test must run in CI, but ${missing}`)
} else {
  t.test('keyboard only: Subscribe from the status page, a webhook with chosen components, then an email', { skip: missing ?? false }, async (t) => {
    const smtp = await FakeSmtp.start()
    t.teardown(async () => { await smtp.close() })
    const hook = await HookReceiver.start()
    t.teardown(async () => { await hook.close() })
    const { app, baseUrl } = await startHerald(t, {
      SMTP_URL: smtp.url(),
      MAIL_FROM: 'Example Status <status@example.com>',
      SUBSCRIPTIONS_ALLOW_PRIVATE_URLS: '1',
      SUBSCRIPTIONS_ALLOW_HTTP: '1',
      SUBSCRIPTIONS_WORKER: 'off'
    })
    const { components } = app.herald.services
    components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'test')
    const signIn = components.create({ name: 'Sign-in', group: 'Microsoft Teams' }, 'test')

    const browser = await launchChromium()
    t.teardown(() => browser.close())
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    context.setDefaultTimeout(stepTimeoutMs)
    const page = await context.newPage()
    const problems: string[] = []
    watchForProblems(page, 'subscribe', problems)

    await page.goto(`${baseUrl}/`)
    await tabTo(page, /^a\|\|\|Subscribe to updates$/)
    await Promise.all([page.waitForURL(`${baseUrl}/subscribe`), page.keyboard.press('Enter')])
    t.equal(await page.title(), 'Subscribe to updates · Example Status')

    // The kinds are one radio group: Tab enters it on the checked one (email), the arrows move the choice.
    await tabTo(page, /^input\|radio\|kind-email\|/)
    await page.keyboard.press('ArrowRight')
    t.match(await focused(page), /^input\|radio\|kind-webhook\|Webhook$/, 'webhook chosen')
    // The address field is hidden once a URL kind is chosen: the next stop is the URL.
    await tabTo(page, /^input\|url\|url\|/, 1)
    await page.keyboard.type(hook.url('/herald'))
    await tabTo(page, /^input\|email\|contactEmail\|/, 1)
    await page.keyboard.type('ops@example.com')
    await tabTo(page, /^input\|radio\|scope-all\|/)
    await page.keyboard.press('ArrowDown')
    t.match(await focused(page), /^input\|radio\|scope-some\|/, 'only some components')
    await tabTo(page, /^input\|checkbox\|\|Sign-in$/)
    await page.keyboard.press('Space')
    t.ok(await page.locator(`input[name="components"][value="${signIn.id}"]`).isChecked(), 'Sign-in ticked with Space')
    await tabTo(page, /^button\|submit\|\|Subscribe$/)
    await Promise.all([page.waitForLoadState('load'), page.waitForSelector('h1:text("Test message delivered")'), page.keyboard.press('Enter')])
    const secret = (await page.locator('#signing-secret').textContent()) ?? ''
    t.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/, 'the secret is shown')
    t.equal(hook.received.length, 1, 'the receiver got the test message')
    const stored = app.herald.stores.db.prepare('SELECT kind, signing_secret, all_components FROM subscribers').get()
    t.same(stored, { kind: 'webhook', signing_secret: secret, all_components: 0 })

    // Back to the form the same way, for email this time (the default choice). The answer to the POST is at
    // /subscribe already: wait for the form's heading, not for the address.
    await tabTo(page, /^a\|\|\|Subscribe to updates$/)
    await Promise.all([page.waitForSelector('h1:text("Subscribe to updates")'), page.keyboard.press('Enter')])
    await page.waitForLoadState('load')
    await tabTo(page, /^input\|email\|email\|/)
    await page.keyboard.type('jane@example.com')
    await tabTo(page, /^button\|submit\|\|Subscribe$/)
    await Promise.all([page.waitForSelector('h1:text("Check your inbox")'), page.keyboard.press('Enter')])
    await eventually(() => smtp.received.length === 1, 'the confirmation mail')
    t.same(smtp.received[0]?.envelope.to, ['jane@example.com'])
    t.same(problems, [], 'no error on any page')
  })
}
