// View model of an update's social deliveries on the admin incident page: state in words, the post's link, the last error, retry.
import type { Delivery, DeliveryState } from '../../domain/deliveries.js'
import { channelLabels } from '../../domain/post-text.js'

export const deliveryStateLabels: Record<DeliveryState, string> = {
  pending: 'Pending',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped'
}

export interface DeliveryView {
  id: number
  channelLabel: string
  stateLabel: string
  stateClass: string
  /** The post on the channel, when it was sent and the channel told where it is. */
  postUrl: string | null
  /** "1 attempt", "3 attempts"; null before the first. */
  attempts: string | null
  /** Why it failed or will be tried again (scrubbed of credentials by the worker); shown escaped. */
  lastError: string | null
  /** When a pending delivery is tried next (ISO); null when it is due now. */
  nextAttemptAt: string | null
  canRetry: boolean
  retryAction: string
}

function deliveryRetryHref (id: number): string {
  return `/admin/deliveries/${id}/retry`
}

// A link only when it is a web address: the URL comes from a remote server, and a javascript: one must not become a link.
export function webUrl (url: string | null): string | null {
  return url !== null && /^https?:\/\//i.test(url) ? url : null
}

export function deliveryView (delivery: Delivery): DeliveryView {
  return {
    id: delivery.id,
    channelLabel: channelLabels[delivery.channel] ?? delivery.channel,
    stateLabel: deliveryStateLabels[delivery.state],
    stateClass: `delivery-${delivery.state}`,
    postUrl: delivery.state === 'sent' ? webUrl(delivery.remoteUrl) : null,
    attempts: delivery.attempts === 0 ? null : `${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'}`,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.state === 'pending' ? delivery.nextAttemptAt : null,
    canRetry: delivery.state === 'failed',
    retryAction: deliveryRetryHref(delivery.id)
  }
}
