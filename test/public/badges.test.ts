// Status badges: /badge.svg and /components/:id/badge.svg say the status in words and colour, as well-formed SVG for any name.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { badgeSvg, maxBadgeText } from '../../server/badge/badge-svg.js'
import { fallbackWidths, textWidth, truncateGraphemes } from '../../server/badge/text-width.js'
import { badgeColors } from '../../server/views/badge-view.js'
import { TestClock, build } from '../fixtures/build.js'
import { asParsed, c0Controls, hostile, script, wideText } from '../feed/fixtures/hostile.js'
import { type XmlElement, child, parseXml } from '../feed/fixtures/parse-feed.js'

const actor = 'test'
const svgNamespace = 'http://www.w3.org/2000/svg'

interface ReadBadge {
  width: number
  ariaLabel: string
  title: string
  /** The fills of the label box and the message box. */
  fills: [string, string]
  rectWidths: [number, number]
  /** The visible texts, [label, message], each drawn twice (shadow, then text). */
  texts: [string, string]
  textLengths: [number, number]
}

function elements (root: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = []
  const walk = (element: XmlElement): void => {
    for (const candidate of element.children) {
      if (candidate.name === name) found.push(candidate)
      walk(candidate)
    }
  }
  walk(root)
  return found
}

/** Reads a badge with the strict XML parser (any well-formedness error throws) and checks its shape. */
function readBadge (svg: string): ReadBadge {
  const root = child(parseXml(svg), 'svg')
  if (root.uri !== svgNamespace) throw new Error('not in the SVG namespace')
  if (root.attributes.role !== 'img') throw new Error('no role="img"')
  const rects = elements(child(root, 'g'), 'rect')
  const texts = elements(root, 'text')
  if (rects.length !== 3) throw new Error(`${rects.length} rects in the box group`)
  if (texts.length !== 4) throw new Error(`${texts.length} text elements`)
  if (elements(root, 'script').length > 0 || elements(root, 'foreignObject').length > 0) throw new Error('active content')
  const [labelShadow, label, messageShadow, message] = texts as [XmlElement, XmlElement, XmlElement, XmlElement]
  if (labelShadow.text !== label.text || messageShadow.text !== message.text) throw new Error('a shadow differs from its text')
  if (labelShadow.attributes['aria-hidden'] !== 'true' || messageShadow.attributes['aria-hidden'] !== 'true') throw new Error('a shadow is read aloud')
  const [labelBox, messageBox] = rects as [XmlElement, XmlElement]
  return {
    width: Number(root.attributes.width),
    ariaLabel: root.attributes['aria-label'] ?? '',
    title: child(root, 'title').text,
    fills: [labelBox.attributes.fill ?? '', messageBox.attributes.fill ?? ''],
    rectWidths: [Number(labelBox.attributes.width), Number(messageBox.attributes.width)],
    texts: [label.text, message.text],
    textLengths: [Number(label.attributes.textLength) / 10, Number(message.attributes.textLength) / 10]
  }
}

/** The boxes add up to the badge, and each box holds its text with padding on both sides. */
function checkGeometry (t: Test, badge: ReadBadge): void {
  t.equal(badge.rectWidths[0] + badge.rectWidths[1], badge.width, 'the two boxes make the badge')
  t.equal(badge.rectWidths[0], badge.textLengths[0] + 10, 'the label box fits its text, 5 px each side')
  t.equal(badge.rectWidths[1], badge.textLengths[1] + 10, 'the message box fits its text, 5 px each side')
}

async function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  return await app.inject({ method: 'GET', url, headers })
}

t.test('text width: Verdana widths for ASCII, generous estimates beyond, nothing for invisible characters', async (t) => {
  t.equal(textWidth(''), 0)
  t.ok(Math.abs(textWidth('passing') - 41.75) < 0.001, 'the width table adds up')
  t.ok(textWidth('WWW') > textWidth('iii') * 3, 'wide letters are wider than narrow ones')
  t.equal(textWidth('é'), textWidth('e'), 'a precomposed accented letter is measured by its base letter')
  t.equal(textWidth('e\u0301'), textWidth('e'), 'a combining accent adds nothing')
  t.equal(textWidth('👩‍👩‍👧‍👦'), fallbackWidths.emoji, 'a ZWJ family is one emoji')
  t.equal(textWidth('🏳️‍🌈'), fallbackWidths.emoji, 'so is a flag made of several code points')
  t.equal(textWidth('🇫🇷'), fallbackWidths.emoji, 'and a regional-indicator flag')
  t.equal(textWidth('中文'), 2 * fallbackWidths.wide, 'CJK ideographs are one em each')
  t.equal(textWidth('שלום'), 4 * fallbackWidths.other, 'other scripts get the generous estimate')
  t.equal(textWidth('\u202Eab\u200F'), textWidth('ab'), 'direction overrides and marks take no room')
  t.ok(textWidth(wideText) > 100, 'the wide test text is measured, not ignored')
})

