// GET /: the status page, from the public cache; the body also depends on the UTC day (uptime, last 14 days).
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { workSlices, yieldToRequests } from '../../cache/yield-to-requests.js'
import { uptimeWindowStart } from '../../domain/uptime.js'
import { publicLayout } from '../../plugins/view.js'
import { PageParts } from '../../views/page-parts.js'
import { type ComponentBlockView, pastIncidentsWindow, statusPageView, uptimeDays } from '../../views/status-page-view.js'

// The work between two turns of requests, read and rows alike: a few milliseconds.
const sliceMs = 3

export default async function statusPageRoutes (app: FastifyInstance): Promise<void> {
  app.get('/', {
    // No parameters; a query added by a link tracker or a cache buster is ignored.
    schema: { querystring: Type.Object({}) }
  }, async (request, reply) => {
    return await app.servePublic(request, reply, { key: '/', daily: true }, async () => {
      const { clock, config, services } = app.herald
      const now = clock()
      const past = pastIncidentsWindow(now)
      // The page takes some 20 ms on five years of history: the requests waiting (a posted update, other pages)
      // go between its slices, rather than all waiting for the whole render. Its read, of one moment even while
      // another process writes, takes its queries a slice at a time too (PublicReads.statusPage), and then the
      // rows' uptime bars are built and rendered a few at a time, kept as bytes until the page is whole.
      const slice = workSlices(sliceMs)
      // The view is made as soon as the facts are read, and the route keeps no name for them: its rows take theirs as they go.
      const view = statusPageView({
        now,
        ...await services.reads.public.statusPage({ pastFrom: past.from, pastTo: past.to, uptimeFrom: uptimeWindowStart(now, uptimeDays) }, slice)
      })
      await yieldToRequests()
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
