// GET /: the status page, from the public cache; the body also depends on the UTC day (uptime, last 14 days).
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { yieldToRequests } from '../../cache/yield-to-requests.js'
import { uptimeWindowStart } from '../../domain/uptime.js'
import { publicLayout } from '../../plugins/view.js'
import { pastIncidentsWindow, statusPageView, uptimeDays } from '../../views/status-page-view.js'

export default async function statusPageRoutes (app: FastifyInstance): Promise<void> {
  app.get('/', {
    // No parameters; a query added by a link tracker or a cache buster is ignored.
    schema: { querystring: Type.Object({}) }
  }, async (request, reply) => {
    return await app.servePublic(request, reply, { key: '/', daily: true }, async () => {
      const { clock, config, stores } = app.herald
      const now = clock()
      const { incidents } = stores
      const past = pastIncidentsWindow(now)
      // One read transaction: the banner, the components and the incidents as of one moment, even while
      // another process writes.
      const facts = stores.db.transaction(() => ({
        now,
        components: stores.components.list(),
        openIncidents: incidents.withUpdates(incidents.open()),
        activeMaintenances: incidents.withUpdates(incidents.maintenances('active')),
        upcomingMaintenances: incidents.withUpdates(incidents.maintenances('upcoming')),
        // Only resolved ones: those still open are shown in full above, so their updates are not read twice.
        recentIncidents: incidents.withUpdates(incidents.startedBetween(past.from, past.to).filter((incident) => incident.resolvedAt !== null)),
        changes: stores.statusHistory.since(uptimeWindowStart(now, uptimeDays))
      }))()
      // The page takes some 30 ms on five years of history: between its phases, the requests waiting (a
      // posted update, other pages) go first, rather than all waiting for the whole render.
      await yieldToRequests()
      const view = statusPageView(facts)
      await yieldToRequests()
      const html = await app.view('status.hbs', { head: { title: null, canonical: `${config.publicUrl}/` }, ...view }, { layout: publicLayout })
      return { contentType: 'text/html; charset=utf-8', body: html }
    })
  })
}
