// Loads the demo story through the services, with a clock set to each moment of the story, in one transaction.
import type { IncidentWithUpdates } from '../domain/model.js'
import type { Impact } from '../domain/statuses.js'
import { utcDayStart } from '../domain/time.js'
import type { SocialSetup } from '../services/context.js'
import type { ComponentStatusChanges } from '../services/incident-service.js'
import { createServices } from '../services/services.js'
import type { Stores } from '../store/stores.js'
import { DemoStore } from './demo-store.js'
import { pastIncidents } from './past-incidents.js'
import { type DemoStatusChanges, type DemoUpdate, demoComponents, demoMaintenances, demoTemplates, teamsOutage } from './story.js'

const minuteMs = 60_000

export interface DemoOptions {
  /** The moment the demo is loaded: TM202916's last update is a few minutes before it. */
  now: Date
  incidentPrefix: string
  /** Remove the incidents, maintenances and components already there first. */
  replace?: boolean
  actor?: string
  /**
   * The channels that are on: each update then gets its deliveries, skipped, as an update a person posts
   * without notify does. Never sent, now or later: the demo is an example, not news.
   */
  social?: SocialSetup
}

export interface DemoSummary {
  /** The demo's components (those already there with the same name and group are reused) and groups. */
  components: number
  groups: number
  /** Incidents (the open one included) and maintenances the demo added, with all their updates. */
  incidents: number
  maintenances: number
  updates: number
  /** Templates added: one already there with the same name is kept as it is. */
  templates: number
  /** The open incident, TM202916. */
  open: IncidentWithUpdates
  /** The maintenances still ahead, soonest first. */
  upcoming: IncidentWithUpdates[]
  /** When the oldest thing in the demo happened. */
  since: string
}

/** The database already has incidents or maintenances, and the demo was not asked to replace them. */
export class DemoRefusedError extends Error {
  constructor (readonly existing: number, readonly demoLoaded: boolean) {
    super(demoLoaded ? 'the demo is already loaded' : `the database already has ${existing} incidents and maintenances`)
    this.name = 'DemoRefusedError'
  }
}

/** `HH:MM` UTC on the UTC day `daysAgo` days before `now`'s (after it when negative). */
function dayTime (now: Date, daysAgo: number, time: string): number {
  const [hours, minutes] = time.split(':').map(Number)
  return utcDayStart(now, daysAgo) + (hours ?? 0) * 3_600_000 + (minutes ?? 0) * minuteMs
}

/** One write of the story, at its time; steps run oldest first so the status history is in order. */
interface Step {
  at: number
  run: () => void
}

/**
 * Loads the demo into a database without incidents or maintenances (or, with `replace`, after removing
 * them and the components); throws DemoRefusedError otherwise, having written nothing.
 */
