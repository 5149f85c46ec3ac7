// The webhook channel: each event POSTed as Statuspage's JSON, signed with the subscriber's secret, through the guarded outbound HTTP.
import { apiJson } from '../views/api-v2-view.js'
import { UrlChannel } from './http-outcome.js'
import { signatureHeader } from './signature.js'
import type { SendOutcome, SubscriberChannel, SubscriberMessage } from './subscriber-channel.js'
import { webhookPayload } from './webhook-payload.js'

/** The headers of every webhook POST: the body's type, its signature, the delivery (the same on every attempt) and the event. */
export function webhookHeaders (body: string, secret: string, deliveryId: number | string, event: string, now: Date): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-herald-signature': signatureHeader(secret, body, now),
    'x-herald-delivery': String(deliveryId),
    'x-herald-event': event
  }
}

export class WebhookChannel extends UrlChannel implements SubscriberChannel {
  readonly kinds = ['webhook'] as const

  async send (message: SubscriberMessage, signal: AbortSignal): Promise<SendOutcome> {
    const secret = message.subscriber.signingSecret
    if (secret === null) return { outcome: 'failed', error: 'the subscription has no signing secret', bounced: false }
    const now = this.clock()
    const payload = webhookPayload(message.facts, message.links, now)
    // apiJson, as /api/v2: the same strings once parsed, with no '<' a browser or a log viewer could misread.
    const body = apiJson(payload)
    return await this.post({
      url: message.subscriber.target,
      headers: webhookHeaders(body, secret, message.deliveryId, payload.event_type, now),
      body,
      signal
    })
  }
}
