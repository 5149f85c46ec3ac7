// Token API routes of an incident's postmortem: read it, save its draft, publish it (optionally posting to the social channels), unpublish it.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../../services/errors.js'
import type { IncidentPostmortem } from '../../services/postmortem-service.js'
import { PostmortemDraftBody, PostmortemJson, PublishPostmortemBody, UnpublishPostmortemBody } from './postmortem-schemas.js'
import { IncidentParams, NoQuery, errorResponses } from './schemas.js'

const tags = ['postmortems']

function postmortemJson ({ incident, postmortem }: IncidentPostmortem): PostmortemJson {
  if (postmortem === null) throw new NotFoundError(`${incident.reference} has no postmortem`)
  return {
    reference: incident.reference,
    draft: postmortem.draft,
    draft_updated_at: postmortem.draftUpdatedAt,
    body: postmortem.body,
    body_updated_at: postmortem.bodyUpdatedAt,
    published_at: postmortem.publishedAt,
    created_at: postmortem.createdAt,
    updated_at: postmortem.updatedAt
  }
}

export default async function postmortemRoutes (app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { postmortems } = app.herald.services

  api.get('/incidents/:reference/postmortem', {
    schema: {
      tags,
      operationId: 'getPostmortem',
      summary: 'An incident\'s postmortem: its draft and what is published',
      params: IncidentParams,
      querystring: NoQuery,
      response: { 200: PostmortemJson, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => postmortemJson(postmortems.get(request.params.reference)))

  api.put('/incidents/:reference/postmortem', {
    schema: {
      tags,
      operationId: 'savePostmortemDraft',
      summary: 'Save the postmortem\'s draft',
      description: 'What readers see does not change until it is published. Only for a resolved incident (409 otherwise).',
      params: IncidentParams,
      body: PostmortemDraftBody,
      response: { 200: PostmortemJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => postmortemJson(postmortems.saveDraft(request.params.reference, request.body.body, request.apiActor)))

  api.post('/incidents/:reference/postmortem/publish', {
    schema: {
      tags,
      operationId: 'publishPostmortem',
      summary: 'Publish the postmortem',
      description: 'Shown on the incident page, in the feeds and in /api/v2 (where the incident\'s status becomes postmortem). ' +
        'Publishing again puts the edited draft out and keeps the published time unless one is given. Only for a resolved incident (409 otherwise).',
      params: IncidentParams,
      body: PublishPostmortemBody,
      response: { 200: PostmortemJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => {
    const { body, published_at: publishedAt, notify } = request.body
    return postmortemJson(postmortems.publish(request.params.reference, { body, publishedAt, notify }, request.apiActor))
  })

  api.post('/incidents/:reference/postmortem/unpublish', {
    schema: {
      tags,
      operationId: 'unpublishPostmortem',
      summary: 'Take the postmortem off the pages, the feeds and the API',
      description: 'The draft stays, to be published again; posts not sent yet are not sent. 409 when it is not published.',
      params: IncidentParams,
      body: UnpublishPostmortemBody,
      response: { 200: PostmortemJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => postmortemJson(postmortems.unpublish(request.params.reference, request.apiActor)))
}
