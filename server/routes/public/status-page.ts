// GET /: the status page, from the public cache; the body also depends on the UTC day (uptime, last 14 days).
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { workSlices, yieldToRequests } from '../../cache/yield-to-requests.js'
import { uptimeWindowStart } from '../../domain/uptime.js'
import { publicLayout } from '../../plugins/view.js'
import { PageParts } from '../../views/page-parts.js'
import { type ComponentBlockView, pastIncidentsWindow, statusPageView, uptimeDays } from '../../views/status-page-view.js'

// Rows rendered between two turns of requests: a few milliseconds, shorter than the page's one read.
const rowsSliceMs = 3

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
      // The view is made in the same turn and the facts are not kept beside it: its rows take theirs as they go.
      const view = statusPageView({
        now,
        ...services.reads.public.statusPage({ pastFrom: past.from, pastTo: past.to, uptimeFrom: uptimeWindowStart(now, uptimeDays) })
      })
      // The page takes some 20 ms on five years of history: between its phases, the requests waiting (a
      // posted update, other pages) go first, rather than all waiting for the whole render. Most of it is the
      // rows' uptime bars, built and rendered a few at a time, and kept as bytes until the page is whole.
      await yieldToRequests()
      const slice = workSlices(rowsSliceMs)
      const parts = new PageParts()
      const componentBlocks: Array<{ group: ComponentBlockView['group'], rows: string[] }> = []
      for (const block of view.componentBlocks) {
        const rows: string[] = []
        for (const row of block.rows) {
          rows.push(parts.add(app.viewFragment('partials/component-row.hbs', row)))
          await slice()
        }
        componentBlocks.push({ group: block.group, rows })
      }
      await yieldToRequests()
      // refreshable: the status page alone reloads itself when auto-refresh is on (Appearance), for wall displays.
      const html = await app.view('status.hbs', { head: { title: null, canonical: `${config.publicUrl}/`, refreshable: true }, ...view, componentBlocks }, { layout: publicLayout })
      return { contentType: 'text/html; charset=utf-8', body: parts.join(html) }
    })
  })
}
