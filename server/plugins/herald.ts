// Decorates the app with Herald's settings, repositories, services and their commit signals, and closes the database's connections on close.
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { type Db, openReadConnection } from '../db/open-database.js'
import type { Clock } from '../domain/time.js'
import { type CommitListeners, CommitSignals } from '../services/commit-signals.js'
import { type Services, createConfiguredServices } from '../services/services.js'
import { SteppedReads } from '../services/stepped-reads.js'
import { type Stores, createSnapshotStores, createStores } from '../store/stores.js'

export interface Herald {
  config: Config
  clock: Clock
  stores: Stores
  services: Services
  /**
   * What the services signal after their commits: the outbox worker and the maintenance clock subscribe
   * here, in whatever order their plugins register, and unsubscribe when they stop.
   */
  signals: CommitListeners
}

declare module 'fastify' {
  interface FastifyInstance {
    herald: Herald
  }
}

export interface HeraldPluginOptions {
  config: Config
  db: Db
  clock: Clock
}

export default fp<HeraldPluginOptions>(async function heraldPlugin (app, { config, db, clock }) {
  const stores = createStores(db)
  const signals = new CommitSignals()
  // The status page's long read holds its snapshot on a connection of its own, so that it can let requests in between its queries.
  const reader = openReadConnection(db)
  const stepped = reader === undefined ? undefined : new SteppedReads(createSnapshotStores(reader))
  const services = createConfiguredServices(config, stores, clock, signals, stepped)
  app.decorate('herald', { config, clock, stores, services, signals })
  app.addHook('onClose', async () => {
    reader?.close()
    db.close()
  })
}, { name: 'herald' })
