// Loads the demo story through the services, with a clock set to each moment of the story, in one transaction.
import type { IncidentWithUpdates } from '../domain/model.js'
import { utcDayStart } from '../domain/time.js'
import type { ComponentStatusChanges } from '../services/incident-service.js'
import { createServices } from '../services/services.js'
import type { Stores } from '../store/stores.js'
import { DemoStore } from './demo-store.js'
import { type DemoStatusChanges, demoComponents, handSetStatuses, pastIncidents, teamsOutage } from './story.js'

const minuteMs = 60_000

export interface DemoOptions {
  /** The moment the demo is loaded: TM202916's last update is a few minutes before it. */
  now: Date
  incidentPrefix: string
  /** Remove the incidents and components already there first. */
  replace?: boolean
  actor?: string
}

export interface DemoSummary {
  components: number
  groups: number
  /** Incidents and updates the demo added. */
  incidents: number
  updates: number
  /** The open incident, TM202916. */
  open: IncidentWithUpdates
  /** When the oldest thing in the demo happened. */
  since: string
}

/** `HH:MM` UTC on the UTC day `daysAgo` days before `now`'s. */
export function dayTime (now: Date, daysAgo: number, time: string): number {
  const [hours, minutes] = time.split(':').map(Number)
  return utcDayStart(now, daysAgo) + (hours ?? 0) * 3_600_000 + (minutes ?? 0) * minuteMs
}

/** One write of the story, at its time; steps run oldest first so the status history is in order. */
interface Step {
  at: number
  run: () => void
}

export function loadDemo (stores: Stores, options: DemoOptions): DemoSummary {
  const actor = options.actor ?? 'cli'
  let current = options.now.getTime()
  // A second set of services over the same stores, whose clock the story moves: created_at, display
  // times and hand-set status changes all get the story's time instead of the time of loading.
  const services = createServices({ stores, clock: () => new Date(current), incidentPrefix: options.incidentPrefix })
  const demoStore = new DemoStore(stores.db)
  const componentIds = new Map<string, number>()
  const byId = (changes: DemoStatusChanges | undefined): ComponentStatusChanges | undefined => changes === undefined
    ? undefined
    : Object.fromEntries(Object.entries(changes).map(([name, status]) => [String(componentIds.get(name)), status]))
  const steps: Step[] = []
  // The demo's updates are history: notify: false keeps them out of any social channel set up later.
  const notify = false

  // The components exist from the day before the 90-day uptime window, so every bar is full.
  steps.push({
    at: dayTime(options.now, 90, '00:00'),
    run: () => {
      for (const component of demoComponents) {
        const existing = services.components.list().find((c) => c.name === component.name && c.groupName === (component.group ?? null))
        const { id } = existing ?? services.components.create(component, actor)
        componentIds.set(component.name, id)
      }
    }
  })

  for (const incident of pastIncidents) {
    incident.updates.forEach((update, index) => {
      const at = dayTime(options.now, incident.daysAgo, update.time)
      // Built when the step runs: component ids exist only once the first step has run.
      const input = () => ({ body: update.body, status: update.status, components: byId(update.components), notify, displayAt: new Date(at).toISOString() })
      steps.push({
        at,
        run: index === 0
          ? () => { services.incidents.open({ ...input(), reference: incident.reference, name: incident.name }, actor) }
          : () => { services.incidents.postUpdate(incident.reference, input(), actor) }
      })
    })
  }

  for (const change of handSetStatuses) {
    const patch = (status: typeof change.status) => () => {
      services.components.patch(componentIds.get(change.component) ?? 0, { status }, actor)
    }
    steps.push({ at: dayTime(options.now, change.daysAgo, change.from), run: patch(change.status) })
    steps.push({ at: dayTime(options.now, change.daysAgo, change.until), run: patch('operational') })
  }

  // TM202916 keeps its real gaps, slid so that its last update is a few minutes old.
  const lastOffset = Math.max(...teamsOutage.updates.map((u) => u.minutesAfterStart))
  const startedAt = Math.floor(options.now.getTime() / minuteMs) * minuteMs - (teamsOutage.lastUpdateMinutesAgo + lastOffset) * minuteMs
  teamsOutage.updates.forEach((update, index) => {
    const at = startedAt + update.minutesAfterStart * minuteMs
    const input = () => ({ body: update.body, status: update.status, components: byId(update.components), notify, displayAt: new Date(at).toISOString() })
    steps.push({
      at,
      run: index === 0
        ? () => { services.incidents.open({ ...input(), reference: teamsOutage.reference, name: teamsOutage.name, startedAt: new Date(startedAt).toISOString() }, actor) }
        : () => { services.incidents.postUpdate(teamsOutage.reference, input(), actor) }
    })
  })

  steps.sort((a, b) => a.at - b.at)
  // One transaction around it all (each service write nests as a savepoint): a running server never
  // sees half a demo, and a failure leaves the database as it was.
  stores.db.transaction(() => {
    if (options.replace === true) demoStore.clearIncidentsAndComponents()
    for (const step of steps) {
      current = step.at
      step.run()
    }
  }).immediate()

  const incidents = [...pastIncidents, teamsOutage]
  return {
    components: demoComponents.length,
    groups: new Set(demoComponents.map((c) => c.group).filter((g) => g !== undefined)).size,
    incidents: incidents.length,
    updates: incidents.reduce((n, incident) => n + incident.updates.length, 0),
    open: services.incidents.get(teamsOutage.reference),
    since: new Date(steps[0]?.at ?? current).toISOString()
  }
}
