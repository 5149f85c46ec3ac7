// The incident an admin route under /incidents/:reference acts on: one lookup, one page for a reference that names none, and a maintenance sent to its own page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncidentWithUpdates } from '../../domain/model.js'
import { isValidReference } from '../../domain/references.js'
import { adminMaintenanceHref } from '../../views/admin/maintenance-list-view.js'
import type { NotFoundPage } from './not-found.js'
import { redirectWithNotice } from './render.js'

export const incidentMissing: NotFoundPage = {
  heading: 'Incident not found',
  message: 'No incident has this reference: it may have been mistyped or deleted.',
  back: { href: '/admin/incidents', label: 'All incidents' }
}

/** The incident (or maintenance) of the URL with its timeline; undefined for a reference that is malformed or unknown. */
export function incidentRecord (app: FastifyInstance, reference: string): IncidentWithUpdates | undefined {
  return isValidReference(reference) ? app.herald.services.reads.admin.record(reference) : undefined
}

/**
 * A maintenance reached by an incident's form (an old tab, a typed URL) goes to its own page, which says in
 * `notice` that nothing was done; undefined for an incident, which the route goes on with.
 */
export async function sendMaintenanceAway (request: FastifyRequest, reply: FastifyReply, record: IncidentWithUpdates, notice: string): Promise<FastifyReply | undefined> {
  if (record.maintenance === null) return undefined
  return await redirectWithNotice(request, reply, adminMaintenanceHref(record.reference), notice)
}