export function loadDemo (stores: Stores, options: DemoOptions): DemoSummary {
  const actor = options.actor ?? 'cli'
  const nowMs = options.now.getTime()
  let current = nowMs
  // A second set of services over the same stores, whose clock the story moves: created_at, display
  // times and the maintenance clock's transitions all get the story's time instead of the time of loading.
  const services = createServices({
    stores,
    clock: () => new Date(current),
    incidentPrefix: options.incidentPrefix,
    ...(options.social === undefined ? {} : { social: options.social })
  })
  const demoStore = new DemoStore(stores.db)
  const componentIds = new Map<string, number>()
  const byId = (changes: DemoStatusChanges | undefined): ComponentStatusChanges | undefined => changes === undefined
    ? undefined
    : Object.fromEntries(Object.entries(changes).map(([name, status]) => [String(componentIds.get(name)), status]))
  const idsOf = (names: string[]): number[] => names.map((name) => componentIds.get(name) ?? 0)
  const steps: Step[] = []
  // The demo's updates are history: notify: false keeps them off the social channels, and a maintenance
  // announced without notify has its automatic start and end posted without it too.
  const notify = false
  let templatesAdded = 0

  // The components exist from the day before the 90-day uptime window, so every bar is full.
  steps.push({
    at: dayTime(options.now, 90, '00:00'),
    run: () => {
      for (const component of demoComponents) {
        const existing = services.components.list().find((c) => c.name === component.name && c.groupName === (component.group ?? null))
        const { id } = existing ?? services.components.create(component, actor)
        componentIds.set(component.name, id)
      }
      const names = new Set(services.templates.list().map((template) => template.name))
      for (const template of demoTemplates.filter((t) => !names.has(t.name))) {
        services.templates.create(template, actor)
        templatesAdded++
      }
    }
  })

  /** An incident's updates: the first opens it, the others follow, each written at its own time. */
  const incidentSteps = (incident: { reference: string, name: string, impact?: Impact }, updates: Array<DemoUpdate & { at: number }>): void => {
    updates.forEach((update, index) => {
      // Built when the step runs: component ids exist only once the first step has run.
      const input = () => ({ body: update.body, status: update.status, components: byId(update.components), notify, displayAt: new Date(update.at).toISOString() })
      steps.push({
        at: update.at,
        run: index === 0
          ? () => { services.incidents.open({ ...input(), reference: incident.reference, name: incident.name, ...(incident.impact === undefined ? {} : { impact: incident.impact }) }, actor) }
          : () => { services.incidents.postUpdate(incident.reference, input(), actor) }
      })
    })
  }

  for (const incident of pastIncidents) {
    incidentSteps(incident, incident.updates.map((update) => ({ ...update, at: dayTime(options.now, incident.daysAgo, update.time) })))
    const { postmortem } = incident
    if (postmortem !== undefined) {
      const at = dayTime(options.now, postmortem.daysAgo, postmortem.time)
      // Not posted: the demo's posts, if any, are its updates'.
      steps.push({ at, run: () => { services.postmortems.publish(incident.reference, { body: postmortem.body, publishedAt: new Date(at).toISOString() }, actor) } })
    }
  }

  // TM202916 keeps its real gaps, slid so that its last update is a few minutes old; it started with its first update.
  const lastOffset = Math.max(...teamsOutage.updates.map((u) => u.minutesAfterStart))
  const startedAt = Math.floor(nowMs / minuteMs) * minuteMs - (teamsOutage.lastUpdateMinutesAgo + lastOffset) * minuteMs
  incidentSteps(teamsOutage, teamsOutage.updates.map((update) => ({ ...update, at: startedAt + update.minutesAfterStart * minuteMs })))

  // Each maintenance is announced, then started and completed by the maintenance clock at its window's
  // ends, as a running Herald does; one still ahead is left for the server's own clock.
  for (const maintenance of demoMaintenances) {
    const from = dayTime(options.now, maintenance.window.daysAgo, maintenance.window.from)
    const until = dayTime(options.now, maintenance.window.daysAgo, maintenance.window.until)
    steps.push({
      at: dayTime(options.now, maintenance.announced.daysAgo, maintenance.announced.time),
      run: () => {
        services.maintenances.schedule({
          reference: maintenance.reference,
          name: maintenance.name,
          body: maintenance.body,
          components: idsOf(maintenance.components),
          scheduledFor: new Date(from).toISOString(),
          scheduledUntil: new Date(until).toISOString(),
          notify
        }, actor)
      }
    })
    for (const at of [from, until].filter((at) => at <= nowMs)) steps.push({ at, run: () => { services.maintenances.runDue() } })
    for (const update of maintenance.updates) {
      const at = dayTime(options.now, maintenance.window.daysAgo, update.time)
      steps.push({
        at,
        run: () => {
          services.maintenances.postUpdate(maintenance.reference, { body: update.body, status: update.status, notify, displayAt: new Date(at).toISOString() }, actor)
        }
      })
    }
  }

  steps.sort((a, b) => a.at - b.at)
  // One transaction around it all (each service write nests as a savepoint): a running server never
  // sees half a demo, a failure leaves the database as it was, and no other writer can add an incident
  // between the check and the load.
  stores.db.transaction(() => {
    if (options.replace === true) {
      demoStore.clearIncidentsAndComponents()
    } else {
      const existing = demoStore.countIncidents()
      if (existing > 0) throw new DemoRefusedError(existing, stores.incidents.referenceTaken(teamsOutage.reference))
    }
    for (const step of steps) {
      current = step.at
      step.run()
    }
  }).immediate()

  const incidents = [...pastIncidents, teamsOutage].map((incident) => services.incidents.get(incident.reference))
  const maintenances = demoMaintenances.map((maintenance) => services.maintenances.get(maintenance.reference))
  return {
    components: demoComponents.length,
    groups: new Set(demoComponents.map((c) => c.group).filter((g) => g !== undefined)).size,
    incidents: incidents.length,
    maintenances: maintenances.length,
    updates: [...incidents, ...maintenances].reduce((n, record) => n + record.updates.length, 0),
    templates: templatesAdded,
    open: services.incidents.get(teamsOutage.reference),
    upcoming: maintenances.filter((maintenance) => maintenance.status === 'scheduled')
      .sort((a, b) => (a.maintenance?.scheduledFor ?? '').localeCompare(b.maintenance?.scheduledFor ?? '')),
    since: new Date(steps[0]?.at ?? current).toISOString()
  }
}
