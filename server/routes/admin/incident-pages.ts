// Renders the new-incident page and the admin incident page, fresh or shown again with what was typed and its errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncidentWithUpdates } from '../../domain/model.js'
import { maxCustomPostText } from '../../domain/post-text.js'
import type { Services } from '../../services/services.js'
import { crossPostingView } from '../../views/admin/cross-posting-view.js'
import type { DraftRowView } from '../../views/admin/drafts-view.js'
import { formIncidentStatuses } from '../../views/admin/form-view.js'
import { type IncidentPageInput, incidentPageView } from '../../views/admin/incident-page-view.js'
import { adminMaintenanceHref } from '../../views/admin/maintenance-list-view.js'
import { type NewIncidentInput, newIncidentView } from '../../views/admin/new-incident-view.js'
import { type PostmortemFormInput, postmortemFormView } from '../../views/admin/postmortem-form-view.js'
import type { PreviewView } from '../../views/admin/preview-view.js'
import { renderAdmin } from './render.js'

/** "TM202916 is already used by “Teams outage”.", or null when the reference is free (incidents and maintenances share references). */
export function referenceInUse (services: Services, reference: string): string | null {
  const existing = services.incidents.find(reference)
  return existing === undefined ? null : `${existing.reference} is already used by “${existing.name}”.`
}

/** What an incident's or a maintenance's admin page shows beside the record itself: live components, cross-posting, the timeline's deliveries. */
export function recordPageInputs (app: FastifyInstance, record: IncidentWithUpdates): Pick<IncidentPageInput, 'components' | 'publicUrl' | 'crossPosting' | 'deliveries'> {
  const { config, services } = app.herald
  return {
    components: services.components.list(),
    publicUrl: config.publicUrl,
    crossPosting: crossPostingView(services.deliveries.channels()),
    deliveries: services.deliveries.forIncident(record.reference)
  }
}

export interface NewIncidentState {
  values: NewIncidentInput['values']
  errors: NewIncidentInput['errors']
  componentState: NewIncidentInput['componentState']
  preview: PreviewView | null
  statusCode: number
  /** The form of a saved draft (its page, /admin/drafts/:id) rather than of a new incident. */
  draft?: DraftRowView
}

export async function renderNewIncident (
  app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, state: NewIncidentState
): Promise<FastifyReply> {
  const { services } = app.herald
  const view = newIncidentView({
    values: state.values,
    errors: state.errors,
    components: services.components.list(),
    componentState: state.componentState,
    templates: services.templates.list(),
    nextReference: services.incidents.nextReference(),
    preview: state.preview,
    crossPosting: crossPostingView(services.deliveries.channels())
  })
  return await renderAdmin(app, request, reply, {
    template: 'incident-new',
    title: state.draft === undefined ? 'New incident' : `Draft: ${state.draft.name}`,
    section: 'incidents',
    statusCode: state.statusCode,
    data: {
      ...view,
      // A draft is not resolved: its page offers the statuses of an incident still open.
      statusOptions: state.draft === undefined ? view.statusOptions : view.statusOptions.filter((option) => option.value !== 'resolved'),
      maxPostText: maxCustomPostText,
      draft: state.draft ?? null
    }
  })
}

export interface IncidentPageState {
  update?: IncidentPageInput['update']
  edit?: IncidentPageInput['edit']
  editIncident?: IncidentPageInput['editIncident']
  preview?: PreviewView | null
  statusCode?: number
  resolving?: boolean
  /** A retry that was refused, said above the timeline. */
  deliveryError?: string
  /** The template the update form was filled from (its id as sent), and why it could not be, if so. */
  template?: { id: string, error: string | null }
  /** The postmortem form shown again with what was typed, its errors or its preview. */
  postmortem?: PostmortemFormInput['typed']
}

/** The update form as it starts: the incident's status (or resolved, when resolving), components as they are. */
function freshUpdateForm (incident: IncidentWithUpdates, resolving: boolean): IncidentPageInput['update'] {
  const status = resolving
    ? 'resolved'
    : (formIncidentStatuses as readonly string[]).includes(incident.status) ? incident.status : 'resolved'
  return { values: { status, body: '', notify: true, postText: '', displayAt: '', timeZone: '' }, errors: {}, componentState: {}, resolving }
}

export async function renderIncidentPage (
  app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, incident: IncidentWithUpdates, state: IncidentPageState = {}
): Promise<FastifyReply> {
  // A maintenance has its own statuses and forms, on its own page.
  if (incident.maintenance !== null) return await reply.redirect(adminMaintenanceHref(incident.reference), 303)
  const view = incidentPageView({
    incident,
    ...recordPageInputs(app, incident),
    update: state.update ?? freshUpdateForm(incident, state.resolving ?? false),
    edit: state.edit ?? null,
    editIncident: state.editIncident ?? null,
    preview: state.preview ?? null
  })
  return await renderAdmin(app, request, reply, {
    template: 'incident',
    title: `${incident.name} (${incident.reference})`,
    section: 'incidents',
    statusCode: state.statusCode ?? 200,
    data: {
      ...view,
      maxPostText: maxCustomPostText,
      deliveryError: state.deliveryError ?? null,
      postmortem: postmortemSection(app, incident, state.postmortem),
      // The templates an update may start from (the picker's GET fills the update form, see incidents.ts).
      updateTemplates: app.herald.services.templates.list().map((template) => ({ id: template.id, name: template.name, selected: String(template.id) === state.template?.id })),
      templateError: state.template?.error ?? null
    }
  })
}

/** The postmortem section of an incident's admin page: the saved postmortem, or what was typed into its form. */
function postmortemSection (app: FastifyInstance, incident: IncidentWithUpdates, typed: PostmortemFormInput['typed']): ReturnType<typeof postmortemFormView> {
  const { services } = app.herald
  return postmortemFormView({
    incident,
    postmortem: services.postmortems.get(incident.reference).postmortem,
    typed,
    deliveries: services.deliveries.forPostmortem(incident.reference),
    crossPosting: crossPostingView(services.deliveries.channels())
  })
}
