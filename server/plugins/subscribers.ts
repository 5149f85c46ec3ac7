// Subscribers' sending: the mailer, the webhook and chat channels, and the worker that tells subscribers, run while the app is up.
import fp from 'fastify-plugin'
import type { SubscriberKind, UrlSubscriberKind } from '../domain/subscribers.js'
import type { FailureNotices } from '../notify/failure-notices.js'
import type { SubscriberChannel } from '../notify/subscriber-channel.js'
import type { SubscriberWorker } from '../notify/subscriber-worker.js'

/** What the mailer offers (server/notify/mailer.ts). */
export interface Mailer {
  channel: SubscriberChannel
  sendConfirmation: (to: string, details: { confirmUrl: string, components: string[] }) => Promise<unknown>
  sendAlreadySubscribed: (to: string, details: { manageUrl: string }) => Promise<unknown>
  sendNotice: (to: string, subject: string, text: string) => Promise<unknown>
  close: () => Promise<void> | void
}

export type TestDeliveryResult = { ok: true } | { ok: false, reason: string }

export interface SubscribersFeature {
  /** Sends the confirmation and notice mails; null without SMTP_URL (email subscription is off). */
  mailer: Mailer | null
  /** The first message of a new webhook or chat subscription: it is only made when this answers ok. */
  testDelivery: (kind: UrlSubscriberKind, url: string, secret: string | null) => Promise<TestDeliveryResult>
  /** Null in a process that leaves the sending to another (SUBSCRIPTIONS_WORKER=off, or no background work). */
  worker: SubscriberWorker | null
  /** The kinds a visitor may subscribe with: email only when the mailer exists. */
  kinds: SubscriberKind[]
  /** The admin's failure notices (ADMIN_NOTICE_EMAIL) and quarantined webhooks' contacts; null without a mailer. */
  notices: FailureNotices | null
}

declare module 'fastify' {
  interface FastifyInstance {
    subscribers: SubscribersFeature
  }
}

export interface SubscribersPluginOptions {
  /** False: the app serves requests only (tests, one-off commands); no worker runs. */
  background: boolean
}

export default fp<SubscribersPluginOptions>(async function subscribersPlugin (app, options) {
  // Until the mailer (h2), the channels and event facts (h3) and the subscribers' settings (h1) are merged,
  // nothing is sent: the decoration has its final shape so that the routes can be built against it.
  const worker = null as SubscriberWorker | null
  app.decorate('subscribers', {
    mailer: null,
    testDelivery: async () => ({ ok: false, reason: 'webhook subscriptions are not available yet' }),
    worker,
    kinds: ['webhook', 'slack', 'discord', 'teams'],
    notices: null
  } satisfies SubscribersFeature)
  app.addHook('onReady', async () => {
    if (options.background) worker?.start()
  })
  // preClose: before the database closes (onClose), so the sends in flight are put back as pending.
  app.addHook('preClose', async () => {
    await worker?.stop()
  })
}, { name: 'herald-subscribers', dependencies: ['herald'] })
