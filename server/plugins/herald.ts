// Decorates the app with Herald's settings, repositories and services, and closes the database on close.
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import type { Db } from '../db/open-database.js'
import type { Clock } from '../domain/time.js'
import { type Services, createConfiguredServices } from '../services/services.js'
import { type Stores, createStores } from '../store/stores.js'

export interface Herald {
  config: Config
  clock: Clock
  stores: Stores
  services: Services
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
  const services = createConfiguredServices(config, stores, clock)
  app.decorate('herald', { config, clock, stores, services })
  app.addHook('onClose', async () => {
    db.close()
  })
}, { name: 'herald' })
