// What the public answers show (status page, incident page, history, feeds, badges, /api/v2, the mirror's list), each from one snapshot.
import type { Appearance } from '../domain/appearance.js'
import type { ImageType } from '../domain/image-types.js'
import type { Component, ComponentGroup, Incident, IncidentUpdate, IncidentWithLatest, IncidentWithUpdates, StatusChange } from '../domain/model.js'
import { type Postmortem, type PublishedPostmortem, publishedPart } from '../domain/postmortems.js'
import type { ComponentIncident } from '../domain/uptime.js'
import type { IncidentPage, MaintenanceList } from '../store/incidents-store.js'
import type { IncidentDigest } from '../store/page-store.js'
import type { SnapshotStores, Stores } from '../store/stores.js'
import { appearanceOf } from './appearance-service.js'
import { type ServiceContext, read } from './context.js'
import { type Queries, runQueries } from './stepped-reads.js'

/** What the overall status is rolled up from (views/current-status.ts rolls it up). */
export interface StatusFacts {
  components: Component[]
  openIncidents: Incident[]
  /** A maintenance is in progress, even one that names no component. */
  maintenanceInProgress: boolean
}

export interface StatusPageFacts {
  /** In page order. */
  components: Component[]
  openIncidents: IncidentWithUpdates[]
  activeMaintenances: IncidentWithUpdates[]
  upcomingMaintenances: IncidentWithUpdates[]
  /** The resolved incidents that started in the past-incidents window (open ones are shown in full above), each with the one update the page shows. */
  recentIncidents: IncidentWithLatest[]
  /** Every status change since the start of the uptime window, oldest first. */
  changes: StatusChange[]
  /** The incidents and maintenances that may have run since the start of the uptime window, with each component they touched. */
  uptimeIncidents: ComponentIncident[]
  /** When anything on the page last changed (the API's page.updated_at); undefined on a page that never has. */
  lastChange: string | undefined
}

/** A published postmortem with its incident, as the feeds list it. */
export interface PostmortemEntry {
  incident: Incident
  postmortem: PublishedPostmortem
}

export interface FeedFacts {
  /** Newest first, each with its incident. */
  entries: Array<{ incident: Incident, update: IncidentUpdate }>
  /** The latest published postmortems, newest first: entries of their own. */
  postmortems: PostmortemEntry[]
  /** When anything on the page last changed; undefined on a page that never has. */
  lastChange: string | undefined
  /** The branding, for the feed's image, icon and logo. */
  appearance: Appearance
}

/** What every /api/v2 document starts with: the page and its components. */
export interface ApiV2PageFacts {
  /** When anything on the page last changed; undefined on a page that never has. */
  lastChange: string | undefined
  components: Component[]
  groups: ComponentGroup[]
}

/** The tweet of each listed update that was posted, by update id; the published postmortem of each listed incident, by incident id. */
export interface ApiV2Listed {
  tweetIds: Map<number, string>
  postmortems: Map<number, PublishedPostmortem>
}

/** The incident page: the incident with its timeline, and its postmortem when one is published. */
export interface IncidentPageFacts {
  incident: IncidentWithUpdates
  postmortem: PublishedPostmortem | null
}

/** What the mirror's list of files is made from: the components, and a digest of what each page shows. */
export interface SiteFacts {
  components: Component[]
  /** A digest of everything the components show, part of every incident page. */
  componentsDigest: string
  incidents: IncidentDigest[]
  /** The branding: its images and stylesheet are files of the site too. */
  appearance: Appearance
}

/** What /api/v2 shows beside the listed incidents (their tweets, their published postmortems); inside a read. */
export function apiV2Listed ({ deliveries, postmortems }: Stores, listed: IncidentWithUpdates[]): ApiV2Listed {
  const updateIds = listed.flatMap((incident) => incident.updates.map((update) => update.id))
  const published = new Map<number, PublishedPostmortem>()
  for (const [id, postmortem] of postmortems.publishedOf(listed.map((incident) => incident.id))) {
    const part = publishedPart(postmortem)
    if (part !== null) published.set(id, part)
  }
  return { tweetIds: deliveries.sentRemoteIds('twitter', updateIds), postmortems: published }
}

/** The windows of the status page: its past incidents, and its uptime bars. */
export interface StatusPageWindow {
  pastFrom: string
  pastTo: string
  uptimeFrom: string
}

