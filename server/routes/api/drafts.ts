// Token API routes of draft incidents: list, save, read, change and discard one, and publish it as an incident.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { IncidentDraft } from '../../domain/monitors.js'
import type { DraftInput } from '../../services/draft-service.js'
import { DraftJson, DraftListJson, DraftParams, DraftPatchBody, NewDraftBody, PublishDraftBody } from './draft-schemas.js'
import { incidentJson } from './json.js'
import { IncidentJson, NoQuery, errorResponses } from './schemas.js'

const tags = ['drafts']

function draftJson (draft: IncidentDraft): DraftJson {
  return {
    id: draft.id,
    name: draft.name,
    body: draft.body,
    status: draft.status,
    impact: draft.impact,
    components: draft.components,
    monitor_id: draft.monitorId,
    note: draft.note,
    created_by: draft.createdBy,
    created_at: draft.createdAt,
    updated_at: draft.updatedAt
  }
}

type DraftChanges = Partial<DraftInput>

/** The draft with the fields given changed: a PATCH is a full replace with what was not given kept. */
function merged (draft: IncidentDraft, changes: DraftChanges): DraftInput {
  return {
    name: changes.name ?? draft.name,
    body: changes.body ?? draft.body,
    status: changes.status ?? draft.status,
    impact: changes.impact === undefined ? draft.impact : changes.impact,
    components: changes.components ?? draft.components
  }
}

export default async function draftRoutes (app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { drafts } = app.herald.services

  api.get('/drafts', {
    schema: {
      tags,
      operationId: 'listDrafts',
      summary: 'Every draft incident, newest first',
      querystring: NoQuery,
      response: { 200: DraftListJson, ...errorResponses(400, 401) }
    }
  }, async () => ({ drafts: drafts.list().map(draftJson) }))

  api.post('/drafts', {
    schema: {
      tags,
      operationId: 'createDraft',
      summary: 'Save a draft incident',
      description: 'Nothing is public, posted or told to subscribers, and no reference is taken, until the draft is published.',
      body: NewDraftBody,
      response: { 201: DraftJson, ...errorResponses(400, 401, 413, 415) }
    }
  }, async (request, reply) => reply.code(201).send(draftJson(drafts.create(request.body, request.apiActor))))

  api.get('/drafts/:id', {
    schema: {
      tags,
      operationId: 'getDraft',
      summary: 'A draft incident',
      params: DraftParams,
      querystring: NoQuery,
      response: { 200: DraftJson, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => draftJson(drafts.get(Number(request.params.id))))

  api.patch('/drafts/:id', {
    schema: {
      tags,
      operationId: 'editDraft',
      summary: 'Change a draft incident',
      description: 'The fields given replace the draft\'s; components, when given, replace all of them.',
      params: DraftParams,
      body: DraftPatchBody,
      response: { 200: DraftJson, ...errorResponses(400, 401, 404, 413, 415) }
    }
  }, async (request) => {
    const id = Number(request.params.id)
    return draftJson(drafts.update(id, merged(drafts.get(id), request.body), request.apiActor))
  })

  api.delete('/drafts/:id', {
    schema: {
      tags,
      operationId: 'discardDraft',
      summary: 'Discard a draft incident',
      params: DraftParams,
      querystring: NoQuery,
      response: { 204: Type204, ...errorResponses(400, 401, 404) }
    }
  }, async (request, reply) => {
    drafts.discard(Number(request.params.id), request.apiActor)
    return reply.code(204).send(null)
  })

  api.post('/drafts/:id/publish', {
    schema: {
      tags,
      operationId: 'publishDraft',
      summary: 'Publish a draft: open it as an incident',
      description: 'Opens the incident the draft describes (with the changes given) and removes the draft, in one write: its posts and ' +
        'subscribers\' messages are queued as any incident\'s. A refusal keeps the draft and opens nothing.',
      params: DraftParams,
      body: PublishDraftBody,
      response: { 201: IncidentJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    },
    // Publishing as saved needs no body: none is taken as {}.
    preValidation: async (request) => { request.body ??= {} }
  }, async (request, reply) => {
    const id = Number(request.params.id)
    const { reference, notify, post_text: postText, ...changes } = request.body
    const edits = Object.keys(changes).length === 0 ? undefined : merged(drafts.get(id), changes)
    const incident = drafts.publish(id, request.apiActor, edits, {
      ...(reference === undefined ? {} : { reference }),
      ...(notify === undefined ? {} : { notify }),
      ...(postText === undefined ? {} : { postText })
    })
    return reply.code(201).send(incidentJson(incident))
  })
}

const Type204 = { type: 'null', description: 'Discarded.' } as const
