// Admin incident pages: open an incident, check a reference, and on an incident's page post, fix and resolve updates.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import type { IncidentWithUpdates } from '../../domain/model.js'
import { isValidReference } from '../../domain/references.js'
import { ConflictError, InvalidInputError } from '../../services/errors.js'
import { componentPlaceholder, fillPlaceholder } from '../../services/template-service.js'
import { type FieldErrors, formIncidentStatuses, typedCheckbox, typedText } from '../../views/admin/form-view.js'
import { adminIncidentHref } from '../../views/admin/incident-page-view.js'
import { type NewIncidentValues, emptyNewIncident, templateComponentFields } from '../../views/admin/new-incident-view.js'
import { previewView } from '../../views/admin/preview-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { renderDashboard } from './dashboard.js'
import { typedDisplayAt } from './display-time.js'
import { checkForm, formRefusal } from './forms.js'
import {
  type EditIncidentValues, type NewIncidentFormValues, type UpdateValues,
  customPostText, editIncidentForm, editUpdateForm, incidentFieldMessages, newIncidentForm, newIncidentValues, readComponentChoices, trimmed, updateForm
} from './incident-forms.js'
import { referenceInUse, renderIncidentPage, renderNewIncident } from './incident-pages.js'
import { incidentMissing, incidentRecord, sendMaintenanceAway } from './incident-record.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice } from './render.js'
import { editUpdateText } from './update-edit.js'

const IncidentParams = Type.Object({ reference: Type.String() })

