// POST /admin/incidents/:reference/postmortem: the postmortem form of an incident's admin page: save a draft, preview, publish, unpublish.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { maxPostmortemBody } from '../../domain/postmortems.js'
import { multiLinePattern } from '../../domain/text.js'
import { typedCheckbox, typedText } from '../../views/admin/form-view.js'
import { adminIncidentHref } from '../../views/admin/incident-page-view.js'
import type { PostmortemFormValues } from '../../views/admin/postmortem-form-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { type FieldErrors, checkForm, formRefusal } from './forms.js'
import { renderIncidentPage } from './incident-pages.js'
import { utcTime } from './maintenance-forms.js'
import { incidentMissing, incidentRecord, sendMaintenanceAway } from './incident-record.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice } from './render.js'

const postmortemActions = ['draft', 'preview', 'publish', 'unpublish'] as const
type PostmortemAction = typeof postmortemActions[number]

export const postmortemForm = Type.Object({
  action: Type.Enum([...postmortemActions]),
  body: Type.Optional(Type.String({ minLength: 1, maxLength: maxPostmortemBody, pattern: multiLinePattern })),
  // A UTC date and time as the maintenance forms take them; checked by utcTime, which words the refusal.
  publishedAt: Type.Optional(Type.String({ maxLength: 23 })),
  notify: Type.Optional(Type.String())
})

interface PostmortemFormBody {
  action: PostmortemAction
  body?: string
  publishedAt?: string
  notify?: string
}

const messages = {
  action: 'Choose to save, preview, publish or unpublish.',
  publishedAt: 'Give a date and a time in UTC, such as 2020-02-04 10:00, or leave it empty for now.'
}

const notices: Record<Exclude<PostmortemAction, 'preview'>, (reference: string) => string> = {
  draft: (reference) => `The postmortem draft of ${reference} is saved; it is not published.`,
  publish: (reference) => `The postmortem of ${reference} is published.`,
  unpublish: (reference) => `The postmortem of ${reference} is unpublished; its draft is kept.`
}

export default async function postmortemRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald

  app.post('/incidents/:reference/postmortem', {
    preHandler: requireUser(),
    schema: { params: Type.Object({ reference: Type.String() }), body: postmortemForm },
    attachValidation: true
  }, async (request, reply) => {
    const incident = incidentRecord(app, request.params.reference)
    if (incident === undefined) return await renderNotFound(app, request, reply, incidentMissing)
    const away = await sendMaintenanceAway(request, reply, incident, `Nothing was saved: ${incident.reference} is a maintenance, and only an incident has a postmortem.`)
    if (away !== undefined) return away
    const form = checkForm<PostmortemFormBody>(postmortemForm, request.body, messages)
    const values: PostmortemFormValues = {
      body: typedText(request.body, 'body'),
      publishedAt: typedText(request.body, 'publishedAt').trim(),
      notify: typedCheckbox(request.body, 'notify')
    }
    const { action: actionError, ...errors }: FieldErrors = form.errors
    // The buttons send the action: a wrong one is said above the form, which has no field for it.
    const action = actionError === undefined ? form.values.action : undefined
    if (actionError !== undefined) errors.form = actionError
    if (action === 'preview') {
      return await renderIncidentPage(app, request, reply, incident, { postmortem: { values, errors: {}, preview: true } })
    }
    const publishedAt = values.publishedAt === '' ? undefined : utcTime(values.publishedAt)
    if (action === 'publish' && publishedAt === null) errors.publishedAt ??= messages.publishedAt
    if ((action === 'draft' || action === 'publish') && values.body === '') errors.body ??= 'This field is required.'
    if (action === undefined || Object.keys(errors).length > 0) {
      return await renderIncidentPage(app, request, reply, incident, { postmortem: { values, errors, preview: false }, statusCode: 400 })
    }
    try {
      const actor = actorOf(request)
      if (action === 'draft') services.postmortems.saveDraft(incident.reference, values.body, actor)
      if (action === 'publish') {
        services.postmortems.publish(incident.reference, { body: values.body, publishedAt: publishedAt ?? undefined, notify: values.notify }, actor)
      }
      if (action === 'unpublish') services.postmortems.unpublish(incident.reference, actor)
    } catch (err) {
      const refused = formRefusal(err, ['body', 'publishedAt'])
      errors[refused.field] = refused.message
      return await renderIncidentPage(app, request, reply, incident, { postmortem: { values, errors, preview: false }, statusCode: refused.statusCode })
    }
    return await redirectWithNotice(request, reply, `${adminIncidentHref(incident.reference)}#postmortem`, notices[action](incident.reference))
  })
}
