// Text people typed (markup, quotes, control characters, lone surrogates, emoji, right-to-left) comes back as the exact strings stored.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { actor, endpointPaths, get, schemaErrors } from './fixtures/api.js'

const c0 = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('')
const hostile = `<script>alert("x")</script></script><!-- & &amp; '\\" \\u0041 ${c0}\u007F \u2028\u2029 \uFFFE\uFFFF lone \uD800 and \uDC00 {"json": [1]} 👩‍👩‍👧‍👦 🏳️‍🌈 انقطاع الخدمة הפסקת שירות`
const siteName = '<b>Ex&ample</b> "Status" \\ \u2028 👩‍👩‍👧‍👦 انقطاع'

t.test('every string is the one stored, and the body hides no markup', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock, env: { SITE_NAME: siteName } })
  const { components, incidents, maintenances } = app.herald.services
  const component = components.create({ name: `Name ${hostile}`, description: `Description ${hostile}`, group: `Group ${hostile}` }, actor)
  const opened = incidents.open({
    name: `Incident ${hostile}`,
    reference: 'TM202916',
    body: `Body ${hostile}`,
    postText: `Post ${hostile}`,
    components: { [component.id]: 'major_outage' }
  }, actor)
  maintenances.schedule({
    name: `Maintenance ${hostile}`,
    reference: 'MAINT1',
    body: `Plan ${hostile}`,
    scheduledFor: '2020-02-04T00:00:00.000Z',
    scheduledUntil: '2020-02-04T01:00:00.000Z',
    components: [component.id]
  }, actor)

  // What the database holds is the reference: SQLite keeps text as UTF-8, so a lone surrogate is stored
  // as U+FFFD; everything else is kept as typed.
  const { stores } = app.herald
  const stored = stores.components.get(component.id)
  const group = stores.components.listGroups()[0]
  const [storedIncident] = stores.incidents.withUpdates([stores.incidents.byReference('TM202916')].filter((i) => i !== undefined))
  const [storedMaintenance] = stores.incidents.withUpdates([stores.incidents.byReference('MAINT1')].filter((i) => i !== undefined))
  const update = storedIncident?.updates[0]
  t.equal(update?.id, opened.updates[0]?.id)
  t.ok(stored?.name.includes('\u0000') && stored.name.includes('<script>') && stored.name.includes('👩‍👩‍👧‍👦'), 'controls, markup and emoji stored as typed')

  for (const path of endpointPaths) {
    const answer = await get(app, path)
    t.same(schemaErrors(path, answer.body), [], `${path}: still valid`)
    t.notMatch(answer.raw, /[<>&\u2028\u2029\u0000-\u001f]/, `${path}: no raw markup characters, line separators or controls`)
    t.equal(answer.body.page.name, siteName.trim(), `${path}: the site name`)
  }

  const summary = (await get(app, '/api/v2/summary.json')).body
  const listedGroup = summary.components.find((c: any) => c.group)
  const listedComponent = summary.components.find((c: any) => !c.group)
  t.equal(listedGroup.name, group?.name)
  t.equal(listedComponent.name, stored?.name)
  t.equal(listedComponent.description, stored?.description)
  const [incident] = summary.incidents
  t.equal(incident.name, storedIncident?.name)
  t.equal(incident.incident_updates[0].body, update?.body)
  t.equal(incident.incident_updates[0].custom_tweet, update?.postText)
  t.match(incident.incident_updates[0].custom_tweet, /^Post <script>/)
  t.equal(incident.incident_updates[0].affected_components[0].name, `${group?.name ?? ''} - ${stored?.name ?? ''}`)
  t.equal(incident.components[0].name, stored?.name)
  const [maintenance] = summary.scheduled_maintenances
  t.equal(maintenance.name, storedMaintenance?.name)
  t.equal(maintenance.incident_updates[0].body, storedMaintenance?.updates[0]?.body)
  t.match(maintenance.incident_updates[0].body, /^Plan <script>alert\("x"\)<\/script>/)
})

t.test('a name that is JSON, a path or a huge text stays a string', async (t) => {
  const app = await build(t)
  const { components } = app.herald.services
  const names = ['{"id":"1","group":true}', '../../etc/passwd', '__proto__', 'constructor', 'x'.repeat(100_000), '']
  for (const name of names) components.create({ name }, actor)
  const listed = (await get(app, '/api/v2/components.json')).body.components
  t.same(listed.map((c: any) => c.name), names)
  t.same(listed.map((c: any) => c.group), names.map(() => false), 'no name became a field')
  t.equal(Object.getPrototypeOf(listed[2]), Object.prototype)
})