export default async function incidentsRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { config, services } = app.herald

  const incidentOf = (reference: string): IncidentWithUpdates | undefined => incidentRecord(app, reference)

  app.get('/incidents/new', {
    preHandler: requireUser(),
    schema: { querystring: Type.Object({ template: Type.Optional(Type.String()) }) }
  }, async (request, reply) => {
    const { template: templateId } = request.query
    const values = { ...emptyNewIncident }
    const errors: Record<string, string> = {}
    let typed: Record<string, string> = {}
    if (templateId !== undefined && templateId !== '') {
      const id = parseId(templateId)
      const template = id === undefined ? undefined : services.reads.admin.template(id)
      if (template === undefined) {
        errors.template = 'That template does not exist any more. Choose another one.'
      } else {
        // The texts and the presets it has; what it leaves unset keeps the form's default.
        Object.assign(values, {
          name: template.title,
          body: template.body,
          template: String(template.id),
          ...(template.status === null ? {} : { status: template.status }),
          ...(template.impact === null ? {} : { impact: template.impact })
        })
        typed = templateComponentFields(template, services.components.list())
      }
    }
    return await renderNewIncident(app, request, reply, { values, errors, componentState: { typed }, preview: null, statusCode: 200 })
  })

  app.post('/incidents/new', { preHandler: requireUser(), schema: { body: newIncidentForm }, attachValidation: true }, async (request, reply) => {
    const body = trimmed<Record<string, unknown>>(request.body)
    const form = checkForm<NewIncidentFormValues>(newIncidentForm, body, incidentFieldMessages)
    const live = services.components.list()
    const choices = readComponentChoices(body, live, 'new')
    const values: NewIncidentValues = newIncidentValues(body)
    const componentState = { typed: choices.typed, errors: choices.errors }
    if (typedCheckbox(body, 'preview')) {
      const preview = previewView({
        status: form.errors.status === undefined ? form.values.status : 'investigating',
        reference: form.errors.reference === undefined && values.reference !== '' ? values.reference : services.incidents.nextReference(),
        incidentName: fillPlaceholder(values.name, choices.names),
        body: fillPlaceholder(values.body, choices.names),
        postText: values.postText,
        publicUrl: config.publicUrl
      })
      return await renderNewIncident(app, request, reply, { values, errors: {}, componentState: { typed: choices.typed }, preview, statusCode: 200 })
    }

    const errors = { ...form.errors, ...choices.errors }
    // Said even when other fields are wrong, so the admin fixes everything in one go.
    let referenceTaken = false
    if (form.errors.reference === undefined && values.reference !== '') {
      const inUse = referenceInUse(services, values.reference)
      if (inUse !== null) errors.reference = inUse
      referenceTaken = inUse !== null
    }
    if (choices.names.length === 0 && (values.name.includes(componentPlaceholder) || values.body.includes(componentPlaceholder))) {
      errors.components ??= `Choose the affected components: the name or the message says ${componentPlaceholder}, which is replaced by their names.`
    }
    const fail = async (statusCode: number): Promise<FastifyReply> =>
      await renderNewIncident(app, request, reply, { values, errors, componentState, preview: null, statusCode })
    const fields = Object.keys(errors)
    // 409 when the reference in use is the only thing wrong, as the API answers; 400 otherwise.
    if (fields.length > 0) return await fail(fields.length === 1 && referenceTaken ? 409 : 400)

    try {
      const incident = services.incidents.open({
        name: fillPlaceholder(values.name, choices.names),
        body: fillPlaceholder(values.body, choices.names),
        status: form.values.status,
        ...(form.values.impact === undefined || form.values.impact === '' ? {} : { impact: form.values.impact }),
        ...(values.reference === '' ? {} : { reference: values.reference }),
        components: choices.changes,
        notify: values.notify,
        postText: customPostText(values.postText)
      }, actorOf(request))
      return await redirectWithNotice(request, reply, adminIncidentHref(incident.reference), `Incident ${incident.reference} is open.`)
    } catch (err) {
      // Someone else took the reference or deleted a component between the checks and the write: the
      // service's refusal, next to the field it names.
      const refused = formRefusal(err, [...Object.keys(newIncidentForm.properties), 'components'], {
        'reference-taken': () => referenceInUse(services, values.reference) ?? `${values.reference} is already used.`
      })
      errors[refused.field] = refused.message
      return await fail(refused.statusCode)
    }
  })

  // For the script of the new-incident form: tells as the admin types whether a reference can be used.
  app.get('/incidents/reference-check', {
    preHandler: requireUser(),
    schema: { querystring: Type.Object({ reference: Type.Optional(Type.String()) }) }
  }, async (request) => {
    const reference = (request.query.reference ?? '').trim()
    if (reference === '') {
      return { reference, ok: true, message: `A reference will be made, such as ${services.incidents.nextReference()}.` }
    }
    if (!isValidReference(reference)) return { reference, ok: false, message: incidentFieldMessages.reference }
    const inUse = referenceInUse(services, reference)
    return { reference, ok: inUse === null, message: inUse ?? `${reference} is free.` }
  })

  app.get('/incidents/:reference', {
    preHandler: requireUser(),
    schema: { params: IncidentParams, querystring: Type.Object({ resolve: Type.Optional(Type.String()), template: Type.Optional(Type.String()) }) }
  }, async (request, reply) => {
    const incident = incidentOf(request.params.reference)
    if (incident === undefined) return await renderNotFound(app, request, reply, incidentMissing)
    const resolving = request.query.resolve !== undefined
    const templateId = request.query.template
    if (templateId === undefined || templateId === '') return await renderIncidentPage(app, request, reply, incident, { resolving })
    const id = parseId(templateId)
    const template = id === undefined ? undefined : services.reads.admin.template(id)
    if (template === undefined) {
      return await renderIncidentPage(app, request, reply, incident, { resolving, template: { id: templateId, error: 'That template does not exist any more. Choose another one.' } })
    }
    // The update starts from the template: its message ({component}: the components the incident affects),
    // and its status and component statuses when it presets them; the rest as the form starts.
    const names = incident.components.map((component) => component.name)
    const status = template.status ?? ((formIncidentStatuses as readonly string[]).includes(incident.status) ? incident.status : 'resolved')
    return await renderIncidentPage(app, request, reply, incident, {
      resolving,
      template: { id: String(template.id), error: null },
      update: {
        values: { status, body: fillPlaceholder(template.body, names), notify: true, postText: '', displayAt: '', timeZone: '' },
        errors: {},
        componentState: { typed: templateComponentFields(template, services.components.list()) },
        resolving
      }
    })
  })

  app.post('/incidents/:reference/updates', {
    preHandler: requireUser(),
    schema: { params: IncidentParams, body: updateForm },
    attachValidation: true
  }, async (request, reply) => {
    const incident = incidentOf(request.params.reference)
    if (incident === undefined) return await renderNotFound(app, request, reply, incidentMissing)
    // A maintenance has its own statuses: its page takes its updates.
    const away = await sendMaintenanceAway(request, reply, incident, `Nothing was saved: ${incident.reference} is a maintenance. Post its updates here.`)
    if (away !== undefined) return away
    const body = request.body
    const form = checkForm<UpdateValues>(updateForm, body, incidentFieldMessages)
    const fromDashboard = typedText(body, 'from') === 'dashboard'
    const values = { status: typedText(body, 'status'), body: typedText(body, 'body'), notify: typedCheckbox(body, 'notify') }

    if (fromDashboard) {
      // The quick form has no component selects: resolving from it puts the affected components back to operational.
      if (!form.ok) return await renderDashboard(app, request, reply, { reference: incident.reference, ...values, errors: form.errors })
      try {
        services.incidents.postUpdate(incident.reference, { status: form.values.status, body: form.values.body, notify: values.notify }, actorOf(request))
      } catch (err) {
        if (!(err instanceof ConflictError) && !(err instanceof InvalidInputError)) throw err
        const errors: Record<string, string> = { [err instanceof ConflictError ? 'status' : 'body']: `Nothing was saved: ${err.message}.` }
        return await renderDashboard(app, request, reply, { reference: incident.reference, ...values, errors })
      }
      return await redirectWithNotice(request, reply, '/admin', noticeOfUpdate(incident.reference, form.values.status))
    }

    const choices = readComponentChoices(body, services.components.list(), 'update')
    const time = typedDisplayAt(typedText(body, 'displayAt'), body)
    const errors: FieldErrors = { ...time.errors, ...form.errors, ...choices.errors }
    const update = {
      // The time as typed, shown again in the zone it was typed in (by its canonical name; UTC for an unknown one, said next to it).
      values: { ...values, postText: typedText(body, 'postText'), displayAt: typedText(body, 'displayAt'), timeZone: time.timeZone },
      errors,
      componentState: { typed: choices.typed, was: choices.was, errors: choices.errors },
      resolving: values.status === 'resolved'
    }
    if (typedCheckbox(body, 'preview')) {
      const preview = previewView({
        status: form.errors.status === undefined ? form.values.status : incident.status,
        reference: incident.reference,
        incidentName: incident.name,
        body: values.body,
        postText: update.values.postText,
        publicUrl: config.publicUrl
      })
      return await renderIncidentPage(app, request, reply, incident, { update: { ...update, errors: {} }, preview })
    }
    if (Object.keys(update.errors).length > 0) return await renderIncidentPage(app, request, reply, incident, { update, statusCode: 400 })
    try {
      services.incidents.postUpdate(incident.reference, {
        status: form.values.status,
        body: form.values.body,
        // Always given, even empty: resolving with every select left as it was changes no component.
        components: choices.changes,
        notify: values.notify,
        postText: customPostText(update.values.postText),
        ...(time.displayAt !== undefined ? { displayAt: time.displayAt } : {})
      }, actorOf(request))
    } catch (err) {
      const refused = formRefusal(err, [...Object.keys(updateForm.properties), 'components'], {
        'display-at-future': () => 'This time is in the future: an update can be dated now or earlier, never later.'
      })
      update.errors[refused.field] = refused.message
      return await renderIncidentPage(app, request, reply, incident, { update, statusCode: refused.statusCode })
    }
    return await redirectWithNotice(request, reply, adminIncidentHref(incident.reference), noticeOfUpdate(incident.reference, form.values.status))
  })

  // Rename it or change its impact: the page, the feeds and the APIs follow; nothing is posted to the social channels.
  app.post('/incidents/:reference/edit', {
    preHandler: requireUser(),
    schema: { params: IncidentParams, body: editIncidentForm },
    attachValidation: true
  }, async (request, reply) => {
    const incident = incidentOf(request.params.reference)
    if (incident === undefined) return await renderNotFound(app, request, reply, incidentMissing)
    const away = await sendMaintenanceAway(request, reply, incident, `Nothing was saved: ${incident.reference} is a maintenance. Change it on its page.`)
    if (away !== undefined) return away
    const body = trimmed<Record<string, unknown>>(request.body)
    const form = checkForm<EditIncidentValues>(editIncidentForm, body, incidentFieldMessages)
    const values = { name: typedText(body, 'name'), impact: typedText(body, 'impact') }
    if (!form.ok) return await renderIncidentPage(app, request, reply, incident, { editIncident: { values, errors: form.errors }, statusCode: 400 })
    const changes = {
      ...(form.values.name === incident.name ? {} : { name: form.values.name }),
      ...(form.values.impact === incident.impact ? {} : { impact: form.values.impact })
    }
    if (Object.keys(changes).length === 0) return await redirectWithNotice(request, reply, adminIncidentHref(incident.reference), 'Nothing changed.')
    try {
      services.incidents.edit(incident.reference, changes, actorOf(request))
    } catch (err) {
      const refused = formRefusal(err, Object.keys(editIncidentForm.properties))
      return await renderIncidentPage(app, request, reply, incident, {
        editIncident: { values, errors: { [refused.field]: refused.message } }, statusCode: refused.statusCode
      })
    }
    return await redirectWithNotice(request, reply, adminIncidentHref(incident.reference), `${incident.reference} is changed.`)
  })

  app.post('/incidents/:reference/updates/:id', {
    preHandler: requireUser(),
    schema: { params: Type.Object({ reference: Type.String(), id: Type.String() }), body: editUpdateForm },
    attachValidation: true
  }, async (request, reply) => {
    const params = request.params
    return await editUpdateText(app, request, reply, {
      record: incidentOf(params.reference),
      updateId: params.id,
      missing: { ...incidentMissing, heading: 'Update not found', message: 'This incident has no such update.' },
      href: adminIncidentHref,
      renderPage: async (incident, edit) => await renderIncidentPage(app, request, reply, incident, { edit, statusCode: 400 })
    })
  })
}

function noticeOfUpdate (reference: string, status: string): string {
  return status === 'resolved' ? `${reference} is resolved.` : `Update posted to ${reference}.`
}
