// First run: /admin/setup?token=… creates the first admin and signs them in; without the token, or once a user exists, it is not there.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { quietLogLevel } from '../../http/request-log.js'
import { Type } from 'typebox'
import { NotFoundError } from '../../services/errors.js'
import { SetupService } from '../../services/setup-service.js'
import { type SetupValues, confirmError, keptValues, setupForm, trimName, userErrorFields } from './account-forms.js'
import { type FieldErrors, checkForm } from './forms.js'
import { redirectWithNotice, renderAdmin } from './render.js'

export default async function setupRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { clock } = app.herald
  const setup = new SetupService(app.herald.services.context)

  async function setupPage (request: FastifyRequest, reply: FastifyReply, token: string, values: Record<string, string>, errors: FieldErrors, statusCode = 200): Promise<FastifyReply> {
    return await renderAdmin(app, request, reply, { template: 'setup', title: 'Create the first admin', statusCode, data: { token, values, errors } })
  }

  // The request log would record the token in the URL: these routes log warnings and worse only
  // (or less, when LOG_LEVEL asks for less).
  const quiet = { logLevel: quietLogLevel(app.herald.config.logLevel) }

  app.get('/setup', {
    ...quiet,
    schema: { querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) }
  }, async (request, reply) => {
    const { token } = request.query
    // The same answer as for any address that does not exist: nothing hints at a setup page.
    if (token === undefined || !setup.accepts(token)) return reply.callNotFound()
    // Its address holds the token: not even this site gets it as a Referer.
    reply.header('referrer-policy', 'no-referrer')
    return await setupPage(request, reply, token, { name: '' }, {})
  })

  app.post('/setup', { ...quiet, schema: { body: setupForm }, attachValidation: true }, async (request, reply) => {
    const form = checkForm<SetupValues>(setupForm, trimName(request.body))
    const token = form.values.token
    if (!setup.accepts(token)) return reply.callNotFound()
    const kept = keptValues(form.values as unknown as Record<string, unknown>, ['name'])
    const errors = form.ok ? confirmError(form.values) : form.errors
    if (Object.keys(errors).length > 0) return await setupPage(request, reply, token, kept, errors, 400)
    let user
    try {
      user = await setup.createFirstAdmin(token, form.values.name, form.values.password)
    } catch (error) {
      // Someone else used the link a moment ago.
      if (error instanceof NotFoundError) return reply.callNotFound()
      const fields = userErrorFields(error)
      if (fields === undefined) throw error
      return await setupPage(request, reply, token, kept, fields, 400)
    }
    await request.session.regenerate()
    request.session.userId = user.id
    request.session.signedInAt = clock().toISOString()
    app.log.info({ user: user.name }, 'first admin created with the setup link')
    return await redirectWithNotice(request, reply, '/admin',
      `Welcome, ${user.name}: you are the first admin. Add other people under Users.`)
  })
}
