// Whatever a person typed shows as text on every public page; Markdown bodies render as sanitized HTML.
import t, { type Test } from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { between } from './fixtures/html.js'
import { addComponent, incident, page } from './fixtures/seed.js'

const payloads = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"\'><b>bold</b>']
const hostile = payloads.join(' ')

function assertEscaped (t: Test, html: string, where: string): void {
  t.notMatch(html, '<script>alert', `${where}: no raw script`)
  t.notMatch(html, '<img src=x', `${where}: no raw img`)
  t.notMatch(html, '"\'><b>', `${where}: no attribute break-out`)
  t.notMatch(html, /<b>bold/, `${where}: no raw markup`)
}

t.test('an HTML payload in every field a person types is shown as text on every page', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock, env: { SITE_NAME: `Status ${payloads[0]}` } })
  const component = addComponent(app, `API ${hostile}`, `Group ${hostile}`, `Description ${hostile}`)
  const reference = incident(app, clock, {
    name: `Outage ${hostile}`,
    reference: 'XSS1',
    steps: [
      { at: '2020-02-03T10:00:00.000Z', status: 'investigating', body: `Body ${hostile}`, components: { [component.id]: 'major_outage' } },
      { at: '2020-02-03T11:00:00.000Z', status: 'resolved', body: `Fixed ${hostile}` }
    ]
  })
  incident(app, clock, { name: `Still open ${hostile}`, steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body: `Open ${hostile}` }] })
  clock.set('2020-02-03T13:00:00.000Z')

  const home = await page(app, '/')
  assertEscaped(t, home, 'status page')
  t.match(home, '<title>Status &lt;script&gt;alert(1)&lt;/script&gt;</title>', 'the site name is escaped')
  t.match(home, 'Outage &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &quot;&#x27;&gt;&lt;b&gt;bold&lt;/b&gt;', 'the incident name is text')
  t.match(home, '<span class="component-name">API &lt;script&gt;', 'the component name is text')
  t.match(home, '<h3>Group &lt;script&gt;', 'the group name is text')
  t.match(home, 'Description &lt;script&gt;', 'the description is text')
  t.match(home, 'Open &lt;script&gt;alert(1)&lt;/script&gt;', 'a body is text')
  t.match(home, 'aria-label="API &lt;script&gt;', 'the bar label is escaped too')

  const incidentPage = await page(app, `/incidents/${reference}`)
  assertEscaped(t, incidentPage, 'incident page')
  t.match(incidentPage, '<h1>Outage &lt;script&gt;')
  t.match(incidentPage, 'API &lt;script&gt;alert(1)&lt;/script&gt;', 'component names in changes are text')

  assertEscaped(t, await page(app, '/history'), 'history')
  const search = await page(app, `/history?q=${encodeURIComponent(hostile)}`)
  assertEscaped(t, search, 'history search')
  // Its words in order (normalizeSearch): the quote's word first, every one escaped.
  t.match(search, 'value="&quot;&#x27;&gt;&lt;b&gt;bold&lt;/b&gt; &lt;img &lt;script&gt;alert(1)&lt;/script&gt;', 'the search box shows the query as text')

  const notFound = await app.inject({ url: '/nowhere' })
  assertEscaped(t, notFound.body, '404 page')
})

t.test('Markdown bodies render links, emphasis, lists, code, tables and task lists; script links are dropped', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const body = [
    'We are **investigating** a _slow_ sign-in.',
    '',
    '- first step',
    '- second step',
    '',
    'Run `herald status` or read [the notes](https://example.com/notes).',
    '',
    '[click me](javascript:alert(1)) <a href="javascript:alert(2)" onclick="alert(3)">raw</a>',
    '',
    '| Region | State |',
    '|---|---|',
    '| EU | fixed |',
    '',
    '- [x] renewed',
    '',
    '![graph](https://example.com/graph.png)'
  ].join('\n')
  const reference = incident(app, clock, { name: 'Markdown', steps: [{ at: '2020-02-03T12:00:00.000Z', status: 'investigating', body }] })
  for (const url of ['/', `/incidents/${reference}`]) {
    const html = await page(app, url)
    const rendered = between(html, '<div class="update-body">', '</div>')
    t.match(rendered, '<strong>investigating</strong>', url)
    t.match(rendered, '<em>slow</em>')
    t.match(rendered, /<ul>\s*<li>first step<\/li>\s*<li>second step<\/li>\s*<\/ul>/)
    t.match(rendered, '<code>herald status</code>')
    t.match(rendered, '<a href="https://example.com/notes" rel="nofollow noopener noreferrer">the notes</a>')
    t.notMatch(rendered, /<a[^>]*href="javascript/i, 'no script link')
    t.match(rendered, '<a rel="nofollow noopener noreferrer">click me</a>', 'the link text stays, without its target')
    t.match(rendered, '&lt;a href="javascript:alert(2)" onclick="alert(3)"&gt;raw&lt;/a&gt;', 'raw HTML in a body is shown as the text typed')
    t.notMatch(rendered, /<a[^>]*onclick/i, 'no event handler')
    t.match(rendered, /<table>[\s\S]*<td>EU<\/td>\s*<td>fixed<\/td>/, 'a table is a table')
    t.match(rendered, '<li>\u2611 renewed</li>', 'a task is a list item with its state')
    t.match(rendered, '<a href="https://example.com/graph.png" rel="nofollow noopener noreferrer">graph</a>', 'an image is a link to it')
    t.notMatch(rendered, /<img|<input|&lt;(table|tr|td|input|img)/, 'nothing loaded, no form control, no Markdown shown as escaped tags')
  }
})

t.test('a name with an unclosed right-to-left override is isolated wherever it sits inside other text', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const rlo = '\u202E'
  const first = addComponent(app, `Chat ${rlo}desrever`)
  const second = addComponent(app, 'Calls')
  const reference = incident(app, clock, {
    name: `Outage ${rlo}kcab`,
    reference: 'BIDI1',
    steps: [
      { at: '2020-02-03T10:00:00.000Z', status: 'investigating', body: 'Looking.', components: { [first.id]: 'major_outage', [second.id]: 'degraded_performance' } },
      { at: '2020-02-03T11:00:00.000Z', status: 'resolved', body: 'Fixed.' }
    ]
  })
  clock.set('2020-02-03T13:00:00.000Z')
  const isolated = `<bdi>Chat ${rlo}desrever</bdi>`

  const home = await page(app, '/')
  t.match(home, `<h4><a href="/incidents/${reference}"><bdi>Outage ${rlo}kcab</bdi></a> <span class="reference">`, 'the past incident\'s name, before its reference')

  const incidentPage = await page(app, `/incidents/${reference}`)
  t.match(incidentPage, `<dd>${isolated}, <bdi>Calls</bdi></dd>`, 'each affected component in the list')
  t.match(incidentPage, `<li>${isolated}: <span`, 'a component in an update\'s changes')
  // <title> holds no markup: the name is isolated by characters, U+2068 ... U+2069, its override closed.
  t.match(incidentPage, `<title>\u2068Outage ${rlo}kcab\u202C\u2069 (${reference}) · Example Status</title>`, 'the page title')

  // A search is shown inside text too: in the title and the sentence that counts what it found.
  const search = await page(app, `/history?q=${encodeURIComponent(`${rlo}kcab`)}`)
  t.match(search, `<title>Search: \u2068${rlo}kcab\u202C\u2069 · Example Status</title>`, 'the search in the title')
  t.match(search, `1 incident matches “\u2068${rlo}kcab\u202C\u2069”`, 'the search in the result sentence')
})
