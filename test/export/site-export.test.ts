// herald export's folder: every page of the public site as the live answer, links that lead to files, only changes rewritten.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ExportError } from '../../server/export/export-error.js'
import { SiteExport, manifestName } from '../../server/export/site-export.js'
import { fileOf } from '../../server/export/site-files.js'
import { type TestContext, TestClock, build, tempDir } from '../fixtures/build.js'
import { recordRenders } from '../fixtures/renders.js'
import { actor } from '../public/fixtures/seed.js'
import { filesIn, manifest, seedSite, staleFiles } from './fixtures/site.js'

async function exported (t: TestContext): Promise<{ app: Awaited<ReturnType<typeof build>>, clock: TestClock, dir: string, site: SiteExport, seeded: ReturnType<typeof seedSite> }> {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const seeded = seedSite(app, clock)
  const dir = join(tempDir(t), 'mirror')
  const site = new SiteExport(app, dir)
  await site.open()
  return { app, clock, dir, site, seeded }
}

t.test('the export holds the whole public site, each file byte for byte the live answer at its URL', async (t) => {
  const { app, dir, site, seeded } = await exported(t)
  const summary = await site.pass()
  t.ok(summary.complete)
  const files = filesIn(dir)
  t.same(files.filter((file) => file !== manifestName), Object.keys(manifest(dir)), 'the manifest lists every file, and nothing is left half-written')
  t.equal(summary.files, files.length - 1)
  const components = app.herald.stores.components.list()
  const incidents = app.herald.stores.page.incidentDigests()
  t.equal(incidents.length, 32)
  const expected = [
    'index.html', '404.html', 'badge.svg', 'history.rss', 'history.atom', 'history/index.html', 'history/2/index.html',
    'api/v2/status.json', 'api/v2/summary.json', 'api/v2/components.json', 'api/v2/incidents.json',
    'api/v2/incidents/unresolved.json', 'api/v2/scheduled-maintenances.json', 'api/v2/scheduled-maintenances/upcoming.json',
    'api/v2/scheduled-maintenances/active.json', 'api/v1/openapi.json', 'static/herald.css', 'static/local-time.js', 'static/favicon.svg',
    ...incidents.map((incident) => `incidents/${incident.reference}/index.html`),
    ...components.flatMap((component) => [`components/${component.id}/history.rss`, `components/${component.id}/history.atom`, `components/${component.id}/badge.svg`])
  ]
  for (const file of expected) t.ok(files.includes(file), file)
  t.ok(files.includes(`incidents/${seeded.upcoming}/index.html`), 'an upcoming maintenance has its page')
  t.notOk(files.includes('history/3/index.html'), 'no page past the end')
  t.same(await staleFiles(app, dir), [], 'every file equals the live body')
  t.match(readFileSync(join(dir, '404.html'), 'utf8'), '<h1>Page not found</h1>')
  t.match(readFileSync(join(dir, 'index.html'), 'utf8'), 'Requests fail with 500 &amp; &lt;b&gt;worse&lt;/b&gt;.', 'escaped as on the live page')
})

