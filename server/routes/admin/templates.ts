// Admin incident templates page: create, edit and delete the name and message presets of the new-incident form.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import type { IncidentTemplate } from '../../domain/incident-templates.js'
import { limits, multiLinePattern, singleLinePattern } from '../../domain/text.js'
import { ConflictError } from '../../services/errors.js'
import { type FieldErrors, typedText } from '../../views/admin/form-view.js'
import { type TemplateValues, emptyTemplate, templatesPageView } from '../../views/admin/templates-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { type FieldMessages, checkForm, confirmationForm } from './forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

const templateForm = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, pattern: singleLinePattern }),
  title: Type.String({ minLength: 1, maxLength: limits.name, pattern: singleLinePattern }),
  body: Type.String({ minLength: 1, maxLength: limits.body, pattern: multiLinePattern })
})

const messages: FieldMessages = {
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
  return { name: typedText(body, 'name').trim(), title: typedText(body, 'title').trim(), body: typedText(body, 'body') }
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

  /** The field errors of a template form, the duplicate name included; empty when it can be saved. */
  function check (values: TemplateValues, ownId: number | null): FieldErrors {
    const form = checkForm<TemplateValues>(templateForm, values, messages)
    const existing = form.errors.name === undefined ? services.reads.admin.templateByName(values.name) : undefined
    if (existing !== undefined && existing.id !== ownId) form.errors.name = `A template named “${existing.name}” already exists.`
    return form.errors
  }

  async function renderList (request: FastifyRequest, reply: FastifyReply, values = emptyTemplate, errors: FieldErrors = {}, statusCode = 200): Promise<FastifyReply> {
    const view = templatesPageView(services.templates.list(), { values, errors })
    return await renderAdmin(app, request, reply, { template: 'templates', title: 'Incident templates', section: 'templates', statusCode, data: { ...view } })
  }

  async function renderEdit (request: FastifyRequest, reply: FastifyReply, template: IncidentTemplate, values: TemplateValues, errors: FieldErrors = {}, statusCode = 200): Promise<FastifyReply> {
    return await renderAdmin(app, request, reply, {
      template: 'template-edit',
      title: `Edit template ${template.name}`,
      section: 'templates',
      statusCode,
      data: { template: { id: template.id, name: template.name }, action: `/admin/templates/${template.id}`, values, errors }
    })
  }

  app.get('/templates', { preHandler: requireUser(), schema: { querystring: Type.Object({}) } }, async (request, reply) => await renderList(request, reply))

  app.post('/templates', { preHandler: requireUser(), schema: { body: templateForm }, attachValidation: true }, async (request, reply) => {
    const values = typedTemplate(request.body)
    const errors = check(values, null)
    if (Object.keys(errors).length > 0) return await renderList(request, reply, values, errors, 400)
    try {
      const template = services.templates.create(values, actorOf(request))
      return await redirectWithNotice(request, reply, '/admin/templates', `The template “${template.name}” is added.`)
    } catch (err) {
      // Another admin saved the same name between the check and the write.
      if (!(err instanceof ConflictError)) throw err
      return await renderList(request, reply, values, { name: `A template named “${values.name}” already exists.` }, 409)
    }
  })

  app.get('/templates/:id', { ...guard, schema: { params: TemplateParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const template = templateOf(request.params.id)
    if (template === undefined) return await renderNotFound(app, request, reply, templateMissing)
    return await renderEdit(request, reply, template, { name: template.name, title: template.title, body: template.body })
  })

  app.post('/templates/:id', { ...guard, schema: { params: TemplateParams, body: templateForm }, attachValidation: true }, async (request, reply) => {
    const template = templateOf(request.params.id)
    if (template === undefined) return await renderNotFound(app, request, reply, templateMissing)
    const values = typedTemplate(request.body)
    const errors = check(values, template.id)
    if (Object.keys(errors).length > 0) return await renderEdit(request, reply, template, values, errors, 400)
    try {
      services.templates.update(template.id, values, actorOf(request))
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      return await renderEdit(request, reply, template, values, { name: `A template named “${values.name}” already exists.` }, 409)
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
