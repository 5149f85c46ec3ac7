// GET /admin: the dashboard, with the overall status as the public sees it and the open incidents.
import type { FastifyInstance } from 'fastify'
import { overallStatus } from '../../domain/overall-status.js'
import { incidentStatusLabels } from '../../domain/statuses.js'
import { indicatorClass } from '../../views/format.js'
import { requireUser } from './access.js'
import { renderAdmin } from './render.js'

export default async function dashboardRoutes (app: FastifyInstance): Promise<void> {
  const { stores } = app.herald

  app.get('/', { preHandler: requireUser() }, async (request, reply) => {
    const components = stores.components.list()
    const open = stores.incidents.open()
    const status = overallStatus(components.map((c) => c.status), open.map((i) => i.impact))
    return await renderAdmin(app, request, reply, {
      template: 'dashboard',
      title: 'Dashboard',
      section: 'dashboard',
      data: {
        status: { description: status.description, className: indicatorClass(status.indicator, status.maintenance) },
        openIncidents: open.map((incident) => ({
          reference: incident.reference,
          name: incident.name,
          status: incidentStatusLabels[incident.status],
          startedAt: incident.startedAt
        }))
      }
    })
  })
}
