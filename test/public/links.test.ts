// One incident address and one update anchor: the page, the feeds and the API v2 all point at what the page has.
import t from 'tap'
import { incidentPath, updateAnchor } from '../../server/domain/links.js'
import { build } from '../fixtures/build.js'

t.test('incidentPath and updateAnchor', async (t) => {
  t.equal(incidentPath('TM202916'), '/incidents/TM202916')
  t.equal(incidentPath('a/b?c#d'), '/incidents/a%2Fb%3Fc%23d', 'encoded, so a path can never break')
  t.equal(updateAnchor(7), 'update-7')
})

t.test('every feed link and the API shortlink lead to the incident page and to an element it has', async (t) => {
  const app = await build(t)
  const opened = app.herald.services.incidents.open({ name: 'Errors', body: 'Looking.', reference: 'TM202916' }, 'test')
  const updateId = opened.updates[0]?.id
  const html = (await app.inject('/incidents/TM202916')).body
  t.match(html, `id="update-${String(updateId)}"`)
  const rss = (await app.inject('/history.rss')).body
  const atom = (await app.inject('/history.atom')).body
  const link = `https://status.example.com/incidents/TM202916#update-${String(updateId)}`
  t.match(rss, `<link>${link}</link>`)
  t.match(atom, `href="${link}"`)
  const api = JSON.parse((await app.inject('/api/v2/incidents.json')).body)
  t.equal(api.incidents[0].shortlink, 'https://status.example.com/incidents/TM202916')
})
