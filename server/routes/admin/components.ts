// Admin components pages: create, rename, describe, group, reorder, set a status by hand, delete with a confirmation.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import type { Component } from '../../domain/model.js'
import { componentStatuses } from '../../domain/statuses.js'
import { limits, optionalMultiLinePattern, optionalSingleLinePattern, singleLinePattern } from '../../domain/text.js'
import type { Direction } from '../../services/component-service.js'
import {
  type ComponentValues, componentEditView, componentValues, componentsPageView, emptyComponent
} from '../../views/admin/components-view.js'
import { type FieldErrors, typedText } from '../../views/admin/form-view.js'
import { componentStatusLabel } from '../../views/format.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { type FieldMessages, type RefusalWords, checkForm, confirmationForm, formRefusal } from './forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

const componentFields = {
  name: Type.String({ minLength: 1, maxLength: limits.name, pattern: singleLinePattern }),
  description: Type.Optional(Type.String({ maxLength: limits.description, pattern: optionalMultiLinePattern })),
  group: Type.Optional(Type.String({ maxLength: limits.groupName, pattern: optionalSingleLinePattern }))
}
const newComponentForm = Type.Object(componentFields)
const editComponentForm = Type.Object({ ...componentFields, status: Type.Enum([...componentStatuses]) })
const statusForm = Type.Object({ status: Type.Enum([...componentStatuses]) })
const moveForm = Type.Object({ direction: Type.Enum(['up', 'down']) })

interface ComponentForm { name: string, description?: string, group?: string, status?: Component['status'] }

const messages: FieldMessages = {
  name: 'Write a name: one line of visible text, without control characters.',
  description: 'Leave out control characters (tabs and line breaks are fine).',
  group: 'Write one line without control characters, or leave it empty for no group.',
  status: 'Choose one of the statuses.',
  direction: 'Move up or down.'
}

/** The service's refusal of a name another component of the group has, next to the name. */
const nameWords: RefusalWords = {
  'name-taken': () => 'Another component of this group has this name (ignoring case and spaces): choose another name or another group.'
}

const componentMissing = {
  heading: 'Component not found',
  message: 'No component has this id: it may have been deleted.',
  back: { href: '/admin/components', label: 'Back to the components' },
  section: 'components'
}

/** The form's text fields as typed, and trimmed as they are saved. */
function typedComponent (body: unknown): ComponentValues {
  return { name: typedText(body, 'name').trim(), description: typedText(body, 'description'), group: typedText(body, 'group').trim() }
}

const ComponentParams = Type.Object({ id: Type.String() })

