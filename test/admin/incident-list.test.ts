// The admin's list of incidents: open first, then resolved, newest first; searched, paged; bad queries refused in words.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { withUsers } from './fixtures/admin-session.js'
import { fieldError, inputValue, markedInvalid } from './fixtures/admin-forms.js'

/** The references of the rows of a list page, in order. */
function referencesOf (html: string): string[] {
  return [...html.matchAll(/<td><a href="\/admin\/incidents\/[A-Z0-9]+"><span class="reference">([A-Z0-9]+)<\/span>/g)].map((match) => match[1] as string)
}

t.test('the list shows open incidents first, then resolved ones, newest first within each, and no maintenance', async (t) => {
  const clock = new TestClock('2020-02-01T10:00:00.000Z')
  const app = await build(t, { clock })
  const { incidents, maintenances } = app.herald.services
  incidents.open({ name: 'Oldest, still open', body: 'b', reference: 'OPEN1' }, 'cli')
  clock.set('2020-02-02T10:00:00.000Z')
  incidents.open({ name: 'Resolved <b>first</b>', body: 'b', reference: 'DONE1' }, 'cli')
  incidents.postUpdate('DONE1', { status: 'resolved', body: 'Fixed.' }, 'cli')
  clock.set('2020-02-03T10:00:00.000Z')
  incidents.open({ name: 'Newest, resolved', body: 'b', reference: 'DONE2' }, 'cli')
  clock.set('2020-02-03T12:40:00.000Z')
  incidents.postUpdate('DONE2', { status: 'resolved', body: 'Fixed.' }, 'cli')
  incidents.open({ name: 'Newest, open', body: 'b', reference: 'OPEN2' }, 'cli')
  maintenances.schedule({ name: 'Upgrade', body: 'b', reference: 'MNT1', scheduledFor: '2020-02-05T00:00:00Z', scheduledUntil: '2020-02-05T02:00:00Z' }, 'cli')
  // Signed in now: a session idle since the first incident would have ended.
  const { editor, anonymous } = await withUsers(app)

  const page = await editor.get('/admin/incidents')
  t.equal(page.statusCode, 200)
  t.same(referencesOf(page.body), ['OPEN2', 'OPEN1', 'DONE2', 'DONE1'])
  t.match(page.body, /4 incidents, open ones first\./)
  t.match(page.body, /<bdi>Resolved &lt;b&gt;first&lt;\/b&gt;<\/bdi>/, 'names are text')
  t.match(page.body, /after 2 h 40 min/, 'a resolved one says how long it lasted')
  t.match(page.body, /<a href="\/admin\/incidents" aria-current="page">Incidents<\/a>/, 'linked and marked in the navigation')
  t.match((await editor.get('/admin')).body, /<a href="\/admin\/incidents">Incidents<\/a>/, 'linked from every page')
  t.match((await editor.get('/admin/incidents/DONE1')).body, /<a href="\/admin\/incidents">Incidents<\/a> <span aria-hidden="true">›<\/span> Incident DONE1/)

  const signIn = await anonymous.get('/admin/incidents')
  t.equal(signIn.statusCode, 302)
  t.match(signIn.headers.location, /^\/admin\/sign-in\?next=/)
})

t.test('the search finds by reference, by words of the name or of any update, in any case and order', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { incidents } = app.herald.services
  incidents.open({ name: 'Users may be unable to access Microsoft Teams', body: 'We are investigating.', reference: 'TM202916' }, 'cli')
  incidents.postUpdate('TM202916', { status: 'identified', body: 'An authentication certificate has expired.' }, 'cli')
  incidents.open({ name: 'Ärger mit der Anmeldung', body: 'Wir prüfen 100% der Server.', reference: 'DE1' }, 'cli')
  incidents.open({ name: 'Slow calls', body: 'Calls drop.', reference: 'CALLS1' }, 'cli')
  const search = async (q: string): Promise<string[]> => referencesOf((await editor.get(`/admin/incidents?q=${encodeURIComponent(q)}`)).body)
  t.same(await search('tm202916'), ['TM202916'], 'the reference, in any case')
  t.same(await search('teams MICROSOFT'), ['TM202916'], 'words of the name, in any order')
  t.same(await search('certificate expired'), ['TM202916'], 'words of a later update')
  t.same(await search('teams certificate'), ['TM202916'], 'one word from the name, one from an update')
  t.same(await search('teams calls'), [], 'every word must be found')
  t.same(await search('ärger'), ['DE1'], 'letters beyond ASCII, folded')
  t.same(await search('PRÜFEN'), ['DE1'])
  t.same(await search('%'), ['DE1'], 'a LIKE wildcard is a character like any other')
  t.same(await search('_'), [])
  const found = await editor.get('/admin/incidents?q=%20teams%20')
  t.equal(inputValue(found.body, 'q'), 'teams', 'the search is shown as run')
  t.match(found.body, /1 matching incident, open ones first\./)
  t.match(found.body, /<a href="\/admin\/incidents">Show all<\/a>/)
  t.match((await editor.get('/admin/incidents?q=nothing')).body, /No incident matches this search\./)
})

