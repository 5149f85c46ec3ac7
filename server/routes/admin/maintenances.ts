// Admin maintenance pages: the list, schedule one, and on a maintenance's page post updates, move its window and fix update texts.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { IncidentWithUpdates } from '../../domain/model.js'
import { maxCustomPostText } from '../../domain/post-text.js'
import { type MaintenanceStatus, maintenanceStatusLabels, nextMaintenanceStatuses } from '../../domain/statuses.js'
import type { MaintenanceChanges } from '../../services/maintenance-service.js'
import { crossPostingView } from '../../views/admin/cross-posting-view.js'
import { type FieldErrors, typedCheckbox, typedText } from '../../views/admin/form-view.js'
import { adminIncidentHref } from '../../views/admin/incident-page-view.js'
import { type NewMaintenanceValues, emptyNewMaintenance, newMaintenanceView, outageWarning } from '../../views/admin/maintenance-form-view.js'
import { adminMaintenanceHref, maintenancesPageView, windowView } from '../../views/admin/maintenance-list-view.js'
import {
  type MaintenancePageInput, freshMaintenanceUpdate, freshWindowForm, maintenancePageView, windowFormFields
} from '../../views/admin/maintenance-page-view.js'
import { type PreviewView, previewView } from '../../views/admin/preview-view.js'
import { formatDateTime } from '../../views/format.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { type RefusalWords, checkForm, formRefusal } from './forms.js'
import { customPostText, editUpdateForm, trimmed } from './incident-forms.js'
import { recordPageInputs, referenceInUse } from './incident-pages.js'
import {
  type MaintenanceUpdateFormValues, type NewMaintenanceFormValues, type WindowFormFields,
  dateTimeLocal, formTime, formTimeZone, maintenanceFieldMessages, maintenanceUpdateForm, newMaintenanceForm, readComponentTicks, windowForm
} from './maintenance-forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'
import { editUpdateText } from './update-edit.js'

const maintenanceMissing = {
  heading: 'Maintenance not found',
  message: 'No maintenance has this reference.',
  back: { href: '/admin/maintenances', label: 'Back to the maintenance list' },
  section: 'maintenances'
}

/** How many completed maintenances the list shows: the recent ones; the rest are in the public history. */
const recentCompleted = 20

interface NewMaintenanceState {
  values: NewMaintenanceValues
  errors: FieldErrors
  preview: PreviewView | null
  statusCode: number
}

interface MaintenancePageState {
  update?: MaintenancePageInput['update']
  window?: MaintenancePageInput['window']
  edit?: MaintenancePageInput['edit']
  preview?: PreviewView | null
  statusCode?: number
}

