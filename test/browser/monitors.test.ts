// A real browser creates an http monitor against a local server through the admin UI, runs it, sees it listed with its state; the monitor pages pass the audit at 390 and 1280 px.
import t from 'tap'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { chromiumMissing, inCi, launchChromium, watchForProblems } from './fixtures/chromium.js'
import type { TestContext } from '../fixtures/build.js'
import { startHerald } from './fixtures/live-herald.js'
import { auditAtEveryWidth, colorSchemes, controlsHardToSee } from './fixtures/page-audit.js'

const admin = { name: 'alice', password: 'correct horse battery staple' }
const stepTimeoutMs = 10_000

/** A target on 127.0.0.1 answering 200 "ok" to every request, counting them. */
async function target (t: TestContext): Promise<{ url: string, requests: () => number }> {
  let count = 0
  const server: Server = createServer((_request, response) => {
    count++
    response.writeHead(200, { 'content-type': 'text/plain' }).end('all ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => await new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`, requests: () => count }
}

async function noticeShows (page: Page, notice: string | RegExp): Promise<void> {
  await page.getByRole('status').filter({ hasText: notice }).waitFor()
}

const missing = chromiumMissing()
if (missing !== undefined && inCi()) {
  t.fail(`the browser test must run in CI, but ${missing}`)
} else {
  t.test('an admin creates an http monitor in a real browser, runs it, and sees it up in the list', { skip: missing ?? false }, async (t) => {
    const { app, baseUrl } = await startHerald(t, { MONITORS_WORKER: 'off' })
    const server = await target(t)
    await app.herald.services.users.create(admin.name, admin.password, 'admin', 'test')
    const checkout = app.herald.services.components.create({ name: 'Checkout' }, 'test')
    const browser = await launchChromium()
    t.teardown(() => browser.close())
    const problems: string[] = []
    // Tokyo, so that a time shown in the admin's zone cannot pass for the UTC one the server writes.
    const context = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-GB', viewport: { width: 1280, height: 900 } })
    context.setDefaultTimeout(stepTimeoutMs)
    const page = await context.newPage()
    watchForProblems(page, 'admin', problems)
    await page.goto(`${baseUrl}/admin/sign-in`)
    await page.getByLabel('User name').fill(admin.name)
    await page.getByLabel('Password').fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()

    await page.getByRole('link', { name: 'Monitors', exact: true }).click()
    await page.getByText('No monitors yet.').waitFor()
    await page.getByRole('link', { name: 'New monitor' }).first().click()
    await page.getByRole('link', { name: /^HTTP/ }).click()
    await page.getByRole('heading', { name: 'New HTTP monitor' }).waitFor()
    await page.getByLabel('Name').fill('Checkout API')
    await page.getByLabel('URL').fill(server.url)
    await page.getByLabel('Keyword').fill('ok')
    await page.getByLabel('Interval (seconds)').fill('30')
    await page.getByLabel('Down after this many failures in a row').fill('1')
    await page.getByLabel('Up after this many successes in a row').fill('1')
    await page.getByLabel('Component').selectOption({ label: 'Checkout' })
    await page.getByRole('button', { name: 'Create the monitor' }).click()
    await noticeShows(page, '“Checkout API” is created.')
    const monitor = app.herald.services.monitors.byName('Checkout API')
    t.match(monitor, { kind: 'http', intervalS: 30, componentId: checkout.id, settings: { url: server.url, keyword: 'ok' } }, 'saved as typed')
    t.equal(await page.locator('[data-state]').first().innerText(), 'Pending', 'pending until it runs')

    // Run now: h3's route runs the check and comes back to the monitor's page.
    await page.getByRole('button', { name: 'Run now' }).click()
    await page.waitForLoadState('load')
    t.equal(new URL(page.url()).pathname, `/admin/monitors/${monitor?.id ?? 0}`, 'back on the monitor')
    await noticeShows(page, /^Ran Checkout API now: the check succeeded in \d+ ms\. It is now up/)
    t.equal(await page.locator('[data-state]').first().innerText(), 'Up', 'up on its page')
    t.ok(server.requests() >= 1, 'the target was asked')
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Monitors' }).click()
    const row = page.locator(`#monitor-${monitor?.id ?? 0}`)
    t.equal((await row.locator('[data-state]').innerText()).trim(), 'Up', 'listed as up after one success')
    const lastCheck = row.locator('td[data-label="Last check"] time')
    t.match(await lastCheck.innerText(), /^(just now|1 minute ago)$/, 'the last check as an age')
    t.match(await lastCheck.getAttribute('title'), /GMT\+9$/, 'and its exact time as its title, in the admin\'s zone')
    t.match(await row.locator('svg.sparkline title').textContent(), /^1 run, latency \d+ to \d+ ms, 0 down$/, 'the sparkline has the run')

    // Pause from its page, then the list filtered by state.
    await row.getByRole('link', { name: 'Checkout API' }).click()
    await page.getByRole('button', { name: 'Pause' }).click()
    await noticeShows(page, /is paused/)
    await page.goto(`${baseUrl}/admin/monitors?state=paused`)
    t.equal(await page.locator('tbody tr').count(), 1, 'the paused filter lists it')

    t.same(problems, [], 'no uncaught error, console error or failed request')
  })

  t.test('the monitor pages at 390 and 1280 px, light and dark: no axe violation, no sideways scroll, fields and focus visible', { skip: missing ?? false }, async (t) => {
    const { app, baseUrl } = await startHerald(t, { MONITORS_WORKER: 'off' })
    await app.herald.services.users.create(admin.name, admin.password, 'admin', 'test')
    const { monitors } = app.herald.services
    const component = app.herald.services.components.create({ name: 'Meetings & calling' }, 'test')
    const http = monitors.create({ name: 'Meetings API with a rather long name for a phone', kind: 'http', url: `https://meetings.example.com/api/v1/health/${'deep/'.repeat(12)}check`, component_id: component.id, keyword: 'ok' }, 'test').monitor
    const tls = monitors.create({ name: 'Sign-in certificate', kind: 'tls', target: 'login.example.com' }, 'test').monitor
    monitors.create({ name: 'Nightly backup', kind: 'heartbeat', interval_seconds: 86_400 }, 'test')
    const store = app.herald.stores.monitors
    const now = Date.now()
    for (let i = 30; i > 0; i--) {
      const down = i % 7 === 0
      store.insertRun({ monitorId: http.id, at: new Date(now - i * 60_000).toISOString(), result: down ? 'down' : 'up', latencyMs: down ? null : 80 + (i % 5) * 40, statusCode: down ? null : 200, error: down ? `connect ECONNREFUSED 10.0.0.5:443 after a very long wait ${'x'.repeat(60)}` : null, inMaintenance: false })
    }
    store.saveStatus(http.id, { state: 'down', stateSince: new Date(now - 60_000).toISOString(), failures: 3, successes: 0, lastRunAt: new Date(now - 60_000).toISOString(), lastResult: 'down', lastLatencyMs: null, lastError: 'connect ECONNREFUSED' })
    store.insertEvent({ monitorId: http.id, at: new Date(now - 60_000).toISOString(), oldState: 'up', newState: 'down', reason: '3 failures in a row: connect ECONNREFUSED' })
    const cert = (days: number, name: string): Parameters<typeof store.setCertificate>[1] => ({ fingerprint: `F${days}`, subject: `CN=${name}`, issuer: 'CN=Example CA, O=Example', names: [name, `www.${name}`], validFrom: new Date(now - 60 * 86_400_000).toISOString(), expiresAt: new Date(now + days * 86_400_000).toISOString() })
    store.setCertificate(tls.id, cert(5, 'login.example.com'))
    store.setCertificate(http.id, cert(40, 'meetings.example.com'))
    store.addWarning({ monitorId: tls.id, fingerprint: 'F5', days: 7, expiresAt: new Date(now + 5 * 86_400_000).toISOString(), createdAt: new Date(now).toISOString() })

    const browser = await launchChromium()
    t.teardown(() => browser.close())
    const problems: string[] = []
    const page = await (await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB', viewport: { width: 1280, height: 900 } })).newPage()
    watchForProblems(page, 'admin', problems)
    await page.goto(`${baseUrl}/admin/sign-in`)
    await page.getByLabel('User name').fill(admin.name)
    await page.getByLabel('Password').fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()

    const refusedForm = async (page: Page): Promise<void> => {
      await page.getByLabel('Name').fill('Refused')
      await page.getByLabel('URL').fill('ftp://example.com/')
      await page.getByLabel('Headers').fill('not a header')
      await page.getByRole('button', { name: 'Create the monitor' }).click()
      await page.locator('#headers[aria-invalid="true"]').waitFor()
    }
    const pages: Array<[string, string, ((page: Page) => Promise<void>)?]> = [
      ['admin dashboard with monitors', '/admin'],
      ['monitor list', '/admin/monitors'],
      ['new monitor: the kinds', '/admin/monitors/new'],
      ['new http monitor', '/admin/monitors/new?kind=http'],
      ['new http monitor, refused', '/admin/monitors/new?kind=http', refusedForm],
      ['a down http monitor', `/admin/monitors/${http.id}`],
      ['a tls monitor', `/admin/monitors/${tls.id}`],
      ['edit an http monitor', `/admin/monitors/${http.id}/edit`],
      ['delete confirmation', `/admin/monitors/${http.id}/delete`]
    ]
    for (const [label, path, prepare] of pages) {
      for (const [place, findings] of await auditAtEveryWidth(page, baseUrl + path, label, prepare)) {
        t.same(findings, [], `${place}: no axe violation, no horizontal scroll, no word broken inside`)
      }
      for (const scheme of colorSchemes) {
        await page.emulateMedia({ colorScheme: scheme })
        t.same(await controlsHardToSee(page), [], `${label}, ${scheme}: fields and focus outlines at 3:1 or more`)
      }
    }
    const refusal = `${baseUrl}/admin/monitors`
    const expected = (problem: string): boolean => problem === `admin: 400 for POST ${refusal}` ||
      (problem.startsWith('admin: console error: Failed to load resource: the server responded with a status of 400') && problem.endsWith(`(${refusal})`))
    t.same(problems.filter((problem) => !expected(problem)), [], 'no uncaught error, console error or failed request on any page')
  })
}
