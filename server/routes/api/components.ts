// Token API routes of components: list, create, read and change one (its status included).
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
