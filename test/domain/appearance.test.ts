// The branding's pure rules: WCAG contrast, the accent fitted to each scheme, image types by magic number, links, the stored settings.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { accentColours, checkAppearance, parseAppearanceSettings, publicBackgrounds, targetTint, webLink, type AppearanceChange } from '../../server/domain/appearance.js'
import { contrastRatio, fitContrast, overlay, parseHexColour, relativeLuminance } from '../../server/domain/contrast.js'
import { looksLikeMarkup, sniffImageType } from '../../server/domain/image-types.js'
import { gifStart, htmlPage, icoStart, jpegStart, svgWithScript, tinyPng, webpStart } from '../fixtures/images.js'

t.test('relative luminance and contrast ratio follow WCAG 2', async (t) => {
  t.equal(relativeLuminance('#000000'), 0)
  t.equal(relativeLuminance('#ffffff'), 1)
  t.equal(contrastRatio('#000000', '#ffffff'), 21)
  t.equal(contrastRatio('#ffffff', '#000000'), 21, 'the order does not matter')
  t.equal(contrastRatio('#777777', '#777777'), 1)
  // Known values (WebAIM's contrast checker): #767676 is the lightest grey with 4.5:1 on white.
  t.equal(Math.round(contrastRatio('#767676', '#ffffff') * 100) / 100, 4.54)
  t.equal(Math.round(contrastRatio('#0550ae', '#ffffff') * 100) / 100, 7.59)
})

t.test('colours are #rgb or #rrggbb in any case, written as #rrggbb in lower case', async (t) => {
  t.equal(parseHexColour('#ABC'), '#aabbcc')
  t.equal(parseHexColour('#0550AE'), '#0550ae')
  for (const bad of ['', 'red', '0550ae', '#0550a', '#0550aeff', '#12345g', '#\u0000aabbcc', '#aabbcc\n', ' #aabbcc', 'javascript:alert(1)', '#aabbcc;}body{']) {
    t.equal(parseHexColour(bad), undefined, JSON.stringify(bad))
  }
})

t.test('an accent is kept when it reaches 4.5:1, else moved just far enough, on both schemes', async (t) => {
  const kept = accentColours('#0550ae')
  t.same(kept.light, { colour: '#0550ae', ratio: kept.light.ratio, adjusted: false }, 'Herald’s own blue is dark enough for the light scheme')
  t.ok(kept.dark.adjusted, 'and is lightened for the dark one')
  for (const chosen of ['#ffff00', '#000000', '#ffffff', '#777777', '#ff0000', '#00ff00', '#0000ff', '#1f6f43', '#e6edf3'] as const) {
    const { light, dark } = accentColours(chosen)
    for (const background of publicBackgrounds.light) t.ok(contrastRatio(light.colour, background) >= 4.5, `${chosen} on ${background}: ${light.colour}`)
    for (const background of publicBackgrounds.dark) t.ok(contrastRatio(dark.colour, background) >= 4.5, `${chosen} on ${background}: ${dark.colour}`)
    // A link in an update the address points to: its background is tinted with the accent itself.
    t.ok(contrastRatio(light.colour, overlay('#ffffff', light.colour, targetTint)) >= 4.5, `${chosen} on the light highlighted update`)
    t.ok(contrastRatio(dark.colour, overlay('#0d1117', dark.colour, targetTint)) >= 4.5, `${chosen} on the dark highlighted update`)
    // Just far enough: one step less would not do.
    if (light.adjusted) t.ok(contrastRatio(fitContrast(chosen, publicBackgrounds.light, '#000000', 4.4).colour, '#f6f8fa') < light.ratio, `${chosen} light is not moved further than needed`)
  }
  const yellow = accentColours('#ffff00')
  t.ok(yellow.light.adjusted, 'yellow is darkened on light backgrounds')
  t.notOk(yellow.dark.adjusted, 'and kept on dark ones')
  t.equal(yellow.dark.colour, '#ffff00')
})

t.test('the backgrounds the accent is fitted to are the stylesheet’s', async (t) => {
  const css = readFileSync(join(import.meta.dirname, '../../static/herald.css'), 'utf8')
  const [light = '', dark = ''] = css.split('@media (prefers-color-scheme: dark)')
  const value = (block: string, name: string): string | undefined => new RegExp(`--${name}: (#[0-9a-f]{6});`).exec(block)?.[1]
  t.same([value(light, 'bg'), value(light, 'surface')], publicBackgrounds.light)
  t.same([value(dark, 'bg'), value(dark, 'surface')], publicBackgrounds.dark)
  t.match(light, /--link: var\(--accent\);/, 'links take the accent')
  t.match(light, /--focus: var\(--accent\);/, 'focus rings take the accent')
  t.match(css, `.update:target { background: color-mix(in srgb, var(--focus) ${targetTint * 100}%, transparent);`, 'the highlighted update is tinted as the fit assumes')
})

