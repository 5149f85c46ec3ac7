// Cross-posting of updates: runs the outbox worker while the app is up, woken by the services' commits.
import fp from 'fastify-plugin'
import { channelLabels } from '../domain/post-text.js'
import { createChannels, redactor } from '../social/channels.js'
import { OutboxWorker, defaultOutboxSettings } from '../social/outbox-worker.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The outbox worker; null when no channel is on or SOCIAL_WORKER=off. */
    outbox: OutboxWorker | null
  }
}

export default fp(async function socialPlugin (app) {
  const { config, clock, services, signals, stores } = app.herald
  const social = config.social
  const channels = social === undefined || !social.worker ? [] : await createChannels(social)
  const worker = social === undefined || channels.length === 0
    ? null
    : new OutboxWorker({
      deliveries: stores.deliveries,
      channels,
      clock,
      log: app.log.child({ module: 'social' }),
      settings: {
        ...defaultOutboxSettings,
        maxAttempts: social.maxAttempts,
        retryBaseMs: social.retryBaseMs,
        requestTimeoutMs: social.requestTimeoutMs
      },
      redact: redactor(social),
      recordSent: (id, post) => services.deliveries.recordSent(id, post),
      // The admin's notice (ADMIN_NOTICE_EMAIL), through the subscribers' mailer when there is one (an app
      // without the subscribers' plugin, as some tests build, has none).
      onFailed: (delivery, error) => {
        if (app.hasDecorator('subscribers')) app.subscribers.notices?.deliveryFailed(`The ${channelLabels[delivery.channel]} post of ${delivery.link}`, error)
      }
    })
  app.decorate('outbox', worker)
  // The services already queue a delivery per channel that is on (createConfiguredServices); this
  // process runs the worker, so commits that made deliveries due wake it.
  const unsubscribe = worker === null ? () => {} : signals.subscribe('deliveriesDue', () => { worker.wake() })

  app.addHook('onReady', async () => {
    // Posts waiting for a channel turned off since are stale by the time it comes back: not sent. A
    // process that leaves the sending to another (SOCIAL_WORKER=off) leaves them alone.
    if (social === undefined || worker !== null) {
      const retired = stores.deliveries.retireChannelsOtherThan(channels.map((channel) => channel.name), clock().toISOString())
      if (retired > 0) app.log.warn({ retired }, 'social deliveries of channels no longer configured were skipped')
    }
    worker?.start()
  })
  // preClose: before the database closes (onClose), so the attempts in flight are put back as pending.
  app.addHook('preClose', async () => {
    unsubscribe()
    await worker?.stop()
    for (const channel of channels) channel.close()
  })
}, { name: 'herald-social', dependencies: ['herald'] })
