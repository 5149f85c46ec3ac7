// Token API routes of components: list, create, read and change one (its status included), and set a group all operational.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { componentJson } from './json.js'
import { ComponentJson, ComponentParams, ComponentPatchBody, NewComponentBody, NoQuery, errorResponses } from './schemas.js'

const tags = ['components']

export default async function componentRoutes (app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { components } = app.herald.services

  api.get('/components', {
    schema: {
      tags,
      operationId: 'listComponents',
      summary: 'Every component, in page order',
      querystring: NoQuery,
      response: { 200: Type.Array(ComponentJson, { description: 'Every component, in page order.' }), ...errorResponses(400, 401) }
    }
  }, async () => components.list().map(componentJson))

  api.post('/components', {
    schema: {
      tags,
      operationId: 'createComponent',
      summary: 'Create a component (and its group when the group is new)',
      body: NewComponentBody,
      response: { 201: ComponentJson, ...errorResponses(400, 401, 409, 413, 415) }
    }
  }, async (request, reply) => {
    const component = components.create(request.body, request.apiActor)
    return reply.code(201).send(componentJson(component))
  })

  api.post('/component-groups/:id/operational', {
    schema: {
      tags,
      operationId: 'setGroupOperational',
      summary: 'Set every component of a group to operational',
      description: 'One write, audited as group.operational, as the admin components page does. An open incident touching them stays open with no update: ' +
        'resolve it to tell readers; its reference is in open_incidents.',
      params: ComponentParams,
      // Nothing to say but which group: an empty object, as every write of this API takes a JSON body.
      body: Type.Object({}, { additionalProperties: false, description: 'An empty object.' }),
      response: {
        200: Type.Object({
          group: Type.String(),
          changed: Type.Array(ComponentJson, { description: 'The components that were not operational, now operational.' }),
          open_incidents: Type.Array(Type.String(), { description: 'References of the open incidents that touch the group\'s components.' })
        }, { description: 'What changed.' }),
        ...errorResponses(400, 401, 404, 413, 415)
      }
    }
  }, async (request) => {
    const result = components.setGroupOperational(Number(request.params.id), request.apiActor)
    return { group: result.group, changed: result.changed.map((component) => componentJson(components.get(component.id))), open_incidents: result.openIncidents }
  })

  api.get('/components/:id', {
    schema: {
      tags,
      operationId: 'getComponent',
      summary: 'One component',
      params: ComponentParams,
      querystring: NoQuery,
      response: { 200: ComponentJson, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => componentJson(components.get(Number(request.params.id))))

  api.patch('/components/:id', {
    schema: {
      tags,
      operationId: 'changeComponent',
      summary: 'Change a component: its fields, its group, or its status by hand',
      params: ComponentParams,
      body: ComponentPatchBody,
      response: { 200: ComponentJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => componentJson(components.patch(Number(request.params.id), request.body, request.apiActor)))
}
