// The admin Appearance page: admins only, one multipart form saved as one audited write, and every field's bad input refused beside it with nothing stored.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build } from '../fixtures/build.js'
import { gifStart, htmlPage, icoStart, otherPng, svgWithScript, tinyPng } from '../fixtures/images.js'
import { storedRows } from '../fixtures/stored.js'
import { fieldError, inputValue, markedInvalid } from './fixtures/admin-forms.js'
import { type AdminSession, type FormFields, type FormFile, withUsers } from './fixtures/admin-session.js'

const page = '/admin/appearance'
const valid: FormFields = { accent: '', siteLink: '', supportLink: '', refreshSeconds: '60' }

async function save (session: AdminSession, fields: FormFields, files: Record<string, FormFile> = {}): ReturnType<AdminSession['post']> {
  return await session.postMultipart(page, { ...valid, ...fields }, files, { formPage: page })
}

function png (name = 'logo.png', data: Uint8Array = tinyPng): FormFile {
  return { filename: name, type: 'image/png', data }
}

function rows (app: FastifyInstance): Record<string, unknown[]> {
  return storedRows(app.herald.stores.db)
}

t.test('the Appearance page is for admins: in their navigation, refused to an editor, sign-in first for anyone else', async (t) => {
  const app = await build(t)
  const { admin, editor, anonymous } = await withUsers(app)
  const shown = await admin.get(page)
  t.equal(shown.statusCode, 200)
  t.match(shown.body, '<a href="/admin/appearance" aria-current="page">Appearance</a>', 'linked in the navigation, marked current')
  t.match(shown.body, 'enctype="multipart/form-data"')
  t.match(shown.body, /<input type="file" id="logoLight" name="logoLight"/)
  t.notMatch((await editor.get('/admin')).body, '/admin/appearance', 'an editor’s navigation has no link')
  t.equal((await editor.get(page)).statusCode, 403)
  const before = rows(app)
  t.equal((await save(editor, { accent: '#000000' }, { logoLight: png() })).statusCode, 403, 'an editor cannot save')
  t.same(rows(app), before, 'nothing stored for an editor')
  const away = await anonymous.get(page)
  t.equal(away.statusCode, 302)
  t.match(away.headers.location, '/admin/sign-in?next=%2Fadmin%2Fappearance')
})

t.test('everything saved at once: stored, audited, shown again', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const response = await save(admin, { accent: ' #1F6F43 ', siteLink: 'https://example.com', supportLink: 'https://example.com/help?from=status', autoRefresh: 'on', refreshSeconds: '120' }, {
    // Named .svg and claimed as SVG, but a PNG: Herald goes by the bytes.
    logoLight: { filename: 'logo.svg', type: 'image/svg+xml', data: tinyPng },
    logoDark: png('dark.png', otherPng),
    favicon: { filename: 'favicon.ico', type: 'image/vnd.microsoft.icon', data: icoStart }
  })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, page)
  const appearance = app.herald.services.appearance.current()
  t.match(appearance, {
    accent: '#1f6f43',
    siteLink: 'https://example.com/',
    supportLink: 'https://example.com/help?from=status',
    autoRefresh: true,
    refreshSeconds: 120,
    images: { logo_light: { contentType: 'image/png' }, logo_dark: { contentType: 'image/png' }, favicon: { contentType: 'image/x-icon' } }
  })
  t.not(appearance.images.logo_light?.hash, appearance.images.logo_dark?.hash)

  const shown = await admin.get(page)
  t.match(shown.body, 'The appearance is saved')
  t.equal(inputValue(shown.body, 'accent'), '#1f6f43')
  t.equal(inputValue(shown.body, 'supportLink'), 'https://example.com/help?from=status')
  t.equal(inputValue(shown.body, 'refreshSeconds'), '120')
  t.match(shown.body, /id="autoRefresh" name="autoRefresh" value="on" checked/)
  t.match(shown.body, `<img src="/brand/${appearance.images.logo_light?.hash ?? ''}.png" alt="The current Logo">`)
  t.match(shown.body, `/brand/${appearance.images.favicon?.hash ?? ''}.ico`)
  t.match(shown.body, /light scheme #1f6f43 \([\d.]+:1\)/, 'the accent as each scheme shows it, with its ratio')

  const [entry] = app.herald.stores.audit.list(1)
  t.match(entry, { actor: 'user:alice', action: 'appearance.edit', incidentId: null })
  t.match(entry?.detail, { before: { accent: null, autoRefresh: false, logo_light: null }, after: { accent: '#1f6f43', autoRefresh: true, refreshSeconds: 120, logo_light: appearance.images.logo_light?.hash.slice(0, 12) } })
  t.match((await admin.get('/admin/audit')).body, 'Changed the appearance of the public page')

  // Saved again unchanged: the images stay (an empty file input is no change).
  t.equal((await save(admin, { accent: '#1f6f43', siteLink: 'https://example.com', supportLink: '', refreshSeconds: '120' }, { logoLight: { filename: '', data: '' } })).statusCode, 303)
  const again = app.herald.services.appearance.current()
  t.equal(again.images.logo_light?.hash, appearance.images.logo_light?.hash, 'the logo is kept')
  t.equal(again.supportLink, null, 'a link emptied is removed')
  t.equal(again.autoRefresh, false, 'an unticked box turns auto-refresh off')
})

