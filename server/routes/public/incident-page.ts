// GET /incidents/:reference: an incident's permalink with its whole timeline; a real 404 page when there is none.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { incidentPath } from '../../domain/links.js'
import { isValidReference } from '../../domain/references.js'
import { isolateBidi } from '../../domain/text.js'
import { type ErrorPage, NotPublic, sendErrorPage } from '../../plugins/error-page.js'
import { publicLayout } from '../../plugins/view.js'
import { incidentView } from '../../views/incident-view.js'
import { postmortemView } from '../../views/postmortem-view.js'

const incidentNotFound: ErrorPage = {
  statusCode: 404,
  heading: 'Incident not found',
  message: 'No incident has this reference. Check it, or search the incident history.'
}

export default async function incidentPageRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  app.get('/incidents/:reference', {
    // Any text is accepted here so that a malformed reference gets the same 404 page as an unknown one.
    schema: { params: Type.Object({ reference: Type.String() }), querystring: Type.Object({}) }
  }, async (request, reply) => {
    const { reference } = request.params
    const { config, services } = app.herald
    if (!isValidReference(reference)) return await sendErrorPage(app, reply, incidentNotFound)
    // References are ASCII letters and digits compared without case, so every spelling shares one cached body.
    return await app.servePublic(request, reply, { key: incidentPath(reference.toUpperCase()) }, async () => {
      // The incident, its timeline and its postmortem in one read: another process's update cannot fall between them.
      const facts = services.reads.public.incidentPage(reference)
      if (facts === undefined) throw new NotPublic(incidentNotFound)
      const view = incidentView(facts.incident)
      // <title> holds no markup: the name is isolated by characters, so an override in it cannot reverse the reference.
      const head = { title: `${isolateBidi(view.name)} (${view.reference})`, canonical: `${config.publicUrl}${view.href}` }
      const html = await app.view('incident.hbs', { head, incident: view, postmortem: postmortemView(facts.postmortem) }, { layout: publicLayout })
      return { contentType: 'text/html; charset=utf-8', body: html }
    })
  })
}
