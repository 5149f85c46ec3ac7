// View model of the admin incident page: the incident, its timeline with an edit form and the social deliveries per update, and the update form.
import type { Delivery } from '../../domain/deliveries.js'
import type { Component, IncidentWithUpdates } from '../../domain/model.js'
import { impactLabels, impacts } from '../../domain/statuses.js'
import { defaultTimeZone } from '../../domain/zoned-time.js'
import { componentStatusClass, componentStatusLabel, formatDateTime } from '../format.js'
import { type IncidentView, type UpdateView, incidentView } from '../incident-view.js'
import { type ComponentChoiceView, type ComponentChoicesInput, componentChoices } from './component-choices-view.js'
import type { CrossPostingView } from './cross-posting-view.js'
import { type DeliveryView, deliveryView } from './deliveries-view.js'
import { type FieldErrors, type OptionView, incidentStatusOptions, optionList } from './form-view.js'
import type { PreviewView } from './preview-view.js'

export interface AffectedComponentView {
  name: string
  statusLabel: string
  statusClass: string
  /** Deleted since: shown by name, as on the public page, but no longer in the forms. */
  deleted: boolean
}

export interface TimelineEntryView extends UpdateView {
  /** The textarea's id: edit-body-<update id>. */
  editField: string
  editValue: string
  editError: string | null
  /** Open when the edit form is being shown again with an error. */
  editOpen: boolean
  /** "Text edited 3 Feb 2020, 15:10 UTC" when its text was changed after it was posted. */
  editedNote: string | null
  /** "Posted 3 Feb 2020, 16:00 UTC" when it was backdated: shown at one time, posted at another. */
  postedNote: string | null
  /** The text that replaces the generated post, when the update has one. */
  postText: string | null
  /** Its social deliveries, in channel order; empty when it was not cross-posted. */
  deliveries: DeliveryView[]
  /** Cross-posting is on but this update has no deliveries (not to be posted, or from before a channel was on). */
  notPosted: boolean
}

export interface UpdateFormValues {
  status: string
  body: string
  notify: boolean
  /** The custom social post text, as typed ('' for the generated one). */
  postText: string
  /** The backdated time as typed ('' for now), in timeZone. */
  displayAt: string
  /** The zone it was typed in, by its canonical name; '' on a fresh form, which the page's script fills with the browser's. */
  timeZone: string
}

export interface EditIncidentFormView {
  values: { name: string, impact: string }
  errors: FieldErrors
  impactOptions: OptionView[]
  /** Shown open when it comes back with an error. */
  open: boolean
}

export interface UpdateFormView {
  values: UpdateFormValues
  errors: FieldErrors
  statusOptions: OptionView[]
  components: ComponentChoiceView[]
  /** The zone the shown time is read in, as the page says it before its script runs: UTC on a fresh form. */
  timeZone: string
  /** Resolving: the affected components are proposed back to operational. */
  resolving: boolean
}

export interface IncidentPageView {
  incident: IncidentView & { adminHref: string, publicUrl: string, affected: AffectedComponentView[], open: boolean }
  timeline: TimelineEntryView[]
  updateForm: UpdateFormView
  editForm: EditIncidentFormView
  preview: PreviewView | null
  crossPosting: CrossPostingView
}

export interface IncidentPageInput {
  incident: IncidentWithUpdates
  /** Every component on the page now (deleted ones are not). */
  components: Component[]
  publicUrl: string
  update: {
    values: UpdateFormValues
    errors: FieldErrors
    componentState: Omit<ComponentChoicesInput, 'mode' | 'affectedIds' | 'proposed'>
    resolving: boolean
  }
  /** An edit form shown again with what was typed and its error. */
  edit: { updateId: number, body: string, error: string } | null
  /** The name and impact form shown again with what was typed and its errors; null: as the incident is. */
  editIncident: { values: { name: string, impact: string }, errors: FieldErrors } | null
  preview: PreviewView | null
  crossPosting: CrossPostingView
  /** DeliveryService.forIncident: the deliveries by update id. */
  deliveries: Map<number, Delivery[]>
  /** The custom post texts by update id. */
}

/** What the admin timeline needs beside an update: its edit form, custom post text and deliveries. */
export interface TimelineInput {
  edit: { updateId: number, body: string, error: string } | null
  deliveries: Map<number, Delivery[]>
  crossPosting: CrossPostingView
}

/** One update of the admin timeline of an incident or a maintenance. */
export function timelineEntryView (entry: IncidentWithUpdates['updates'][number], view: UpdateView, input: TimelineInput): TimelineEntryView {
  const { edit } = input
  const editing = edit !== null && edit.updateId === entry.id
  const deliveries = input.deliveries.get(entry.id) ?? []
  return {
    ...view,
    editField: `edit-body-${entry.id}`,
    editValue: editing ? edit.body : entry.body,
    editError: editing ? edit.error : null,
    editOpen: editing,
    editedNote: entry.updatedAt !== entry.createdAt ? `Text edited ${formatDateTime(entry.updatedAt)}` : null,
    postedNote: Date.parse(entry.createdAt) - Date.parse(entry.displayAt) > 60_000 ? `Posted ${formatDateTime(entry.createdAt)}` : null,
    postText: entry.postText,
    deliveries: deliveries.map(deliveryView),
    notPosted: input.crossPosting.on && deliveries.length === 0
  }
}

/** The components an incident or a maintenance affects, each with its status now (or marked deleted). */
export function affectedComponents (record: IncidentWithUpdates, components: Component[]): AffectedComponentView[] {
  const live = new Map(components.map((component) => [component.id, component]))
  return record.components.map(({ id, name }) => {
    const current = live.get(id)
    return current === undefined
      ? { name, statusLabel: '', statusClass: '', deleted: true }
      : { name, statusLabel: componentStatusLabel(current.status), statusClass: componentStatusClass(current.status), deleted: false }
  })
}

export function adminIncidentHref (reference: string): string {
  return `/admin/incidents/${encodeURIComponent(reference)}`
}

export function incidentPageView (input: IncidentPageInput): IncidentPageView {
  const { incident, components, update } = input
  const affectedIds = new Set(incident.components.map((component) => component.id))
  const proposed: Record<number, string> = {}
  if (update.resolving) for (const id of affectedIds) proposed[id] = 'operational'
  const publicView = incidentView(incident)
  return {
    incident: {
      ...publicView,
      adminHref: adminIncidentHref(incident.reference),
      publicUrl: `${input.publicUrl}${publicView.href}`,
      open: incident.resolvedAt === null,
      affected: affectedComponents(incident, components)
    },
    timeline: incident.updates.map((entry, index) => timelineEntryView(entry, publicView.updates[index] as UpdateView, input)),
    updateForm: {
      values: update.values,
      errors: update.errors,
      statusOptions: incidentStatusOptions(update.values.status),
      components: componentChoices(components, { ...update.componentState, mode: 'update', affectedIds, proposed }),
      timeZone: update.values.timeZone === '' ? defaultTimeZone : update.values.timeZone,
      resolving: update.resolving
    },
    editForm: {
      values: input.editIncident?.values ?? { name: incident.name, impact: incident.impact },
      errors: input.editIncident?.errors ?? {},
      impactOptions: optionList(impacts, impactLabels, input.editIncident?.values.impact ?? incident.impact),
      open: input.editIncident !== null
    },
    preview: input.preview,
    crossPosting: input.crossPosting
  }
}
