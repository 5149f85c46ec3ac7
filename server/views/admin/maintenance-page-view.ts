// View model of the admin maintenance page: window, status and components, the timeline with deliveries, the update and window forms.
import type { Delivery } from '../../domain/deliveries.js'
import type { Component, IncidentWithUpdates } from '../../domain/model.js'
import { type MaintenanceStatus, maintenanceStatusLabels, nextMaintenanceStatuses } from '../../domain/statuses.js'
import { defaultTimeZone, utcToZoned } from '../../domain/zoned-time.js'
import { formatDateTime } from '../format.js'
import { updateView } from '../incident-view.js'
import type { CrossPostingView } from './cross-posting-view.js'
import { type FieldErrors, type OptionView, optionList } from './form-view.js'
import { type AffectedComponentView, type TimelineEntryView, affectedComponents, timelineEntryView } from './incident-page-view.js'
import { type MaintenanceSummaryView, maintenanceSummary } from './maintenance-list-view.js'
import type { PreviewView } from './preview-view.js'

export interface MaintenanceUpdateValues {
  status: string
  body: string
  notify: boolean
  /** The custom social post text, as typed ('' for the generated one). */
  postText: string
}

export interface WindowFormValues {
  name: string
  /** datetime-local values, in timeZone. */
  scheduledFor: string
  scheduledUntil: string
  autoStart: boolean
  autoComplete: boolean
  /** The zone the times are shown and typed in: UTC until the page's script says the browser's. */
  timeZone: string
}

export interface MaintenancePageView {
  maintenance: MaintenanceSummaryView & {
    publicUrl: string
    affected: AffectedComponentView[]
    /** "Started 4 Feb 2020, 10:02 UTC" once it has started. */
    startedText: string | null
  }
  timeline: TimelineEntryView[]
  updateForm: {
    values: MaintenanceUpdateValues
    errors: FieldErrors
    statusOptions: OptionView[]
    /** Completed: the form only adds notes. */
    notesOnly: boolean
    /** Cancelled: its notes and its window say so. */
    cancelled: boolean
  }
  windowForm: {
    values: WindowFormValues
    errors: FieldErrors
    /** Only while scheduled: once started, its start is a fact. */
    canMoveStart: boolean
    /** Until completed: the end and the automatic transitions. */
    canMoveEnd: boolean
    /** "4 Feb 2020, 10:00 UTC": shown in words once the start can no longer move. */
    plannedStart: string
    /**
     * The stored window in UTC, set when the form shows it as stored (not as typed): the page's script then
     * shows it in the browser's zone and sends that zone along.
     */
    stored: { scheduledFor: string, scheduledUntil: string } | null
  }
  preview: PreviewView | null
  crossPosting: CrossPostingView
}

export interface MaintenancePageInput {
  maintenance: IncidentWithUpdates
  /** Every component on the page now (deleted ones are not). */
  components: Component[]
  publicUrl: string
  update: { values: MaintenanceUpdateValues, errors: FieldErrors }
  /** fresh: the stored window as it is (not what was typed), which the page's script may show in the browser's zone. */
  window: { values: WindowFormValues, errors: FieldErrors, fresh?: boolean }
  /** An edit form shown again with what was typed and its error. */
  edit: { updateId: number, body: string, error: string } | null
  preview: PreviewView | null
  crossPosting: CrossPostingView
  /** DeliveryService.forIncident: the deliveries by update id. */
  deliveries: Map<number, Delivery[]>
  /** The custom post texts by update id. */
}

function statusOf (maintenance: IncidentWithUpdates): MaintenanceStatus {
  return maintenance.status in nextMaintenanceStatuses ? maintenance.status as MaintenanceStatus : 'completed'
}

/**
 * What the window form shows for a maintenance's status now: the start and the automatic start
 * while scheduled, the end and the automatic completion until completed. The route reads the
 * checkboxes by the same rule, so an unticked box (sent as nothing) means off, and a box the form
 * has no more means no change, even when the form was loaded before the status moved.
 */
export function windowFormFields (maintenance: IncidentWithUpdates): { canMoveStart: boolean, canMoveEnd: boolean } {
  const status = statusOf(maintenance)
  return { canMoveStart: status === 'scheduled', canMoveEnd: status !== 'completed' && status !== 'cancelled' }
}

/** The update form as it starts: the current status (a note), empty message, posted to social channels. */
export function freshMaintenanceUpdate (maintenance: IncidentWithUpdates): MaintenancePageInput['update'] {
  return { values: { status: statusOf(maintenance), body: '', notify: true, postText: '' }, errors: {} }
}

/** The window form as it starts: the name and window as they are, in `zone` (UTC on a page just opened). */
export function freshWindowForm (maintenance: IncidentWithUpdates, zone = defaultTimeZone): MaintenancePageInput['window'] {
  const window = maintenance.maintenance
  return {
    values: {
      name: maintenance.name,
      scheduledFor: window === null ? '' : utcToZoned(window.scheduledFor, zone),
      scheduledUntil: window === null ? '' : utcToZoned(window.scheduledUntil, zone),
      autoStart: window?.autoStart ?? false,
      autoComplete: window?.autoComplete ?? false,
      timeZone: zone
    },
    errors: {},
    fresh: true
  }
}

export function maintenancePageView (input: MaintenancePageInput): MaintenancePageView {
  const { maintenance, components, update } = input
  const status = statusOf(maintenance)
  const summary = maintenanceSummary(maintenance)
  // A cancelled maintenance never started: its startedAt is when it was called off.
  const started = status !== 'scheduled' && status !== 'cancelled'
  const fields = windowFormFields(maintenance)
  return {
    maintenance: {
      ...summary,
      publicUrl: `${input.publicUrl}${summary.publicHref}`,
      affected: affectedComponents(maintenance, components),
      startedText: started ? `Started ${formatDateTime(maintenance.startedAt)}` : null
    },
    timeline: maintenance.updates.map((entry) => timelineEntryView(entry, updateView(entry), input)),
    updateForm: {
      values: update.values,
      errors: update.errors,
      statusOptions: optionList(nextMaintenanceStatuses[status], maintenanceStatusLabels, update.values.status),
      notesOnly: status === 'completed' || status === 'cancelled',
      cancelled: status === 'cancelled'
    },
    windowForm: {
      values: input.window.values,
      errors: input.window.errors,
      ...fields,
      plannedStart: formatDateTime(summary.window.start),
      stored: input.window.fresh === true ? { scheduledFor: summary.window.start, scheduledUntil: summary.window.end } : null
    },
    preview: input.preview,
    crossPosting: input.crossPosting
  }
}
