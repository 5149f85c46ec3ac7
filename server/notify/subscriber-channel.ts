// What the subscriber worker asks of a channel (email, webhook, chat): send one notification to one subscriber.
import type { Subscriber, SubscriberKind, SubscriberLinks } from '../domain/subscribers.js'
import type { EventFacts } from './event-facts.js'

// Defined beside the subscribers, so that the services (below notify/) can build the links.
export type { SubscriberLinks } from '../domain/subscribers.js'

export interface SubscriberMessage {
  /** The subscriber delivery's id: the same for every attempt (X-Herald-Delivery, the email's Message-ID), so a receiver can drop a resend. */
  deliveryId: number
  subscriber: Subscriber
  facts: EventFacts
  links: SubscriberLinks
}

export type SendOutcome =
  | { outcome: 'sent' }
  /** Worth another attempt (network error, timeout, 429, 5xx, SMTP 4xx); `notBefore` from a Retry-After. */
  | { outcome: 'retry', error: string, notBefore: Date | null }
  /** Will not work by trying again (a 4xx, a 3xx, a refused URL); `bounced`: an SMTP 5xx on RCPT, the address is dead. */
  | { outcome: 'failed', error: string, bounced: boolean }

export interface SubscriberChannel {
  /** The subscriber kinds this channel sends to. */
  readonly kinds: readonly SubscriberKind[]
  /** Never throws: every failure is an outcome, free of secrets. `signal` aborts when Herald shuts down. */
  send: (message: SubscriberMessage, signal: AbortSignal) => Promise<SendOutcome>
  /** Lets go of pooled connections. */
  close: () => Promise<void> | void
}
