// The status page's view model: its rows are built as they are iterated, and a built row lets go of what it was built from.
import v8 from 'node:v8'
import vm from 'node:vm'
import t from 'tap'
import { uptimeWindowStart } from '../../server/domain/uptime.js'
import { type StatusPageView, pastIncidentsWindow, statusPageView, uptimeDays } from '../../server/views/status-page-view.js'
import type { TestContext } from '../fixtures/build.js'
import { buildServices } from '../fixtures/services.js'

// A full collection on demand, so that what the view still holds can be told from what it let go.
v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void
const noStep = async (): Promise<void> => {}

interface Held {
  view: StatusPageView
  /** The status changes read for each component, by name, held weakly. */
  changes: Map<string, Array<WeakRef<object>>>
}

/** Three components in one block, each with a status change of today; the facts themselves are not kept. */
async function threeComponents (t: TestContext): Promise<Held> {
  const s = buildServices(t)
  for (const name of ['Sign-in', 'Teams chat', 'Media relays']) {
    const component = s.components.create({ name }, 'cli')
    s.components.patch(component.id, { status: 'degraded_performance' }, 'cli')
  }
  const now = s.clock.now()
  const past = pastIncidentsWindow(now)
  const facts = await s.reads.public.statusPage({ pastFrom: past.from, pastTo: past.to, uptimeFrom: uptimeWindowStart(now, uptimeDays) }, noStep)
  const names = new Map(facts.components.map((component) => [component.id, component.name]))
  const changes = new Map<string, Array<WeakRef<object>>>()
  for (const change of facts.changes) {
    const name = names.get(change.componentId) as string
    changes.set(name, [...changes.get(name) ?? [], new WeakRef(change)])
  }
  return { view: statusPageView({ now, ...facts }), changes }
}

/** After a turn (a WeakRef keeps its object until the job that made it ends) and a full collection. */
async function collected (refs: Array<WeakRef<object>>): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve))
  collectGarbage()
  return refs.every((ref) => ref.deref() === undefined)
}

t.test('a row is built when the iteration reaches it, once', async (t) => {
  const { view } = await threeComponents(t)
  t.equal(view.componentBlocks.length, 1)
  const [block] = view.componentBlocks
  const rows = [...block?.rows ?? []]
  t.same(rows.map((row) => [row.name, row.statusLabel]), [
    ['Sign-in', 'Degraded Performance'],
    ['Teams chat', 'Degraded Performance'],
    ['Media relays', 'Degraded Performance']
  ])
  t.match(rows[0]?.uptime, { days: uptimeDays })
  t.same([...block?.rows ?? []], [], 'iterated again, it has no rows left')
})

t.test('a built row lets go of its status changes; the rows still to come keep theirs', async (t) => {
  const { view, changes } = await threeComponents(t)
  t.equal(changes.get('Sign-in')?.length, 1, 'one change a component')
  const rows = view.componentBlocks[0]?.rows[Symbol.iterator]() as Iterator<unknown>
  rows.next()
  t.ok(await collected(changes.get('Sign-in') ?? []), 'the first row is built: its changes are collected')
  t.notOk(await collected(changes.get('Teams chat') ?? []), 'the second row is not: its changes are held')
  rows.next()
  rows.next()
  t.ok(await collected([...changes.values()].flat()), 'all rows built: none is held')
})