/**
 * The status page's queries. What a read has read is held while it steps aside, through the collections that
 * come meanwhile, and what survives two of them stays in V8's old space until a full collection: the largest
 * (the incidents that touched components in the 90 days, and the status changes of those days, some 370 KB
 * on five years of data) come last, the status changes the very last, taken by the view in the same turn.
 */
function statusPageQueries ({ components, incidents, page, statusHistory }: SnapshotStores, window: StatusPageWindow): Queries<StatusPageFacts> {
  return {
    components: () => components.list(),
    openIncidents: () => incidents.withUpdates(incidents.open()),
    activeMaintenances: () => incidents.withUpdates(incidents.maintenances('active')),
    upcomingMaintenances: () => incidents.withUpdates(incidents.maintenances('upcoming')),
    lastChange: () => page.lastChange(),
    // Only resolved ones: those still open are shown in full above, so their updates are not read twice. Only
    // the latest update of each: the page shows no other, and a render holds what it reads until it is done.
    recentIncidents: () => incidents.withLatestUpdate(incidents.startedBetween(window.pastFrom, window.pastTo).filter((incident) => incident.resolvedAt !== null)),
    uptimeIncidents: () => incidents.touchingSince(window.uptimeFrom),
    changes: () => statusHistory.since(window.uptimeFrom)
  }
}

export class PublicReads {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  /**
   * The content version public bodies are cached under, as read at most `maxAgeMs` ago: asked on every
   * public request, cached hits included, so it is one counter read (or none), never a transaction.
   */
  contentVersion (maxAgeMs: number): number {
    return this.#context.stores.counters.recent('content_version', maxAgeMs)
  }

