// Signing in and out of the admin UI.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { safeNext } from './access.js'
import { checkForm } from './forms.js'
import { renderAdmin } from './render.js'

const signInForm = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  next: Type.Optional(Type.String({ maxLength: 2000 }))
})

interface SignInValues { name: string, password: string, next?: string }

export default async function signInRoutes (app: FastifyInstance): Promise<void> {
  const { services, clock } = app.herald

  app.get('/sign-in', {
    schema: { querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), 'signed-out': Type.Optional(Type.String()) }) }
  }, async (request, reply) => {
    const query = request.query as { next?: string, 'signed-out'?: string }
    if (request.user !== null) return await reply.redirect(safeNext(query.next), 303)
    return await renderAdmin(app, request, reply, {
      template: 'sign-in',
      title: 'Sign in',
      data: { next: safeNext(query.next), values: {}, errors: {}, signedOut: query['signed-out'] !== undefined }
    })
  })

  app.post('/sign-in', async (request, reply) => {
    const form = checkForm<SignInValues>(signInForm, request.body)
    const next = safeNext(form.values.next)
    const user = form.ok ? await services.users.authenticate(form.values.name, form.values.password) : undefined
    if (user === undefined) {
      return await renderAdmin(app, request, reply, {
        template: 'sign-in',
        title: 'Sign in',
        statusCode: form.ok ? 401 : 400,
        data: {
          next,
          values: { name: typeof form.values.name === 'string' ? form.values.name : '' },
          errors: form.ok ? { form: 'The user name or the password is wrong.' } : form.errors
        }
      })
    }
    // A new session id at sign-in, so an id planted before it (session fixation) is worth nothing.
    await request.session.regenerate()
    request.session.userId = user.id
    request.session.signedInAt = clock().toISOString()
    request.log.info({ user: user.name }, 'signed in')
    return await reply.redirect(next, 303)
  })

  app.post('/sign-out', async (request, reply) => {
    await request.session.destroy()
    return await reply.redirect('/admin/sign-in?signed-out=1', 303)
  })
}
