// The read-path benchmark's data set: five years of a busy service's incidents, written straight into a new SQLite file.
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { formatReference } from '../../server/domain/references.js'
import { type ComponentStatus, type Impact, type UpdateStatus, componentImpact, componentStatusSeverity } from '../../server/domain/statuses.js'

export interface DatasetOptions {
  /** Same seed, same data (given the same `now`): runs stay comparable. */
  seed?: number
  now?: Date
  /** Incidents and maintenances together. */
  incidents?: number
}

export interface Dataset {
  groups: number
  components: number
  incidents: number
  maintenances: number
  updates: number
  statusChanges: number
  /** The resolved incident with the longest timeline, and how many updates it has. */
  longReference: string
  longUpdates: number
  /** The incidents open now, newest last. */
  openReferences: string[]
  upcomingReference: string
  componentIds: number[]
  elapsedMs: number
}

const minuteMs = 60_000
const hourMs = 60 * minuteMs
const dayMs = 24 * hourMs
const years = 5

const prefix = 'INC'

const groups: Array<[string, string[]]> = [
  ['Web app', ['Sign-in', 'Dashboard', 'Search', 'Notifications', 'File uploads']],
  ['API', ['REST API', 'GraphQL API', 'Webhooks', 'Authentication API', 'Streaming API']],
  ['Messaging', ['Chat', 'Email delivery', 'SMS delivery', 'Push notifications', 'In-app messages']],
  ['Meetings', ['Video calls', 'Audio calls', 'Screen sharing', 'Recordings', 'Live events']],
  ['Payments', ['Checkout', 'Invoicing', 'Subscriptions', 'Refunds', 'Payouts']],
  ['Data', ['Reporting', 'Exports', 'Data import', 'Analytics', 'Backups']],
  ['Integrations', ['Slack', 'GitHub', 'Jira', 'Salesforce', 'Zapier']],
  ['Infrastructure', ['DNS', 'CDN', 'Database cluster', 'Job queue', 'Object storage']]
]

const names = [
  'Elevated error rates for {c}',
  'Degraded performance of {c}',
  '{c} unavailable for some users',
  'Delays in {c}',
  'Intermittent failures in {c}',
  'Increased latency in {c}',
  '{c} returning errors in {r}',
  'Users unable to access {c}'
]

const causes = [
  'an expired TLS certificate', 'a faulty configuration change', 'database connection pool exhaustion',
  'a failed deployment', 'an outage at an upstream provider', 'a network partition in one availability zone',
  'disk pressure on the storage cluster', 'a memory leak in the {c} service', 'a misbehaving load balancer'
]

const regions = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'eu-central-1', 'us-west-2']

const sentences: Record<'investigating' | 'identified' | 'monitoring' | 'resolved', string[]> = {
  investigating: [
    'We are investigating reports of problems with {c}.',
    'Some customers may see errors or slow responses when using {c}.',
    'Our engineers have been alerted and are looking into the cause.',
    'We will provide an update within **30 minutes**.',
    'Affected requests return `503 Service Unavailable`.',
    'Customers in `{r}` appear to be the most affected.'
  ],
  identified: [
    'The issue has been identified as {cause}.',
    'We have identified {cause} as the cause and are working on a fix.',
    'A fix is being rolled out to `{r}` first, then to the other regions.',
    'We are rolling back the most recent change to {c}.',
    'Requests to {c} may still fail *intermittently* while the fix is applied.',
    'Next update in **one hour**, or sooner if anything changes.'
  ],
  monitoring: [
    'A fix has been deployed and we are monitoring the results.',
    'Error rates for {c} have returned to normal; we continue to monitor.',
    'Queued work is being processed; some of it may complete late.',
    'Most customers should no longer be affected.'
  ],
  resolved: [
    'This incident has been resolved.',
    'All {c} requests are succeeding normally again.',
    'We will publish a [post-incident review](https://status.example.com/reviews) within five business days.',
    'We apologise for the inconvenience this caused.'
  ]
}

const maintenanceNames = [
  'Database cluster upgrade', 'Network maintenance in {r}', 'Scheduled maintenance of {c}', 'Storage migration for {c}',
  'Certificate rotation', 'Payment provider maintenance'
]

const maintenanceBodies: Record<'scheduled' | 'in_progress' | 'verifying' | 'completed', string[]> = {
  scheduled: [
    'We will be performing scheduled maintenance on {c}. During the window, {c} may be *briefly unavailable*.',
    'Reminder: the maintenance of {c} starts as planned. No action is needed on your side.'
  ],
  in_progress: ['Scheduled maintenance is currently in progress. We will provide updates as necessary.'],
  verifying: ['The work is done and we are verifying that {c} behaves normally.'],
  completed: ['The scheduled maintenance has been completed.']
}

