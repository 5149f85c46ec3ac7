// A real browser runs incident TM202916 from the admin UI, and the public page is checked after every step.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import twitterText from 'twitter-text'
import { SetupService } from '../../server/services/setup-service.js'
import { tempDir } from '../fixtures/build.js'
import { otherPng, svgWithScript, tinyPng } from '../fixtures/images.js'
import { chromiumMissing, inCi, isPng, launchChromium, watchForProblems } from './fixtures/chromium.js'
import { startHerald } from './fixtures/live-herald.js'

const admin = { name: 'alice', password: 'correct horse battery staple' }
const incidentName = 'Users may be unable to access Microsoft Teams'
const firstMessage = 'We are investigating reports that users cannot send messages in **Teams chat**.'
const identifiedMessage = 'We identified a faulty configuration change and are rolling it back.'
const resolvedMessage = 'Teams chat works again for everyone. We are sorry for the disruption.'
// A step takes well under a second on an idle machine: a wait this long means the page is not what the test expects.
const stepTimeoutMs = 10_000

/** What a person reads in an element: its rendered text, without the spaces around it. */
async function text (locator: Locator): Promise<string> {
  return (await locator.innerText()).trim()
}

/** Waits for the one-time notice a change leaves on the next page (POST, redirect, GET). */
async function noticeShows (page: Page, notice: string): Promise<void> {
  await page.getByRole('status').filter({ hasText: notice }).waitFor()
}

/** The public status page's components, as [name, status] in page order. */
async function publicComponents (page: Page): Promise<string[][]> {
  const names = await page.locator('li.component .component-name').allTextContents()
  const statuses = await page.locator('li.component .component-status').allTextContents()
  return names.map((name, index) => [name.trim(), (statuses[index] ?? '').trim()])
}

/**
 * A visitor's tab in its own context (no admin cookie). Its HTTP cache is off: public pages may be
 * cached for 10 s by design (max-age=10), and each check is about what Herald serves right after a
 * change. (The Network domain must be enabled for setCacheDisabled to take effect.)
 */
async function visitorTab (context: BrowserContext): Promise<Page> {
  context.setDefaultTimeout(stepTimeoutMs)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  return page
}

