// GET /history.rss: the RSS feed of the most recent updates, served from the public cache.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { buildFeed, feedSize } from '../../feed/rss-feed.js'

export default async function feedRoutes (app: FastifyInstance): Promise<void> {
  app.get('/history.rss', {
    // No parameters; readers that append their own query (cache busting) are still answered.
    schema: { querystring: Type.Object({}) }
  }, async (request, reply) => {
    const { config, stores } = app.herald
    // The feed depends on nothing but the content version, so one key serves every reader.
    return await app.servePublic(request, reply, { key: '/history.rss' }, () => ({
      contentType: 'application/rss+xml; charset=utf-8',
      body: buildFeed({ siteName: config.siteName, publicUrl: config.publicUrl }, stores.incidents.recentUpdates(feedSize))
    }))
  })
}
