// PageParts: a page rendered with markers, joined with its parts kept as bytes, in order, or not at all.
import t from 'tap'
import { PageParts } from '../../server/views/page-parts.js'

t.test('each marker is replaced by its part, in order, as UTF-8', async (t) => {
  const parts = new PageParts()
  const first = parts.add('<li>Sign-in — operational</li>')
  const second = parts.add('<li>Chat 💬</li>')
  const third = parts.add('')
  t.equal(first, parts.marker)
  t.equal(second, parts.marker)
  const page = `<ul>${first}${second}</ul><p>${third}é</p>`
  const joined = parts.join(page)
  t.ok(Buffer.isBuffer(joined))
  t.equal(joined.toString('utf8'), '<ul><li>Sign-in — operational</li><li>Chat 💬</li></ul><p>é</p>')
})

t.test('a page without parts is its own bytes', async (t) => {
  t.equal(new PageParts().join('<p>All Systems Operational</p>').toString(), '<p>All Systems Operational</p>')
})

t.test('the marker is random per page: what another page marks, or a person typed, is left as it is', async (t) => {
  const one = new PageParts()
  const other = new PageParts()
  t.not(one.marker, other.marker)
  t.match(one.marker, /^<!--part [A-Za-z0-9_-]{16}-->$/)
  const row = one.add('<li>row</li>')
  t.equal(one.join(`${other.marker}<!--part x-->${row}`).toString(), `${other.marker}<!--part x--><li>row</li>`)
})

t.test('a page with more or fewer places than parts is an error, not a page with a row lost or doubled', async (t) => {
  const parts = new PageParts()
  const marker = parts.add('<li>a</li>')
  parts.add('<li>b</li>')
  t.throws(() => parts.join(`<ul>${marker}</ul>`), /the page has 1 places for its 2 parts/)
  t.throws(() => parts.join(`<ul>${marker}${marker}${marker}</ul>`), /the page has 3 places for its 2 parts/)
})
