// Admin incident templates page: create, edit and delete the presets of the new-incident form (name, message, status, impact, component statuses).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import type { IncidentTemplate } from '../../domain/incident-templates.js'
import { type Impact, type IncidentStatus, impacts } from '../../domain/statuses.js'
import { limits, multiLinePattern, singleLinePattern } from '../../domain/text.js'
import type { TemplateFields } from '../../domain/incident-templates.js'
import { ConflictError } from '../../services/errors.js'
import { type FieldErrors, formIncidentStatuses, typedText } from '../../views/admin/form-view.js'
import { type TemplateValues, emptyTemplate, templateFormView, templateValues, templatesPageView } from '../../views/admin/templates-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { type FieldMessages, checkForm, confirmationForm, formRefusal } from './forms.js'
import { readComponentChoices } from './incident-forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

const templateForm = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, pattern: singleLinePattern }),
  title: Type.String({ minLength: 1, maxLength: limits.name, pattern: singleLinePattern }),
  body: Type.String({ minLength: 1, maxLength: limits.body, pattern: multiLinePattern }),
  // '' is no preset: the new-incident form's own default.
  status: Type.Optional(Type.Enum(['', ...formIncidentStatuses])),
  impact: Type.Optional(Type.Enum(['', ...impacts]))
})

const messages: FieldMessages = {
  status: 'Choose one of the statuses.',
  impact: 'Choose one of the impacts.',
  name: 'Write a name: one line of visible text, without control characters.',
  title: 'Write an incident name: one line of visible text, without control characters.',
  body: 'Write a message with visible text and no control characters (tabs and line breaks are fine).'
}

const templateMissing = {
  heading: 'Template not found',
  message: 'No template has this id: it may have been deleted.',
  back: { href: '/admin/templates', label: 'Back to the templates' },
  section: 'templates'
}

function typedTemplate (body: unknown): TemplateValues {
  const sent = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const components = Object.fromEntries(Object.entries(sent).filter(([field]) => /^component-/.test(field)).map(([field]) => [field, typedText(body, field)]))
  return {
    name: typedText(body, 'name').trim(),
    title: typedText(body, 'title').trim(),
    body: typedText(body, 'body'),
    status: typedText(body, 'status'),
    impact: typedText(body, 'impact'),
    components
  }
}

const TemplateParams = Type.Object({ id: Type.String() })

export default async function templatesRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald
  const guard = { preHandler: requireUser(), schema: { params: TemplateParams } }

  function templateOf (id: string): IncidentTemplate | undefined {
    const templateId = parseId(id)
    return templateId === undefined ? undefined : services.reads.admin.template(templateId)
  }

  /**
   * The template as the service takes it and the form's errors, the duplicate name and the component
   * selects included; no errors when it can be saved.
   */
  function check (body: unknown, values: TemplateValues, ownId: number | null): { fields: TemplateFields, errors: FieldErrors } {
    const form = checkForm<TemplateValues>(templateForm, { ...(body as object), name: values.name, title: values.title }, messages)
    const choices = readComponentChoices(body, services.components.list(), 'new')
    const errors: FieldErrors = { ...form.errors, ...choices.errors }
    const existing = form.errors.name === undefined ? services.reads.admin.templateByName(values.name) : undefined
    if (existing !== undefined && existing.id !== ownId) errors.name = `A template named “${existing.name}” already exists.`
    const fields: TemplateFields = {
      name: values.name,
      title: values.title,
      body: values.body,
      status: values.status === '' ? null : values.status as IncidentStatus,
      impact: values.impact === '' ? null : values.impact as Impact,
      componentStatuses: Object.fromEntries(Object.entries(choices.changes).map(([id, status]) => [Number(id), status]))
    }
    return { fields, errors }
  }

  async function renderList (request: FastifyRequest, reply: FastifyReply, values = emptyTemplate, errors: FieldErrors = {}, statusCode = 200): Promise<FastifyReply> {
    const components = services.components.list()
    const view = templatesPageView(services.templates.list(), templateFormView(values, errors, components), components)
    return await renderAdmin(app, request, reply, { template: 'templates', title: 'Incident templates', section: 'templates', statusCode, data: { ...view } })
  }

  async function renderEdit (request: FastifyRequest, reply: FastifyReply, template: IncidentTemplate, values: TemplateValues, errors: FieldErrors = {}, statusCode = 200): Promise<FastifyReply> {
    return await renderAdmin(app, request, reply, {
      template: 'template-edit',
      title: `Edit template ${template.name}`,
      section: 'templates',
      statusCode,
      data: { template: { id: template.id, name: template.name }, action: `/admin/templates/${template.id}`, form: templateFormView(values, errors, services.components.list()) }
    })
  }

  /** Every component select of a template form, and every form field: where a refusal of the service is said. */
  function formFields (): string[] {
    return [...Object.keys(templateForm.properties), ...services.components.list().map((component) => `component-${component.id}`), 'components']
  }

  app.get('/templates', { preHandler: requireUser(), schema: { querystring: Type.Object({}) } }, async (request, reply) => await renderList(request, reply))

  app.post('/templates', { preHandler: requireUser(), schema: { body: templateForm }, attachValidation: true }, async (request, reply) => {
    const values = typedTemplate(request.body)
    const { fields, errors } = check(request.body, values, null)
    if (Object.keys(errors).length > 0) return await renderList(request, reply, values, errors, 400)
    try {
      const template = services.templates.create(fields, actorOf(request))
      return await redirectWithNotice(request, reply, '/admin/templates', `The template “${template.name}” is added.`)
    } catch (err) {
      // Another admin saved the same name between the check and the write.
      if (err instanceof ConflictError) return await renderList(request, reply, values, { name: `A template named “${values.name}” already exists.` }, 409)
      // A component deleted since the form was made.
      const refused = formRefusal(err, formFields())
      return await renderList(request, reply, values, { [refused.field]: refused.message }, refused.statusCode)
    }
  })

  app.get('/templates/:id', { ...guard, schema: { params: TemplateParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const template = templateOf(request.params.id)
    if (template === undefined) return await renderNotFound(app, request, reply, templateMissing)
    return await renderEdit(request, reply, template, templateValues(template))
  })

  app.post('/templates/:id', { ...guard, schema: { params: TemplateParams, body: templateForm }, attachValidation: true }, async (request, reply) => {
    const template = templateOf(request.params.id)
    if (template === undefined) return await renderNotFound(app, request, reply, templateMissing)
    const values = typedTemplate(request.body)
    const { fields, errors } = check(request.body, values, template.id)
    if (Object.keys(errors).length > 0) return await renderEdit(request, reply, template, values, errors, 400)
    try {
      services.templates.update(template.id, fields, actorOf(request))
    } catch (err) {
      if (err instanceof ConflictError) return await renderEdit(request, reply, template, values, { name: `A template named “${values.name}” already exists.` }, 409)
      const refused = formRefusal(err, formFields())
      return await renderEdit(request, reply, template, values, { [refused.field]: refused.message }, refused.statusCode)
    }
    return await redirectWithNotice(request, reply, '/admin/templates', `The template “${values.name}” is saved.`)
  })

  app.post('/templates/:id/delete', { ...guard, schema: { params: TemplateParams, body: confirmationForm }, attachValidation: true }, async (request, reply) => {
    const template = templateOf(request.params.id)
    if (template === undefined) return await renderNotFound(app, request, reply, templateMissing)
    services.templates.remove(template.id, actorOf(request))
    return await redirectWithNotice(request, reply, '/admin/templates', `The template “${template.name}” is deleted.`)
  })
}
