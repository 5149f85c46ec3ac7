// The branding on the public side: logo, accent, links, favicon and auto-refresh on the pages, in the feeds and the mirror, and a change seen at once.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import type { AppearanceChange } from '../../server/domain/appearance.js'
import { contrastRatio } from '../../server/domain/contrast.js'
import { SiteExport } from '../../server/export/site-export.js'
import { TestClock, build, tempDir } from '../fixtures/build.js'
import { icoStart, otherPng, tinyPng } from '../fixtures/images.js'
import { filesIn } from '../export/fixtures/site.js'
import { addComponent, incident } from './fixtures/seed.js'

const actor = 'user:alice'
const nothing: AppearanceChange = { accent: '', siteLink: '', supportLink: '', autoRefresh: false, refreshSeconds: 60, images: {} }
const branded: AppearanceChange = {
  accent: '#ffff00',
  siteLink: 'https://example.com',
  supportLink: 'https://example.com/help?a=1&b="x"',
  autoRefresh: true,
  refreshSeconds: 120,
  images: { logo_light: tinyPng, logo_dark: otherPng, favicon: icoStart }
}

function brandOf (app: FastifyInstance): { logo: string, dark: string, favicon: string } {
  const { images } = app.herald.services.appearance.current()
  return {
    logo: `/brand/${images.logo_light?.hash ?? ''}.png`,
    dark: `/brand/${images.logo_dark?.hash ?? ''}.png`,
    favicon: `/brand/${images.favicon?.hash ?? ''}.ico`
  }
}

const stylesheetOf = (html: string): string | undefined => /<link rel="stylesheet" href="(\/brand\/[0-9a-f]{64}\.css)">/.exec(html)?.[1]