t.test('long names are cut at a character boundary with an ellipsis, never inside an emoji', async (t) => {
  t.equal(truncateGraphemes('Sign-in', 60), 'Sign-in')
  t.equal(truncateGraphemes('x'.repeat(60), 60), 'x'.repeat(60))
  t.equal(truncateGraphemes('x'.repeat(61), 60), `${'x'.repeat(59)}…`)
  const families = '👩‍👩‍👧‍👦'.repeat(70)
  const cut = truncateGraphemes(families, 60)
  t.equal(cut, `${'👩‍👩‍👧‍👦'.repeat(59)}…`, 'whole emoji only')
  const badge = readBadge(badgeSvg({ label: 'W'.repeat(200), message: 'Operational', color: badgeColors.green }))
  t.equal(badge.texts[0], `${'W'.repeat(maxBadgeText - 1)}…`, 'a 200-character name is shown cut')
  t.equal(badge.title, `${'W'.repeat(200)}: Operational`, 'the title keeps it whole')
  t.ok(badge.rectWidths[0] < textWidth('W'.repeat(200)) / 3, 'so the badge keeps a sane width')
  checkGeometry(t, badge)
})

t.test('a badge is a shields.io-style flat SVG: two boxes, text with a shadow, role, label and title', async (t) => {
  const svg = badgeSvg({ label: 'Sign-in', message: 'Partial Outage', color: badgeColors.orange })
  const badge = readBadge(svg)
  t.equal(badge.ariaLabel, 'Sign-in: Partial Outage')
  t.equal(badge.title, 'Sign-in: Partial Outage')
  t.same(badge.fills, ['#555', badgeColors.orange])
  t.same(badge.texts, ['Sign-in', 'Partial Outage'])
  t.equal(badge.textLengths[0], Math.ceil(textWidth('Sign-in')))
  t.equal(badge.textLengths[1], Math.ceil(textWidth('Partial Outage')))
  checkGeometry(t, badge)
  t.match(svg, 'font-family="Verdana,Geneva,DejaVu Sans,sans-serif"')
  const wider = readBadge(badgeSvg({ label: 'Sign-in for every user of Microsoft Teams', message: 'Partial Outage', color: badgeColors.orange }))
  t.ok(wider.rectWidths[0] > badge.rectWidths[0] + 100, 'a longer name makes a wider label box')
  t.equal(wider.rectWidths[1], badge.rectWidths[1], 'and leaves the message box as it was')
})

