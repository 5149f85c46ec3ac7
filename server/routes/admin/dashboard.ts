// GET /admin: the dashboard, with the overall status as the public sees it, the open incidents with a quick update form, and maintenance.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { crossPostingView } from '../../views/admin/cross-posting-view.js'
import { type DashboardInput, dashboardView } from '../../views/admin/dashboard-view.js'
import { requireUser } from './access.js'
import { renderAdmin } from './render.js'

/** The next planned maintenances the dashboard lists; the maintenance page has them all. */
const upcomingShown = 5

/** Renders the dashboard; with `failedQuick`, one incident's quick update form comes back with its errors. */
export async function renderDashboard (
  app: FastifyInstance, request: FastifyRequest, reply: FastifyReply,
  failedQuick: DashboardInput['failedQuick'] = null
): Promise<FastifyReply> {
  const { services } = app.herald
  const view = dashboardView({
    ...services.reads.admin.dashboard(upcomingShown),
    crossPosting: crossPostingView(services.deliveries.channels()),
    failedQuick
  })
  return await renderAdmin(app, request, reply, {
    template: 'dashboard',
    title: 'Dashboard',
    section: 'dashboard',
    statusCode: failedQuick === null ? 200 : 400,
    data: { ...view }
  })
}

export default async function dashboardRoutes (app: FastifyInstance): Promise<void> {
  app.get('/', { preHandler: requireUser(), schema: { querystring: Type.Object({}) } }, async (request, reply) => await renderDashboard(app, request, reply))
}