export default async function componentsRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald
  const guard = { preHandler: requireUser(), schema: { params: ComponentParams } }

  function componentOf (id: string): Component | undefined {
    const componentId = parseId(id)
    return componentId === undefined ? undefined : services.reads.admin.component(componentId)
  }

  async function renderList (
    request: FastifyRequest, reply: FastifyReply,
    options: { create?: { values: ComponentValues, errors: FieldErrors }, failedStatus?: { id: number, status: string, error: string }, statusCode?: number } = {}
  ): Promise<FastifyReply> {
    const view = componentsPageView({
      components: services.components.list(),
      create: options.create ?? { values: emptyComponent, errors: {} },
      failedStatus: options.failedStatus ?? null
    })
    return await renderAdmin(app, request, reply, {
      template: 'components', title: 'Components', section: 'components', statusCode: options.statusCode ?? 200, data: { ...view }
    })
  }

  async function renderEdit (
    request: FastifyRequest, reply: FastifyReply, component: Component,
    values = componentValues(component), errors: FieldErrors = {}, statusCode = 200
  ): Promise<FastifyReply> {
    const view = componentEditView(component, services.components.list(), values, errors)
    return await renderAdmin(app, request, reply, {
      template: 'component-edit', title: `Edit ${component.name}`, section: 'components', statusCode, data: { ...view }
    })
  }

  app.get('/components', { preHandler: requireUser(), schema: { querystring: Type.Object({}) } }, async (request, reply) => await renderList(request, reply))

  app.post('/components', { preHandler: requireUser(), schema: { body: newComponentForm }, attachValidation: true }, async (request, reply) => {
    const values = typedComponent(request.body)
    const form = checkForm<ComponentForm>(newComponentForm, { ...request.body, name: values.name, group: values.group }, messages)
    if (!form.ok) return await renderList(request, reply, { create: { values, errors: form.errors }, statusCode: 400 })
    let component: Component
    try {
      component = services.components.create({
        name: values.name,
        description: values.description,
        ...(values.group === '' ? {} : { group: values.group })
      }, actorOf(request))
    } catch (err) {
      const refused = formRefusal(err, Object.keys(newComponentForm.properties), nameWords)
      return await renderList(request, reply, { create: { values, errors: { [refused.field]: refused.message } }, statusCode: refused.statusCode })
    }
    return await redirectWithNotice(request, reply, '/admin/components', `“${component.name}” is added.`)
  })

  app.get('/components/:id', { ...guard, schema: { params: ComponentParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const component = componentOf(request.params.id)
    if (component === undefined) return await renderNotFound(app, request, reply, componentMissing)
    return await renderEdit(request, reply, component)
  })

  app.post('/components/:id', { ...guard, schema: { params: ComponentParams, body: editComponentForm }, attachValidation: true }, async (request, reply) => {
    const component = componentOf(request.params.id)
    if (component === undefined) return await renderNotFound(app, request, reply, componentMissing)
    const values = { ...typedComponent(request.body), status: typedText(request.body, 'status') }
    const form = checkForm<ComponentForm>(editComponentForm, { ...request.body, name: values.name, group: values.group }, messages)
    if (!form.ok) return await renderEdit(request, reply, component, values, form.errors, 400)
    try {
      services.components.patch(component.id, {
        name: values.name,
        description: values.description,
        group: values.group === '' ? null : values.group,
        ...(form.values.status === undefined ? {} : { status: form.values.status })
      }, actorOf(request))
    } catch (err) {
      const refused = formRefusal(err, Object.keys(editComponentForm.properties), nameWords)
      return await renderEdit(request, reply, component, values, { [refused.field]: refused.message }, refused.statusCode)
    }
    return await redirectWithNotice(request, reply, '/admin/components', `“${values.name}” is saved.`)
  })

  app.post('/components/:id/status', { ...guard, schema: { params: ComponentParams, body: statusForm }, attachValidation: true }, async (request, reply) => {
    const component = componentOf(request.params.id)
    if (component === undefined) return await renderNotFound(app, request, reply, componentMissing)
    const form = checkForm<{ status: Component['status'] }>(statusForm, request.body, messages)
    if (!form.ok) {
      const failedStatus = { id: component.id, status: typedText(request.body, 'status'), error: form.errors.status ?? 'Choose one of the statuses.' }
      return await renderList(request, reply, { failedStatus, statusCode: 400 })
    }
    const changed = services.components.patch(component.id, { status: form.values.status }, actorOf(request))
    return await redirectWithNotice(request, reply, '/admin/components', `“${changed.name}” is now ${componentStatusLabel(changed.status)}.`)
  })

  app.post('/components/:id/move', { ...guard, schema: { params: ComponentParams, body: moveForm }, attachValidation: true }, async (request, reply) => {
    const component = componentOf(request.params.id)
    if (component === undefined) return await renderNotFound(app, request, reply, componentMissing)
    const form = checkForm<{ direction: Direction }>(moveForm, request.body, messages)
    if (!form.ok) return await reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'direction: move up or down' })
    services.components.move(component.id, form.values.direction, actorOf(request))
    return await redirectWithNotice(request, reply, `/admin/components#component-${component.id}`, `“${component.name}” is moved ${form.values.direction}.`)
  })

  app.post('/components/groups/:id/move', { ...guard, schema: { params: ComponentParams, body: moveForm }, attachValidation: true }, async (request, reply) => {
    const groupId = parseId(request.params.id)
    const group = groupId === undefined ? undefined : services.reads.admin.groupWithComponents(groupId)
    const form = checkForm<{ direction: Direction }>(moveForm, request.body, messages)
    if (group === undefined) {
      return await renderNotFound(app, request, reply, { ...componentMissing, heading: 'Group not found', message: 'No group with components has this id.' })
    }
    if (!form.ok) return await reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'direction: move up or down' })
    services.components.moveGroup(group.id, form.values.direction, actorOf(request))
    return await redirectWithNotice(request, reply, `/admin/components#group-${group.id}`, `The group “${group.name}” is moved ${form.values.direction}.`)
  })

  app.post('/components/groups/:id/operational', { ...guard, schema: { params: ComponentParams, body: confirmationForm } }, async (request, reply) => {
    const groupId = parseId(request.params.id)
    const group = groupId === undefined ? undefined : services.reads.admin.groupWithComponents(groupId)
    if (group === undefined) {
      return await renderNotFound(app, request, reply, { ...componentMissing, heading: 'Group not found', message: 'No group with components has this id.' })
    }
    const { changed, openIncidents } = services.components.setGroupOperational(group.id, actorOf(request))
    const done = changed.length === 0
      ? `Every component of “${group.name}” was already operational.`
      : `${changed.length === 1 ? '1 component' : `${changed.length} components`} of “${group.name}” ${changed.length === 1 ? 'is' : 'are'} now operational.`
    // The incident is not resolved by this: readers still see it open until an update says it is over.
    const open = openIncidents.length === 0
      ? ''
      : ` ${openIncidents.join(', ')} ${openIncidents.length === 1 ? 'touches them and is still open' : 'touch them and are still open'}: post a resolving update to tell readers it is over.`
    return await redirectWithNotice(request, reply, `/admin/components#group-${group.id}`, `${done}${open}`)
  })

  app.get('/components/:id/delete', { ...guard, schema: { params: ComponentParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const component = componentOf(request.params.id)
    if (component === undefined) return await renderNotFound(app, request, reply, componentMissing)
    return await renderAdmin(app, request, reply, {
      template: 'component-delete',
      title: `Delete ${component.name}`,
      section: 'components',
      data: { component: { id: component.id, name: component.name }, incidentCount: services.reads.admin.componentIncidentCount(component.id) }
    })
  })

  app.post('/components/:id/delete', { ...guard, schema: { params: ComponentParams, body: confirmationForm }, attachValidation: true }, async (request, reply) => {
    const component = componentOf(request.params.id)
    if (component === undefined) return await renderNotFound(app, request, reply, componentMissing)
    services.components.remove(component.id, actorOf(request))
    return await redirectWithNotice(request, reply, '/admin/components', `“${component.name}” is deleted. Past incidents still name it.`)
  })
}
