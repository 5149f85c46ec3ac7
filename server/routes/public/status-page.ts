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
      const { clock, config, services } = app.herald
      const now = clock()
      const past = pastIncidentsWindow(now)
      // One read: the banner, the components and the incidents as of one moment, even while another process writes.
      const facts = {
        now,
        ...services.reads.public.statusPage({ pastFrom: past.from, pastTo: past.to, uptimeFrom: uptimeWindowStart(now, uptimeDays) })
      }
      // The page takes some 30 ms on five years of history: between its phases, the requests waiting (a
      // posted update, other pages) go first, rather than all waiting for the whole render.
      await yieldToRequests()
      const view = statusPageView(facts)
      await yieldToRequests()
      // refreshable: the status page alone reloads itself when auto-refresh is on (Appearance), for wall displays.
      const html = await app.view('status.hbs', { head: { title: null, canonical: `${config.publicUrl}/`, refreshable: true }, ...view }, { layout: publicLayout })
      return { contentType: 'text/html; charset=utf-8', body: html }
    })
  })
}
