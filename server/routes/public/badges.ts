// GET /badge.svg (the overall status) and /components/:id/badge.svg (one component's), from the public cache.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { badgeContentType, badgeSvg } from '../../badge/badge-svg.js'
import { parseId } from '../../domain/ids.js'
import { allowAnyOrigin } from '../../plugins/public-cache.js'
import { componentBadgeView, overallBadgeView } from '../../views/badge-view.js'
import { pageOverallStatus } from '../../views/current-status.js'
import { ComponentParams, publicComponent, sendComponentNotFound } from './public-component.js'

/** A badge opened on its own is an SVG document: nothing in it may load or run, whatever a name holds. */
function badgeHeaders (reply: FastifyReply): void {
  allowAnyOrigin(reply)
  reply.header('content-security-policy', "default-src 'none'")
}

export default async function badgeRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald

  app.get('/badge.svg', {
    // No parameters; a query added by a README's cache buster is ignored.
    schema: { querystring: Type.Object({}) }
  }, async (request, reply) => {
    badgeHeaders(reply)
    return await app.servePublic(request, reply, { key: '/badge.svg' }, () => {
      // Read as the status page's banner reads it, so the badge never says something else; the components
      // and the incidents in one read, as of one moment even while another process writes.
      const overall = pageOverallStatus(services.reads.public.status())
      return { contentType: badgeContentType, body: badgeSvg(overallBadgeView(overall)) }
    })
  })

  app.get('/components/:id/badge.svg', {
    schema: { params: ComponentParams, querystring: Type.Object({}) }
  }, async (request, reply) => {
    badgeHeaders(reply)
    const id = parseId(request.params.id)
    if (id === undefined) return await sendComponentNotFound(app, reply)
    return await app.servePublic(request, reply, { key: `/components/${id}/badge.svg` }, () =>
      ({ contentType: badgeContentType, body: badgeSvg(componentBadgeView(publicComponent(services.reads.public.component(id)))) }))
  })
}
