// Subscribers and what is sent to them: the kinds, the states, and the rows of their outbox.
import type { ComponentStatus } from './statuses.js'

/** Email after double opt-in; a webhook in Statuspage's shape, signed; a chat's incoming webhook in its own format. */
export const subscriberKinds = ['email', 'webhook', 'slack', 'discord', 'teams'] as const
export type SubscriberKind = typeof subscriberKinds[number]

/** The kinds that take a URL (every kind but email). */
export type UrlSubscriberKind = Exclude<SubscriberKind, 'email'>

export const subscriberKindLabels: Record<SubscriberKind, string> = {
  email: 'Email',
  webhook: 'Webhook',
  slack: 'Slack',
  discord: 'Discord',
  teams: 'Microsoft Teams'
}

/**
 * unconfirmed: an email address that has not confirmed (forgotten after 7 days); active: sent to;
 * quarantined: a URL that failed for 24 hours in a row (an admin re-enables it); bounced: an address
 * whose mail server refused it for good.
 */
export const subscriberStates = ['unconfirmed', 'active', 'quarantined', 'bounced'] as const
export type SubscriberState = typeof subscriberStates[number]

export type SubscriberSource = 'visitor' | 'admin' | 'import'

export interface Subscriber {
  id: number
  kind: SubscriberKind
  /** The email address or the URL. */
  target: string
  contactEmail: string | null
  state: SubscriberState
  /** True: every component (and incidents that name none); false: only `componentIds`. */
  allComponents: boolean
  componentIds: number[]
  /** Webhooks: the key of X-Herald-Signature; null for the other kinds. */
  signingSecret: string | null
  linkVersion: number
  source: SubscriberSource
  createdAt: string
  confirmedAt: string | null
  updatedAt: string
  failingSince: string | null
  lastDeliveryAt: string | null
  lastError: string | null
}

/** A subscriber's own links, in every message: change what they get, and leave with one click. */
export interface SubscriberLinks {
  /** `${PUBLIC_URL}/subscriptions/<token>` */
  manage: string
  /** `${PUBLIC_URL}/subscriptions/unsubscribe/<token>` (RFC 8058 one-click: a POST there unsubscribes). */
  unsubscribe: string
}

/** incident and maintenance: an update that notifies; component: a component's status changed. */
export type NotificationEvent = 'incident' | 'maintenance' | 'component'

export interface Notification {
  id: number
  event: NotificationEvent
  /** Set for incident and maintenance events. */
  incidentId: number | null
  updateId: number | null
  /** Set for component events. */
  componentId: number | null
  oldStatus: ComponentStatus | null
  newStatus: ComponentStatus | null
  /** The components it concerns; empty: every subscriber. */
  componentIds: number[]
  lastSubscriberId: number
  expandedThrough: number
  createdAt: string
}

export type SubscriberDeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped'

export interface SubscriberDelivery {
  id: number
  notificationId: number
  subscriberId: number
  state: SubscriberDeliveryState
  attempts: number
  /** pending: not before this time; sending: when the claim of the attempt in flight lapses. */
  nextAttemptAt: string | null
  lastError: string | null
  createdAt: string
  updatedAt: string
  sentAt: string | null
}

/** The kinds each event goes to: emails and chats tell people of updates; webhooks also get component changes. */
export function eventKinds (event: NotificationEvent): readonly SubscriberKind[] {
  return event === 'component' ? ['webhook'] : subscriberKinds
}
