// GET /admin/incidents: every incident, open ones first, then resolved, newest first, a page at a time, with a search.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { searchTextPattern } from '../../domain/text.js'
import { incidentListPageCount, incidentListPageSize, incidentListView } from '../../views/admin/incident-list-view.js'
import { requireUser } from './access.js'
import type { FieldErrors } from './forms.js'
import { renderAdmin } from './render.js'

const maxSearchLength = 200

// Loose bounds in the schema (a longer address is Fastify's own 400); the handler says what is wrong in words.
const IncidentListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 2000 })),
  page: Type.Optional(Type.String({ maxLength: 100 }))
})

export default async function incidentListRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald

  app.get('/incidents', { preHandler: requireUser(), schema: { querystring: IncidentListQuery } }, async (request, reply) => {
    const query = (request.query.q ?? '').trim()
    const pageText = request.query.page ?? '1'
    const errors: FieldErrors = {}
    // Refused rather than cleaned: the admin sees what was wrong with what they typed (or a link they followed).
    if ([...query].length > maxSearchLength) errors.q = `Search with at most ${maxSearchLength} characters.`
    else if (!new RegExp(searchTextPattern, 'u').test(query)) errors.q = 'Search for words without control characters.'
    const asked = /^[1-9][0-9]{0,5}$/.test(pageText) ? Number(pageText) : undefined
    if (asked === undefined) errors.page = 'The page must be a whole number from 1 to 999999.'
    const ok = Object.keys(errors).length === 0

    let page = asked ?? 1
    let found = ok ? services.reads.admin.incidentList(incidentListPageSize, (page - 1) * incidentListPageSize, query) : { incidents: [], total: 0 }
    // Past the last page (the list got shorter, or a typed address): the last page, said so.
    let pastEnd: string | null = null
    const last = incidentListPageCount(found.total)
    if (ok && page > last) {
      pastEnd = `There is no page ${page}: this is page ${last}, the last.`
      page = last
      found = services.reads.admin.incidentList(incidentListPageSize, (page - 1) * incidentListPageSize, query)
    }
    return await renderAdmin(app, request, reply, {
      template: 'incidents',
      title: 'Incidents',
      section: 'incidents',
      statusCode: ok ? 200 : 400,
      data: { ...incidentListView({ ...found, query: errors.q === undefined ? query : '', page }), typed: query, errors, pastEnd, maxSearchLength }
    })
  })
}
