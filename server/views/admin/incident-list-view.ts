// View model of the admin's list of incidents: one row per incident (open ones first), the search, and the pages.
import type { Incident } from '../../domain/model.js'
import { type IncidentSummaryView, incidentSummary } from '../incident-view.js'
import { adminIncidentHref } from './incident-page-view.js'

/** Incidents a page of the list shows: enough to scan, few enough to render at once. */
export const incidentListPageSize = 25

export interface IncidentRowView extends IncidentSummaryView {
  adminHref: string
}

export interface IncidentListView {
  rows: IncidentRowView[]
  total: number
  /** The search as typed ('' for none). */
  query: string
  page: number
  pages: number
  several: boolean
  newer: string | null
  older: string | null
}

/** The address of a page of the list with the same search. */
export function incidentListHref (query: string, page: number): string {
  const params = new URLSearchParams()
  if (query !== '') params.set('q', query)
  if (page > 1) params.set('page', String(page))
  const text = params.toString()
  return text === '' ? '/admin/incidents' : `/admin/incidents?${text}`
}

export function incidentListPageCount (total: number): number {
  return Math.max(1, Math.ceil(total / incidentListPageSize))
}

export function incidentListView (input: { incidents: Incident[], total: number, query: string, page: number }): IncidentListView {
  const { query, page, total } = input
  const pages = incidentListPageCount(total)
  return {
    rows: input.incidents.map((incident) => ({ ...incidentSummary(incident), adminHref: adminIncidentHref(incident.reference) })),
    total,
    query,
    page,
    pages,
    several: pages > 1,
    newer: page > 1 ? incidentListHref(query, page - 1) : null,
    older: page < pages ? incidentListHref(query, page + 1) : null
  }
}
