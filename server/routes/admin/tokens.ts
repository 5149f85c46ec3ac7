// Admin pages for API tokens (admins only): the list with last use, create (the token shown once), revoke with a confirmation.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { ApiToken } from '../../domain/accounts.js'
import { limits } from '../../domain/text.js'
import { ConflictError, InvalidInputError } from '../../services/errors.js'
import { requireUser } from './access.js'
import { type TokenValues, accountFieldMessages, keptValues, tokenForm, trimName } from './account-forms.js'
import { actorOf } from './actor.js'
import { type FieldErrors, checkForm, confirmationForm, refuseBadAddress } from './forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

const tokenParams = { params: Type.Object({ name: Type.String({ minLength: 1, maxLength: limits.tokenName }) }) }

export default async function tokensRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services, config } = app.herald
  const adminOnly = { preHandler: requireUser('admin') }

  async function listPage (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: FieldErrors, statusCode = 200): Promise<FastifyReply> {
    return await renderAdmin(app, request, reply, {
      template: 'tokens',
      title: 'API tokens',
      section: 'tokens',
      statusCode,
      data: { tokens: services.tokens.list(), values, errors }
    })
  }

  // Names ignore case, as in the database; the token found keeps the name as it was created.
  const tokenByName = (name: string): ApiToken | undefined => app.herald.services.reads.admin.tokenByName(name)

  async function tokenNotFound (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return await renderNotFound(app, request, reply, {
      heading: 'No such API token',
      message: 'There is no API token of that name. It may have been revoked already.',
      back: { href: '/admin/tokens', label: 'Back to the API tokens' },
      section: 'tokens'
    })
  }

  app.get('/tokens', { ...adminOnly, schema: { querystring: Type.Object({}) } }, async (request, reply) => await listPage(request, reply, { name: '' }, {}))

  app.post('/tokens', { ...adminOnly, schema: { body: tokenForm }, attachValidation: true }, async (request, reply) => {
    const form = checkForm<TokenValues>(tokenForm, trimName(request.body), accountFieldMessages)
    const kept = keptValues(form.values as unknown as Record<string, unknown>, ['name'])
    if (!form.ok) return await listPage(request, reply, kept, form.errors, 400)
    let token: string
    try {
      token = services.tokens.create(form.values.name, actorOf(request))
    } catch (error) {
      if (error instanceof ConflictError) return await listPage(request, reply, kept, { name: 'A token of that name already exists (names ignore case).' }, 409)
      if (error instanceof InvalidInputError) return await listPage(request, reply, kept, { name: accountFieldMessages.name as string }, 400)
      throw error
    }
    // Shown in this answer and nowhere else: not redirected through the session, which is stored
    // in the database, and the page is never cached (admin pages are no-store).
    return await renderAdmin(app, request, reply, {
      template: 'tokens-created',
      title: `API token ${form.values.name}`,
      section: 'tokens',
      statusCode: 201,
      data: { name: form.values.name, token, apiUrl: `${config.publicUrl}/api/v1` }
    })
  })

  app.get('/tokens/:name/revoke', { ...adminOnly, schema: { ...tokenParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const token = tokenByName(request.params.name)
    if (token === undefined) return await tokenNotFound(request, reply)
    return await renderAdmin(app, request, reply, { template: 'tokens-revoke', title: `Revoke ${token.name}`, section: 'tokens', data: { name: token.name } })
  })

  app.post('/tokens/:name/revoke', { ...adminOnly, schema: { ...tokenParams, body: confirmationForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const token = tokenByName(request.params.name)
    if (token === undefined) return await tokenNotFound(request, reply)
    services.tokens.revoke(token.name, actorOf(request))
    return await redirectWithNotice(request, reply, '/admin/tokens', `Revoked ${token.name}: requests with it now get 401.`)
  })
}
