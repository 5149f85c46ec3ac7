// View models of draft incidents in the admin: the list, the dashboard's box, the draft page's heading and its form's values.
import type { Component } from '../../domain/model.js'
import type { IncidentDraft } from '../../domain/monitors.js'
import { incidentStatusClass, incidentStatusLabel } from '../format.js'
import { actorLabel } from './audit-view.js'
import { type NewIncidentValues, emptyNewIncident } from './new-incident-view.js'

export function adminDraftHref (id: number): string {
  return `/admin/drafts/${id}`
}

export interface DraftRowView {
  id: number
  href: string
  name: string
  statusLabel: string
  statusClass: string
  /** Who made it: a person's name, `monitor:<name>` for a monitor's, "API token ci" for a script's. */
  maker: string
  fromMonitor: boolean
  createdAt: string
  updatedAt: string
  /** What its monitor saw since ("recovered at …"), one entry a line; empty when nothing. */
  note: string[]
  /** How many components it changes when published. */
  componentCount: number
}

export function draftRow (draft: IncidentDraft): DraftRowView {
  return {
    id: draft.id,
    href: adminDraftHref(draft.id),
    name: draft.name,
    statusLabel: incidentStatusLabel(draft.status),
    statusClass: incidentStatusClass(draft.status),
    maker: actorLabel(draft.createdBy),
    fromMonitor: draft.createdBy.startsWith('monitor:'),
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
    note: draft.note === null ? [] : draft.note.split('\n'),
    componentCount: Object.keys(draft.components).length
  }
}

/** The dashboard's "Drafts" box: null (no box) when there are none. */
export function draftsBoxView (drafts: IncidentDraft[]): { count: number, rows: DraftRowView[] } | null {
  return drafts.length === 0 ? null : { count: drafts.length, rows: drafts.map(draftRow) }
}

/** A saved draft as the new-incident form shows it: the reference, post text and tick are chosen when publishing. */
export function draftFormValues (draft: IncidentDraft): NewIncidentValues {
  return { ...emptyNewIncident, name: draft.name, body: draft.body, status: draft.status, impact: draft.impact ?? '' }
}

/** The component selects of a saved draft, by field name (component-<id>), for the components that still exist. */
export function draftComponentFields (draft: IncidentDraft, components: Component[]): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const component of components) {
    const status = draft.components[String(component.id)]
    if (status !== undefined) fields[`component-${component.id}`] = status
  }
  return fields
}
