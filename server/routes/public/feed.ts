// GET /history.rss and /history.atom, and each component's /components/:id/history.{rss,atom}, from the public cache.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import { buildAtomFeed } from '../../feed/atom-feed.js'
import { type FeedChannel, type FeedFormat, feedItems, feedPath, feedSize } from '../../feed/feed-items.js'
import { buildRssFeed } from '../../feed/rss-feed.js'
import { allowAnyOrigin } from '../../plugins/public-cache.js'
import type { FeedFacts } from '../../services/public-reads.js'
import { feedImages } from '../../views/brand-view.js'
import { ComponentParams, publicComponent, sendComponentNotFound } from './public-component.js'

const contentTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8'
}

const formats: FeedFormat[] = ['rss', 'atom']

const neverChanged = '1970-01-01T00:00:00.000Z'

export default async function feedRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { config, services } = app.herald

  function render (format: FeedFormat, channel: FeedChannel, facts: FeedFacts): { contentType: string, body: string } {
    const { lastChange } = facts
    const entries = feedItems(facts.entries, facts.postmortems, feedSize)
    // An Atom feed without entries still needs a date: the page's last change, so that every render of the
    // same content is the same bytes (the static mirror's copy equals the live one); the epoch on an empty site.
    const body = format === 'rss' ? buildRssFeed(channel, entries) : buildAtomFeed(channel, entries, lastChange ?? neverChanged)
    return { contentType: contentTypes[format], body }
  }

  for (const format of formats) {
    app.get(feedPath(format), {
      // No parameters; readers that append their own query (cache busting) are still answered.
      schema: { querystring: Type.Object({}) }
    }, async (request, reply) => {
      allowAnyOrigin(reply)
      // The feed depends on nothing but the content version, so one key serves every reader.
      // One read: the updates and their incidents' names as of one moment, even while another process writes.
      return await app.servePublic(request, reply, { key: feedPath(format) }, () => {
        const facts = services.reads.public.feed(feedSize)
        return render(format, { siteName: config.siteName, publicUrl: config.publicUrl, ...feedImages(facts.appearance) }, facts)
      })
    })

    app.get(`/components/:id/history.${format}`, {
      schema: { params: ComponentParams, querystring: Type.Object({}) }
    }, async (request, reply) => {
      allowAnyOrigin(reply)
      const id = parseId(request.params.id)
      if (id === undefined) return await sendComponentNotFound(app, reply)
      return await app.servePublic(request, reply, { key: feedPath(format, { id }) }, () => {
        // The component's name and its updates in one read, so the title and the items agree.
        const facts = publicComponent(services.reads.public.componentFeed(id, feedSize))
        const { component } = facts
        const channel = { siteName: config.siteName, publicUrl: config.publicUrl, component: { id: component.id, name: component.name }, ...feedImages(facts.appearance) }
        return render(format, channel, facts)
      })
    })
  }
}
