// Deleting a test incident (admins only): a confirmation page, the deletion, and a page listing the posts left on the channels.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import { ConflictError } from '../../services/errors.js'
import { adminIncidentHref } from '../../views/admin/incident-page-view.js'
import { deletedIncidentView, sentPostViews } from '../../views/admin/incident-removal-view.js'
import { adminMaintenanceHref } from '../../views/admin/maintenance-list-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { confirmationForm } from './forms.js'
import { incidentMissing, incidentRecord, sendMaintenanceAway } from './incident-record.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

const IncidentParams = Type.Object({ reference: Type.String() })

export default async function incidentDeleteRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald

  app.get('/incidents/:reference/delete', { preHandler: requireUser('admin'), schema: { params: IncidentParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const incident = incidentRecord(app, request.params.reference)
    if (incident === undefined) return await renderNotFound(app, request, reply, incidentMissing)
    if (incident.maintenance !== null) return await reply.redirect(adminMaintenanceHref(incident.reference), 303)
    return await renderConfirmation(request, reply, incident.reference, null, 200)
  })

  app.post('/incidents/:reference/delete', { preHandler: requireUser('admin'), schema: { params: IncidentParams, body: confirmationForm } }, async (request, reply) => {
    const incident = incidentRecord(app, request.params.reference)
    if (incident === undefined) return await renderNotFound(app, request, reply, incidentMissing)
    const away = await sendMaintenanceAway(request, reply, incident, `Nothing was deleted: ${incident.reference} is a maintenance.`)
    if (away !== undefined) return away
    try {
      const { auditId } = services.incidents.remove(incident.reference, actorOf(request))
      return await redirectWithNotice(request, reply, `/admin/deleted-incidents/${auditId}`, `${incident.reference} is deleted.`)
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      return await renderConfirmation(request, reply, incident.reference, `Nothing was deleted: ${err.message}.`, 409)
    }
  })

  // After deleting: the posts left on the channels, from the audit entry (the incident and its deliveries are gone).
  app.get('/deleted-incidents/:entry', { preHandler: requireUser(), schema: { params: Type.Object({ entry: Type.String() }), querystring: Type.Object({}) } }, async (request, reply) => {
    const id = parseId(request.params.entry)
    const entry = id === undefined ? undefined : services.reads.admin.deletedIncident(id)
    if (entry === undefined) {
      return await renderNotFound(app, request, reply, { ...incidentMissing, heading: 'Not found', message: 'No incident was deleted under this number.' })
    }
    return await renderAdmin(app, request, reply, {
      template: 'incident-deleted',
      title: 'Incident deleted',
      section: 'incidents',
      data: { deleted: deletedIncidentView(entry) }
    })
  })

  async function renderConfirmation (request: FastifyRequest, reply: FastifyReply, reference: string, error: string | null, statusCode: number): Promise<FastifyReply> {
    const removal = services.incidents.removal(reference)
    return await renderAdmin(app, request, reply, {
      template: 'incident-delete',
      title: `Delete ${removal.reference}`,
      section: 'incidents',
      statusCode,
      data: { removal: { ...removal, sentPosts: sentPostViews(removal.sentPosts) }, adminHref: adminIncidentHref(removal.reference), error }
    })
  }
}
