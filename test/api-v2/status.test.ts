// status.indicator and its words: the worst component status and open incident impact, the same as the status page's banner.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { ComponentStatus, Impact } from '../../server/domain/statuses.js'
import { TestClock, build } from '../fixtures/build.js'
import { banner } from '../public/fixtures/html.js'
import { actor, addComponent, get } from './fixtures/api.js'

interface Case {
  components: ComponentStatus[]
  /** Impacts of incidents left open. */
  open?: Impact[]
  /** Impacts of incidents opened and resolved: they no longer count. */
  resolved?: Impact[]
  indicator: string
  description: string
}

const cases: Record<string, Case> = {
  'all operational': { components: ['operational', 'operational'], indicator: 'none', description: 'All Systems Operational' },
  'degraded performance': { components: ['operational', 'degraded_performance'], indicator: 'minor', description: 'Minor Service Outage' },
  'partial outage beats degraded': { components: ['degraded_performance', 'partial_outage'], indicator: 'major', description: 'Partial System Outage' },
  'major outage beats everything': { components: ['partial_outage', 'major_outage', 'under_maintenance'], indicator: 'critical', description: 'Major Service Outage' },
  'maintenance alone': { components: ['operational', 'under_maintenance'], indicator: 'none', description: 'Service Under Maintenance' },
  'maintenance and something worse': { components: ['under_maintenance', 'degraded_performance'], indicator: 'minor', description: 'Minor Service Outage' },
  'an open critical incident with every component operational': { components: ['operational'], open: ['critical'], indicator: 'critical', description: 'Major Service Outage' },
  'an open major incident over a degraded component': { components: ['degraded_performance'], open: ['major', 'none'], indicator: 'major', description: 'Partial System Outage' },
  'an open incident of no impact': { components: ['operational'], open: ['none'], indicator: 'none', description: 'All Systems Operational' },
  'a resolved critical incident no longer counts': { components: ['operational'], resolved: ['critical'], indicator: 'none', description: 'All Systems Operational' },
  'a minor open incident under maintenance': { components: ['under_maintenance'], open: ['minor'], indicator: 'minor', description: 'Minor Service Outage' }
}

function arrange (app: FastifyInstance, input: Case): void {
  const { components, incidents } = app.herald.services
  input.components.forEach((status, i) => {
    const component = addComponent(app, `C${i}`)
    if (status !== 'operational') components.patch(component.id, { status }, actor)
  })
  input.open?.forEach((impact, i) => incidents.open({ name: `Open ${i}`, body: 'Looking.', impact }, actor))
  input.resolved?.forEach((impact, i) => {
    const opened = incidents.open({ name: `Past ${i}`, body: 'Looking.', impact }, actor)
    incidents.postUpdate(opened.reference, { status: 'resolved', body: 'Done.' }, actor)
  })
}

t.test('the indicator follows the worst impact, in Statuspage’s words, and agrees with the status page', async (t) => {
  for (const [name, input] of Object.entries(cases)) {
    t.test(name, async (t) => {
      const app = await build(t, { clock: new TestClock() })
      arrange(app, input)
      const status = (await get(app, '/api/v2/status.json')).body.status
      t.same(status, { indicator: input.indicator, description: input.description })
      t.same((await get(app, '/api/v2/summary.json')).body.status, status, 'the summary says the same')
      const page = await app.inject({ url: '/' })
      t.equal(banner(page.body), status.description, 'the HTML banner says the same')
    })
  }
})

t.test('the indicator moves with the incident: opened, worsened, resolved', async (t) => {
  const clock = new TestClock()
  const app = await build(t, { clock })
  const chat = addComponent(app, 'Teams chat')
  const indicator = async (): Promise<string> => (await get(app, '/api/v2/status.json')).body.status.indicator
  t.equal(await indicator(), 'none')
  const { incidents } = app.herald.services
  incidents.open({ name: 'Teams', reference: 'TM202916', body: 'Looking.', components: { [chat.id]: 'degraded_performance' } }, actor)
  t.equal(await indicator(), 'minor', 'the incident takes the impact its component implies')
  clock.advance(60_000)
  incidents.postUpdate('TM202916', { status: 'identified', body: 'Worse.', components: { [chat.id]: 'major_outage' } }, actor)
  t.equal(await indicator(), 'critical')
  clock.advance(60_000)
  incidents.postUpdate('TM202916', { status: 'monitoring', body: 'Better.', components: { [chat.id]: 'operational' } }, actor)
  t.equal(await indicator(), 'minor', 'still open: its impact still counts while monitoring')
  clock.advance(60_000)
  incidents.postUpdate('TM202916', { status: 'resolved', body: 'Fixed.' }, actor)
  t.equal(await indicator(), 'none')
})

t.test('a maintenance in progress says so even when it names no component, and only while nothing is worse', async (t) => {
  const clock = new TestClock('2020-02-03T08:00:00.000Z')
  const app = await build(t, { clock })
  const chat = addComponent(app, 'Teams chat')
  const { maintenances, components } = app.herald.services
  maintenances.schedule({ name: 'Network work', reference: 'MAINT1', body: 'Work.', scheduledFor: '2020-02-03T09:00:00.000Z', scheduledUntil: '2020-02-03T10:00:00.000Z' }, actor)
  const status = async (): Promise<unknown> => (await get(app, '/api/v2/status.json')).body.status
  t.same(await status(), { indicator: 'none', description: 'All Systems Operational' }, 'announced is not in progress')
  clock.set('2020-02-03T09:00:00.000Z')
  maintenances.runDue()
  t.same(await status(), { indicator: 'none', description: 'Service Under Maintenance' })
  t.equal(banner((await app.inject({ url: '/' })).body), 'Service Under Maintenance', 'as the status page says')
  components.patch(chat.id, { status: 'partial_outage' }, actor)
  t.same(await status(), { indicator: 'major', description: 'Partial System Outage' }, 'an outage outranks it')
  components.patch(chat.id, { status: 'operational' }, actor)
  clock.set('2020-02-03T10:00:00.000Z')
  maintenances.runDue()
  t.same(await status(), { indicator: 'none', description: 'All Systems Operational' }, 'completed')
})

t.test('summary.json reads the components and the open incidents once, for its body and its status alike', async (t) => {
  const app = await build(t)
  const chat = addComponent(app, 'Teams chat')
  app.herald.services.incidents.open({ name: 'Errors', body: 'Looking.', impact: 'major', components: { [chat.id]: 'partial_outage' } }, actor)
  const { components, incidents } = app.herald.stores
  const calls = { list: 0, open: 0 }
  const list = components.list.bind(components)
  const open = incidents.open.bind(incidents)
  components.list = () => { calls.list++; return list() }
  incidents.open = () => { calls.open++; return open() }
  const summary = await get(app, '/api/v2/summary.json')
  t.same(summary.body.status, { indicator: 'major', description: 'Partial System Outage' })
  t.same(calls, { list: 1, open: 1 })
})