/** "In progress, Verifying or Completed": the statuses an update may move to, in words. */
function statusChoices (statuses: readonly MaintenanceStatus[]): string {
  const labels = statuses.map((status) => maintenanceStatusLabels[status])
  return labels.length === 1 ? labels[0] as string : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1) as string}`
}

/** The service's refusal of a status move, in words: what the maintenance is now and what it can become. */
function statusMoveWords (from: MaintenanceStatus): string {
  return from === 'completed' || from === 'cancelled'
    ? `This maintenance is ${from}: it takes notes, with the status ${maintenanceStatusLabels[from]}.`
    : `This maintenance is ${maintenanceStatusLabels[from].toLowerCase()}: it can become ${statusChoices(nextMaintenanceStatuses[from])}.`
}

/** The refusal of a window that ends before it starts, next to the time that moved (see MaintenanceService). */
const windowWords: RefusalWords = {
  'window-order': (field) => field === 'scheduledFor' ? 'The start must be before the end.' : 'The end must be after the start.'
}

/** The new-maintenance form's fields a refusal may be shown next to: the schema's and the component boxes. */
const newMaintenanceFields = [...Object.keys(newMaintenanceForm.properties), 'components']

function noticeOfUpdate (reference: string, from: string, to: MaintenanceStatus): string {
  if (from === to) return `Update posted to ${reference}.`
  if (to === 'in_progress' && from === 'scheduled') return `${reference} is in progress: its components are under maintenance.`
  if (to === 'completed') return `${reference} is completed: its components are back to their statuses from before.`
  if (to === 'cancelled') return `${reference} is cancelled: it will not start, and its components are left as they are.`
  return `${reference} is ${maintenanceStatusLabels[to].toLowerCase()}.`
}

const MaintenanceParams = Type.Object({ reference: Type.String() })

export default async function maintenancesRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { config, clock, services } = app.herald

  async function renderNewMaintenance (request: FastifyRequest, reply: FastifyReply, state: NewMaintenanceState): Promise<FastifyReply> {
    const view = newMaintenanceView({
      values: state.values,
      errors: state.errors,
      components: services.components.list(),
      nextReference: services.maintenances.nextReference(),
      now: clock(),
      preview: state.preview,
      crossPosting: crossPostingView(services.deliveries.channels())
    })
    return await renderAdmin(app, request, reply, {
      template: 'maintenance-new',
      title: 'Schedule maintenance',
      section: 'maintenances',
      statusCode: state.statusCode,
      data: { ...view, maxPostText: maxCustomPostText }
    })
  }

  async function renderMaintenancePage (
    request: FastifyRequest, reply: FastifyReply, maintenance: IncidentWithUpdates, state: MaintenancePageState = {}
  ): Promise<FastifyReply> {
    const view = maintenancePageView({
      maintenance,
      ...recordPageInputs(app, maintenance),
      update: state.update ?? freshMaintenanceUpdate(maintenance),
      window: state.window ?? freshWindowForm(maintenance),
      edit: state.edit ?? null,
      preview: state.preview ?? null
    })
    return await renderAdmin(app, request, reply, {
      template: 'maintenance',
      title: `${maintenance.name} (${maintenance.reference})`,
      section: 'maintenances',
      statusCode: state.statusCode ?? 200,
      data: { ...view, maxPostText: maxCustomPostText }
    })
  }

  app.get('/maintenances', { preHandler: requireUser(), schema: { querystring: Type.Object({}) } }, async (request, reply) => {
    const { maintenances } = services
    const view = maintenancesPageView({
      upcoming: maintenances.list('upcoming'),
      active: maintenances.list('active'),
      completed: maintenances.list('completed', recentCompleted)
    })
    return await renderAdmin(app, request, reply, { template: 'maintenances', title: 'Maintenance', section: 'maintenances', data: { ...view } })
  })

  app.get('/maintenances/new', { preHandler: requireUser(), schema: { querystring: Type.Object({}) } }, async (request, reply) =>
    await renderNewMaintenance(request, reply, { values: { ...emptyNewMaintenance }, errors: {}, preview: null, statusCode: 200 }))

  app.post('/maintenances/new', { preHandler: requireUser(), schema: { body: newMaintenanceForm }, attachValidation: true }, async (request, reply) => {
    const body = trimmed<Record<string, unknown>>(request.body)
    const form = checkForm<NewMaintenanceFormValues>(newMaintenanceForm, body, maintenanceFieldMessages)
    const ticks = readComponentTicks(body, services.components.list())
    const values: NewMaintenanceValues = {
      name: typedText(body, 'name'),
      reference: typedText(body, 'reference'),
      scheduledFor: typedText(body, 'scheduledFor'),
      scheduledUntil: typedText(body, 'scheduledUntil'),
      body: typedText(body, 'body'),
      postText: typedText(body, 'postText'),
      components: ticks.typed,
      notify: typedCheckbox(body, 'notify'),
      autoStart: typedCheckbox(body, 'autoStart'),
      autoComplete: typedCheckbox(body, 'autoComplete'),
      timeZone: ''
    }
    const zone = formTimeZone(body)
    // Shown back in the zone they were typed in (by its canonical name); an unknown one falls back to UTC, said next to it.
    values.timeZone = zone.zone
    if (typedCheckbox(body, 'preview')) {
      const preview = previewView({
        status: 'scheduled',
        reference: form.errors.reference === undefined && values.reference !== '' ? values.reference : services.maintenances.nextReference(),
        incidentName: values.name,
        body: values.body,
        postText: values.postText,
        publicUrl: config.publicUrl
      })
      return await renderNewMaintenance(request, reply, { values, errors: {}, preview, statusCode: 200 })
    }

    const errors: FieldErrors = { ...form.errors }
    if (ticks.error !== null) errors.components = ticks.error
    if (zone.error !== null) errors.timeZone = zone.error
    const read = (field: 'scheduledFor' | 'scheduledUntil'): string | null => {
      if (errors[field] !== undefined || zone.error !== null) return null
      const result = formTime(values[field], zone.zone)
      if ('time' in result) return result.time
      errors[field] = result.error
      return null
    }
    const start = read('scheduledFor')
    const end = read('scheduledUntil')
    const fail = async (statusCode: number): Promise<FastifyReply> =>
      await renderNewMaintenance(request, reply, { values, errors, preview: null, statusCode })
    if (Object.keys(errors).length > 0 || start === null || end === null) {
      // The service, which refuses a used reference, is not reached while other fields are wrong: a used
      // one is named along with them, as on the incident form, so the admin fixes everything in one go.
      if (errors.reference === undefined && values.reference !== '') {
        const inUse = referenceInUse(services, values.reference)
        if (inUse !== null) errors.reference = inUse
      }
      return await fail(400)
    }

    try {
      const maintenance = services.maintenances.schedule({
        name: values.name,
        body: values.body,
        scheduledFor: start,
        scheduledUntil: end,
        components: ticks.ids,
        ...(values.reference === '' ? {} : { reference: values.reference }),
        autoStart: values.autoStart,
        autoComplete: values.autoComplete,
        notify: values.notify,
        postText: customPostText(values.postText)
      }, actorOf(request))
      // Told, not refused: the work may well be what ends the outage.
      const warning = outageWarning(services.components.list().filter((component) => ticks.ids.includes(component.id)))
      return await redirectWithNotice(request, reply, adminMaintenanceHref(maintenance.reference),
        `Maintenance ${maintenance.reference} is scheduled for ${windowView({ scheduledFor: start, scheduledUntil: end }).text}.${warning === null ? '' : ` ${warning}`}`)
    } catch (err) {
      // The window and the reference are the service's to check: its refusal is said next to the field.
      const refused = formRefusal(err, newMaintenanceFields, {
        ...windowWords,
        'window-past': () => `The end is in the past (it is ${formatDateTime(clock().toISOString())} now): announce a maintenance before it ends.`,
        'reference-taken': () => referenceInUse(services, values.reference) ?? `${values.reference} is already used.`
      })
      errors[refused.field] = refused.message
      return await fail(refused.statusCode)
    }
  })

  app.get('/maintenances/:reference', { preHandler: requireUser(), schema: { params: MaintenanceParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const { reference } = request.params
    const maintenance = services.maintenances.find(reference)
    if (maintenance !== undefined) return await renderMaintenancePage(request, reply, maintenance)
    // An incident's reference: its own page is where it is managed.
    const incident = services.incidents.find(reference)
    if (incident !== undefined) return await reply.redirect(adminIncidentHref(incident.reference), 303)
    return await renderNotFound(app, request, reply, maintenanceMissing)
  })

  app.post('/maintenances/:reference/updates', { preHandler: requireUser(), schema: { params: MaintenanceParams, body: maintenanceUpdateForm }, attachValidation: true }, async (request, reply) => {
    const maintenance = services.maintenances.find(request.params.reference)
    if (maintenance === undefined) return await renderNotFound(app, request, reply, maintenanceMissing)
    const body = request.body
    const form = checkForm<MaintenanceUpdateFormValues>(maintenanceUpdateForm, body, maintenanceFieldMessages)
    const update = {
      values: { status: typedText(body, 'status'), body: typedText(body, 'body'), notify: typedCheckbox(body, 'notify'), postText: typedText(body, 'postText') },
      errors: { ...form.errors }
    }
    const from = maintenance.status as MaintenanceStatus
    if (typedCheckbox(body, 'preview')) {
      const preview = previewView({
        status: update.errors.status === undefined ? form.values.status : from,
        reference: maintenance.reference,
        incidentName: maintenance.name,
        body: update.values.body,
        postText: update.values.postText,
        publicUrl: config.publicUrl
      })
      return await renderMaintenancePage(request, reply, maintenance, { update: { ...update, errors: {} }, preview })
    }
    if (Object.keys(update.errors).length > 0) return await renderMaintenancePage(request, reply, maintenance, { update, statusCode: 400 })
    try {
      services.maintenances.postUpdate(maintenance.reference, {
        status: form.values.status,
        body: form.values.body,
        notify: update.values.notify,
        postText: customPostText(update.values.postText)
      }, actorOf(request))
    } catch (err) {
      // The moves a status allows are the service's to check, against its status now (the clock may have
      // moved it since the page was loaded): said next to the status, with the moves it allows now.
      const now = services.maintenances.find(maintenance.reference) ?? maintenance
      const refused = formRefusal(err, Object.keys(maintenanceUpdateForm.properties), { 'status-move': () => statusMoveWords(now.status as MaintenanceStatus) })
      update.errors[refused.field] = refused.message
      return await renderMaintenancePage(request, reply, now, { update, statusCode: refused.statusCode })
    }
    return await redirectWithNotice(request, reply, adminMaintenanceHref(maintenance.reference), noticeOfUpdate(maintenance.reference, from, form.values.status))
  })

  app.post('/maintenances/:reference/window', { preHandler: requireUser(), schema: { params: MaintenanceParams, body: windowForm }, attachValidation: true }, async (request, reply) => {
    const maintenance = services.maintenances.find(request.params.reference)
    const window = maintenance?.maintenance
    if (maintenance === undefined || window == null) return await renderNotFound(app, request, reply, maintenanceMissing)
    const body = trimmed<Record<string, unknown>>(request.body)
    const form = checkForm<WindowFormFields>(windowForm, body, maintenanceFieldMessages)
    const zone = formTimeZone(body)
    // The window as it is, in the zone the form was typed in: a time left as shown is no change.
    const fresh = freshWindowForm(maintenance, zone.zone).values
    const shown = windowFormFields(maintenance)
    const state = {
      values: {
        name: typedText(body, 'name'),
        scheduledFor: body.scheduledFor === undefined ? fresh.scheduledFor : typedText(body, 'scheduledFor'),
        scheduledUntil: body.scheduledUntil === undefined ? fresh.scheduledUntil : typedText(body, 'scheduledUntil'),
        autoStart: shown.canMoveStart ? typedCheckbox(body, 'autoStart') : fresh.autoStart,
        autoComplete: shown.canMoveEnd ? typedCheckbox(body, 'autoComplete') : fresh.autoComplete,
        timeZone: zone.zone
      },
      errors: { ...form.errors }
    }
    const { values, errors } = state
    if (zone.error !== null) errors.timeZone = zone.error
    // Only what differs from the page as it is is sent: a field the form did not show, or left as it was, is no change.
    const changes: MaintenanceChanges = {}
    if (errors.name === undefined && values.name !== maintenance.name) changes.name = values.name
    for (const field of ['scheduledFor', 'scheduledUntil'] as const) {
      if (body[field] === undefined || errors[field] !== undefined || zone.error !== null || dateTimeLocal(values[field]) === fresh[field]) continue
      const result = formTime(values[field], zone.zone)
      if ('time' in result) changes[field] = result.time
      else errors[field] = result.error
    }
    if (values.autoStart !== window.autoStart) changes.autoStart = values.autoStart
    if (values.autoComplete !== window.autoComplete) changes.autoComplete = values.autoComplete
    if (Object.keys(errors).length > 0) return await renderMaintenancePage(request, reply, maintenance, { window: state, statusCode: 400 })
    if (Object.keys(changes).length === 0) {
      return await redirectWithNotice(request, reply, adminMaintenanceHref(maintenance.reference), `Nothing changed: ${maintenance.reference} is as it was.`)
    }
    let moved: IncidentWithUpdates
    try {
      moved = services.maintenances.reschedule(maintenance.reference, changes, actorOf(request))
    } catch (err) {
      // The window's rules are the service's, checked against the maintenance as it is now (the form may be
      // older than its last move): a refusal of a time is said next to it, one of the status above the form.
      const now = services.maintenances.find(maintenance.reference) ?? maintenance
      const refused = formRefusal(err, Object.keys(windowForm.properties), {
        ...windowWords,
        'window-past': () => now.status === 'scheduled'
          ? 'The end is in the past: choose a later time.'
          : 'The end is in the past: choose a later time, or post a Completed update to end it now.'
      })
      errors[refused.field] = refused.message
      return await renderMaintenancePage(request, reply, now, { window: state, statusCode: refused.statusCode })
    }
    const saved = changes.scheduledFor !== undefined || changes.scheduledUntil !== undefined
      ? `The window of ${maintenance.reference} is now ${windowView(moved.maintenance ?? window).text}.`
      : `${maintenance.reference} is saved.`
    return await redirectWithNotice(request, reply, adminMaintenanceHref(maintenance.reference), saved)
  })

  app.post('/maintenances/:reference/updates/:id', {
    preHandler: requireUser(),
    schema: { params: Type.Object({ reference: Type.String(), id: Type.String() }), body: editUpdateForm },
    attachValidation: true
  }, async (request, reply) => {
    const params = request.params
    return await editUpdateText(app, request, reply, {
      record: services.maintenances.find(params.reference),
      updateId: params.id,
      missing: { ...maintenanceMissing, heading: 'Update not found', message: 'This maintenance has no such update.' },
      href: adminMaintenanceHref,
      renderPage: async (maintenance, edit) => await renderMaintenancePage(request, reply, maintenance, { edit, statusCode: 400 })
    })
  })
}
