// View model of the history: one page of incidents grouped by UTC month, newest first, with search and paging links.
import type { Incident } from '../domain/model.js'
import { isolateBidi } from '../domain/text.js'
import { formatMonth, utcMonth } from './format.js'
import { type IncidentSummaryView, incidentSummary } from './incident-view.js'

export const historyPageSize = 25

export interface HistoryMonthView {
  /** YYYY-MM. */
  month: string
  label: string
  incidents: IncidentSummaryView[]
}

export interface HistoryPageView {
  query: string
  months: HistoryMonthView[]
  total: number
  page: number
  pageCount: number
  hasPages: boolean
  /** "3 incidents match “TM2”", or null when not searching. */
  resultText: string | null
  newerHref: string | null
  olderHref: string | null
}

export interface HistoryPageInput {
  incidents: Incident[]
  total: number
  page: number
  query: string
}

/** The number of pages for `total` incidents; an empty history still has its first page. */
export function historyPageCount (total: number): number {
  return Math.max(1, Math.ceil(total / historyPageSize))
}

/**
 * The link to one page of the history, keeping the search. The pages themselves are paths (/history/2),
 * so that a static mirror, which ignores queries, has a file for each; a search needs Herald, so it stays a query.
 */
export function historyHref (page: number, query: string): string {
  if (query === '') return page > 1 ? `/history/${page}` : '/history'
  const params = new URLSearchParams({ q: query })
  if (page > 1) params.set('page', String(page))
  return `/history?${params.toString()}`
}

function groupByMonth (incidents: Incident[]): HistoryMonthView[] {
  const months: HistoryMonthView[] = []
  for (const incident of incidents) {
    const month = utcMonth(incident.startedAt)
    let last = months.at(-1)
    if (last === undefined || last.month !== month) {
      last = { month, label: formatMonth(month), incidents: [] }
      months.push(last)
    }
    last.incidents.push(incidentSummary(incident))
  }
  return months
}

export function historyPageView (input: HistoryPageInput): HistoryPageView {
  const { page, query, total } = input
  const pageCount = historyPageCount(total)
  return {
    query,
    months: groupByMonth(input.incidents),
    total,
    page,
    pageCount,
    hasPages: pageCount > 1,
    // The search in plain text isolated: an override typed in it cannot reverse what follows.
    resultText: query === '' ? null : `${total} ${total === 1 ? 'incident matches' : 'incidents match'} “${isolateBidi(query)}”`,
    newerHref: page > 1 ? historyHref(page - 1, query) : null,
    olderHref: page < pageCount ? historyHref(page + 1, query) : null
  }
}