t.test('without branding: the site name, Herald’s colours and favicon, no refresh', async (t) => {
  const app = await build(t)
  const page = (await app.inject('/')).body
  t.match(page, '<a class="site-name" href="/">Example Status</a>')
  t.equal(stylesheetOf(page), undefined, 'no accent stylesheet')
  t.match(page, '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">')
  t.notMatch(page, /data-refresh-seconds|auto-refresh\.js/)
  t.notMatch(page, 'Company website')
  const favicon = await app.inject('/favicon.ico')
  t.equal(favicon.statusCode, 200, '/favicon.ico is no longer a 404')
  t.equal(favicon.headers['content-type'], 'image/svg+xml')
  t.same(favicon.rawPayload, readFileSync(join(import.meta.dirname, '../../static/favicon.svg')), 'Herald’s own icon')
  t.equal(favicon.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'", 'opened on its own, it runs nothing')
  t.notMatch((await app.inject('/history.rss')).body, '<image>')
  t.notMatch((await app.inject('/history.atom')).body, /<(icon|logo)>/)
})

t.test('with branding: every page, the feeds and the files', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const component = addComponent(app, 'Teams chat')
  const reference = incident(app, clock, { name: 'Chat down', steps: [{ at: '2020-02-03T13:30:00.000Z', status: 'investigating', body: 'Looking.', components: { [component.id]: 'major_outage' } }] })
  // Rendered and cached before the change: what follows must not be these bodies.
  const before = await app.inject('/')
  app.herald.services.appearance.save(branded, actor)
  const brand = brandOf(app)

  const page = await app.inject({ url: '/', headers: { 'if-none-match': String(before.headers.etag) } })
  t.equal(page.statusCode, 200, 'the cached page was dropped: a change of branding is a write')
  const html = page.body
  t.match(html, `<a class="site-name" href="/"><picture class="site-logo"><source srcset="${brand.dark}" media="(prefers-color-scheme: dark)"><img src="${brand.logo}" alt="Example Status"></picture></a>`, 'the logo, its dark variant, the site name as its text')
  t.match(html, `<link rel="icon" href="${brand.favicon}" type="image/x-icon">`)
  t.match(html, '<body data-refresh-seconds="120">', 'the status page refreshes itself')
  t.match(html, /<script src="\/static\/auto-refresh\.js\?v=[\w-]+" defer><\/script>/, 'with its script')
  t.match(html, '<a href="https://example.com/">Company website</a>')
  const support = '<a href="https://example.com/help?a&#x3D;1&amp;b&#x3D;%22x%22">Support</a>'
  t.equal(html.split(support).length - 1, 2, 'support in the header and the footer, escaped')

  for (const url of ['/history', `/incidents/${reference}`, '/nowhere']) {
    const other = (await app.inject(url)).body
    t.match(other, `<img src="${brand.logo}" alt="Example Status">`, `${url}: the logo`)
    t.equal(stylesheetOf(other), stylesheetOf(html), `${url}: the accent`)
    t.notMatch(other, /data-refresh-seconds|auto-refresh\.js/, `${url}: only the status page refreshes itself`)
  }

  t.test('the files, cached for good', async (t) => {
    for (const [url, type, bytes] of [[brand.logo, 'image/png', tinyPng], [brand.dark, 'image/png', otherPng], [brand.favicon, 'image/x-icon', icoStart], ['/favicon.ico', 'image/x-icon', icoStart]] as const) {
      const response = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } })
      t.equal(response.statusCode, 200, url)
      t.equal(response.headers['content-type'], type, `${url}: ${type}`)
      t.same(response.rawPayload, bytes, `${url}: the bytes uploaded`)
      t.equal(response.headers['content-encoding'], undefined, `${url}: not compressed again`)
      if (url.startsWith('/brand/')) t.match(response.headers['cache-control'], 'max-age=31536000', `${url}: named by its hash, kept a year`)
    }
    const stylesheet = await app.inject(stylesheetOf(html) ?? '')
    t.equal(stylesheet.statusCode, 200)
    t.equal(stylesheet.headers['content-type'], 'text/css; charset=utf-8')
    const [light, dark] = [...stylesheet.body.matchAll(/--accent: (#[0-9a-f]{6});/g)].map((match) => match[1] as `#${string}`)
    t.ok(light !== undefined && contrastRatio(light, '#ffffff') >= 4.5 && contrastRatio(light, '#f6f8fa') >= 4.5, `light ${light ?? ''} reaches AA`)
    t.equal(dark, '#ffff00', 'yellow kept on the dark scheme, where it reaches AA')
    t.equal((await app.inject(`/brand/${'0'.repeat(64)}.png`)).statusCode, 404, 'no such image')
    t.equal((await app.inject(brand.logo.replace('.png', '.jpg'))).statusCode, 404, 'an image under another type’s extension')
    t.equal((await app.inject(`/brand/${'0'.repeat(64)}.css`)).statusCode, 404, 'no such stylesheet')
  })

  t.test('the feeds show the logo and the icon', async (t) => {
    const base = app.herald.config.publicUrl
    for (const url of ['/history.rss', `/components/${component.id}/history.rss`]) {
      t.match((await app.inject(url)).body, `<image><url>${base}${brand.logo}</url><title>`, url)
    }
    for (const url of ['/history.atom', `/components/${component.id}/history.atom`]) {
      const atom = (await app.inject(url)).body
      t.match(atom, `<icon>${base}${brand.favicon}</icon>`, url)
      t.match(atom, `<logo>${base}${brand.logo}</logo>`, url)
    }
  })

  t.test('the mirror keeps the images, the stylesheet and the favicon that its pages link', async (t) => {
    const dir = join(tempDir(t), 'mirror')
    const site = new SiteExport(app, dir)
    await site.open()
    t.ok((await site.pass()).complete)
    const files = filesIn(dir)
    for (const url of [brand.logo, brand.dark, brand.favicon, stylesheetOf(html) ?? '']) t.ok(files.includes(url.slice(1)), url)
    t.same(readFileSync(join(dir, 'favicon.ico')), icoStart)
    t.same(readFileSync(join(dir, brand.logo.slice(1))), tinyPng)
    t.match(readFileSync(join(dir, 'index.html'), 'utf8'), '<body data-refresh-seconds="120">', 'the mirrored status page refreshes too')
    t.ok(files.includes('static/auto-refresh.js'), 'with its script')

    // Changed: the old files go, the new ones come, on the next pass.
    app.herald.services.appearance.save({ ...branded, images: { logo_dark: null, favicon: null } }, actor)
    await site.pass()
    const after = filesIn(dir)
    t.notOk(after.includes(brand.dark.slice(1)), 'a removed image leaves the mirror')
    t.ok(after.includes(brand.logo.slice(1)))
    t.same(readFileSync(join(dir, 'favicon.ico')), readFileSync(join(import.meta.dirname, '../../static/favicon.svg')), 'Herald’s favicon again')
  })

  t.test('removed again: the pages, files and favicon go back to Herald’s', async (t) => {
    app.herald.services.appearance.save({ ...nothing, images: { logo_light: null, logo_dark: null, favicon: null } }, actor)
    const plain = (await app.inject('/')).body
    t.match(plain, '<a class="site-name" href="/">Example Status</a>')
    t.equal(stylesheetOf(plain), undefined)
    t.notMatch(plain, /data-refresh-seconds|auto-refresh\.js/)
    t.notMatch(plain, 'Support</a>')
    t.equal((await app.inject(brand.logo)).statusCode, 404, 'the old logo address names nothing now')
    t.equal((await app.inject('/favicon.ico')).headers['content-type'], 'image/svg+xml')
    t.match((await app.inject('/nowhere')).body, '<a class="site-name" href="/">Example Status</a>', 'error pages too')
  })
})

t.test('auto-refresh off keeps its interval but adds nothing to the page', async (t) => {
  const app = await build(t)
  app.herald.services.appearance.save({ ...nothing, autoRefresh: false, refreshSeconds: 300 }, actor)
  t.notMatch((await app.inject('/')).body, /data-refresh-seconds|auto-refresh\.js/)
  t.equal(app.herald.services.appearance.current().refreshSeconds, 300)
  app.herald.services.appearance.save({ ...nothing, autoRefresh: true, refreshSeconds: 300 }, actor)
  t.match((await app.inject('/')).body, '<body data-refresh-seconds="300">')
})

t.test('the service refuses a bad change by itself, on its first wrong field, storing nothing', async (t) => {
  const app = await build(t)
  const { services, stores } = app.herald
  const version = stores.counters.get('content_version')
  for (const [change, field] of [
    [{ ...nothing, accent: 'red', images: { logo_light: tinyPng } }, 'accent'],
    [{ ...nothing, supportLink: 'javascript:alert(1)' }, 'support_link'],
    [{ ...nothing, refreshSeconds: 5 }, 'refresh_seconds'],
    [{ ...nothing, images: { favicon: Buffer.from('<svg onload="alert(1)"/>') } }, 'favicon']
  ] as const) {
    t.throws(() => services.appearance.save(change, actor), { name: 'InvalidInputError', field }, field)
  }
  t.same(services.appearance.current(), { ...services.appearance.current(), accent: null, supportLink: null, images: {} })
  t.equal(stores.counters.get('content_version'), version, 'the public cache was not moved')
  t.equal(stores.audit.list().length, 0, 'nothing audited')
})
