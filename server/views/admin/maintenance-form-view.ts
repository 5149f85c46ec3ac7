// View model of the schedule-maintenance form: its fields as typed, the component checkboxes, preview and cross-posting state.
import type { Component } from '../../domain/model.js'
import { isOutage } from '../../domain/statuses.js'
import { defaultTimeZone } from '../../domain/zoned-time.js'
import { componentStatusClass, componentStatusLabel } from '../format.js'
import type { CrossPostingView } from './cross-posting-view.js'
import type { FieldErrors } from './form-view.js'
import type { PreviewView } from './preview-view.js'

export interface NewMaintenanceValues {
  name: string
  reference: string
  /** As a datetime-local field holds it, read as UTC: 2020-02-04T10:00. */
  scheduledFor: string
  scheduledUntil: string
  /** The announcement, posted as the first update. */
  body: string
  /** The custom social post text, as typed ('' for the generated one). */
  postText: string
  /** The ids of the ticked components, as sent. */
  components: string[]
  notify: boolean
  autoStart: boolean
  autoComplete: boolean
  /** The zone the times are typed in, as sent; '' on a new form (the page's script fills in the browser's, else UTC). */
  timeZone: string
}

export const emptyNewMaintenance: NewMaintenanceValues = {
  name: '',
  reference: '',
  scheduledFor: '',
  scheduledUntil: '',
  body: '',
  postText: '',
  components: [],
  notify: true,
  autoStart: true,
  autoComplete: true,
  timeZone: ''
}

export interface ComponentCheckboxView {
  id: number
  /** The checkbox's id: component-<id>. */
  field: string
  name: string
  groupName: string | null
  currentLabel: string
  currentClass: string
  checked: boolean
  /** In an outage now: a maintenance starting over it leaves the outage shown (statusUnderMaintenance), and the form says so. */
  inOutage: boolean
}

export interface NewMaintenanceView {
  values: NewMaintenanceValues
  errors: FieldErrors
  components: ComponentCheckboxView[]
  /** The reference an empty field gets, as far as can be told now. */
  nextReference: string
  /** The current time in UTC as a datetime-local value, to say what "now" is in the form's zone. */
  nowUtc: string
  /** The zone the times are read in, named on the page: UTC until the script or a sent form says another. */
  timeZone: string
  preview: PreviewView | null
  crossPosting: CrossPostingView
}

export interface NewMaintenanceInput {
  values: NewMaintenanceValues
  errors: FieldErrors
  /** In page order. */
  components: Component[]
  nextReference: string
  now: Date
  preview: PreviewView | null
  crossPosting: CrossPostingView
}

/** A UTC time as a datetime-local field shows it (to the minute). */
export function dateTimeLocalValue (iso: string): string {
  return iso.slice(0, 16)
}

/** One checkbox per component in page order, each named with its group as the incident form's selects are. */
function componentCheckboxes (components: Component[], checked: readonly string[]): ComponentCheckboxView[] {
  const ticked = new Set(checked)
  return components.map((component) => ({
    id: component.id,
    field: `component-${component.id}`,
    name: component.name,
    groupName: component.groupName,
    currentLabel: componentStatusLabel(component.status),
    currentClass: componentStatusClass(component.status),
    checked: ticked.has(String(component.id)),
    inOutage: isOutage(component.status)
  }))
}

export function newMaintenanceView (input: NewMaintenanceInput): NewMaintenanceView {
  return {
    values: input.values,
    errors: input.errors,
    components: componentCheckboxes(input.components, input.values.components),
    nextReference: input.nextReference,
    nowUtc: dateTimeLocalValue(input.now.toISOString()).replace('T', ' '),
    timeZone: input.values.timeZone === '' ? defaultTimeZone : input.values.timeZone,
    preview: input.preview,
    crossPosting: input.crossPosting
  }
}

/**
 * The warning (not a refusal) for a maintenance over components in an outage now: while the outage
 * lasts they show it, not maintenance. Null when none is.
 */
export function outageWarning (components: readonly Component[]): string | null {
  const names = components.filter((component) => isOutage(component.status)).map((component) => component.name)
  if (names.length === 0) return null
  const which = names.length === 1 ? `${names[0] as string} is` : `${names.slice(0, -1).join(', ')} and ${names.at(-1) as string} are`
  return `${which} in an outage now: while it lasts, the outage is shown rather than the maintenance.`
}
