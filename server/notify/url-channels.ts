// The channels that send to a subscriber's URL (webhooks and chats) over one guarded outbound HTTP, and the test message a new subscription gets.
import type { UrlSubscriberKind } from '../domain/subscribers.js'
import type { Clock } from '../domain/time.js'
import { ChatChannel } from './chat-channel.js'
import { OutboundHttp, type OutboundHttpOptions } from './outbound-http.js'
import type { SubscriberChannel } from './subscriber-channel.js'
import { type TestDeliveryResult, sendTestMessage } from './test-delivery.js'
import { WebhookChannel } from './webhook-channel.js'

export interface UrlChannels {
  /** The webhook channel and the chat channel (slack, discord, teams). */
  channels: SubscriberChannel[]
  /** The first message of a new subscription; `secret` signs a webhook's (null for chats). */
  testDelivery: (kind: UrlSubscriberKind, url: string, secret: string | null, signal?: AbortSignal) => Promise<TestDeliveryResult>
  /** Closes the kept-alive connections. */
  close: () => void
}

/** `settings` are config.subscriptions' allowPrivateUrls, allowHttpUrls and requestTimeoutMs; `site` SITE_NAME and PUBLIC_URL. */
export function createUrlChannels (settings: OutboundHttpOptions, site: { siteName: string, publicUrl: string }, clock: Clock): UrlChannels {
  const http = new OutboundHttp(settings)
  return {
    channels: [new WebhookChannel(http, clock), new ChatChannel(http, clock)],
    testDelivery: async (kind, url, secret, signal) => await sendTestMessage(kind, url, {
      http, secret, ...site, now: clock(), ...(signal === undefined ? {} : { signal })
    }),
    close: () => { http.close() }
  }
}
