// A custom post text through the token API: accepted, checked, returned, posted instead of the generated text.
import t from 'tap'
import { maxCustomPostText } from '../../server/domain/post-text.js'
import { storedRows } from '../fixtures/stored.js'
import { socialWorld } from './fixtures/social-world.js'

const link = (id: number): string => `https://status.example.com/incidents/TM202916#update-${id}`

t.test('post_text on opening and on an update replaces the generated text; the link is added', async (t) => {
  const world = await socialWorld(t)
  const opened = await world.post('/api/v1/incidents', {
    reference: 'TM202916', name: 'Microsoft Teams', body: 'We are investigating.', post_text: 'Teams is down for many users. We are on it.'
  })
  t.equal(opened.updates[0].post_text, 'Teams is down for many users. We are on it.')
  const updated = await world.post('/api/v1/incidents/TM202916/updates', { status: 'identified', body: 'An expired certificate.', post_text: null })
  t.notOk('post_text' in updated.updates[0], 'no custom text: no post_text, the shape of updates as before')
  t.equal(updated.updates[1].post_text, 'Teams is down for many users. We are on it.')
  const fetched = await world.app.inject({ url: '/api/v1/incidents/TM202916', headers: { authorization: `Bearer ${world.token}` } })
  t.equal(fetched.json().updates[1].post_text, 'Teams is down for many users. We are on it.')

  for (const fake of [world.x, world.mastodon]) {
    const posts = await fake.waitForPosts(2)
    t.equal(posts[0]?.text, `Teams is down for many users. We are on it. ${link(opened.updates[0].id)}`)
    t.equal(posts[1]?.text, `[Identified] TM202916 Microsoft Teams: An expired certificate. ${link(updated.updates[0].id)}`)
  }
})

t.test('post_text is checked by the schema: too long, blank or of the wrong type is a 400 and stores nothing', async (t) => {
  const world = await socialWorld(t, { env: { SOCIAL_WORKER: 'off' } })
  await world.post('/api/v1/incidents', { reference: 'TM202916', name: 'Microsoft Teams', body: 'Down.' })
  const { db } = world.app.herald.stores
  const count = (): Record<string, unknown[]> => storedRows(db, { tables: ['updates', 'deliveries'] })
  const before = count()
  const cases: Array<[unknown, RegExp]> = [
    ['x'.repeat(maxCustomPostText + 1), /post_text/],
    [' \n ', /post_text/],
    [42, /post_text/],
    ['bell\u0007', /post_text/]
  ]
  for (const [postText, message] of cases) {
    const payloads: Record<string, object> = {
      '/api/v1/incidents': { name: 'Other', reference: 'OTHER1', body: 'Text.', post_text: postText },
      '/api/v1/incidents/TM202916/updates': { status: 'identified', body: 'Text.', post_text: postText }
    }
    for (const [url, payload] of Object.entries(payloads)) {
      const response = await world.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${world.token}` }, payload })
      t.equal(response.statusCode, 400, `${url}: ${JSON.stringify(postText).slice(0, 20)}`)
      t.match(response.json().message, message, response.json().message)
    }
  }
  // The admin pages call the service directly: it checks the length too.
  t.throws(() => world.app.herald.services.incidents.postUpdate('TM202916', { status: 'identified', body: 'Text.', postText: 'x'.repeat(maxCustomPostText + 1) }, 'cli'),
    { name: 'InvalidInputError', message: 'post text must be at most 5000 characters' })
  t.throws(() => world.app.herald.services.incidents.open({ name: 'Other', body: 'Text.', postText: 'x'.repeat(maxCustomPostText + 1) }, 'cli'),
    { name: 'InvalidInputError' })
  t.same(count(), before, 'nothing was stored')
  const longest = await world.post('/api/v1/incidents/TM202916/updates', { status: 'identified', body: 'Text.', post_text: 'y '.repeat(maxCustomPostText / 2) })
  t.equal(longest.updates[0].post_text.length, maxCustomPostText, 'the longest is taken, and shortened for each channel')
  const texts = world.app.herald.services.deliveries.forIncident('TM202916').get(longest.updates[0].id)?.map((d) => d.text) ?? []
  t.equal(texts.length, 2, 'a delivery for each channel')
  for (const text of texts) t.match(text, /^y y y .*y… https:\/\/status\.example\.com\/incidents\/TM202916#update-\d+$/)
})

t.test('fixing a body before its post went out posts the fixed text; a post already attempted keeps its text', async (t) => {
  const world = await socialWorld(t, { env: { SOCIAL_WORKER: 'off' } })
  const opened = await world.post('/api/v1/incidents', { reference: 'TM202916', name: 'Microsoft Teams', body: 'Teams is dwon.' })
  const id = opened.updates[0].id as number
  const { deliveries } = world.app.herald.stores
  // One of the two was attempted already (by another process): its resend must stay byte for byte the same.
  const claimed = deliveries.claimNext({ channels: ['twitter'], now: new Date().toISOString(), leaseUntil: new Date(Date.now() + 60_000).toISOString(), inFlight: [] })
  const fixed = await world.app.inject({
    method: 'PATCH',
    url: `/api/v1/incidents/TM202916/updates/${id}`,
    headers: { authorization: `Bearer ${world.token}` },
    payload: { body: 'Teams is down.' }
  })
  t.equal(fixed.statusCode, 200)
  t.match(deliveries.get(claimed?.id as number), { channel: 'twitter', text: `[Investigating] TM202916 Microsoft Teams: Teams is dwon. ${link(id)}` })
  const [mastodon] = world.app.herald.services.deliveries.forIncident('TM202916').get(id)?.filter((d) => d.channel === 'mastodon') ?? []
  t.equal(mastodon?.text, `[Investigating] TM202916 Microsoft Teams: Teams is down. ${link(id)}`)

  // A custom text stays what is posted when the body is fixed.
  const custom = await world.post('/api/v1/incidents/TM202916/updates', { status: 'identified', body: 'A certificate.', post_text: 'Found it.' })
  world.app.herald.services.incidents.editUpdate('TM202916', custom.updates[0].id, 'An expired certificate.', 'cli')
  t.same(world.app.herald.services.deliveries.forIncident('TM202916').get(custom.updates[0].id)?.map((d) => d.text),
    [`Found it. ${link(custom.updates[0].id)}`, `Found it. ${link(custom.updates[0].id)}`])
})