t.test('pages of 25, with links that keep the search; past the last page, the last one', async (t) => {
  const clock = new TestClock('2020-02-01T00:00:00.000Z')
  const app = await build(t, { clock })
  const { editor } = await withUsers(app)
  for (let n = 1; n <= 30; n++) {
    clock.advance(60_000)
    app.herald.services.incidents.open({ name: `Outage ${n}`, body: 'b', reference: `INC${n}` }, 'cli')
  }
  const first = await editor.get('/admin/incidents')
  t.equal(referencesOf(first.body).length, 25)
  t.equal(referencesOf(first.body)[0], 'INC30')
  t.match(first.body, /page 1 of 2/)
  t.match(first.body, /<a href="\/admin\/incidents\?page&#x3D;2" rel="next">Older incidents<\/a>/)
  const second = await editor.get('/admin/incidents?page=2')
  t.same(referencesOf(second.body), ['INC5', 'INC4', 'INC3', 'INC2', 'INC1'])
  t.match(second.body, /<a href="\/admin\/incidents" rel="prev">Newer incidents<\/a>/)
  const searched = await editor.get('/admin/incidents?q=outage&page=2')
  t.match(searched.body, /<a href="\/admin\/incidents\?q&#x3D;outage" rel="prev">Newer incidents<\/a>/)
  const past = await editor.get('/admin/incidents?page=99')
  t.equal(past.statusCode, 200)
  t.match(past.body, /There is no page 99: this is page 2, the last\./)
  t.same(referencesOf(past.body), ['INC5', 'INC4', 'INC3', 'INC2', 'INC1'])
})

t.test('a bad page or search is a 400 page that says what is wrong, and lists nothing', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  app.herald.services.incidents.open({ name: 'Outage', body: 'b', reference: 'TM1' }, 'cli')
  for (const page of ['-1', '0', 'abc', '1.5', '1e3', '9999999', '', '<script>']) {
    const response = await editor.get(`/admin/incidents?page=${encodeURIComponent(page)}`)
    t.equal(response.statusCode, 400, `page=${page}`)
    t.match(response.body, /<p class="form-error" role="alert">The page must be a whole number from 1 to 999999\.<\/p>/, `page=${page}`)
    t.same(referencesOf(response.body), [])
  }
  const twice = await editor.get('/admin/incidents?page=1&page=2')
  t.equal(twice.statusCode, 400, 'a page given twice')
  const cases: Array<[string, RegExp]> = [
    ['a\u0007b', /without control characters/],
    ['a\u0000', /without control characters/],
    ['x'.repeat(201), /at most 200 characters/],
    ['é'.repeat(201), /at most 200 characters/]
  ]
  for (const [q, message] of cases) {
    const response = await editor.get(`/admin/incidents?q=${encodeURIComponent(q)}`)
    t.equal(response.statusCode, 400, JSON.stringify(q.slice(0, 5)))
    t.match(fieldError(response.body, 'q'), message)
    t.ok(markedInvalid(response.body, 'q'))
    t.same(referencesOf(response.body), [])
  }
  const huge = await editor.get(`/admin/incidents?q=${'x'.repeat(5000)}`)
  t.equal(huge.statusCode, 400, 'a huge search is refused before it is read')
  t.match(huge.headers['content-type'], /^text\/html/, 'as a page, not JSON')
  const markup = await editor.get(`/admin/incidents?q=${encodeURIComponent('"><script>alert(1)</script>')}`)
  t.equal(markup.statusCode, 200)
  t.notMatch(markup.body, /<script>alert/, 'a search is shown as text')
  const bidi = await editor.get(`/admin/incidents?q=${encodeURIComponent('\u202Eoutage')}`)
  t.equal(bidi.statusCode, 200, 'a bidi override is text to search for, shown isolated in the field')
})
