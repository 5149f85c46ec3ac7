// GET /admin/audit: the audit log for anyone signed in, newest first, a page at a time, filtered by who and by incident.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { AuditFilter } from '../../domain/audit.js'
import { isValidReference } from '../../domain/references.js'
import { actorLabel, auditEntryView } from '../../views/admin/audit-view.js'
import { requireUser } from './access.js'
import type { FieldErrors } from './forms.js'
import { renderAdmin } from './render.js'

export const auditPageSize = 50

const auditQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 200 })),
  incident: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.String({ maxLength: 10 }))
})

/** The address of a page of the log with the same filters. */
function pageHref (filter: AuditFilter, page: number): string {
  const query = new URLSearchParams()
  if (filter.actor !== undefined) query.set('actor', filter.actor)
  if (filter.reference !== undefined) query.set('incident', filter.reference)
  if (page > 1) query.set('page', String(page))
  const text = query.toString()
  return text === '' ? '/admin/audit' : `/admin/audit?${text}`
}

export default async function auditRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald

  app.get('/audit', { preHandler: requireUser(), schema: { querystring: auditQuery } }, async (request, reply) => {
    const query = request.query
    const errors: FieldErrors = {}
    const filter: AuditFilter = {}
    // An empty field is no filter: that is what the form sends when nothing is chosen.
    const actor = query.actor?.trim() ?? ''
    if (actor !== '') filter.actor = actor
    const incident = query.incident?.trim() ?? ''
    if (incident !== '') {
      if (isValidReference(incident)) filter.reference = incident.toUpperCase()
      else errors.incident = 'Use an incident reference: 2 to 32 letters and digits, such as TM202916.'
    }
    const pageText = query.page ?? '1'
    const page = /^[1-9][0-9]{0,5}$/.test(pageText) ? Number(pageText) : 1
    if (pageText !== '1' && page === 1) errors.page = 'The page must be a whole number from 1.'

    const ok = Object.keys(errors).length === 0
    const { entries, total, actors } = services.reads.admin.audit(ok ? { filter, limit: auditPageSize, offset: (page - 1) * auditPageSize } : undefined)
    const pages = Math.max(1, Math.ceil(total / auditPageSize))
    if (filter.actor !== undefined && !actors.includes(filter.actor)) actors.push(filter.actor)

    return await renderAdmin(app, request, reply, {
      template: 'audit',
      title: 'Audit log',
      section: 'audit',
      statusCode: ok ? 200 : 400,
      data: {
        entries: entries.map(auditEntryView),
        total,
        filtered: filter.actor !== undefined || filter.reference !== undefined,
        values: { actor, incident },
        errors,
        actors: actors.map((value) => ({ value, label: actorLabel(value), selected: value === filter.actor })),
        pagination: {
          page,
          pages,
          several: pages > 1,
          newer: page > 1 ? pageHref(filter, page - 1) : null,
          older: page < pages ? pageHref(filter, page + 1) : null
        }
      }
    })
  })
}