t.test('hostile names are escaped, XML-forbidden characters dropped, and the SVG still parses', async (t) => {
  const names = [
    script,
    '<svg onload="alert(1)">',
    '"quoted" & \'single\' & &amp; &#60;',
    `tab\tline\nfeed\r${c0Controls}\u007F\u0085 end`,
    `\u202Eni-ngiS ${wideText}`,
    ']]> <![CDATA[x]]>',
    hostile
  ]
  for (const name of names) {
    const svg = badgeSvg({ label: name, message: `${name} message`, color: badgeColors.red })
    const badge = readBadge(svg)
    t.notMatch(svg, /<script|<svg onload|<!\[CDATA\[/i, 'no markup from the name survives as markup')
    const shown = asParsed(name).replace(/[\t\n\r]+/g, ' ').replace(/[\u007F-\u009F]/g, '').trim()
    t.equal(badge.texts[0], truncateGraphemes(shown, maxBadgeText), 'the name is shown as text')
    t.equal(badge.ariaLabel, `${shown}: ${shown} message`)
    t.equal(badge.title, badge.ariaLabel)
    checkGeometry(t, badge)
  }
  const empty = child(parseXml(badgeSvg({ label: c0Controls, message: 'Operational', color: badgeColors.green })), 'svg')
  t.equal(elements(empty, 'rect')[1]?.attributes.width, '10', 'a name of nothing visible leaves only the padding')
  t.equal(elements(empty, 'text').length, 2, 'and no empty text element')
})

t.test('/badge.svg follows the overall status: quiet, degraded, partial outage, major outage, incident, maintenance', async (t) => {
  const clock = new TestClock('2020-02-03T14:00:00.000Z')
  const app = await build(t, { clock })
  const { components, incidents } = app.herald.services
  async function overall (): Promise<ReadBadge> {
    const response = await get(app, '/badge.svg')
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], 'image/svg+xml; charset=utf-8')
    t.equal(response.headers['access-control-allow-origin'], '*')
    t.equal(response.headers['content-security-policy'], "default-src 'none'")
    const badge = readBadge(response.body)
    checkGeometry(t, badge)
    t.equal(badge.texts[0], 'status')
    return badge
  }
  const status = (badge: ReadBadge): [string, string] => [badge.texts[1], badge.fills[1]]

  t.same(status(await overall()), ['All Systems Operational', badgeColors.green], 'no component yet')
  const signIn = components.create({ name: 'Sign-in' }, actor)
  const chat = components.create({ name: 'Teams chat' }, actor)
  t.same(status(await overall()), ['All Systems Operational', badgeColors.green])
  components.patch(signIn.id, { status: 'degraded_performance' }, actor)
  t.same(status(await overall()), ['Minor Service Outage', badgeColors.yellow])
  components.patch(chat.id, { status: 'partial_outage' }, actor)
  t.same(status(await overall()), ['Partial System Outage', badgeColors.orange])
  components.patch(signIn.id, { status: 'major_outage' }, actor)
  const major = await overall()
  t.same(status(major), ['Major Service Outage', badgeColors.red])
  t.equal(major.ariaLabel, 'status: Major Service Outage')
  components.patch(signIn.id, { status: 'operational' }, actor)
  components.patch(chat.id, { status: 'operational' }, actor)
  t.same(status(await overall()), ['All Systems Operational', badgeColors.green], 'back to quiet')
  incidents.open({ name: 'Microsoft Teams outage', reference: 'TM202916', body: 'Investigating.', impact: 'critical' }, actor)
  t.same(status(await overall()), ['Major Service Outage', badgeColors.red], 'an open incident counts by its impact')
  incidents.postUpdate('TM202916', { status: 'resolved', body: 'Restored.' }, actor)
  t.same(status(await overall()), ['All Systems Operational', badgeColors.green], 'a resolved one no longer does')
  components.patch(chat.id, { status: 'under_maintenance' }, actor)
  t.same(status(await overall()), ['Service Under Maintenance', badgeColors.blue])
  components.patch(signIn.id, { status: 'degraded_performance' }, actor)
  t.same(status(await overall()), ['Minor Service Outage', badgeColors.yellow], 'anything worse wins over maintenance')
  components.patch(signIn.id, { status: 'operational' }, actor)
  components.patch(chat.id, { status: 'operational' }, actor)
  app.herald.services.maintenances.schedule({
    name: 'Network work',
    reference: 'MN1',
    body: 'Planned network work.',
    scheduledFor: '2020-02-04T02:00:00.000Z',
    scheduledUntil: '2020-02-04T04:00:00.000Z',
    autoStart: false,
    autoComplete: false
  }, actor)
  t.same(status(await overall()), ['All Systems Operational', badgeColors.green], 'a scheduled maintenance changes nothing yet')
  app.herald.services.maintenances.postUpdate('MN1', { status: 'in_progress', body: 'Started.' }, actor)
  t.same(status(await overall()), ['Service Under Maintenance', badgeColors.blue], 'one in progress does, even naming no component')
})

t.test('/components/:id/badge.svg: the name on the left, the status in words and colour on the right', async (t) => {
  const app = await build(t)
  const { components } = app.herald.services
  const signIn = components.create({ name: 'Sign-in' }, actor)
  const expected = [
    ['operational', 'Operational', badgeColors.green],
    ['degraded_performance', 'Degraded Performance', badgeColors.yellow],
    ['partial_outage', 'Partial Outage', badgeColors.orange],
    ['major_outage', 'Major Outage', badgeColors.red],
    ['under_maintenance', 'Under Maintenance', badgeColors.blue]
  ] as const
  for (const [status, words, color] of expected) {
    components.patch(signIn.id, { status }, actor)
    const response = await get(app, `/components/${signIn.id}/badge.svg`)
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], 'image/svg+xml; charset=utf-8')
    t.equal(response.headers['access-control-allow-origin'], '*')
    const badge = readBadge(response.body)
    t.same(badge.texts, ['Sign-in', words], status)
    t.same(badge.fills, ['#555', color])
    t.equal(badge.ariaLabel, `Sign-in: ${words}`)
    checkGeometry(t, badge)
  }
})