t.test('every link in the exported pages and feeds leads to a file of the export', async (t) => {
  const { app, dir, site } = await exported(t)
  await site.pass()
  const files = new Set(filesIn(dir))
  const { publicUrl } = app.herald.config
  let checked = 0
  for (const file of files) {
    if (!/\.(html|rss|atom|json)$/.test(file)) continue
    const text = readFileSync(join(dir, file), 'utf8')
    const links = [
      ...[...text.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1] as string),
      ...[...text.matchAll(/<link>([^<]+)<\/link>/g)].map((match) => match[1] as string),
      ...[...text.matchAll(/"(?:url|shortlink)":"([^"]+)"/g)].map((match) => match[1] as string)
    ]
    for (const link of links) {
      const local = link.startsWith(publicUrl) ? link.slice(publicUrl.length) || '/' : link
      // Out of the site (another origin), the admin (not public), or an anchor on the same page.
      if (!local.startsWith('/') || local.startsWith('//') || local.startsWith('/admin')) continue
      // Every page's Subscribe button leads to PUBLIC_URL's live form: a mirror holds no forms (test/subscribers/public-routes.test.ts).
      if (link === `${publicUrl}/subscribe`) continue
      const path = local.replace(/&amp;/g, '&').replace(/[#?].*$/, '')
      t.ok(files.has(fileOf(path)), `${file}: ${link}`)
      checked++
    }
  }
  t.ok(checked > 500, `${checked} links checked`)
})

t.test('a pass renders again only the pages that may have changed, and writes only the files that did', async (t) => {
  const { app, clock, dir, site, seeded } = await exported(t)
  const first = await site.pass()
  t.equal(first.written, first.files, 'the first pass writes everything')
  const pagesWithDigest = 32 + 2
  const alwaysRendered = first.rendered - pagesWithDigest

  const second = await site.pass()
  t.same(second, { files: first.files, rendered: alwaysRendered, written: 0, removed: 0, complete: true }, 'nothing changed: nothing written')

  const before = readFileSync(join(dir, `incidents/${seeded.old}/index.html`))
  clock.advance(60_000)
  const update = app.herald.services.incidents.get(seeded.old).updates[0]
  if (update === undefined) throw new Error('no update')
  app.herald.services.incidents.editUpdate(seeded.old, update.id, 'Fixed: the *certificate* was renewed.', actor)
  const third = await site.pass()
  t.equal(third.rendered, alwaysRendered + 2, 'that incident page and the history page that lists it')
  t.not(readFileSync(join(dir, `incidents/${seeded.old}/index.html`)).toString(), before.toString())
  t.match(readFileSync(join(dir, `incidents/${seeded.old}/index.html`), 'utf8'), '<em>certificate</em>')
  t.same(await staleFiles(app, dir), [])

  app.herald.services.components.patch(app.herald.stores.components.list()[2]?.id ?? 0, { name: 'Chat and calls' }, actor)
  const fourth = await site.pass()
  t.equal(fourth.rendered, alwaysRendered + 32, 'a renamed component may show on every incident page')
  t.same(await staleFiles(app, dir), [])
})

t.test('files of things that are gone are removed, with their folders', async (t) => {
  const { app, dir, site } = await exported(t)
  await site.pass()
  const sign = app.herald.stores.components.list().find((component) => component.name === 'Sign-in')
  if (sign === undefined) throw new Error('no component')
  t.ok(existsSync(join(dir, `components/${sign.id}/badge.svg`)))
  app.herald.services.components.remove(sign.id, actor)
  const summary = await site.pass()
  t.equal(summary.removed, 3)
  t.notOk(existsSync(join(dir, `components/${sign.id}`)), 'the folder went with its files')
  t.notOk(Object.keys(manifest(dir)).some((file) => file.startsWith(`components/${sign.id}/`)))
  t.same(await staleFiles(app, dir), [])
})

t.test('an export only takes an empty folder or its own, and goes on from its manifest', async (t) => {
  const { app, dir, site } = await exported(t)
  const first = await site.pass()

  const again = new SiteExport(app, dir)
  await again.open()
  const next = await again.pass()
  t.equal(next.written, 0, 'a new process trusts the manifest: unchanged files are not rewritten')
  t.equal(next.rendered, first.rendered, 'but renders every page once, as its templates may be new')

  const foreign = join(tempDir(t), 'website')
  mkdirSync(foreign)
  writeFileSync(join(foreign, 'index.html'), 'someone else’s site')
  await t.rejects(new SiteExport(app, foreign).open(), new ExportError(`${foreign} is not empty and holds no Herald export: give an empty or new folder`))
  t.equal(readFileSync(join(foreign, 'index.html'), 'utf8'), 'someone else’s site', 'left alone')

  const broken = join(tempDir(t), 'broken')
  mkdirSync(broken)
  writeFileSync(join(broken, manifestName), '{not json')
  await t.rejects(new SiteExport(app, broken).open(), { name: 'ExportError', message: /cannot read .*\.herald-export\.json/ })
  writeFileSync(join(broken, manifestName), '{"files":{}}')
  await t.rejects(new SiteExport(app, broken).open(), { name: 'ExportError', message: /is not a Herald export manifest/ })

  const file = join(tempDir(t), 'a-file')
  writeFileSync(file, 'x')
  await t.rejects(new SiteExport(app, file).open(), { name: 'ExportError', message: /cannot use .* for the static mirror: it is a file, not a folder$/ })
})

t.test('a manifest edited to name files outside the folder never makes a pass touch them', async (t) => {
  const { app } = await exported(t)
  const root = tempDir(t)
  const dir = join(root, 'mirror')
  mkdirSync(dir)
  writeFileSync(join(root, 'precious.txt'), 'keep me')
  writeFileSync(join(dir, manifestName), JSON.stringify({ herald: 'export', files: { '../precious.txt': 'x', '/etc/hostname': 'y', 'old.html': 'z' } }))
  writeFileSync(join(dir, 'old.html'), 'from an older export')
  const tampered = new SiteExport(app, dir)
  await tampered.open()
  const summary = await tampered.pass()
  t.equal(summary.removed, 1, 'only the file inside the folder that the site no longer has')
  t.equal(readFileSync(join(root, 'precious.txt'), 'utf8'), 'keep me')
  t.notOk(existsSync(join(dir, 'old.html')))
  t.notOk(Object.keys(manifest(dir)).some((file) => file.includes('..') || file.startsWith('/')))
})

t.test('a pass stopped half-way leaves complete files and a manifest of them', async (t) => {
  const { app, dir, site } = await exported(t)
  let asked = 0
  const summary = await site.pass(() => ++asked > 20)
  t.notOk(summary.complete)
  t.equal(summary.files, 20)
  t.same(filesIn(dir).filter((file) => file !== manifestName), Object.keys(manifest(dir)))
  t.same(await staleFiles(app, dir), [])
  const rest = await site.pass()
  t.ok(rest.complete)
  t.equal(rest.written, rest.files - 20, 'the next pass writes the rest')
})

t.test('a pass shares the live cache for the pages visitors read, and renders the others past it', async (t) => {
  const { app, site } = await exported(t)
  await site.pass()
  app.herald.services.components.create({ name: 'Webhooks' }, actor)
  const rendered = recordRenders(app)
  t.equal((await app.inject('/')).statusCode, 200, 'a visitor reads the status page after the write')
  await site.pass()
  t.same(rendered.filter((template) => template === 'status.hbs'), ['status.hbs'], 'the pass took the visitor’s render of /')
  const incidents = app.herald.stores.page.incidentDigests().length
  t.equal(rendered.filter((template) => template === 'incident.hbs').length, incidents, 'a new component may show on any incident page: each is rendered again, past the cache')
  t.equal((await app.inject('/incidents/' + (app.herald.stores.page.incidentDigests()[0]?.reference ?? ''))).statusCode, 200)
  t.equal(rendered.filter((template) => template === 'incident.hbs').length, incidents + 1, 'which the cache did not keep')
})
