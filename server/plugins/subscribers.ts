// Subscribers' sending: the mailer, the webhook and chat channels, and the worker that tells subscribers, run while the app is up.
import fp from 'fastify-plugin'
import type { SubscriberKind, UrlSubscriberKind } from '../domain/subscribers.js'
import { loadEventFacts } from '../notify/event-facts.js'
import { FailureNotices } from '../notify/failure-notices.js'
import type { Mailer } from '../notify/mailer.js'
import { SubscriberWorker, defaultSubscriberWorkerSettings } from '../notify/subscriber-worker.js'
import type { TestDeliveryResult } from '../notify/test-delivery.js'
import { createUrlChannels } from '../notify/url-channels.js'

export type { TestDeliveryResult }

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
  const { config, clock, services, signals, stores } = app.herald
  const settings = config.subscriptions
  const site = { siteName: config.siteName, publicUrl: config.publicUrl }
  const log = app.log.child({ module: 'subscribers' })
  // nodemailer (3 MB of the server's memory) is loaded only when email is on.
  const mailer = settings.email === null
    ? null
    : (await import('../notify/mailer.js')).createMailer(settings.email, { ...site, requestTimeoutMs: settings.requestTimeoutMs })
  const notices = mailer === null
    ? null
    : new FailureNotices({ send: mailer.sendNotice, to: settings.noticeEmail, siteName: config.siteName, clock, log })
  const urls = createUrlChannels(settings, site, clock)
  const channels = [...(mailer === null ? [] : [mailer.channel]), ...urls.channels]
  const worker = !options.background || !settings.worker
    ? null
    : new SubscriberWorker({
      deliveries: stores.subscriberDeliveries,
      subscribers: stores.subscribers,
      channels,
      loadFacts: (id) => loadEventFacts(services, id, site),
      links: (subscriber) => services.subscribers.links(subscriber),
      pruneUnconfirmed: () => { services.subscribers.pruneUnconfirmed() },
      notices,
      siteName: config.siteName,
      clock,
      log,
      settings: {
        ...defaultSubscriberWorkerSettings,
        maxAttempts: settings.maxAttempts,
        retryBaseMs: settings.retryBaseMs,
        requestTimeoutMs: settings.requestTimeoutMs,
        quarantineAfterMs: settings.quarantineAfterMs
      }
    })
  const closing = new AbortController()
  app.decorate('subscribers', {
    mailer,
    // Aborted when the app closes: a visitor's test delivery never holds up a shutdown past its timeout.
    testDelivery: async (kind, url, secret) => await urls.testDelivery(kind, url, secret, closing.signal),
    worker,
    kinds: [...(mailer === null ? [] : ['email' as const]), 'webhook', 'slack', 'discord', 'teams'],
    notices
  } satisfies SubscribersFeature)
  // The services queue one notification per event (with the write that caused it); this process runs the
  // worker, so commits that queued one wake it.
  const unsubscribe = worker === null ? () => {} : signals.subscribe('notificationsDue', () => { worker.wake() })

  app.addHook('onReady', async () => {
    worker?.start()
  })
  // preClose: before the database closes (onClose), so the sends in flight are put back as pending.
  app.addHook('preClose', async () => {
    unsubscribe()
    closing.abort()
    await worker?.stop()
    await notices?.settled()
    await mailer?.close()
    urls.close()
  })
}, { name: 'herald-subscribers', dependencies: ['herald'] })