const missing = chromiumMissing()
if (missing !== undefined && inCi()) {
  t.fail(`the browser test must run in CI, but ${missing}`)
} else {
  t.test('an admin runs incident TM202916 in a real browser, and the public page follows', { skip: missing ?? false }, async (t) => {
    const shots = tempDir(t)
    // A social channel on (its worker off: nothing is sent), so the forms have the social post and its preview.
    const { app, baseUrl } = await startHerald(t, { TWITTER_API_KEY: 'k', TWITTER_API_SECRET: 's', TWITTER_ACCESS_TOKEN: 't', TWITTER_ACCESS_SECRET: 'a', SOCIAL_WORKER: 'off' })
    const browser = await launchChromium()
    t.teardown(() => browser.close())

    const problems: string[] = []
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    adminContext.setDefaultTimeout(stepTimeoutMs)
    const page = await adminContext.newPage()
    watchForProblems(page, 'admin', problems)
    const visitor = await visitorTab(await browser.newContext({ viewport: { width: 1280, height: 900 } }))
    watchForProblems(visitor, 'public', problems)
    const at = (path: string): string => `${baseUrl}${path}`

    // First run: the setup link (as `herald serve` prints it) creates the first admin, who is then signed in.
    const setupToken = new SetupService(app.herald.services.context).issue()
    if (setupToken === undefined) throw new Error('a fresh database must wait for its first admin')
    await page.goto(at(`/admin/setup?token=${setupToken}`))
    await page.getByLabel('User name').fill(admin.name)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByLabel('The same password again').fill(admin.password)
    await page.getByRole('button', { name: 'Create the admin and sign in' }).click()
    await noticeShows(page, `Welcome, ${admin.name}: you are the first admin.`)
    t.equal(page.url(), at('/admin'), 'setup lands on the dashboard')

    // Out, and back in through the sign-in form.
    await page.getByRole('button', { name: `Sign out ${admin.name}` }).click()
    await noticeShows(page, 'You are signed out.')
    const sessionCookie = (await adminContext.cookies()).find((cookie) => cookie.name === 'herald_session')
    t.notOk(sessionCookie?.secure, 'over plain http the session cookie is not Secure, so the browser keeps it')
    await page.getByLabel('User name').fill(admin.name)
    await page.getByLabel('Password').fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    t.equal(page.url(), at('/admin'), 'signed in, on the dashboard')
    t.equal(await text(page.locator('.dash-status .banner strong')), 'All Systems Operational', 'the dashboard says what the public sees')

    // At 1280 px the navigation has a line of its own, and "Sign out" stays up with the name, never alone on a line.
    const tops = await page.locator('.admin-nav a').evaluateAll((links) => [...new Set(links.map((link) => Math.round(link.getBoundingClientRect().top)))])
    t.equal(tops.length, 1, 'every navigation link on one line')
    const signOutBox = await page.getByRole('button', { name: `Sign out ${admin.name}` }).boundingBox()
    const nameBox = await page.locator('.site-name').boundingBox()
    t.ok(signOutBox !== null && nameBox !== null && Math.abs(signOutBox.y + signOutBox.height / 2 - (nameBox.y + nameBox.height / 2)) < nameBox.height,
      '"Sign out" is on the line of the site name')

    await visitor.goto(at('/'))
    t.equal(await text(visitor.locator('#overall-status')), 'All Systems Operational', 'public: all operational before anything exists')
    t.equal(await text(visitor.locator('.components .empty')), 'No components yet.')

    // Two components in a new group, through the components page.
    await page.getByRole('link', { name: 'Components', exact: true }).click()
    for (const name of ['Teams chat', 'Sign-in']) {
      await page.getByLabel('Name', { exact: true }).fill(name)
      await page.getByLabel('Group').fill('Microsoft Teams')
      await page.getByRole('button', { name: 'Add component' }).click()
      await noticeShows(page, `“${name}” is added.`)
    }
    t.equal(await page.getByRole('heading', { name: 'Group: Microsoft Teams', exact: true }).count(), 1, 'admin: the new group')
    t.same(await page.locator('.admin-group .row-name').allTextContents(), ['Teams chat', 'Sign-in'], 'admin: both in the group, in order')

    await visitor.reload()
    t.equal(await text(visitor.locator('#overall-status')), 'All Systems Operational')
    t.equal(await text(visitor.locator('.group-head h3')), 'Microsoft Teams', 'public: the group is shown')
    t.same(await publicComponents(visitor), [['Teams chat', 'Operational'], ['Sign-in', 'Operational']], 'public: both components, operational')

    // Open TM202916: Teams chat in partial outage, the impact left to follow the components.
    await page.getByRole('link', { name: 'Incidents', exact: true }).click()
    await page.getByText('No incidents yet.').waitFor()
    await page.getByRole('link', { name: 'Open a new incident' }).click()
    // The impact's first choice is read whole: the select is as wide as its longest text.
    const impact = page.getByLabel('Impact')
    // Run in the page; the tests are typed without the DOM library, hence its globals through globalThis.
    const fit = await impact.evaluate((select: any) => {
      const page = globalThis as any
      const style = page.getComputedStyle(select)
      const context = page.document.createElement('canvas').getContext('2d')
      context.font = `${String(style.fontWeight)} ${String(style.fontSize)} ${String(style.fontFamily)}`
      // The arrow and the padding take about 2.5 em of the select.
      return { text: Math.ceil(context.measureText(select.selectedOptions[0].text).width), room: select.clientWidth - 2.5 * parseFloat(style.fontSize) }
    })
    t.ok(fit.text <= fit.room, `the impact select shows its text whole (${fit.text} px in ${fit.room} px)`)
    await page.getByLabel('Name', { exact: true }).fill(incidentName)
    // A reference check that fails says so, rather than leaving the hint as it was.
    const checkFails = problems.length
    await page.route('**/admin/incidents/reference-check*', async (route) => await route.abort())
    await page.getByLabel(/^Reference/).fill('TM2029')
    await page.locator('[data-reference-message]').filter({ hasText: 'The reference could not be checked just now' }).waitFor()
    await page.unroute('**/admin/incidents/reference-check*')
    t.match(problems.splice(checkFails).join('\n'), /reference-check/, 'the failed check was the only problem')
    await page.getByLabel(/^Reference/).fill('TM202916')
    await page.locator('[data-reference-message]').filter({ hasText: 'TM202916 is free.' }).waitFor()
    await page.getByLabel(/Teams chat/).selectOption({ label: 'Partial Outage' })
    t.equal(await page.getByLabel('Impact').inputValue(), '', 'the impact follows the components')
    t.equal(await page.getByLabel('Status', { exact: true }).inputValue(), 'investigating')

    // The live preview (JavaScript on): the message as the page will show it, and the post's weighted count.
    const body = page.getByLabel('First message')
    await body.pressSequentially(firstMessage)
    const previewHtml = page.locator('[data-preview-html]')
    await previewHtml.locator('strong', { hasText: 'Teams chat' }).waitFor()
    t.match(await text(previewHtml), 'users cannot send messages in Teams chat.', 'the preview shows the message rendered')
    const post = page.locator('[data-preview-post]')
    const count = page.locator('[data-preview-count]')
    const postText = await text(post)
    t.match(postText, /^\[Investigating\] TM202916 Users may be unable to access Microsoft Teams: We are investigating reports/, 'the post as it will be sent')
    t.equal(await text(count), `${twitterText.parseTweet(postText).weightedLength} / 280`, 'the count is the post weighed as Twitter does')
    const before = Number((await text(count)).split(' ')[0])
    // An emoji weighs 2 and the space before it 1.
    await body.press('End')
    await body.pressSequentially(' 🙂')
    await post.filter({ hasText: '🙂' }).waitFor()
    t.equal(await text(count), `${before + 3} / 280`, 'the count follows the typing: a space and an emoji weigh 3')
    await body.press('Backspace')
    await body.press('Backspace')
    await post.filter({ hasNotText: '🙂' }).waitFor()

    await page.getByRole('button', { name: 'Open incident' }).click()
    await noticeShows(page, 'Incident TM202916 is open.')
    t.equal(page.url(), at('/admin/incidents/TM202916'), 'opening lands on the incident page')
    t.equal(await text(page.getByRole('heading', { level: 1 })), incidentName)
    t.equal(await text(page.locator('.incident-state .update-status')), 'Investigating')
    t.equal(await text(page.locator('.incident-facts .impact-badge')), 'Major', 'a partial outage gives a major impact')

    // Public: a partial outage is a major indicator, which Statuspage words "Partial System Outage".
    await visitor.reload()
    t.equal(await text(visitor.locator('#overall-status')), 'Partial System Outage', 'public banner during the outage')
    const card = visitor.locator('.notices .incident-card')
    t.equal(await card.count(), 1, 'public: one open incident')
    t.equal(await text(card.locator('h3')), incidentName)
    t.equal(await text(card.locator('.update .update-status')), 'Investigating')
    t.equal(await text(card.locator('.update .update-body')), 'We are investigating reports that users cannot send messages in Teams chat.')
    t.equal(await text(card.locator('.update .update-body strong')), 'Teams chat', 'the message is shown as Markdown renders it')
    t.same(await publicComponents(visitor), [['Teams chat', 'Partial Outage'], ['Sign-in', 'Operational']], 'public: only Teams chat is affected')

    await card.getByRole('link', { name: incidentName }).click()
    await visitor.waitForURL(at('/incidents/TM202916'))
    t.equal(await text(visitor.locator('.incident-page h1')), incidentName)
    t.same(await visitor.locator('.timeline .update-status').allTextContents(), ['Investigating'], 'public incident page: the first update')

    // Choosing "Resolved" proposes Teams chat back to operational; going back un-proposes it.
    const status = page.getByLabel('Status', { exact: true })
    const teamsChat = page.getByLabel(/Teams chat/)
    t.equal(await teamsChat.inputValue(), 'partial_outage', 'the update form starts at the current statuses')
    await status.selectOption({ label: 'Resolved' })
    t.equal(await teamsChat.inputValue(), 'operational', 'resolving proposes the affected component back to operational')
    t.ok(await page.locator('[data-resolve-hint]').isVisible(), 'and says so')
    await status.selectOption({ label: 'Identified' })
    t.equal(await teamsChat.inputValue(), 'partial_outage', 'another status takes the proposal back')

    // An "identified" update, components unchanged, typed as the session ends: signing in again brings it back.
    await page.getByLabel('Message', { exact: true }).fill(identifiedMessage)
    // The live preview asks the server 300 ms after the typing: let it answer before the session ends, or
    // on a slow machine its request is refused too.
    await page.locator('[data-preview-html]', { hasText: identifiedMessage }).waitFor()
    app.herald.stores.db.prepare('DELETE FROM sessions').run()
    const sessionEnds = problems.length
    await page.getByRole('button', { name: 'Post update' }).click()
    await page.getByRole('link', { name: 'Sign in again' }).click()
    t.match(problems.splice(sessionEnds).join('\n'), /^admin: 403 for POST \S+\/admin\/incidents\/TM202916\/updates\nadmin: console error: Failed to load resource: the server responded with a status of 403 \(Forbidden\) \(\S+\/admin\/incidents\/TM202916\/updates\)$/,
      'the refused form was the only problem')
    await page.getByLabel('User name').fill(admin.name)
    await page.getByLabel('Password').fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('[data-draft-restored]').waitFor()
    t.equal(page.url(), at('/admin/incidents/TM202916'), 'back on the incident page')
    t.equal(await page.getByLabel('Message', { exact: true }).inputValue(), identifiedMessage, 'the message typed before the session ended is back')
    t.equal(await status.inputValue(), 'identified', 'and the status chosen')
    t.match(await text(page.locator('[data-draft-restored]')), /it was not sent/)
    await page.getByRole('button', { name: 'Post update' }).click()
    await noticeShows(page, 'Update posted to TM202916.')
    t.equal(await page.getByLabel('Message', { exact: true }).inputValue(), '', 'once sent, the draft is gone')
    t.equal(await page.locator('[data-draft-restored]').count(), 0)
    t.same(await page.locator('.timeline .update-head .update-status').allTextContents(), ['Identified', 'Investigating'], 'admin timeline, newest first')

    await visitor.reload()
    t.equal(await text(visitor.locator('.incident-state .update-status')), 'Identified', 'public incident page: the latest status')
    t.same(await visitor.locator('.timeline .update-status').allTextContents(), ['Identified', 'Investigating'], 'public: both updates, newest first')
    t.same((await visitor.locator('.timeline .update-body').allInnerTexts()).map((body) => body.trim()), [
      identifiedMessage,
      'We are investigating reports that users cannot send messages in Teams chat.'
    ], 'public: each update with its message')

    // Resolve from the incident page: the form proposes Teams chat back to operational.
    await page.getByRole('link', { name: 'Resolve…' }).click()
    await page.getByRole('heading', { name: 'Resolve the incident' }).waitFor()
    t.equal(await status.inputValue(), 'resolved')
    t.equal(await teamsChat.inputValue(), 'operational', 'the affected component is proposed back to operational')
    t.equal(await page.getByLabel(/Sign-in/).inputValue(), 'operational')
    await page.getByLabel('Message', { exact: true }).fill(resolvedMessage)
    await page.getByRole('button', { name: 'Post and resolve' }).click()
    await noticeShows(page, 'TM202916 is resolved.')
    t.equal(await text(page.locator('.incident-state .update-status')), 'Resolved')
    t.same(await page.locator('.timeline .update-head .update-status').allTextContents(), ['Resolved', 'Identified', 'Investigating'])
    const change = page.locator('.timeline .update').first().locator('.update-changes li')
    t.match(await text(change), /^Teams chat: /, 'the resolving update records the component put back')
    t.same(await change.locator('span:not([aria-hidden]):not(.visually-hidden)').allTextContents(), ['Partial Outage', 'Operational'], 'from partial outage to operational')
    const adminShot = join(shots, 'admin-incident.png')
    await page.screenshot({ path: adminShot, fullPage: true })

    await visitor.reload()
    t.same(await visitor.locator('.timeline .update-status').allTextContents(), ['Resolved', 'Identified', 'Investigating'], 'public incident page: resolved')
    t.match(await text(visitor.locator('.incident-span')), /^Started .+, resolved .+\.$/)
    await visitor.goto(at('/'))
    t.equal(await text(visitor.locator('#overall-status')), 'All Systems Operational', 'public banner once resolved')
    t.equal(await visitor.locator('.notices').count(), 0, 'public: no open incident')
    t.same(await publicComponents(visitor), [['Teams chat', 'Operational'], ['Sign-in', 'Operational']], 'public: both components operational again')
    const past = visitor.locator('.past-incident', { hasText: 'TM202916' })
    t.equal(await text(past.locator('h4 a')), incidentName, 'public: the incident is under past incidents')
    t.equal(await text(past.locator('.past-latest .update-status')), 'Resolved')
    t.equal(await text(past.locator('.update-body')), resolvedMessage)
    const publicShot = join(shots, 'public-status.png')
    await visitor.screenshot({ path: publicShot, fullPage: true })

    for (const shot of [adminShot, publicShot]) {
      const bytes = readFileSync(shot)
      t.ok(bytes.length > 1000 && isPng(bytes), `${shot} is a PNG screenshot`)
    }
    // Scheduling maintenance has the live preview too: the announcement goes out with the status Scheduled.
    await page.getByRole('link', { name: 'Maintenance', exact: true }).click()
    await page.getByRole('link', { name: 'Schedule maintenance' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Database upgrade')
    await page.getByLabel('Announcement').pressSequentially('We upgrade the **database**.')
    await page.locator('[data-preview-html] strong', { hasText: 'database' }).waitFor()
    t.match(await text(page.locator('[data-preview-post]')), /^\[Scheduled\] \S+ Database upgrade: We upgrade the database\./, 'maintenance: the live preview of the announcement')

    // The incident opened at the start went through: its form comes back empty, without a draft.
    await page.goto(at('/admin/incidents/new'))
    t.equal(await page.getByLabel('Name', { exact: true }).inputValue(), '', 'a form sent and answered with a notice leaves no draft')
    t.equal(await page.locator('[data-draft-restored]').count(), 0)

    // An operator in Kolkata (UTC+5:30) types the window in their own time: the page says so, and stores UTC.
    const kolkata = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Kolkata', storageState: await adminContext.storageState() })
    kolkata.setDefaultTimeout(stepTimeoutMs)
    const zoned = await kolkata.newPage()
    watchForProblems(zoned, 'admin in Kolkata', problems)
    await zoned.goto(at('/admin/maintenances/new'))
    // Chromium's ICU names it by its older name.
    t.match(await text(zoned.locator('[data-time-zone-name]')), /^Asia\/(Kolkata|Calcutta)$/, 'the zone shown is the browser\'s')
    await zoned.getByLabel('Name', { exact: true }).fill('Network upgrade')
    await zoned.getByLabel('Reference').fill('MWZONE')
    await zoned.getByLabel('Starts').fill('2099-02-04T15:30')
    await zoned.getByLabel('Ends').fill('2099-02-04T17:30')
    await zoned.getByLabel('Announcement').fill('We upgrade the network.')
    await zoned.getByRole('button', { name: 'Schedule maintenance' }).click()
    await noticeShows(zoned, 'Maintenance MWZONE is scheduled for 4 Feb 2099, 10:00 – 12:00 UTC.')
    t.match(app.herald.services.maintenances.get('MWZONE').maintenance, { scheduledFor: '2099-02-04T10:00:00.000Z', scheduledUntil: '2099-02-04T12:00:00.000Z' }, 'stored in UTC')
    t.equal(await zoned.locator('#move-scheduledFor').inputValue(), '2099-02-04T15:30', 'the stored window shown back in the browser\'s zone')
    t.equal(await zoned.locator('#move-scheduledUntil').inputValue(), '2099-02-04T17:30')

    // A template with presets, chosen in the picker: the script fills the status, the impact and the component selects.
    const chatId = app.herald.services.components.list().find((component) => component.name === 'Teams chat')?.id ?? 0
    app.herald.services.templates.create({ name: 'Chat down', title: '{component} down', body: 'Looking into {component}.', status: 'identified', impact: 'major', componentStatuses: { [chatId]: 'partial_outage' } }, 'cli')
    await zoned.goto(at('/admin/incidents/new'))
    await zoned.getByLabel('Start from a template').selectOption({ label: 'Chat down' })
    t.equal(await zoned.getByLabel('Name', { exact: true }).inputValue(), '{component} down', 'the template fills the name')
    t.equal(await zoned.locator('select[name="status"]').inputValue(), 'identified', 'and the status')
    t.equal(await zoned.locator('select[name="impact"]').inputValue(), 'major', 'and the impact')
    t.equal(await zoned.locator(`select[name="component-${chatId}"]`).inputValue(), 'partial_outage', 'and the component status')
    // An update posted late, its shown time typed in Kolkata time: the same zone field and script as the maintenance forms.
    app.herald.services.incidents.open({ name: 'Late note', body: 'Down.', reference: 'TZLATE', displayAt: '2020-02-03T10:00:00.000Z' }, 'cli')
    await zoned.goto(at('/admin/incidents/TZLATE'))
    t.match(await text(zoned.locator('[data-time-zone-name]')), /^Asia\/(Kolkata|Calcutta)$/, 'the update form says the browser\'s zone')
    await zoned.getByLabel('Message', { exact: true }).fill('It was back by then.')
    await zoned.getByLabel(/^Shown time/).fill('2020-02-03T17:00')
    await zoned.getByRole('button', { name: 'Post update' }).click()
    await noticeShows(zoned, 'Update posted to TZLATE.')
    t.equal(app.herald.services.incidents.get('TZLATE').updates[0]?.displayAt, '2020-02-03T11:30:00.000Z', 'the shown time read in Kolkata time (UTC+5:30)')
    await kolkata.close()

    // Appearance: files and text sent by the browser's own multipart form, and a wrong one refused beside its field.
    await page.getByRole('link', { name: 'Appearance', exact: true }).click()
    await page.getByLabel('Logo', { exact: true }).setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: svgWithScript })
    await page.getByLabel('Accent colour').fill('#1F6F43')
    const problemsBefore = problems.length
    await page.getByRole('button', { name: 'Save the appearance' }).click()
    await page.locator('#logoLight-error').waitFor()
    // The refusal is a 400 by design: the only problem it may leave, taken off the list.
    t.match(problems.splice(problemsBefore).join('\n'), /^admin: 400 for POST \S+\/admin\/appearance(\nadmin: console error: Failed to load resource: [^\n]*400[^\n]*)?$/, 'appearance: refused with a 400')
    t.match(await text(page.locator('#logoLight-error')), /SVG and other text files are not taken/, 'appearance: an SVG is refused beside the logo field')
    t.equal(app.herald.services.appearance.current().accent, null, 'appearance: nothing stored')
    await page.getByLabel('Logo', { exact: true }).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: tinyPng })
    await page.getByLabel('Logo for the dark colour scheme').setInputFiles({ name: 'dark.png', mimeType: 'image/png', buffer: otherPng })
    await page.getByLabel('Support').fill('https://example.com/help')
    await page.getByRole('button', { name: 'Save the appearance' }).click()
    await noticeShows(page, 'The appearance is saved')
    t.match(app.herald.services.appearance.current(), { accent: '#1f6f43', supportLink: 'https://example.com/help', images: { logo_light: { contentType: 'image/png' }, logo_dark: { contentType: 'image/png' } } }, 'appearance: what the browser sent is stored')
    t.equal(app.herald.services.appearance.current().images.favicon, undefined, 'appearance: a file input left empty changes nothing')
    await visitor.goto(at('/'))
    t.ok(await visitor.evaluate<boolean>("(() => { const img = document.querySelector('.site-logo img'); return img.complete && img.naturalWidth > 0 })()"), 'public: the uploaded logo is shown')

    t.same(problems, [], 'no uncaught error, console error (such as a CSP violation) or failed request on any page')

    // The check above can fail: an inline script on an admin page is refused by the CSP, and that is seen.
    const probe = await adminContext.newPage()
    const probeProblems: string[] = []
    watchForProblems(probe, 'probe', probeProblems)
    await probe.goto(at('/admin'))
    const refused = probe.waitForEvent('console', (message) => message.type() === 'error')
    await probe.evaluate("document.body.append(Object.assign(document.createElement('script'), { textContent: 'window.inlineRan = true' }))")
    await refused
    t.equal(await probe.evaluate('window.inlineRan === true'), false, 'the inline script did not run')
    t.match(probeProblems.join('\n'), /Content Security Policy/, 'a CSP violation is recorded as a problem')
  })
}