  /**
   * The status page: the banner, the components and the incidents as of one moment. On the server's second
   * connection (context.stepped) its queries take turns with the requests waiting, `between` awaited between
   * each two; without one, they are read in one turn.
   */
  async statusPage (window: StatusPageWindow, between: () => Promise<void>): Promise<StatusPageFacts> {
    const { stepped } = this.#context
    if (stepped !== undefined) return await stepped.read((stores) => statusPageQueries(stores, window), between)
    return read(this.#context, () => runQueries(statusPageQueries(this.#context.stores, window)))
  }

  /** The overall status's facts, for answers that show nothing else (the badge, status.json). */
  status (): StatusFacts {
    return read(this.#context, () => this.#status())
  }

  /** The incident (or maintenance) with this reference, its whole timeline and its published postmortem, of one snapshot; undefined when there is none. */
  incidentPage (reference: string): IncidentPageFacts | undefined {
    const { incidents, postmortems } = this.#context.stores
    return read(this.#context, () => {
      const incident = incidents.withTimeline(incidents.byReference(reference))
      return incident === undefined ? undefined : { incident, postmortem: publishedPart(postmortems.get(incident.id)) }
    })
  }

  /** A page of the incident history, newest first, with the count of all that match. */
  history (limit: number, offset: number, query: string): IncidentPage {
    return read(this.#context, () => this.#context.stores.incidents.page(limit, offset, query))
  }

  /** A component that exists and is not deleted, or undefined. */
  component (id: number): Component | undefined {
    return this.#context.stores.components.get(id)
  }

  /** The site feed: the latest updates and their incidents' names. */
  feed (limit: number): FeedFacts {
    const { incidents, page } = this.#context.stores
    return read(this.#context, () => ({
      entries: incidents.recentUpdates(limit),
      postmortems: this.#postmortemEntries(this.#context.stores.postmortems.recentPublished(limit)),
      lastChange: page.lastChange(),
      appearance: appearanceOf(this.#context.stores)
    }))
  }

  /** One component's feed, its name and its updates agreeing; undefined when there is no such component. */
  componentFeed (id: number, limit: number): (FeedFacts & { component: Component }) | undefined {
    const { components, incidents, page } = this.#context.stores
    return read(this.#context, () => {
      const component = components.get(id)
      if (component === undefined) return undefined
      return {
        component,
        entries: incidents.recentUpdatesOf(component.id, limit),
        postmortems: this.#postmortemEntries(this.#context.stores.postmortems.recentPublishedOf(component.id, limit)),
        lastChange: page.lastChange(),
        appearance: appearanceOf(this.#context.stores)
      }
    })
  }

  /** components.json. */
  apiV2Page (): ApiV2PageFacts {
    return read(this.#context, () => this.#apiV2Page())
  }

  /** status.json. */
  apiV2Status (): ApiV2PageFacts & { status: StatusFacts } {
    return read(this.#context, () => ({ ...this.#apiV2Page(), status: this.#status() }))
  }

  /** summary.json: the open incidents, the maintenances upcoming then active, and the status they make. */
  apiV2Summary (): ApiV2PageFacts & ApiV2Listed & { incidents: IncidentWithUpdates[], maintenances: IncidentWithUpdates[], status: StatusFacts } {
    const { incidents } = this.#context.stores
    return read(this.#context, () => {
      const pageFacts = this.#apiV2Page()
      const open = incidents.open()
      const active = incidents.maintenances('active')
      const listedIncidents = incidents.withUpdates(open)
      const listedMaintenances = incidents.withUpdates([...incidents.maintenances('upcoming'), ...active])
      return {
        ...pageFacts,
        incidents: listedIncidents,
        maintenances: listedMaintenances,
        ...this.#listed([...listedIncidents, ...listedMaintenances]),
        status: { components: pageFacts.components, openIncidents: open, maintenanceInProgress: active.length > 0 }
      }
    })
  }

  /** incidents.json (the most recent `limit`) and incidents/unresolved.json (the open ones). */
  apiV2Incidents (which: { recent: number } | 'open'): ApiV2PageFacts & ApiV2Listed & { incidents: IncidentWithUpdates[] } {
    const { incidents } = this.#context.stores
    return read(this.#context, () => {
      const listed = incidents.withUpdates(which === 'open' ? incidents.open() : incidents.recentIncidents(which.recent))
      return { ...this.#apiV2Page(), incidents: listed, ...this.#listed(listed) }
    })
  }

  /** The scheduled-maintenances documents: upcoming, active, or all (the most recent `limit`). */
  apiV2Maintenances (which: MaintenanceList, limit?: number): ApiV2PageFacts & ApiV2Listed & { maintenances: IncidentWithUpdates[] } {
    const { incidents } = this.#context.stores
    return read(this.#context, () => {
      const listed = incidents.withUpdates(incidents.maintenances(which, limit))
      return { ...this.#apiV2Page(), maintenances: listed, ...this.#listed(listed) }
    })
  }

  /** What the mirror's list of files is made from, of one moment. */
  site (): SiteFacts {
    const { components, page } = this.#context.stores
    return read(this.#context, () => ({
      components: components.list(),
      componentsDigest: page.componentsDigest(),
      incidents: page.incidentDigests(),
      appearance: appearanceOf(this.#context.stores)
    }))
  }

  /** The branding every public page shows (logo, accent, links, favicon, auto-refresh). */
  appearance (): Appearance {
    return read(this.#context, () => appearanceOf(this.#context.stores))
  }

  /** An uploaded image by the SHA-256 its public address names, or undefined when no slot holds it now. */
  brandImage (hash: string): { contentType: ImageType, bytes: Buffer } | undefined {
    return this.#context.stores.appearance.bytesByHash(hash)
  }

  /** The uploaded favicon, or undefined when Herald's own is shown. */
  favicon (): { contentType: ImageType, bytes: Buffer } | undefined {
    return this.#context.stores.appearance.bytesOf('favicon')
  }

  #status (): StatusFacts {
    const { components, incidents } = this.#context.stores
    return {
      components: components.list(),
      openIncidents: incidents.open(),
      maintenanceInProgress: incidents.maintenances('active', 1).length > 0
    }
  }

  #apiV2Page (): ApiV2PageFacts {
    const { components, page } = this.#context.stores
    return { lastChange: page.lastChange(), components: components.list(), groups: components.listGroups() }
  }

  #listed (listed: IncidentWithUpdates[]): ApiV2Listed {
    return apiV2Listed(this.#context.stores, listed)
  }

  #postmortemEntries (list: Postmortem[]): PostmortemEntry[] {
    const { incidents } = this.#context.stores
    return list.flatMap((postmortem) => {
      const incident = incidents.byId(postmortem.incidentId)
      const published = publishedPart(postmortem)
      return incident === undefined || published === null ? [] : [{ incident, postmortem: published }]
    })
  }
}
