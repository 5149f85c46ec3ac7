// Renders admin pages in the admin layout with what every page needs: the user, a CSRF token, the notice.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface Session {
    /** A one-time message shown on the next page (after a redirect that follows a change). */
    notice?: string
  }
}

const adminLayout = 'layouts/admin.hbs'

export interface AdminPage {
  /** The template under templates/admin/, without the folder. */
  template: string
  title: string
  /** The navigation entry to mark as current. */
  section?: string
  data?: Record<string, unknown>
  statusCode?: number
}

export async function renderAdmin (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, page: AdminPage): Promise<FastifyReply> {
  const notice = request.session.notice
  if (notice !== undefined) request.session.notice = undefined
  const user = request.user
  const html = await app.view(`admin/${page.template}.hbs`, {
    ...page.data,
    head: { title: page.title },
    user: user === null ? null : { name: user.name, role: user.role, isAdmin: user.role === 'admin' },
    csrfToken: reply.generateCsrf(),
    notice: notice ?? null,
    nav: { [page.section ?? '']: true }
  }, { layout: adminLayout })
  return reply.code(page.statusCode ?? 200).type('text/html; charset=utf-8').send(html)
}

/** After a change: remember a notice for the next page and redirect there (POST, redirect, GET). */
export async function redirectWithNotice (request: FastifyRequest, reply: FastifyReply, to: string, notice: string): Promise<FastifyReply> {
  request.session.notice = notice
  return await reply.redirect(to, 303)
}
