// The first message a new webhook or chat subscription gets: the URL is taken only if it answers 2xx, and a visitor learns why not.
import type { UrlSubscriberKind } from '../domain/subscribers.js'
import { apiJson, apiPageId } from '../views/api-v2-view.js'
import { chatTestMessage } from './chat-messages.js'
import { answerText } from './http-outcome.js'
import { OutboundError, type OutboundHttp } from './outbound-http.js'
import { testPayload } from './webhook-payload.js'
import { webhookHeaders } from './webhook-channel.js'

export interface TestDeliveryOptions {
  /** The guarded outbound HTTP (its settings: private addresses, plain http, the time limit). */
  http: OutboundHttp
  /** Webhooks: the new subscription's secret, which signs the test message; null for chats. */
  secret: string | null
  siteName: string
  publicUrl: string
  now: Date
  signal?: AbortSignal
}

export type TestDeliveryResult = { ok: true } | { ok: false, reason: string }

/**
 * Sends the test message to `url` and says whether it was taken: a 2xx answer within the time limit. Every
 * other result is a reason a visitor can act on ("answered 404", "redirects are not followed (301 to ...)",
 * "no answer within 10 s", "resolves to a private address ..."); none is retried, the visitor is waiting.
 */
export async function sendTestMessage (kind: UrlSubscriberKind, url: string, options: TestDeliveryOptions): Promise<TestDeliveryResult> {
  const site = { siteName: options.siteName, publicUrl: options.publicUrl }
  let body: string
  let headers: Record<string, string>
  if (kind === 'webhook') {
    if (options.secret === null) return { ok: false, reason: 'a webhook needs a signing secret' }
    body = apiJson(testPayload({ ...site, pageId: apiPageId(options.publicUrl) }, options.now))
    // A test message is no delivery yet: its id says so, and a receiver that drops repeats never confuses it with one.
    headers = webhookHeaders(body, options.secret, 'test', 'test', options.now)
  } else {
    body = JSON.stringify(chatTestMessage(kind, site))
    headers = { 'content-type': 'application/json' }
  }
  try {
    const response = await options.http.post({ url, headers, body, ...(options.signal === undefined ? {} : { signal: options.signal }) })
    if (response.status >= 200 && response.status < 300) return { ok: true }
    return { ok: false, reason: answerText(response) }
  } catch (error) {
    return { ok: false, reason: error instanceof OutboundError ? error.message : 'could not be reached' }
  }
}
