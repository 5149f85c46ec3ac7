// View model of the admin's subscribers: the list with its filters, the counts by kind for the dashboard, and the rows of the CSV export.
import type { Component } from '../../domain/model.js'
import { type Subscriber, type SubscriberKind, type SubscriberState, subscriberKindLabels, subscriberKinds, subscriberStates } from '../../domain/subscribers.js'
import type { OptionView } from './form-view.js'

export const subscriberStateLabels: Record<SubscriberState, string> = {
  unconfirmed: 'Unconfirmed',
  active: 'Active',
  quarantined: 'Quarantined',
  bounced: 'Bounced'
}

export interface SubscriberRowView {
  id: number
  kindLabel: string
  target: string
  contactEmail: string | null
  state: SubscriberState
  stateLabel: string
  components: string
  createdAt: string
  lastDeliveryAt: string | null
  lastError: string | null
  /** Quarantined or bounced: the admin may send to it again. */
  canReenable: boolean
}

/** The components a subscriber gets, in words: "All components", or their names in page order. */
export function componentsText (subscriber: Pick<Subscriber, 'allComponents' | 'componentIds'>, components: readonly Component[]): string {
  if (subscriber.allComponents) return 'All components'
  const chosen = new Set(subscriber.componentIds)
  const names = components.filter((component) => chosen.has(component.id)).map((component) => component.name)
  return names.length === 0 ? 'No component (all were deleted)' : names.join(', ')
}

export function subscriberRow (subscriber: Subscriber, components: readonly Component[]): SubscriberRowView {
  return {
    id: subscriber.id,
    kindLabel: subscriberKindLabels[subscriber.kind],
    target: subscriber.target,
    contactEmail: subscriber.contactEmail,
    state: subscriber.state,
    stateLabel: subscriberStateLabels[subscriber.state],
    components: componentsText(subscriber, components),
    createdAt: subscriber.createdAt,
    lastDeliveryAt: subscriber.lastDeliveryAt,
    lastError: subscriber.lastError,
    canReenable: subscriber.state === 'quarantined' || subscriber.state === 'bounced'
  }
}

export interface SubscriberFilter {
  kind?: SubscriberKind
  state?: SubscriberState
}

export function filterOptions (filter: SubscriberFilter): { kinds: OptionView[], states: OptionView[] } {
  return {
    kinds: [{ value: '', label: 'Any kind', selected: filter.kind === undefined }, ...subscriberKinds.map((kind) => ({ value: kind, label: subscriberKindLabels[kind], selected: kind === filter.kind }))],
    states: [{ value: '', label: 'Any state', selected: filter.state === undefined }, ...subscriberStates.map((state) => ({ value: state, label: subscriberStateLabels[state], selected: state === filter.state }))]
  }
}

/** How many subscribers of each kind are in each state, as the service counts them. */
export type SubscriberCounts = Record<SubscriberKind, Record<SubscriberState, number>>

export interface SubscriberCountsView {
  total: number
  /** "12 email (3 unconfirmed)", one per kind that has any, in the order of the kinds. */
  byKind: Array<{ kind: SubscriberKind, label: string, count: number, text: string }>
}

export function subscriberCountsView (counts: SubscriberCounts): SubscriberCountsView {
  const byKind: SubscriberCountsView['byKind'] = []
  for (const kind of subscriberKinds) {
    const ofKind = subscriberStates.map((state) => ({ state, count: counts[kind][state] })).filter((entry) => entry.count > 0)
    const count = ofKind.reduce((sum, entry) => sum + entry.count, 0)
    if (count === 0) continue
    const notActive = ofKind.filter((entry) => entry.state !== 'active').map((entry) => `${entry.count} ${entry.state}`)
    const label = subscriberKindLabels[kind]
    byKind.push({ kind, label, count, text: `${count} ${label}${notActive.length === 0 ? '' : ` (${notActive.join(', ')})`}` })
  }
  return { total: byKind.reduce((sum, entry) => sum + entry.count, 0), byKind }
}

/**
 * A CSV cell a spreadsheet will not run: one that starts with = + - @ (or a tab or carriage return, which
 * some read past) gets a leading apostrophe, which shows as text (OWASP's advice on CSV injection).
 */
export function spreadsheetSafe (cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell
}

export const exportColumns = ['id', 'kind', 'target', 'contact_email', 'state', 'components', 'source', 'created_at', 'confirmed_at', 'last_delivery_at', 'last_error'] as const

export type ExportRow = Record<typeof exportColumns[number], string | number>

/** The export's rows, every cell guarded: a target or an error is text someone else chose. */
export function exportCells (rows: readonly ExportRow[]): string[][] {
  return rows.map((row) => exportColumns.map((column) => spreadsheetSafe(String(row[column]))))
}