t.test('each field refuses its bad input beside the field, keeps what was typed, and stores nothing', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const big = Buffer.concat([tinyPng, Buffer.alloc(600 * 1024)])
  const cases: Array<[string, string, FormFields, Record<string, FormFile>, RegExp]> = [
    ['a colour name', 'accent', { accent: 'red' }, {}, /# and six hexadecimal digits/],
    ['a colour with a control character', 'accent', { accent: '#aabb\u0007c' }, {}, /# and six hexadecimal digits/],
    ['a colour that breaks out of CSS', 'accent', { accent: '#fff;}body{display:none' }, {}, /# and six hexadecimal digits/],
    ['a huge colour', 'accent', { accent: '#'.repeat(5000) }, {}, /at most 100 characters/],
    ['a javascript: link', 'siteLink', { siteLink: 'javascript:alert(1)' }, {}, /https:\/\/ or http:\/\//],
    ['a javascript: link in capitals', 'supportLink', { supportLink: 'JavaScript:alert(document.cookie)' }, {}, /https:\/\/ or http:\/\//],
    ['a data: link', 'supportLink', { supportLink: 'data:text/html,<script>alert(1)</script>' }, {}, /https:\/\/ or http:\/\//],
    ['an ftp link', 'siteLink', { siteLink: 'ftp://example.com/' }, {}, /https:\/\/ or http:\/\//],
    ['a link with a password', 'siteLink', { siteLink: 'https://admin:secret@example.com/' }, {}, /https:\/\/ or http:\/\//],
    ['a link with a control character', 'siteLink', { siteLink: 'https://example.com/\u0000' }, {}, /https:\/\/ or http:\/\//],
    ['a link with a bidi override', 'supportLink', { supportLink: 'https://example.com/\u202Egpj.exe' }, {}, /https:\/\/ or http:\/\//],
    ['a link with an attribute break-out', 'supportLink', { supportLink: '"><script>alert(1)</script>' }, {}, /https:\/\/ or http:\/\//],
    ['a huge link', 'siteLink', { siteLink: `https://example.com/${'x'.repeat(3000)}` }, {}, /at most 2000 characters/],
    ['too short an interval', 'refreshSeconds', { refreshSeconds: '10' }, {}, /from 30 to 3600/],
    ['too long an interval', 'refreshSeconds', { refreshSeconds: '3601' }, {}, /from 30 to 3600/],
    ['an interval in words', 'refreshSeconds', { refreshSeconds: 'sixty' }, {}, /whole number of seconds/],
    ['an interval in exponent form', 'refreshSeconds', { refreshSeconds: '1e3' }, {}, /whole number of seconds/],
    ['an empty interval', 'refreshSeconds', { refreshSeconds: '' }, {}, /whole number of seconds/],
    ['a checkbox with another value', 'autoRefresh', { autoRefresh: 'yes' }, {}, /Tick the box/],
    ['an SVG with a script', 'logoLight', {}, { logoLight: { filename: 'logo.svg', type: 'image/svg+xml', data: svgWithScript } }, /SVG and other text files are not taken/],
    ['an SVG named .png', 'logoLight', {}, { logoLight: { filename: 'logo.png', type: 'image/png', data: svgWithScript } }, /SVG and other text files are not taken/],
    ['an HTML page as a favicon', 'favicon', {}, { favicon: { filename: 'favicon.ico', type: 'image/x-icon', data: htmlPage } }, /SVG and other text files are not taken .*: upload a PNG, ICO, JPEG or WebP file/],
    ['a GIF', 'logoDark', {}, { logoDark: { filename: 'logo.gif', type: 'image/gif', data: gifStart } }, /not a PNG, JPEG or WebP image: Herald reads what the file holds, not its name/],
    ['an icon as a logo', 'logoLight', {}, { logoLight: { filename: 'logo.png', type: 'image/png', data: icoStart } }, /not a PNG, JPEG or WebP image/],
    ['an empty file with a name', 'logoLight', {}, { logoLight: png('logo.png', Buffer.alloc(0)) }, /not a PNG, JPEG or WebP image/],
    ['a file over 512 KiB', 'logoLight', {}, { logoLight: png('logo.png', big) }, /This file is 601 KiB: the largest Herald takes is 512 KiB/],
    ['a new file and removing the old at once', 'favicon', { removeFavicon: 'on' }, { favicon: png() }, /not both/],
    // A good file with a bad field beside it: the file is not stored either.
    ['a good logo beside a bad colour', 'accent', { accent: 'blue' }, { logoLight: png() }, /# and six hexadecimal digits/]
  ]
  for (const [what, field, fields, files, message] of cases) {
    const before = rows(app)
    const response = await save(admin, fields, files)
    t.equal(response.statusCode, 400, `${what}: 400`)
    t.match(fieldError(response.body, field), message, `${what}: said beside ${field}`)
    t.ok(markedInvalid(response.body, field), `${what}: ${field} marked invalid`)
    t.notMatch(response.body, /<script>alert/, `${what}: nothing typed runs`)
    t.same(rows(app), before, `${what}: nothing stored`)
  }
  // What was typed comes back, escaped.
  const typed = await save(admin, { accent: 'red', supportLink: '"><script>alert(1)</script>', refreshSeconds: '45' })
  t.equal(inputValue(typed.body, 'accent'), 'red')
  t.equal(inputValue(typed.body, 'supportLink'), '"><script>alert(1)</script>')
  t.equal(inputValue(typed.body, 'refreshSeconds'), '45')
  t.equal(fieldError(typed.body, 'refreshSeconds'), undefined, 'a good field has no error')

  t.test('every bad field at once: each named', async (t) => {
    const response = await save(admin, { accent: 'x', siteLink: 'javascript:x', supportLink: 'ftp://x', refreshSeconds: '1' }, { logoLight: { filename: 'a.svg', data: svgWithScript } })
    t.equal(response.statusCode, 400)
    for (const field of ['accent', 'siteLink', 'supportLink', 'refreshSeconds', 'logoLight']) t.ok(fieldError(response.body, field), field)
  })

  t.test('a form sent urlencoded (no files) with text in a file field, or with wrong types', async (t) => {
    const before = rows(app)
    const response = await admin.post(page, { ...valid, logoLight: 'logo.png' })
    t.equal(response.statusCode, 400)
    t.match(fieldError(response.body, 'logoLight'), /takes a file, not text/)
    const twice = await admin.post(page, { ...valid, accent: ['#000000', '#ffffff'] })
    t.equal(twice.statusCode, 400, 'a field sent twice')
    t.ok(fieldError(twice.body, 'accent'))
    const missing = await admin.post(page, { accent: '' })
    t.equal(missing.statusCode, 400, 'fields missing')
    t.match(fieldError(missing.body, 'refreshSeconds'), /required/)
    t.same(rows(app), before, 'nothing stored')
    // Without a file field, the text values alone are saved.
    t.equal((await admin.post(page, { ...valid, accent: '#123456' })).statusCode, 303)
    t.equal(app.herald.services.appearance.current().accent, '#123456')
  })

  t.test('a body over the limit or not well-formed is refused with a page, nothing stored', async (t) => {
    const before = rows(app)
    const huge = await save(admin, {}, { logoLight: png('a.png', Buffer.alloc(2 * 1024 * 1024)) })
    t.equal(huge.statusCode, 413)
    t.match(huge.body, 'Too much to send')
    const csrf = await admin.csrfToken(page)
    const broken = await app.inject({
      method: 'POST',
      url: page,
      headers: { 'x-forwarded-proto': 'https', cookie: admin.cookie, 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: `--xyz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--xyz\r\nno headers end`
    })
    t.equal(broken.statusCode, 400)
    t.match(broken.body, 'This request was refused')
    const noBoundary = await app.inject({ method: 'POST', url: page, headers: { 'x-forwarded-proto': 'https', cookie: admin.cookie, 'content-type': 'multipart/form-data' }, payload: 'x' })
    t.equal(noBoundary.statusCode, 400)
    t.same(rows(app), before)
  })

  t.test('without the CSRF token, nothing is stored', async (t) => {
    const before = rows(app)
    const response = await admin.postMultipart(page, { ...valid, accent: '#000000' }, { logoLight: png() }, { csrf: null })
    t.equal(response.statusCode, 403)
    t.same(rows(app), before)
  })
})

t.test('a low-contrast accent is darkened for the light scheme and lightened for the dark one, and the page says so', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  t.equal((await save(admin, { accent: '#ffff00' })).statusCode, 303)
  const shown = (await admin.get(page)).body
  t.match(shown, /Now #ffff00: light scheme #[0-9a-f]{6} \((4\.[5-9]\d|[5-9]\.\d\d|1\d\.\d\d):1, darkened\), dark scheme #ffff00 \([\d.]+:1\)\./)
  t.notMatch(shown, /dark scheme #ffff00 \([\d.]+:1, lightened\)/)
})

t.test('an image is removed by its box; the others stay', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  t.equal((await save(admin, {}, { logoLight: png(), favicon: png('icon.png', otherPng) })).statusCode, 303)
  const stored = app.herald.services.appearance.current().images
  t.match((await admin.get(page)).body, 'name="removeLogoLight"', 'a remove box for what is stored')
  t.equal((await save(admin, { removeLogoLight: 'on', removeLogoDark: 'on' })).statusCode, 303, 'removing what is not there is no error')
  const after = app.herald.services.appearance.current().images
  t.equal(after.logo_light, undefined)
  t.same(after.favicon, stored.favicon)
  t.equal(app.herald.stores.db.prepare('SELECT COUNT(*) FROM appearance_images').pluck().get(), 1, 'the bytes are gone')
  t.match(app.herald.stores.audit.list(1)[0]?.detail, { before: { logo_light: stored.logo_light?.hash.slice(0, 12) }, after: { logo_light: null } })
})
