// Admin pages of draft incidents: save the new-incident form as a draft, list the drafts, change, publish and discard one.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import type { IncidentDraft } from '../../domain/monitors.js'
import type { DraftInput, PublishOptions } from '../../services/draft-service.js'
import { componentPlaceholder, fillPlaceholder } from '../../services/template-service.js'
import { crossPostingView } from '../../views/admin/cross-posting-view.js'
import { adminDraftHref, draftComponentFields, draftFormValues, draftRow } from '../../views/admin/drafts-view.js'
import { type FieldErrors, typedCheckbox, typedText } from '../../views/admin/form-view.js'
import { adminIncidentHref } from '../../views/admin/incident-page-view.js'
import type { NewIncidentValues } from '../../views/admin/new-incident-view.js'
import { previewView } from '../../views/admin/preview-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { checkForm, confirmationForm, formRefusal } from './forms.js'
import {
  type NewIncidentFormValues, customPostText, incidentFieldMessages, newIncidentForm, newIncidentValues, readComponentChoices, trimmed
} from './incident-forms.js'
import { type NewIncidentState, referenceInUse, renderNewIncident } from './incident-pages.js'
import { type NotFoundPage, renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

const DraftParams = Type.Object({ id: Type.String({ maxLength: 20 }) })
// The dashboard's one-click Publish sends nothing but where it came from: the draft is published as saved.
// From the draft's page, the new-incident form's fields (checked by checkForm, to be shown beside each field).
const publishForm = Type.Object({ from: Type.Optional(Type.String({ maxLength: 20 })) })

const draftMissing: NotFoundPage = {
  heading: 'Draft not found',
  message: 'No draft has this number: it may have been published or discarded already.',
  back: { href: '/admin/drafts', label: 'All drafts' },
  section: 'incidents'
}

// The fields a refusal from the services may name, to show it beside that field.
const formFields = [...Object.keys(newIncidentForm.properties), 'components']
const savedNotice = 'Draft saved. Nothing is public until you publish it.'

const notResolved = 'A draft cannot be resolved: choose Investigating, Identified or Monitoring.'
const choseWhenPublishing = {
  reference: 'A draft takes its reference when it is published: leave this empty to save it (or publish it now with this reference).',
  postText: 'The post text is chosen when the draft is published: leave this empty to save it (or publish it now with this text).'
}

/** The new-incident form (a new draft's or a saved draft's) read into what the draft service takes, with every field's error. */
interface DraftForm {
  values: NewIncidentValues
  errors: FieldErrors
  componentState: NewIncidentState['componentState']
  input: DraftInput
  options: PublishOptions
  preview: boolean
}

export default async function draftsRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { config, services } = app.herald

  const published = async (request: FastifyRequest, reply: FastifyReply, incident: { reference: string }): Promise<FastifyReply> =>
    await redirectWithNotice(request, reply, adminIncidentHref(incident.reference), `Draft published: incident ${incident.reference} is open.`)

  const draftOf = (id: string): IncidentDraft | undefined => {
    const number = parseId(id)
    return number === undefined ? undefined : services.drafts.find(number)
  }

  /** Saving keeps what a draft holds; publishing also takes the reference, the post text and the tick. */
  function readDraftForm (requestBody: unknown, purpose: 'save' | 'publish'): DraftForm {
    const body = trimmed<Record<string, unknown>>(requestBody)
    const form = checkForm<NewIncidentFormValues>(newIncidentForm, body, incidentFieldMessages)
    const choices = readComponentChoices(body, services.components.list(), 'new')
    const values = newIncidentValues(body)
    const errors: FieldErrors = { ...form.errors, ...choices.errors }
    if (errors.status === undefined && values.status === 'resolved') errors.status = notResolved
    if (purpose === 'save') {
      if (values.reference !== '') errors.reference ??= choseWhenPublishing.reference
      // The field is on the form only while cross-posting is on; otherwise the words go above the form.
      const postTextField = crossPostingView(services.deliveries.channels()).on ? 'postText' : 'form'
      if (values.postText.trim() !== '') errors[postTextField] ??= choseWhenPublishing.postText
    } else if (errors.reference === undefined && values.reference !== '') {
      const inUse = referenceInUse(services, values.reference)
      if (inUse !== null) errors.reference = inUse
    }
    if (choices.names.length === 0 && (values.name.includes(componentPlaceholder) || values.body.includes(componentPlaceholder))) {
      errors.components ??= `Choose the affected components: the name or the message says ${componentPlaceholder}, which is replaced by their names.`
    }
    const impact = form.values.impact
    return {
      values,
      errors,
      componentState: { typed: choices.typed, errors: choices.errors },
      input: {
        name: fillPlaceholder(values.name, choices.names),
        body: fillPlaceholder(values.body, choices.names),
        status: values.status as DraftInput['status'],
        impact: impact === undefined || impact === '' ? null : impact,
        components: choices.changes
      },
      options: {
        ...(values.reference === '' ? {} : { reference: values.reference }),
        notify: values.notify,
        postText: customPostText(values.postText)
      },
      preview: typedCheckbox(body, 'preview')
    }
  }

  async function renderDraftPage (
    request: FastifyRequest, reply: FastifyReply, draft: IncidentDraft, form: DraftForm | null, statusCode: number, withPreview = false
  ): Promise<FastifyReply> {
    const values = form?.values ?? draftFormValues(draft)
    const preview = withPreview && form !== null
      ? previewView({
        status: form.errors.status === undefined ? form.input.status ?? draft.status : draft.status,
        reference: form.errors.reference === undefined && values.reference !== '' ? values.reference : services.incidents.nextReference(),
        incidentName: form.input.name,
        body: form.input.body,
        postText: values.postText,
        publicUrl: config.publicUrl
      })
      : null
    return await renderNewIncident(app, request, reply, {
      values,
      errors: withPreview ? {} : form?.errors ?? {},
      componentState: form === null ? { typed: draftComponentFields(draft, services.components.list()) } : withPreview ? { typed: form.componentState.typed } : form.componentState,
      preview,
      statusCode,
      draft: draftRow(draft)
    })
  }

  app.get('/drafts', { preHandler: requireUser(), schema: { querystring: Type.Object({}) } }, async (request, reply) => {
    return await renderAdmin(app, request, reply, {
      template: 'drafts',
      title: 'Draft incidents',
      section: 'incidents',
      data: { drafts: services.drafts.list().map(draftRow) }
    })
  })

  // "Save as draft" on the new-incident form: the same fields, nothing posted, no reference taken.
  app.post('/drafts', { preHandler: requireUser(), schema: { body: newIncidentForm }, attachValidation: true }, async (request, reply) => {
    const form = readDraftForm(request.body, 'save')
    const fail = async (errors: FieldErrors, statusCode: number): Promise<FastifyReply> =>
      await renderNewIncident(app, request, reply, { values: form.values, errors, componentState: form.componentState, preview: null, statusCode })
    if (Object.keys(form.errors).length > 0) return await fail(form.errors, 400)
    try {
      const draft = services.drafts.create(form.input, actorOf(request))
      return await redirectWithNotice(request, reply, adminDraftHref(draft.id), savedNotice)
    } catch (err) {
      const refused = formRefusal(err, formFields)
      return await fail({ [refused.field]: refused.message }, refused.statusCode)
    }
  })

  app.get('/drafts/:id', { preHandler: requireUser(), schema: { params: DraftParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const draft = draftOf(request.params.id)
    if (draft === undefined) return await renderNotFound(app, request, reply, draftMissing)
    return await renderDraftPage(request, reply, draft, null, 200)
  })

  // Save draft (or Preview) on a draft's page.
  app.post('/drafts/:id', { preHandler: requireUser(), schema: { params: DraftParams, body: newIncidentForm }, attachValidation: true }, async (request, reply) => {
    const draft = draftOf(request.params.id)
    if (draft === undefined) return await renderNotFound(app, request, reply, draftMissing)
    const form = readDraftForm(request.body, 'save')
    if (form.preview) return await renderDraftPage(request, reply, draft, form, 200, true)
    if (Object.keys(form.errors).length > 0) return await renderDraftPage(request, reply, draft, form, 400)
    try {
      services.drafts.update(draft.id, form.input, actorOf(request))
    } catch (err) {
      const refused = formRefusal(err, formFields)
      return await renderDraftPage(request, reply, draft, { ...form, errors: { [refused.field]: refused.message } }, refused.statusCode)
    }
    return await redirectWithNotice(request, reply, adminDraftHref(draft.id), savedNotice)
  })

  app.post('/drafts/:id/publish', { preHandler: requireUser(), schema: { params: DraftParams, body: publishForm }, attachValidation: true }, async (request, reply) => {
    const draft = draftOf(request.params.id)
    if (draft === undefined) return await renderNotFound(app, request, reply, draftMissing)
    const actor = actorOf(request)
    if (typedText(request.body, 'from') === 'dashboard') {
      // One click: as saved. A refusal (a component deleted since) is said on the draft's page, where it can be fixed.
      try {
        const incident = services.drafts.publish(draft.id, actor)
        return await published(request, reply, incident)
      } catch (err) {
        const refused = formRefusal(err, [])
        return await redirectWithNotice(request, reply, adminDraftHref(draft.id), refused.message)
      }
    }
    const form = readDraftForm(request.body, 'publish')
    if (Object.keys(form.errors).length > 0) return await renderDraftPage(request, reply, draft, form, 400)
    try {
      const incident = services.drafts.publish(draft.id, actor, form.input, form.options)
      return await published(request, reply, incident)
    } catch (err) {
      // Its reference taken between the form's check and the write, or the name too long once {component} is filled in.
      const refused = formRefusal(err, formFields)
      return await renderDraftPage(request, reply, draft, { ...form, errors: { [refused.field]: refused.message } }, refused.statusCode)
    }
  })

  app.get('/drafts/:id/discard', { preHandler: requireUser(), schema: { params: DraftParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const draft = draftOf(request.params.id)
    if (draft === undefined) return await renderNotFound(app, request, reply, draftMissing)
    return await renderAdmin(app, request, reply, {
      template: 'draft-discard',
      title: `Discard the draft ${draft.name}`,
      section: 'incidents',
      data: { draft: draftRow(draft) }
    })
  })

  app.post('/drafts/:id/discard', { preHandler: requireUser(), schema: { params: DraftParams, body: confirmationForm } }, async (request, reply) => {
    const draft = draftOf(request.params.id)
    if (draft === undefined) return await renderNotFound(app, request, reply, draftMissing)
    services.drafts.discard(draft.id, actorOf(request))
    return await redirectWithNotice(request, reply, '/admin/drafts', `The draft “${draft.name}” is discarded.`)
  })
}