t.test('images are told by their bytes, never their name', async (t) => {
  t.equal(sniffImageType(tinyPng), 'image/png')
  t.equal(sniffImageType(jpegStart), 'image/jpeg')
  t.equal(sniffImageType(webpStart), 'image/webp')
  t.equal(sniffImageType(icoStart), 'image/x-icon')
  for (const [what, bytes] of [['SVG', svgWithScript], ['GIF', gifStart], ['HTML', htmlPage], ['empty', Buffer.alloc(0)], ['PNG cut short', tinyPng.subarray(0, 7)], ['RIFF that is not WebP', Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt ')], ['ICO with no image', Buffer.from([0, 0, 1, 0, 0, 0])]] as const) {
    t.equal(sniffImageType(bytes), undefined, what)
  }
  t.ok(looksLikeMarkup(svgWithScript))
  t.ok(looksLikeMarkup(htmlPage))
  t.ok(looksLikeMarkup(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n<svg/>')])), 'after a byte order mark')
  t.notOk(looksLikeMarkup(tinyPng))
})

t.test('links are http(s) addresses and nothing else', async (t) => {
  t.equal(webLink('https://example.com'), 'https://example.com/')
  t.equal(webLink('http://example.com/support?topic=status#top'), 'http://example.com/support?topic=status#top')
  t.equal(webLink('https://example.com/<script>'), 'https://example.com/%3Cscript%3E', 'markup in a path is percent-encoded, as the browser would')
  for (const bad of [
    'javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'ftp://example.com', 'mailto:help@example.com',
    '//example.com', '/support', 'example.com', 'https://user:secret@example.com/', 'https://example.com/\u0000', 'https://example.com/a b',
    'https://example.com/\u202Eevil', 'https://exa\u200Bmple.com', `https://example.com/${'x'.repeat(2000)}`, 'https://example.com/\uD800', 'java\tscript:alert(1)'
  ]) {
    t.equal(webLink(bad), undefined, JSON.stringify(bad.slice(0, 60)))
  }
})

const valid: AppearanceChange = { accent: '', siteLink: '', supportLink: '', autoRefresh: false, refreshSeconds: 60, images: {} }

t.test('a change is checked as a whole, every wrong field named', async (t) => {
  t.same(checkAppearance(valid).problems, {})
  const checked = checkAppearance({ ...valid, accent: ' #ABC ', siteLink: ' https://example.com ', images: { logo_light: tinyPng, favicon: icoStart, logo_dark: null } })
  t.same(checked.problems, {})
  t.same(checked.settings, { accent: '#aabbcc', siteLink: 'https://example.com/', supportLink: null, autoRefresh: false, refreshSeconds: 60 })
  t.equal(checked.images.logo_light?.contentType, 'image/png')
  t.equal(checked.images.favicon?.contentType, 'image/x-icon')
  t.equal(checked.images.logo_dark, null, 'a removal')

  const wrong = checkAppearance({ accent: 'blue', siteLink: 'javascript:alert(1)', supportLink: 'ftp://x', autoRefresh: true, refreshSeconds: 29, images: { logo_light: svgWithScript, logo_dark: icoStart, favicon: Buffer.alloc(512 * 1024 + 1, 0x89) } })
  t.same(Object.keys(wrong.problems).sort(), ['accent', 'favicon', 'logo_dark', 'logo_light', 'refresh_seconds', 'site_link', 'support_link'])
  t.match(wrong.problems.logo_light, /SVG/)
  t.match(wrong.problems.logo_dark, /not a PNG, JPEG or WebP image/, 'an icon is no logo')
  t.match(wrong.problems.favicon, /513 KiB: the largest Herald takes is 512 KiB/)
  t.match(wrong.problems.refresh_seconds, /from 30 to 3600/)
  for (const seconds of [3601, 1.5, Number.NaN, -60]) t.ok(checkAppearance({ ...valid, refreshSeconds: seconds }).problems.refresh_seconds, String(seconds))
  for (const seconds of [30, 3600]) t.notOk(checkAppearance({ ...valid, refreshSeconds: seconds }).problems.refresh_seconds, String(seconds))
})

t.test('stored settings that do not parse fall back to the defaults, field by field', async (t) => {
  t.same(parseAppearanceSettings(undefined), { accent: null, siteLink: null, supportLink: null, autoRefresh: false, refreshSeconds: 60 })
  t.same(parseAppearanceSettings('not json'), parseAppearanceSettings(undefined))
  t.same(parseAppearanceSettings('[1]'), parseAppearanceSettings(undefined))
  t.same(parseAppearanceSettings(JSON.stringify({ accent: 'red', siteLink: 'javascript:alert(1)', supportLink: 'https://example.com/help', autoRefresh: 'yes', refreshSeconds: 5 })),
    { accent: null, siteLink: null, supportLink: 'https://example.com/help', autoRefresh: false, refreshSeconds: 60 })
  t.same(parseAppearanceSettings(JSON.stringify({ accent: '#112233', autoRefresh: true, refreshSeconds: 120 })),
    { accent: '#112233', siteLink: null, supportLink: null, autoRefresh: true, refreshSeconds: 120 })
})
