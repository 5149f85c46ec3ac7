// GET /incidents/:reference: an incident's permalink with its whole timeline; a real 404 page when there is none.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { IncidentWithUpdates } from '../../domain/model.js'
import { isValidReference } from '../../domain/references.js'
import { publicLayout } from '../../plugins/view.js'
import { incidentView } from '../../views/incident-view.js'
import { type ErrorPage, sendErrorPage } from './error-page.js'

const incidentNotFound: ErrorPage = {
  statusCode: 404,
  heading: 'Incident not found',
  message: 'No incident has this reference. Check it, or search the incident history.'
}

export default async function incidentPageRoutes (app: FastifyInstance): Promise<void> {
  app.get('/incidents/:reference', {
    // Any text is accepted here so that a malformed reference gets the same 404 page as an unknown one.
    schema: { params: Type.Object({ reference: Type.String() }), querystring: Type.Object({}) }
  }, async (request, reply) => {
    const { reference } = request.params as { reference: string }
    const { config, stores } = app.herald
    const incident = isValidReference(reference) ? stores.incidents.byReference(reference) : undefined
    if (incident === undefined) return await sendErrorPage(app, reply, incidentNotFound)
    // Keyed by the stored reference, so every spelling of it shares one cached body.
    return await app.servePublic(request, reply, { key: `/incidents/${incident.reference}` }, async () => {
      // Read again inside render: the content version was read after the lookup above, and the body must be
      // at least as new as that version.
      const fresh = stores.incidents.byId(incident.id) ?? incident
      const view = incidentView(stores.incidents.withUpdates([fresh])[0] as IncidentWithUpdates)
      const head = { title: `${view.name} (${view.reference})`, canonical: `${config.publicUrl}${view.href}` }
      const html = await app.view('incident.hbs', { head, incident: view }, { layout: publicLayout })
      return { contentType: 'text/html; charset=utf-8', body: html }
    })
  })
}
