// Token API routes of incidents: open one, post and fix updates, rename it or change its impact.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { isoTime } from '../../domain/time.js'
import { InvalidInputError } from '../../services/errors.js'
import { incidentJson, updateJson } from './json.js'
import {
  IncidentJson, IncidentParams, IncidentPatchBody, NewIncidentBody, NewUpdateBody, NoQuery, UpdateJson, UpdateParams, UpdatePatchBody,
  errorResponses
} from './schemas.js'

const tags = ['incidents']

/**
 * A `date-time` the schema let through but no clock shows (RFC 3339 allows a leap second, 23:59:60),
 * refused with the field's path as schema errors name it. The service stores the time in UTC.
 */
function existingTime (text: string | undefined, field: string): string | undefined {
  if (text !== undefined && isoTime(text) === null) throw new InvalidInputError(`body/${field} is not a time that exists`, { field })
  return text
}

export default async function incidentRoutes (app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { incidents } = app.herald.services

  api.post('/incidents', {
    schema: {
      tags,
      operationId: 'openIncident',
      summary: 'Open an incident with its first update',
      description: 'Without a reference, one is made from the configured prefix. Without an impact, it follows the worst component status given.',
      body: NewIncidentBody,
      response: { 201: IncidentJson, ...errorResponses(400, 401, 409, 413, 415) }
    }
  }, async (request, reply) => {
    const { display_at: displayAt, post_text: postText, ...input } = request.body
    const incident = incidents.open({ ...input, postText, displayAt: existingTime(displayAt, 'display_at') }, request.apiActor)
    return reply.code(201).send(incidentJson(incident))
  })

  api.get('/incidents/:reference', {
    schema: {
      tags,
      operationId: 'getIncident',
      summary: 'An incident with its updates, newest first',
      params: IncidentParams,
      querystring: NoQuery,
      response: { 200: IncidentJson, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => incidentJson(incidents.get(request.params.reference)))

  api.patch('/incidents/:reference', {
    schema: {
      tags,
      operationId: 'editIncident',
      summary: 'Rename an incident or change its impact',
      params: IncidentParams,
      body: IncidentPatchBody,
      response: { 200: IncidentJson, ...errorResponses(400, 401, 404, 413, 415) }
    }
  }, async (request) => incidentJson(incidents.edit(request.params.reference, request.body, request.apiActor)))

  api.post('/incidents/:reference/updates', {
    schema: {
      tags,
      operationId: 'postUpdate',
      summary: 'Post an update',
      description: '`resolved` without components puts every component of the incident back to operational.',
      params: IncidentParams,
      body: NewUpdateBody,
      response: { 201: IncidentJson, ...errorResponses(400, 401, 404, 413, 415) }
    }
  }, async (request, reply) => {
    const { display_at: displayAt, post_text: postText, ...input } = request.body
    const incident = incidents.postUpdate(request.params.reference, { ...input, postText, displayAt: existingTime(displayAt, 'display_at') }, request.apiActor)
    return reply.code(201).send(incidentJson(incident))
  })

  api.patch('/incidents/:reference/updates/:id', {
    schema: {
      tags,
      operationId: 'editUpdate',
      summary: 'Fix the text of an update',
      description: 'The update keeps its time; the old text is kept in the audit log.',
      params: UpdateParams,
      body: UpdatePatchBody,
      response: { 200: UpdateJson, ...errorResponses(400, 401, 404, 413, 415) }
    }
  }, async (request) => {
    const { reference, id } = request.params
    return updateJson(incidents.editUpdate(reference, Number(id), request.body.body, request.apiActor))
  })
}
