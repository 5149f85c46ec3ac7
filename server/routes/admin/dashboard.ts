// GET /admin: the dashboard, with the overall status as the public sees it, the open incidents with a quick update form, and maintenance.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { crossPostingView } from '../../views/admin/cross-posting-view.js'
import { type DashboardInput, dashboardView } from '../../views/admin/dashboard-view.js'
import { draftsBoxView } from '../../views/admin/drafts-view.js'
import { nudgeLimits } from '../../domain/nudge.js'
import { typedText } from '../../views/admin/form-view.js'
import { dashboardMonitorsView } from '../../views/admin/monitors-view.js'
import { subscriberCountsView } from '../../views/admin/subscribers-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { formRefusal } from './forms.js'
import { redirectWithNotice, renderAdmin } from './render.js'

/** The next planned maintenances the dashboard lists; the maintenance page has them all. */
const upcomingShown = 5

/** Renders the dashboard; with `failedQuick`, one incident's quick update form comes back with its errors. */
export async function renderDashboard (
  app: FastifyInstance, request: FastifyRequest, reply: FastifyReply,
  failedQuick: DashboardInput['failedQuick'] = null,
  failedNudge: DashboardInput['failedNudge'] = null
): Promise<FastifyReply> {
  const { services } = app.herald
  const view = dashboardView({
    ...services.reads.admin.dashboard(upcomingShown),
    crossPosting: crossPostingView(services.deliveries.channels()),
    failedQuick,
    failedNudge
  })
  return await renderAdmin(app, request, reply, {
    template: 'dashboard',
    title: 'Dashboard',
    section: 'dashboard',
    statusCode: failedQuick === null && failedNudge === null ? 200 : 400,
    data: {
      ...view,
      subscribers: subscriberCountsView(services.subscribers.counts()),
      drafts: draftsBoxView(services.drafts.list()),
      monitors: dashboardMonitorsView({
        monitors: services.monitors.list(),
        warnings: services.monitors.openWarnings(),
        now: app.herald.clock()
      })
    }
  })
}

const nudgeForm = Type.Object({ minutes: Type.String({ maxLength: 10 }) })

export default async function dashboardRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  app.get('/', { preHandler: requireUser(), schema: { querystring: Type.Object({}) } }, async (request, reply) => await renderDashboard(app, request, reply))

  // The nudge's time: an admin's setting, kept with the dashboard that shows it.
  app.post('/nudge', { preHandler: requireUser('admin'), schema: { body: nudgeForm }, attachValidation: true }, async (request, reply) => {
    const value = typedText(request.body, 'minutes').trim()
    const wrong = `Give a whole number of minutes from ${nudgeLimits.min} to ${nudgeLimits.max}.`
    const minutes = /^[0-9]{1,4}$/.test(value) ? Number(value) : Number.NaN
    if (Number.isNaN(minutes)) return await renderDashboard(app, request, reply, null, { value, error: wrong })
    try {
      app.herald.services.incidents.setNudgeAfter(minutes, actorOf(request))
    } catch (err) {
      const refused = formRefusal(err, ['minutes'])
      return await renderDashboard(app, request, reply, null, { value, error: refused.field === 'minutes' ? wrong : refused.message })
    }
    return await redirectWithNotice(request, reply, '/admin', `Open incidents are flagged after ${minutes} min without an update.`)
  })
}
