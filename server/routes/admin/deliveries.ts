// Admin actions on social deliveries: POST /admin/deliveries/:id/retry sends a failed post again.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Delivery } from '../../domain/deliveries.js'
import { parseId } from '../../domain/ids.js'
import { updateAnchor } from '../../domain/links.js'
import { postmortemAnchor } from '../../domain/postmortems.js'
import { channelLabels } from '../../domain/post-text.js'
import { ConflictError, NotFoundError } from '../../services/errors.js'
import { deliveryStateLabels } from '../../views/admin/deliveries-view.js'
import { adminIncidentHref } from '../../views/admin/incident-page-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { renderIncidentPage } from './incident-pages.js'
import { renderNotFound } from './not-found.js'
import { confirmationForm } from './forms.js'
import { redirectWithNotice } from './render.js'

const deliveryMissing = {
  heading: 'Delivery not found',
  message: 'No social post has this id.',
  back: { href: '/admin', label: 'Back to the dashboard' }
}

export default async function deliveriesRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald

  /** The delivery of a URL, or undefined (the caller answers 404) when the id is malformed or unknown. */
  function deliveryOf (id: string): Delivery | undefined {
    const deliveryId = parseId(id)
    if (deliveryId === undefined) return undefined
    try {
      return services.deliveries.get(deliveryId)
    } catch (err) {
      if (err instanceof NotFoundError) return undefined
      throw err
    }
  }

  app.post('/deliveries/:id/retry', {
    preHandler: requireUser(),
    schema: { params: Type.Object({ id: Type.String() }), body: confirmationForm },
    attachValidation: true
  }, async (request, reply) => {
    const delivery = deliveryOf(request.params.id)
    const incident = delivery === undefined ? undefined : services.reads.admin.recordById(delivery.incidentId)
    if (delivery === undefined || incident === undefined) return await renderNotFound(app, request, reply, deliveryMissing)
    const what = `The ${channelLabels[delivery.channel]} post`
    const back = `${adminIncidentHref(incident.reference)}#${delivery.updateId === null ? postmortemAnchor : updateAnchor(delivery.updateId)}`
    try {
      services.deliveries.retry(delivery.id, actorOf(request))
    } catch (err) {
      // Someone retried it already, or it was never failed: said on the page, nothing changes.
      if (!(err instanceof ConflictError)) throw err
      const now = services.deliveries.get(delivery.id)
      // Read again: the timeline as it is now, with the state that made the retry fail.
      const current = services.reads.admin.recordById(incident.id)
      if (current === undefined) throw err
      return await renderIncidentPage(app, request, reply, current, {
        statusCode: 409,
        deliveryError: `${what} was not retried: it is ${deliveryStateLabels[now.state].toLowerCase()}, and only a failed post can be retried.`
      })
    }
    return await redirectWithNotice(request, reply, back, `${what} is queued to be sent again.`)
  })
}
