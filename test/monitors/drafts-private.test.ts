// A draft is nowhere public (pages, search, feeds, /api/v2, badges, the static export, posts, subscribers) until it is published; then it is everywhere an incident is.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { SiteExport } from '../../server/export/site-export.js'
import { TestClock, build, tempDir } from '../fixtures/build.js'
import { filesIn } from '../export/fixtures/site.js'
import { publicAddresses } from '../hostile/fixtures/outputs.js'

// A word no page has otherwise: where it shows, the draft shows.
const marker = 'Zanzibar'

t.test('a draft is nowhere public until published, and then everywhere an incident is', async (t) => {
  const clock = new TestClock('2020-02-03T13:00:00.000Z')
  const app = await build(t, {
    clock,
    // A social channel and a subscriber: an opened incident would queue a post and a notification. Their
    // workers are off, so the rows stay where the test can see them.
    env: { MASTODON_URL: 'https://social.example.com', MASTODON_TOKEN: 'token', SOCIAL_WORKER: 'off', SUBSCRIPTIONS_WORKER: 'off' }
  })
  const { services, stores } = app.herald
  const chat = services.components.create({ name: 'Teams chat' }, 'cli')
  services.subscribers.add('cli', { kind: 'email', target: 'ops@example.com', components: 'all' }, { skipConfirmation: true })
  const rows = (table: string): number => stores.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  const addresses = publicAddresses(app, { reference: ['HR000001'], id: [String(chat.id)], page: ['1'] })
  const searches = [`/history?q=${marker}`, `/history?q=${marker.toLowerCase()}`]
  const everywhere = [...addresses, ...searches]
  t.ok(addresses.some((address) => address.startsWith('/api/v2/')) && addresses.some((address) => address.endsWith('.svg')), 'the API v2 and the badges are among them')
  const bodies = async (): Promise<Map<string, { status: number, body: string }>> => {
    const answers = new Map<string, { status: number, body: string }>()
    for (const address of everywhere) {
      const response = await app.inject({ url: address })
      answers.set(address, { status: response.statusCode, body: response.body })
    }
    return answers
  }
  const before = await bodies()
  const version = stores.counters.get('content_version')

  const draft = services.drafts.create({
    name: `${marker} sign-in certificate expired`,
    body: `Users cannot sign in: the ${marker} certificate expired.`,
    components: { [chat.id]: 'major_outage' }
  }, 'user:alice')
  services.drafts.update(draft.id, { name: `${marker} sign-in down`, body: `Still ${marker}.`, components: { [chat.id]: 'major_outage' } }, 'user:alice')
  clock.advance(60_000)

  t.equal(stores.counters.get('content_version'), version, 'the content version stays: no cached page is rendered again')
  t.equal(rows('deliveries'), 0, 'no social post queued')
  t.equal(rows('notifications'), 0, 'no subscriber told')
  t.equal(rows('incidents'), 0)
  t.equal(services.components.get(chat.id).status, 'operational')
  // Another write renders every page again: what they show next is read afresh, not kept from before the draft.
  services.components.create({ name: 'Calls' }, 'cli')
  const withDraft = await bodies()
  for (const address of everywhere) {
    const answer = withDraft.get(address) as { status: number, body: string }
    t.notMatch(answer.body, marker, `${address}: no trace of the draft`)
    t.equal(answer.status, before.get(address)?.status, `${address}: the same status`)
  }
  t.equal(withDraft.get('/incidents/HR000001')?.status, 404, 'no incident page')

  const exportDir = join(tempDir(t), 'mirror')
  const site = new SiteExport(app, exportDir)
  await site.open()
  t.ok((await site.pass()).complete)
  const exported = filesIn(exportDir)
  t.ok(exported.includes('api/v2/summary.json'))
  t.same(exported.filter((file) => readFileSync(join(exportDir, file), 'utf8').includes(marker)), [], 'nothing of the export shows it')

  const incident = services.drafts.publish(draft.id, 'user:bob')
  t.equal(incident.reference, 'HR000001')
  t.ok(stores.counters.get('content_version') > version, 'publishing is a public write')
  t.equal(rows('deliveries'), 1, 'its post is queued')
  t.ok(rows('notifications') >= 1, 'its subscribers are told')
  t.equal(services.components.get(chat.id).status, 'major_outage')
  const published = await bodies()
  const showing = [
    '/', '/history', '/history.rss', '/history.atom', `/components/${chat.id}/history.rss`, `/components/${chat.id}/history.atom`,
    '/incidents/HR000001', '/api/v2/summary.json', '/api/v2/incidents.json', '/api/v2/incidents/unresolved.json', ...searches
  ]
  for (const address of showing) t.match(published.get(address)?.body, marker, `${address}: shows it`)
  for (const address of ['/badge.svg', `/components/${chat.id}/badge.svg`, '/api/v2/status.json', '/api/v2/components.json']) {
    t.not(published.get(address)?.body, withDraft.get(address)?.body, `${address}: shows the outage`)
  }
  await site.pass()
  t.ok(filesIn(exportDir).includes('incidents/HR000001/index.html'), 'the export has its page')
  t.match(readFileSync(join(exportDir, 'index.html'), 'utf8'), marker)
})
