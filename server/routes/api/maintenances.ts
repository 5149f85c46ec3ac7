// Token API routes of scheduled maintenance: announce one, list them, post updates, move the window.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { maintenanceJson } from './json.js'
import {
  IncidentParams, MaintenanceJson, MaintenanceListJson, MaintenanceListQuery, MaintenancePatchBody, MaintenanceUpdateBody,
  NewMaintenanceBody, NoQuery, errorResponses
} from './schemas.js'

const tags = ['maintenances']

export default async function maintenanceRoutes (app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { maintenances } = app.herald.services

  api.post('/maintenances', {
    schema: {
      tags,
      operationId: 'scheduleMaintenance',
      summary: 'Announce a scheduled maintenance',
      description: 'Posts the announcement as the first update (status `scheduled`). Unless turned off, it starts by itself at `scheduled_for` and completes at `scheduled_until`, each with an update that is cross-posted like any other.',
      body: NewMaintenanceBody,
      response: { 201: MaintenanceJson, ...errorResponses(400, 401, 409, 413, 415) }
    }
  }, async (request, reply) => {
    const { body } = request
    const maintenance = maintenances.schedule({
      name: body.name,
      body: body.body,
      scheduledFor: body.scheduled_for,
      scheduledUntil: body.scheduled_until,
      components: body.components,
      reference: body.reference,
      autoStart: body.auto_start,
      autoComplete: body.auto_complete,
      notify: body.notify,
      postText: body.post_text
    }, request.apiActor)
    return reply.code(201).send(maintenanceJson(maintenance))
  })

  api.get('/maintenances', {
    schema: {
      tags,
      operationId: 'listMaintenances',
      summary: 'Maintenances with their updates',
      querystring: MaintenanceListQuery,
      response: { 200: MaintenanceListJson, ...errorResponses(400, 401) }
    }
  }, async (request) => {
    return { maintenances: maintenances.list(request.query.state ?? 'all', 100).map(maintenanceJson) }
  })

  api.get('/maintenances/:reference', {
    schema: {
      tags,
      operationId: 'getMaintenance',
      summary: 'A maintenance with its updates, newest first',
      params: IncidentParams,
      querystring: NoQuery,
      response: { 200: MaintenanceJson, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => maintenanceJson(maintenances.get(request.params.reference)))

  api.patch('/maintenances/:reference', {
    schema: {
      tags,
      operationId: 'rescheduleMaintenance',
      summary: 'Rename a maintenance, move its window or switch its automatic transitions',
      description: 'The whole window may move while it is scheduled; once it has started, only its end (the work runs late); once completed, nothing but its name.',
      params: IncidentParams,
      body: MaintenancePatchBody,
      response: { 200: MaintenanceJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => {
    const { body } = request
    return maintenanceJson(maintenances.reschedule(request.params.reference, {
      name: body.name,
      scheduledFor: body.scheduled_for,
      scheduledUntil: body.scheduled_until,
      autoStart: body.auto_start,
      autoComplete: body.auto_complete
    }, request.apiActor))
  })

  api.post('/maintenances/:reference/updates', {
    schema: {
      tags,
      operationId: 'postMaintenanceUpdate',
      summary: 'Post an update on a maintenance',
      description: '`in_progress` from `scheduled` puts its components under maintenance; `completed` gives them back the statuses they had before; `cancelled` (from `scheduled` only) calls it off: it never starts and its components are left as they are. Without a status, the update is a note.',
      params: IncidentParams,
      body: MaintenanceUpdateBody,
      response: { 201: MaintenanceJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request, reply) => {
    const { body } = request
    const maintenance = maintenances.postUpdate(request.params.reference, {
      body: body.body,
      status: body.status,
      notify: body.notify,
      displayAt: body.display_at,
      postText: body.post_text
    }, request.apiActor)
    return reply.code(201).send(maintenanceJson(maintenance))
  })
}
