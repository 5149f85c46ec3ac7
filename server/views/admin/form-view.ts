// Small view-model pieces every admin form uses: select options and the values a person typed, kept as text.
import {
  type ComponentStatus,
  type IncidentStatus,
  componentStatusLabels,
  componentStatuses,
  impactLabels,
  impacts,
  incidentStatusLabels
} from '../../domain/statuses.js'

export interface OptionView {
  value: string
  label: string
  selected: boolean
}

export type FieldErrors = Record<string, string>

/** The statuses the admin forms offer; a postmortem comes with a later issue. */
export const formIncidentStatuses: readonly IncidentStatus[] = ['investigating', 'identified', 'monitoring', 'resolved']

export function optionList (values: readonly string[], labels: Record<string, string>, selected: string): OptionView[] {
  return values.map((value) => ({ value, label: labels[value] ?? value, selected: value === selected }))
}

export function incidentStatusOptions (selected: string): OptionView[] {
  return optionList(formIncidentStatuses, incidentStatusLabels, selected)
}

/** Impacts, led by the choice of letting the components decide (the service's default), in words short enough for the select. */
export function impactOptions (selected: string): OptionView[] {
  return optionList(['', ...impacts], { '': 'Worst component status', ...impactLabels }, selected)
}

/** Component statuses; with `noChange`, led by an empty "no change" choice. */
export function componentStatusOptions (selected: string, noChange = false): OptionView[] {
  const values: string[] = noChange ? ['', ...componentStatuses] : [...componentStatuses]
  return optionList(values, { '': 'No change', ...componentStatusLabels }, selected)
}

export function isComponentStatus (value: unknown): value is ComponentStatus {
  return typeof value === 'string' && (componentStatuses as readonly string[]).includes(value)
}

/**
 * A submitted field as text to show again: what was typed, or '' when the field was missing or
 * not text (a field sent twice arrives as a list).
 */
export function typedText (values: unknown, field: string): string {
  if (typeof values !== 'object' || values === null) return ''
  const value = (values as Record<string, unknown>)[field]
  return typeof value === 'string' ? value : ''
}

/** A checkbox: on when the field was sent at all (browsers send nothing for an unchecked box). */
export function typedCheckbox (values: unknown, field: string): boolean {
  return typeof values === 'object' && values !== null && (values as Record<string, unknown>)[field] !== undefined
}
