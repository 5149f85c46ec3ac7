// The attack corpus in every path parameter and query parameter of the public routes, over a world whose names and bodies carry it too.
import t from 'tap'
import { attackCorpus, overEveryLimit, urlCorpus } from '../fixtures/attack-corpus.js'
import { TestClock, build } from '../fixtures/build.js'
import { only, parseAtom, parseFeed } from '../feed/fixtures/parse-feed.js'
import { checkAll, encodeAny, publicAddresses } from './fixtures/outputs.js'

t.test('no parameter value gets a 5xx or comes back as live markup, on any public route', async (t) => {
  const clock = new TestClock('2020-02-03T12:00:00.000Z')
  const app = await build(t, { clock })
  const { components, incidents } = app.herald.services
  // What a person may type (the corpus strings a name and a body take) is already on the pages.
  const accepted = attackCorpus.filter(({ refusedBy }) => refusedBy.length === 0).map(({ text }) => text)
  const component = components.create({ name: `Chat ${accepted[0] ?? ''}`, description: accepted.join('\n').slice(0, 1000) }, 'test')
  accepted.forEach((text, n) => {
    incidents.open({ name: `Outage ${n} ${text}`, reference: `EVIL${n}`, body: accepted.join('\n\n'), components: { [component.id]: 'major_outage' } }, 'test')
  })

  const values = urlCorpus.map(({ text }) => text)
  const addresses = publicAddresses(app, { reference: [...values, 'EVIL1'], id: [...values, String(component.id)], page: [...values, '1', '2'] })
  // Every address again with the corpus in the query: the search, the page, and a parameter no route takes.
  const queried = publicAddresses(app, { reference: ['EVIL1'], id: [String(component.id)], page: ['1'] })
    .flatMap((address) => values.map((value) => `${address}?q=${encodeAny(value)}&page=${encodeAny(value)}&x=${encodeAny(value)}`))
  const huge = encodeURIComponent(overEveryLimit.slice(0, 8000))
  const asked = await checkAll(t, app, [...addresses, ...queried, `/history?q=${huge}`, `/incidents/${huge}`, `/components/${huge}/history.rss`])
  t.ok(asked > values.length * 10, `${asked} addresses`)
})

t.test('a control character in a search finds nothing it does not name, and is not echoed', async (t) => {
  const app = await build(t)
  app.herald.services.incidents.open({ name: 'Teams down', reference: 'TM202916', body: 'Looking.' }, 'test')
  const page = await app.inject({ url: '/history?q=%00zzzz' })
  t.ok(page.statusCode < 500)
  t.notMatch(page.body, 'Teams down', 'a NUL no longer ends the search pattern and matches every incident')
  t.notMatch(page.body, '\u0000', 'the NUL is not echoed into the page')
})

t.test('a feed title isolates a name with an unclosed override, so the reference after it keeps its order', async (t) => {
  const app = await build(t)
  const { components, incidents } = app.herald.services
  const component = components.create({ name: 'Chat \u202Etahc' }, 'test')
  incidents.open({ name: 'Teams \u202Enwod', reference: 'TM202916', body: 'Looking.', components: { [component.id]: 'major_outage' } }, 'test')
  const rss = parseFeed((await app.inject({ url: '/history.rss' })).body)
  t.equal(rss.items[0]?.title, '[Investigating] \u2068Teams \u202Enwod\u202C\u2069 (TM202916)')
  t.match(rss.items[0]?.description, 'Affected components: \u2068Chat \u202Etahc\u202C\u2069 (Operational')
  const atom = parseAtom((await app.inject({ url: `/components/${component.id}/history.atom` })).body)
  t.equal(atom.entries[0]?.title, '[Investigating] \u2068Teams \u202Enwod\u202C\u2069 (TM202916)')
  t.equal(only(atom.feed, 'title').text, 'Example Status: \u2068Chat \u202Etahc\u202C\u2069')
})
