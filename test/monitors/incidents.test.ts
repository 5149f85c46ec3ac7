// A monitor's incidents end to end: publish mode opens a public incident (posts, subscribers, feed) and resolves it; draft mode keeps a draft with notes; off does neither.
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { downIncidentText, monitorTarget, quotedError, recoveryText } from '../../server/domain/monitor-incidents.js'
import { renderMarkdown } from '../../server/domain/markdown.js'
import { limits } from '../../server/domain/text.js'
import type { CheckOutcome } from '../../server/domain/monitors.js'
import { actorLabel } from '../../server/views/admin/audit-view.js'
import { TestClock, build } from '../fixtures/build.js'
import { addMonitor, downOutcome, httpMonitor, upOutcome } from './fixtures/engine.js'

interface World {
  app: FastifyInstance
  clock: TestClock
  componentId: number
  /** Records a run of the monitor a minute later. */
  run: (id: number, outcome: CheckOutcome) => void
  count: (table: string) => number
}

async function world (t: Test): Promise<World> {
  const clock = new TestClock()
  const app = await build(t, {
    clock,
    env: {
      // A channel is on (its worker off: the deliveries stay in the outbox for the test to see).
      MASTODON_URL: 'http://127.0.0.1:9/',
      MASTODON_TOKEN: 'token',
      SOCIAL_WORKER: 'off',
      SUBSCRIPTIONS_WORKER: 'off',
      MONITORS_WORKER: 'off'
    }
  })
  const { services, stores } = app.herald
  const componentId = services.components.create({ name: 'Sign-in' }, 'user:alice').id
  // Someone to tell: a webhook subscriber, as confirmed.
  const target = 'https://hooks.example.com/herald'
  const signingSecret = 'whsec_dGVzdCBzZWNyZXQgb2YgdGhpcnR5LXR3byBieXRlcyE'
  const none = { contactEmail: null, confirmTokenHash: null, confirmExpiresAt: null, componentIds: null }
  stores.subscribers.insert({ ...none, kind: 'webhook', target, targetKey: target, state: 'active', source: 'visitor', signingSecret, at: clock.now().toISOString() })
  return {
    app,
    clock,
    componentId,
    run: (id, outcome) => {
      clock.advance(60_000)
      services.monitorRuns.record(id, outcome)
    },
    count: (table) => (stores.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
  }
}

const definition = (mode: string, componentName = 'Sign-in'): Record<string, unknown> => ({
  name: 'Sign-in API',
  kind: 'http',
  url: 'https://login.example.com/health',
  component: componentName,
  incident_mode: mode,
  failure_threshold: 2,
  success_threshold: 1
})

t.test('publish: down opens a public incident as the monitor, posted and told like any; recovery resolves it', async (t) => {
  const w = await world(t)
  const { services, stores } = w.app.herald
  const id = services.monitors.create(definition('publish'), 'user:alice').monitor.id
  w.run(id, upOutcome)
  w.run(id, downOutcome)
  t.equal(services.incidents.find('HR000001'), undefined, 'one failure: nothing yet')
  w.run(id, downOutcome)
  const monitor = services.monitorRuns.get(id)
  t.equal(monitor.state, 'down')
  const incident = services.incidents.get('HR000001')
  t.match(incident, {
    name: 'Sign-in is not responding',
    status: 'investigating',
    impact: 'critical',
    components: [{ id: w.componentId, name: 'Sign-in' }]
  })
  // A public incident names the monitor and its error, never what it watches (monitors watch internal addresses).
  t.equal(incident.updates[0]?.body, "Herald's monitor Sign-in API has been failing since 2020-02-03 13:03 UTC: connect ECONNREFUSED 127.0.0.1:9. We are looking into it.")
  t.equal(monitor.incidentId, incident.id)
  t.equal(services.components.get(w.componentId).status, 'major_outage', 'the incident set the component')
  const audit = stores.db.prepare("SELECT actor FROM audit_log WHERE action = 'incident.open'").all()
  t.same(audit, [{ actor: 'monitor:Sign-in API' }])
  t.equal(w.count('deliveries'), 1, 'a post queued on the channel that is on')
  t.ok(w.count('notifications') >= 1, 'subscribers are told')
  const feed = await w.app.inject({ url: '/history.rss' })
  t.match(feed.body, /Sign-in is not responding/, 'the feed shows it')

  w.run(id, downOutcome)
  t.equal(services.incidents.find('HR000002'), undefined, 'still down: no second incident')
  w.run(id, upOutcome)
  const resolved = services.incidents.get('HR000001')
  t.equal(resolved.status, 'resolved')
  t.equal(resolved.updates[0]?.body, "Herald's monitor Sign-in API has passed its checks again since 2020-02-03 13:05 UTC.")
  t.equal(services.components.get(w.componentId).status, 'operational')
  t.equal(services.monitorRuns.get(id).incidentId, null)
  t.equal(w.count('deliveries'), 2, 'the resolved update is posted too')
  const resolvedFeed = await w.app.inject({ url: '/history.rss' })
  t.match(resolvedFeed.body, /passed its checks again/)

  w.run(id, downOutcome)
  w.run(id, downOutcome)
  t.match(services.incidents.get('HR000002'), { name: 'Sign-in is not responding', status: 'investigating' }, 'down again: a new incident')
})

t.test('publish: an incident a person resolved is not resolved again; the next outage opens a new one', async (t) => {
  const w = await world(t)
  const { services } = w.app.herald
  const id = services.monitors.create({ ...definition('publish'), failure_threshold: 1 }, 'user:alice').monitor.id
  w.run(id, downOutcome)
  services.incidents.postUpdate('HR000001', { status: 'resolved', body: 'Fixed by hand.' }, 'user:alice')
  w.run(id, upOutcome)
  const incident = services.incidents.get('HR000001')
  t.equal(incident.updates.length, 2, 'no update after the person\'s')
  t.equal(services.monitorRuns.get(id).incidentId, null)
  w.run(id, downOutcome)
  t.ok(services.incidents.find('HR000002'))
})

t.test('publish without a component: the incident is named after the monitor and touches nothing', async (t) => {
  const w = await world(t)
  const { services } = w.app.herald
  const id = services.monitors.create({ ...definition('publish'), component: null, failure_threshold: 1 }, 'user:alice').monitor.id
  w.run(id, downOutcome)
  t.match(services.incidents.get('HR000001'), { name: 'Sign-in API is not responding', impact: 'none', components: [] })
})

t.test('draft: down makes one draft (not public), recovery and a new outage add notes, publishing opens the incident', async (t) => {
  const w = await world(t)
  const { services } = w.app.herald
  const id = services.monitors.create(definition('draft'), 'user:alice').monitor.id
  w.run(id, downOutcome)
  w.run(id, downOutcome)
  const monitor = services.monitorRuns.get(id)
  t.not(monitor.draftId, null)
  const draft = services.drafts.get(monitor.draftId as number)
  t.match(draft, { name: 'Sign-in is not responding', status: 'investigating', monitorId: id, createdBy: 'monitor:Sign-in API', components: { [w.componentId]: 'major_outage' } })
  t.equal(w.count('incidents'), 0, 'nothing public: no incident')
  t.equal(w.count('deliveries'), 0, 'nothing posted')
  t.equal(services.components.get(w.componentId).status, 'major_outage', 'the component moves all the same')
  const feed = await w.app.inject({ url: '/history.rss' })
  t.notMatch(feed.body, /not responding/)

  w.run(id, upOutcome)
  t.match(services.drafts.get(draft.id).note, /Sign-in API has passed its checks again since /)
  w.run(id, downOutcome)
  w.run(id, downOutcome)
  t.equal(services.drafts.list().length, 1, 'still one draft')
  t.match(services.drafts.get(draft.id).note, /\nDown again at .*: connect ECONNREFUSED/)

  const published = services.drafts.publish(draft.id, 'user:alice')
  t.match(published, { name: 'Sign-in is not responding', status: 'investigating' })
  t.equal(services.monitorRuns.get(id).draftId, null, 'the draft is gone')
  t.equal(w.count('deliveries'), 1, 'published: posted like any incident')
})

t.test('off: the component only', async (t) => {
  const w = await world(t)
  const { services } = w.app.herald
  const id = services.monitors.create({ ...definition('off'), failure_threshold: 1 }, 'user:alice').monitor.id
  w.run(id, downOutcome)
  t.equal(services.components.get(w.componentId).status, 'major_outage')
  t.equal(w.count('incidents'), 0)
  t.equal(w.count('incident_drafts'), 0)
})

t.test('the words: each kind\'s target, errors quoted on one line without anything invisible, the monitor as the audit log\'s actor', async (t) => {
  const base = httpMonitor('M')
  t.equal(monitorTarget(base), 'GET https://teams.example.com/health')
  t.equal(monitorTarget({ ...base, kind: 'tcp', settings: { host: 'db.example.com', port: 5432 } }), 'TCP db.example.com:5432')
  t.equal(monitorTarget({ ...base, kind: 'tls', settings: { host: '2001:db8::1', port: 443, servername: null } }), 'TLS [2001:db8::1]:443')
  t.equal(monitorTarget({ ...base, kind: 'dns', settings: { name: 'teams.example.com', recordType: 'AAAA', expected: null } }), 'DNS AAAA teams.example.com')
  t.equal(monitorTarget({ ...base, kind: 'heartbeat', settings: { graceS: 60 } }), 'heartbeat calls')
  t.equal(quotedError(null), 'no detail')
  t.equal(quotedError('\u0000\u202e\n'), 'no detail')
  t.equal(quotedError('status 500,\r\n expected\u202e 200-299\u0007'), 'status 500, expected 200-299')
  t.equal(quotedError('\ud800x'), 'x', 'a lone surrogate goes')
  const long = quotedError('e'.repeat(600))
  t.equal([...long].length, 501)
  t.ok(long.endsWith('…'))
  t.equal(actorLabel('monitor:Sign-in API'), 'monitor Sign-in API')
})

t.test('what a monitor writes fits an incident and shows as typed: a long component name is cut, Markdown in a name or an error stays text, the target only in a draft', async (t) => {
  const at = '2020-02-03T13:03:27.000Z'
  const long = downIncidentText(httpMonitor('M'), 'Sign-in '.repeat(40), 'refused', at, 'public')
  t.equal([...long.name].length, limits.name, 'at most an incident name long')
  t.ok(long.name.endsWith('… is not responding'))
  const hostile = httpMonitor('**Bold** [link](https://evil.example) `code` <b>x</b> ~~s~~ | ![i](https://evil.example/i.png)')
  const error = 'certificate is for [Click me](https://evil.example), not _teams_'
  const made = downIncidentText(hostile, null, error, at, 'public')
  const html = renderMarkdown(made.body)
  t.notMatch(html, /<(a|strong|em|code|del|img|b)\b/, 'no markup from a name or an error')
  t.match(html, /\*\*Bold\*\* \[link\]\(https:\/\/evil\.example\) `code` &lt;b&gt;x&lt;\/b&gt; ~~s~~ \| !\[i\]/, 'shown as typed')
  t.match(html, /certificate is for \[Click me\]\(https:\/\/evil\.example\), not _teams_/)
  t.match(made.body, /since 2020-02-03 13:03 UTC/)
  t.notMatch(made.body, /teams\.example\.com/, 'a public incident does not name what the monitor watches')
  t.match(renderMarkdown(downIncidentText(httpMonitor('M'), null, error, at, 'draft').body), /\(GET https:\/\/teams\.example\.com\/health\)/, 'a draft does, for the admins')
  t.notMatch(renderMarkdown(recoveryText(hostile, at)), /<(a|strong|code|img)\b/)
})

t.test('a draft the drafts\' rules refuse does not lose the run: the state change says why', async (t) => {
  const w = await world(t)
  const { services } = w.app.herald
  // A name the forms would refuse (a control character), made without them: the draft's name is refused.
  const odd = services.components.create({ name: 'Odd\u0007name' }, 'cli').id
  const id = addMonitor(services, httpMonitor('Odd API', { componentId: odd, incidentMode: 'draft', failureThreshold: 1 }))
  w.run(id, downOutcome)
  t.match(services.monitorRuns.get(id), { state: 'down', draftId: null })
  t.equal(w.count('incident_drafts'), 0)
  t.match(w.app.herald.stores.monitors.events(id, 1), [{ newState: 'down', reason: /^1 failure in a row: connect ECONNREFUSED 127\.0\.0\.1:9 \(its draft could not be written: name must be one line/ }])
  t.equal(w.app.herald.stores.monitors.recentRuns(id, 5).length, 1, 'the run is recorded')
})
