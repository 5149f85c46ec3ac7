// What the admin pages show beside what they write: the dashboard, the audit log and the records a URL names, each from one snapshot.
import type { ApiToken } from '../domain/accounts.js'
import type { AuditEntry, AuditFilter, AuditPage } from '../domain/audit.js'
import type { IncidentTemplate } from '../domain/incident-templates.js'
import type { Component, ComponentGroup, IncidentWithUpdates } from '../domain/model.js'
import type { IncidentPage } from '../store/incidents-store.js'
import { type ServiceContext, read } from './context.js'
import { nudgeAfterOf } from './incident-service.js'

export interface DashboardFacts {
  /** In page order. */
  components: Component[]
  openIncidents: IncidentWithUpdates[]
  activeMaintenances: IncidentWithUpdates[]
  /** The next planned, soonest first. */
  upcomingMaintenances: IncidentWithUpdates[]
  /** After how many minutes without an update an open incident is flagged, and the time it is now. */
  nudgeAfterMinutes: number
  now: Date
}

export interface AuditFacts extends AuditPage {
  /** Everyone who has an entry, for the filter's choices. */
  actors: string[]
}

export class AdminReads {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  /** The dashboard: the status as the public sees it, the open incidents and the maintenance, of one moment. */
  dashboard (upcomingShown: number): DashboardFacts {
    const { components, incidents } = this.#context.stores
    return read(this.#context, () => ({
      components: components.list(),
      openIncidents: incidents.withUpdates(incidents.open()),
      activeMaintenances: incidents.withUpdates(incidents.maintenances('active')),
      upcomingMaintenances: incidents.withUpdates(incidents.maintenances('upcoming', upcomingShown)),
      nudgeAfterMinutes: nudgeAfterOf(this.#context),
      now: this.#context.clock()
    }))
  }

  /** A page of the audit log and the actors to filter by; without a filter (the form was wrong), the actors only. */
  audit (page: { filter: AuditFilter, limit: number, offset: number } | undefined): AuditFacts {
    const { audit } = this.#context.stores
    return read(this.#context, () => ({
      ...(page === undefined ? { entries: [], total: 0 } : audit.page(page.filter, page.limit, page.offset)),
      actors: audit.actors()
    }))
  }

  /** A page of the admin's list of incidents (open first, then resolved, newest first), or of those a search finds. */
  incidentList (limit: number, offset: number, query: string): IncidentPage {
    const { incidents } = this.#context.stores
    return read(this.#context, () => incidents.adminPage(limit, offset, query))
  }

  /** The audit entry of a deleted incident (what the page after deleting shows), or undefined. */
  deletedIncident (auditId: number): AuditEntry | undefined {
    const entry = this.#context.stores.audit.get(auditId)
    return entry?.action === 'incident.delete' ? entry : undefined
  }

  /** The incident or maintenance with this reference and its timeline, or undefined. */
  record (reference: string): IncidentWithUpdates | undefined {
    const { incidents } = this.#context.stores
    return read(this.#context, () => incidents.withTimeline(incidents.byReference(reference)))
  }

  /** The incident or maintenance with this id and its timeline (a delivery names its incident so), or undefined. */
  recordById (id: number): IncidentWithUpdates | undefined {
    const { incidents } = this.#context.stores
    return read(this.#context, () => incidents.withTimeline(incidents.byId(id)))
  }

  /** A component that exists and is not deleted, or undefined. */
  component (id: number): Component | undefined {
    return this.#context.stores.components.get(id)
  }

  /** How many incidents and maintenances name the component: said before it is deleted. */
  componentIncidentCount (id: number): number {
    return this.#context.stores.components.incidentCount(id)
  }

  /** The group with this id when it has components (a group without any is not shown), or undefined. */
  groupWithComponents (id: number): ComponentGroup | undefined {
    const { components } = this.#context.stores
    return read(this.#context, () => {
      const group = components.listGroups().find((candidate) => candidate.id === id)
      return group !== undefined && components.list().some((component) => component.groupId === group.id) ? group : undefined
    })
  }

  template (id: number): IncidentTemplate | undefined {
    return this.#context.stores.incidentTemplates.get(id)
  }

  /** Names ignore case, as in the database. */
  templateByName (name: string): IncidentTemplate | undefined {
    return this.#context.stores.incidentTemplates.byName(name)
  }

  /** Names ignore case, as in the database; the token found keeps the name as it was created. */
  tokenByName (name: string): ApiToken | undefined {
    return this.#context.stores.tokens.byName(name)
  }
}
