// Admin pages for users (admins only): the list, create, change a password, remove with a confirmation.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { type Role, type User, roles } from '../../domain/accounts.js'
import { ConflictError } from '../../services/errors.js'
import { requireUser } from './access.js'
import {
  type NewUserValues, type PasswordValues, accountFieldMessages, confirmError, keptValues, newUserForm, passwordForm, trimName,
  userErrorFields
} from './account-forms.js'
import { actorOf } from './actor.js'
import { type FieldErrors, checkForm, confirmationForm, refuseBadAddress } from './forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

const roleLabels: Record<Role, string> = { admin: 'Admin: everything, including users and API tokens', editor: 'Editor: components, incidents and updates' }
const UserParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) })
const userParams = { params: UserParams }

function isLastAdmin (user: User, users: User[]): boolean {
  return user.role === 'admin' && users.filter((u) => u.role === 'admin').length === 1
}

export default async function usersRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald
  const adminOnly = { preHandler: requireUser('admin') }

  async function listPage (request: FastifyRequest, reply: FastifyReply, form: { values: Record<string, string>, errors: FieldErrors }, statusCode = 200): Promise<FastifyReply> {
    const users = services.users.list()
    const selectedRole = form.values.role ?? 'editor'
    return await renderAdmin(app, request, reply, {
      template: 'users',
      title: 'Users',
      section: 'users',
      statusCode,
      data: {
        users: users.map((user) => ({
          name: user.name,
          role: user.role,
          createdAt: user.createdAt,
          isSelf: user.id === request.user?.id,
          lastAdmin: isLastAdmin(user, users)
        })),
        roles: roles.map((role) => ({ value: role, label: roleLabels[role], selected: role === selectedRole })),
        values: form.values,
        errors: form.errors
      }
    })
  }

  async function userNotFound (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return await renderNotFound(app, request, reply, {
      heading: 'No such user',
      message: 'There is no user of that name. They may have been removed.',
      back: { href: '/admin/users', label: 'Back to the users' },
      section: 'users'
    })
  }

  app.get('/users', { ...adminOnly, schema: { querystring: Type.Object({}) } }, async (request, reply) => await listPage(request, reply, { values: { name: '' }, errors: {} }))

  app.post('/users', { ...adminOnly, schema: { body: newUserForm }, attachValidation: true }, async (request, reply) => {
    const form = checkForm<NewUserValues>(newUserForm, trimName(request.body), accountFieldMessages)
    const kept = keptValues(form.values as unknown as Record<string, unknown>, ['name', 'role'])
    const errors = form.ok ? confirmError(form.values) : form.errors
    if (Object.keys(errors).length > 0) return await listPage(request, reply, { values: kept, errors }, 400)
    try {
      await services.users.create(form.values.name, form.values.password, form.values.role, actorOf(request))
    } catch (error) {
      const fields = userErrorFields(error)
      if (fields === undefined) throw error
      return await listPage(request, reply, { values: kept, errors: fields }, error instanceof ConflictError ? 409 : 400)
    }
    return await redirectWithNotice(request, reply, '/admin/users', `Created ${form.values.role} ${form.values.name}. Give them their password in person or by a channel you trust.`)
  })

  async function passwordPage (request: FastifyRequest, reply: FastifyReply, user: User, errors: FieldErrors, statusCode = 200): Promise<FastifyReply> {
    return await renderAdmin(app, request, reply, {
      template: 'users-password',
      title: `Change the password of ${user.name}`,
      section: 'users',
      statusCode,
      data: { name: user.name, isSelf: user.id === request.user?.id, errors }
    })
  }

  app.get('/users/:name/password', { ...adminOnly, schema: { ...userParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const user = services.users.byName(request.params.name)
    if (user === undefined) return await userNotFound(request, reply)
    return await passwordPage(request, reply, user, {})
  })

  app.post('/users/:name/password', { ...adminOnly, schema: { params: UserParams, body: passwordForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const user = services.users.byName(request.params.name)
    if (user === undefined) return await userNotFound(request, reply)
    const form = checkForm<PasswordValues>(passwordForm, request.body)
    const errors = form.ok ? confirmError(form.values) : form.errors
    if (Object.keys(errors).length > 0) return await passwordPage(request, reply, user, errors, 400)
    try {
      await services.users.changePassword(user.name, form.values.password, actorOf(request))
    } catch (error) {
      const fields = userErrorFields(error)
      if (fields === undefined) throw error
      return await passwordPage(request, reply, user, fields, 400)
    }
    if (user.id === request.user?.id) {
      // Every session of the user ended, this one too: carry on in a new one, signed in afresh.
      await request.session.regenerate()
      request.session.userId = user.id
      request.session.signedInAt = app.herald.clock().toISOString()
      return await redirectWithNotice(request, reply, '/admin/users', 'Your password is changed; your other sessions are signed out.')
    }
    return await redirectWithNotice(request, reply, '/admin/users', `The password of ${user.name} is changed and their sessions are signed out.`)
  })

  async function removePage (request: FastifyRequest, reply: FastifyReply, user: User, error: string | null, statusCode = 200): Promise<FastifyReply> {
    return await renderAdmin(app, request, reply, {
      template: 'users-remove',
      title: `Remove ${user.name}`,
      section: 'users',
      statusCode,
      data: { name: user.name, role: user.role, isSelf: user.id === request.user?.id, lastAdmin: isLastAdmin(user, services.users.list()), error }
    })
  }

  app.get('/users/:name/remove', { ...adminOnly, schema: { ...userParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const user = services.users.byName(request.params.name)
    if (user === undefined) return await userNotFound(request, reply)
    return await removePage(request, reply, user, null)
  })

  app.post('/users/:name/remove', { ...adminOnly, schema: { ...userParams, body: confirmationForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const user = services.users.byName(request.params.name)
    if (user === undefined) return await userNotFound(request, reply)
    try {
      services.users.remove(user.name, actorOf(request))
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
      return await removePage(request, reply, user, `${user.name} is the last admin: create another admin first, so that someone can still manage Herald.`, 409)
    }
    if (user.id === request.user?.id) {
      // The account is gone, and its sessions with it: nothing is left to be signed in as.
      await request.session.destroy()
      return await reply.redirect('/admin/sign-in', 303)
    }
    return await redirectWithNotice(request, reply, '/admin/users', `Removed ${user.name}; their sessions are signed out. What they did stays in the audit log.`)
  })
}