t.test('a hostile component name is escaped in its badge, which still parses', async (t) => {
  const app = await build(t)
  const { components } = app.herald.services
  const created = components.create({ name: `Sign-in ${hostile}` }, actor)
  const response = await get(app, `/components/${created.id}/badge.svg`)
  t.equal(response.statusCode, 200)
  t.notMatch(response.body, /<script/i)
  const badge = readBadge(response.body)
  // The name as stored: SQLite keeps text as UTF-8, where a lone surrogate becomes U+FFFD.
  const shown = asParsed(created.name).replace(/[\t\n\r]+/g, ' ').replace(/[\u007F-\u009F]/g, '').trim()
  t.equal(badge.ariaLabel, `${shown}: Operational`)
  t.equal(badge.texts[0], truncateGraphemes(shown, maxBadgeText))
  t.ok(badge.texts[0].includes('<script>alert(1)</script>'), 'the script is text, shown as typed')
  checkGeometry(t, badge)
})

t.test('unknown, deleted and malformed component ids get a 404; a query is ignored', async (t) => {
  const app = await build(t)
  const { components } = app.herald.services
  const signIn = components.create({ name: 'Sign-in' }, actor)
  const gone = components.create({ name: 'Old search' }, actor)
  const goneUrl = `/components/${gone.id}/badge.svg`
  t.equal((await get(app, goneUrl)).statusCode, 200, 'served while it exists')
  components.remove(gone.id, actor)
  for (const id of ['999', String(gone.id), '0', '-1', `0${signIn.id}`, '1.0', '1e3', 'abc', '%3Cscript%3E', '%00', '١', '9'.repeat(20)]) {
    const response = await get(app, `/components/${id}/badge.svg`)
    t.equal(response.statusCode, 404, id)
    t.match(response.headers['content-type'], /^text\/html/)
    t.notMatch(response.body, '<script>')
  }
  const withQuery = await get(app, `/components/${signIn.id}/badge.svg?cache=bust&style=flat`)
  t.equal(withQuery.statusCode, 200)
  t.equal(withQuery.body, (await get(app, `/components/${signIn.id}/badge.svg`)).body)
  t.equal((await get(app, '/badge.svg?v=1')).statusCode, 200)
})

t.test('badges are cached: ETag and 304, a new status makes a new body, HEAD has the headers', async (t) => {
  const app = await build(t)
  const { components } = app.herald.services
  const signIn = components.create({ name: 'Sign-in' }, actor)
  const other = components.create({ name: 'Teams chat' }, actor)
  for (const url of ['/badge.svg', `/components/${signIn.id}/badge.svg`]) {
    const first = await get(app, url)
    const etag = first.headers.etag as string
    t.match(etag, /^"[^"]+"$/)
    t.equal(first.headers['cache-control'], 'public, max-age=10, stale-while-revalidate=86400, stale-if-error=86400')
    const notModified = await get(app, url, { 'if-none-match': etag })
    t.equal(notModified.statusCode, 304, url)
    t.equal(notModified.headers['access-control-allow-origin'], '*')
    const head = await app.inject({ method: 'HEAD', url })
    t.equal(head.statusCode, 200)
    t.equal(head.body, '')
    t.equal(head.headers['content-type'], 'image/svg+xml; charset=utf-8')
    t.equal(head.headers.etag, etag)
  }
  const componentUrl = `/components/${signIn.id}/badge.svg`
  const etag = (await get(app, componentUrl)).headers.etag as string
  components.patch(other.id, { status: 'under_maintenance' }, actor)
  t.equal((await get(app, componentUrl, { 'if-none-match': etag })).statusCode, 304, 'another component changing leaves this badge as it was')
  components.patch(signIn.id, { status: 'major_outage' }, actor)
  const changed = await get(app, componentUrl, { 'if-none-match': etag })
  t.equal(changed.statusCode, 200)
  t.same(readBadge(changed.body).texts, ['Sign-in', 'Major Outage'])
  components.patch(signIn.id, { name: 'Sign-in (EU)' }, actor)
  t.same(readBadge((await get(app, componentUrl)).body).texts, ['Sign-in (EU)', 'Major Outage'], 'a rename shows at once')
})
