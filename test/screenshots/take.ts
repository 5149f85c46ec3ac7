// The README's screenshots, taken from the demo in Debian's chromium: `npm run screenshots` writes status-page.png and admin-incident.png here.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { buildApp } from '../../server/app.js'
import { loadConfig } from '../../server/config.js'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { loadDemo } from '../../server/demo/load-demo.js'
import { createServices } from '../../server/services/services.js'
import { createStores } from '../../server/store/stores.js'
import { chromiumMissing, launchChromium } from '../browser/fixtures/chromium.js'
import { freePort } from '../cli/fixtures/herald-process.js'

const here = fileURLToPath(new URL('.', import.meta.url))
// 11:04 ET on 3 February 2020: the demo's TM202916 lands on its real times, and every run draws the same pages.
const now = new Date('2020-02-03T16:04:00.000Z')
const nextUpdate = "The updated certificate is deployed in **every region** and sign-in works again. We're watching error rates before we resolve this incident."
const admin = { name: 'alice', password: 'correct horse battery staple' }
// The address the pages name, whatever port the server got: every run draws the same pixels.
const publicUrl = 'http://127.0.0.1:3000'
const width = 1280
// Whole pages would be long and heavy for a README: each is cut below the part that makes its point.
const maxHeight = 2400

/** The page as it is now, from its top down to the bottom of the element `endsWith`. */
async function shoot (page: Page, file: string, endsWith: string): Promise<void> {
  // At the top, a box's place in the viewport is its place on the page (filling a field may have scrolled).
  await page.evaluate('window.scrollTo(0, 0)')
  const box = await page.locator(endsWith).boundingBox()
  if (box === null) throw new Error(`${file}: nothing on the page matches ${endsWith}`)
  const height = Math.min(maxHeight, Math.ceil(box.y + box.height) + 32)
  const path = join(here, file)
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height } })
  console.log(`${path}: ${width} × ${height}, ${Math.round(statSync(path).size / 1024)} KB`)
}

async function main (): Promise<void> {
  const missing = chromiumMissing()
  if (missing !== undefined) throw new Error(missing)
  const dir = mkdtempSync(join(tmpdir(), 'herald-screenshots-'))
  try {
    const port = await freePort()
    const baseUrl = `http://127.0.0.1:${port}`
    const config = loadConfig({ DATABASE_PATH: join(dir, 'herald.db'), PUBLIC_URL: publicUrl, SITE_NAME: 'Contoso Status', LOG_LEVEL: 'warn' })
    const clock = (): Date => new Date(now)

    // The demo and an admin, through the services, as `herald demo` and `herald user add` make them.
    const db = openDatabase(config.databasePath)
    migrate(db)
    const stores = createStores(db)
    loadDemo(stores, { now, incidentPrefix: config.incidentPrefix })
    await createServices({ stores, clock, incidentPrefix: config.incidentPrefix }).users.create(admin.name, admin.password, 'admin', 'cli')
    db.close()

    // No background work: nothing is due at this moment, and nothing should move while the pages are drawn.
    const app = await buildApp({ config, clock, background: false })
    await app.listen({ host: '127.0.0.1', port })
    const browser = await launchChromium()
    try {
      const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'UTC', locale: 'en-GB' })
      // The browser's clock at the story's too: the page's script writes ages ("Updated 4 minutes ago") from it.
      await context.clock.setFixedTime(now)
      const page = await context.newPage()
      await page.goto(`${baseUrl}/`)
      await shoot(page, 'status-page.png', 'section.past-incidents')

      await page.goto(`${baseUrl}/admin/sign-in`)
      await page.getByLabel('User name').fill(admin.name)
      await page.getByLabel('Password').fill(admin.password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
      // An update being written, so that the live preview shows the page's text and the social post with its count.
      await page.goto(`${baseUrl}/admin/incidents/TM202916`)
      await page.getByLabel('Message').fill(nextUpdate)
      await page.locator('[data-preview-html]').filter({ hasText: 'every region' }).waitFor()
      await page.getByLabel('Message').blur()
      await shoot(page, 'admin-incident.png', '.timeline > li:first-child')
    } finally {
      await browser.close()
      await app.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