/** mulberry32: a small seeded generator, so that two runs write the same data. */
function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Change = [componentId: number, status: ComponentStatus | 'restore']

interface Story {
  component: string
  region: string
  cause: string
}

interface PlannedUpdate {
  incident: PlannedIncident
  at: number
  status: UpdateStatus
  body: string
  changes: Change[]
}

interface PlannedIncident {
  id: number
  reference: string
  kind: 'incident' | 'maintenance'
  name: string
  impact: Impact
  status: UpdateStatus
  createdAt: number
  startedAt: number
  monitoringAt: number | null
  resolvedAt: number | null
  window: { from: number, until: number } | null
  components: number[]
  updates: PlannedUpdate[]
  /** A maintenance's components' statuses when it started, to go back to at completion. */
  held: Map<number, ComponentStatus>
}

/** Writes the data set into a new database at `path` (migrated first); returns what it holds. */
export function generateDataset (path: string, options: DatasetOptions = {}): Dataset {
  const started = performance.now()
  const random = seededRandom(options.seed ?? 20200203)
  const now = (options.now ?? new Date()).getTime()
  const total = options.incidents ?? 10_000
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const between = (from: number, to: number): number => from + Math.floor(random() * (to - from))

  const componentNames: string[] = groups.flatMap(([, members]) => members)
  const componentIds = componentNames.map((_, index) => index + 1)
  const nameOf = (id: number): string => componentNames[id - 1] as string

  /** What one incident's texts speak of: its first component, a region, a cause. */
  const story = (components: number[]): Story => {
    const component = nameOf(components[0] as number)
    return { component, region: pick(regions), cause: pick(causes).replace('{c}', component) }
  }

  const fill = (text: string, about: Story): string => text
    .replace(/\{cause\}/g, about.cause)
    .replace(/\{c\}/g, about.component)
    .replace(/\{r\}/g, about.region)

  const body = (pool: string[], about: Story): string => {
    const count = 1 + Math.floor(random() * 3)
    const chosen = new Set<string>()
    while (chosen.size < Math.min(count, pool.length)) chosen.add(pick(pool))
    return [...chosen].map((sentence) => fill(sentence, about)).join(' ')
  }

  const someComponents = (): number[] => {
    const wanted = 1 + Math.floor(random() * 3)
    // Mostly within one group: an outage spreads to neighbours.
    const group = Math.floor(random() * groups.length)
    const chosen = new Set<number>()
    while (chosen.size < wanted) chosen.add(random() < 0.8 ? group * 5 + 1 + Math.floor(random() * 5) : pick(componentIds))
    return [...chosen]
  }

  const severity = (): ComponentStatus => {
    const r = random()
    return r < 0.45 ? 'degraded_performance' : r < 0.8 ? 'partial_outage' : 'major_outage'
  }

  const planned: PlannedIncident[] = []
  const newIncident = (fields: Partial<PlannedIncident> & Pick<PlannedIncident, 'name' | 'createdAt' | 'startedAt' | 'components'>): PlannedIncident => {
    const incident: PlannedIncident = {
      id: 0,
      reference: '',
      kind: 'incident',
      impact: 'none',
      status: 'investigating',
      monitoringAt: null,
      resolvedAt: null,
      window: null,
      updates: [],
      held: new Map(),
      ...fields
    }
    planned.push(incident)
    return incident
  }
  const addUpdate = (incident: PlannedIncident, at: number, status: UpdateStatus, text: string, changes: Change[] = []): void => {
    incident.updates.push({ incident, at, status, body: text, changes })
    incident.status = status
    if (status === 'monitoring' && incident.monitoringAt === null) incident.monitoringAt = at
    if (status === 'resolved' || status === 'completed') incident.resolvedAt = at
  }

  /** An incident's whole story: investigating, identified, monitoring, resolved; `statuses` overrides the plan. */
  const planIncident = (start: number, end: number, statuses?: UpdateStatus[], components = someComponents()): PlannedIncident => {
    const about = story(components)
    const first = Math.min(end, start + Math.floor(random() * 20 * minuteMs))
    const plan = statuses ?? [
      ...(random() < 0.1 ? [] : Array<UpdateStatus>(1 + (random() < 0.5 ? 1 : 0) + (random() < 0.15 ? 1 : 0)).fill('investigating')),
      ...Array<UpdateStatus>(1 + Math.floor(random() * 3)).fill('identified'),
      ...Array<UpdateStatus>(1 + (random() < 0.5 ? 1 : 0)).fill('monitoring'),
      'resolved'
    ]
    const times = plan.map((_, index) => index === 0 ? first : between(first + 1000, Math.max(first + 2000, end)))
      .sort((a, b) => a - b)
    if (plan.at(-1) === 'resolved') times[times.length - 1] = Math.max(end, times.at(-2) ?? end)
    const initial = components.map((id): [number, ComponentStatus] => [id, severity()])
    const worst = initial.reduce((a, [, s]) => componentStatusSeverity[s] > componentStatusSeverity[a] ? s : a, 'operational' as ComponentStatus)
    const incident = newIncident({
      name: fill(pick(names), about),
      impact: componentImpact[worst],
      createdAt: first,
      // Sometimes the trouble started before the first word about it.
      startedAt: random() < 0.3 ? first - Math.floor(random() * 20 * minuteMs) : first,
      components
    })
    let recovering = false
    plan.forEach((status, index) => {
      let changes: Change[] = []
      if (index === 0) changes = initial
      else if (status === 'resolved') changes = components.map((id) => [id, 'operational'])
      else if (status === 'monitoring' && !recovering && random() < 0.4) {
        recovering = true
        changes = components.map((id) => [id, 'degraded_performance'])
      }
      const pool = sentences[status as keyof typeof sentences]
      addUpdate(incident, times[index] as number, status, body(pool, about), changes)
    })
    return incident
  }

  const planMaintenance = (from: number, hours: number, completed: boolean, announced = from - between(3 * dayMs, 8 * dayMs)): PlannedIncident => {
    const components = someComponents()
    const about = story(components)
    const until = from + hours * hourMs
    const maintenance = newIncident({
      kind: 'maintenance',
      name: fill(pick(maintenanceNames), about),
      status: 'scheduled',
      createdAt: announced,
      startedAt: from,
      window: { from, until },
      components
    })
    addUpdate(maintenance, announced, 'scheduled', fill(maintenanceBodies.scheduled[0] as string, about))
    if (!completed) return maintenance
    if (random() < 0.5) addUpdate(maintenance, from - dayMs, 'scheduled', fill(maintenanceBodies.scheduled[1] as string, about))
    addUpdate(maintenance, from, 'in_progress', maintenanceBodies.in_progress[0] as string, components.map((id) => [id, 'under_maintenance']))
    if (random() < 0.4) addUpdate(maintenance, until - 15 * minuteMs, 'verifying', fill(maintenanceBodies.verifying[0] as string, about))
    addUpdate(maintenance, until, 'completed', maintenanceBodies.completed[0] as string, components.map((id) => [id, 'restore']))
    return maintenance
  }

  const first = now - years * 365 * dayMs
  // About one maintenance a month, at night, completed; one more announced for next week.
  const maintenances = years * 12
  for (let i = 0; i < maintenances; i++) {
    const day = Math.floor((first + (i + 0.5) * (now - first - 10 * dayMs) / maintenances) / dayMs) * dayMs
    planMaintenance(day + 2 * hourMs, 2 + Math.floor(random() * 3), true)
  }
  const upcoming = planMaintenance(Math.floor(now / dayMs) * dayMs + 7 * dayMs + 2 * hourMs, 2, false, now - dayMs)

  // A long outage two months ago: the incident page with many updates.
  const longStart = now - 60 * dayMs
  const longStory: UpdateStatus[] = ['investigating', 'investigating', ...Array<UpdateStatus>(38).fill('identified'),
    ...Array<UpdateStatus>(14).fill('monitoring'), 'resolved']
  const long = planIncident(longStart, longStart + 30 * hourMs, longStory)

  // Open now: one an hour old, well under way, and one just posted.
  const openA = planIncident(now - 50 * minuteMs, now - 3 * minuteMs,
    ['investigating', 'investigating', 'identified', 'identified', 'identified', 'identified', 'identified', 'identified',
      'identified', 'identified', 'identified', 'identified'], [1, 2])
  const openB = planIncident(now - 8 * minuteMs, now - 8 * minuteMs, ['investigating'], [12])

  const regular = total - planned.length
  for (let i = 0; i < regular; i++) {
    const start = between(first, now - 3 * hourMs)
    // Most are over within a couple of hours; a few drag on.
    const duration = Math.min(24 * hourMs, 15 * minuteMs + Math.floor(-Math.log(1 - random()) * 2 * hourMs))
    planIncident(start, Math.min(start + duration, now - 30 * minuteMs))
  }

  // References and ids in the order the incidents were announced, as Herald's sequence gives them.
  planned.sort((a, b) => a.createdAt - b.createdAt)
  planned.forEach((incident, index) => {
    incident.id = index + 1
    incident.reference = formatReference(prefix, index + 1)
  })
  const updates = planned.flatMap((incident) => incident.updates).sort((a, b) => a.at - b.at)

  const iso = (ms: number): string => new Date(ms).toISOString()
  const db = openDatabase(path)
  let statusChanges = 0
  try {
    migrate(db)
    const componentsSince = iso(first - 30 * dayMs)
    const insertGroup = db.prepare('INSERT INTO component_groups (id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    const insertComponent = db.prepare(
      'INSERT INTO components (id, group_id, name, description, position, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    const setComponent = db.prepare('UPDATE components SET status = ?, updated_at = ? WHERE id = ?')
    const insertIncident = db.prepare(
      `INSERT INTO incidents (id, reference, kind, name, impact, status, created_at, updated_at, started_at, monitoring_at, resolved_at,
                              scheduled_for, scheduled_until, auto_start, auto_complete)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    const linkComponent = db.prepare('INSERT INTO incident_components (incident_id, component_id) VALUES (?, ?)')
    const insertUpdate = db.prepare(
      'INSERT INTO updates (incident_id, status, body, notify, display_at, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)')
    const insertChange = db.prepare(
      'INSERT INTO component_status_changes (component_id, update_id, old_status, new_status, changed_at) VALUES (?, ?, ?, ?, ?)')
    db.transaction(() => {
      groups.forEach(([name, members], g) => {
        insertGroup.run(g + 1, name, g + 1, componentsSince, componentsSince)
        members.forEach((member, m) => {
          insertComponent.run(g * 5 + m + 1, g + 1, member, `${member} for every customer`, m + 1, 'operational', componentsSince, componentsSince)
        })
      })
      for (const incident of planned) {
        const window = incident.window
        const lastAt = incident.updates.at(-1)?.at ?? incident.createdAt
        insertIncident.run(incident.id, incident.reference, incident.kind, incident.name, incident.impact, incident.status,
          iso(incident.createdAt), iso(lastAt), iso(incident.startedAt),
          incident.monitoringAt === null ? null : iso(incident.monitoringAt), incident.resolvedAt === null ? null : iso(incident.resolvedAt),
          window === null ? null : iso(window.from), window === null ? null : iso(window.until),
          window === null ? null : 1, window === null ? null : 1)
        for (const id of incident.components) linkComponent.run(incident.id, id)
      }
      // Applied in time order, as Herald would have: each change records the status it replaced.
      const current = new Map<number, ComponentStatus>(componentIds.map((id) => [id, 'operational']))
      const changedAt = new Map<number, string>()
      for (const update of updates) {
        const at = iso(update.at)
        const updateId = Number(insertUpdate.run(update.incident.id, update.status, update.body, at, at, at).lastInsertRowid)
        for (const [componentId, wanted] of update.changes) {
          const old = current.get(componentId) as ComponentStatus
          let status: ComponentStatus
          if (wanted === 'restore') {
            // A component an incident changed meanwhile keeps its new status.
            if (old !== 'under_maintenance') continue
            status = update.incident.held.get(componentId) ?? 'operational'
          } else {
            if (wanted === 'under_maintenance') update.incident.held.set(componentId, old)
            status = wanted
          }
          if (status === old) continue
          insertChange.run(componentId, updateId, old, status, at)
          statusChanges++
          current.set(componentId, status)
          changedAt.set(componentId, at)
        }
      }
      for (const [id, status] of current) setComponent.run(status, changedAt.get(id) ?? componentsSince, id)
      db.prepare("UPDATE counters SET value = ? WHERE name = 'reference_sequence'").run(planned.length)
    })()
  } finally {
    db.close()
  }
  return {
    groups: groups.length,
    components: componentIds.length,
    incidents: planned.length,
    maintenances: planned.filter((incident) => incident.kind === 'maintenance').length,
    updates: updates.length,
    statusChanges,
    longReference: long.reference,
    longUpdates: long.updates.length,
    openReferences: [openA.reference, openB.reference],
    upcomingReference: upcoming.reference,
    componentIds,
    elapsedMs: performance.now() - started
  }
}
