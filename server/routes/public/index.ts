// The public site: status page, incident pages, history, feeds (RSS, Atom), badges, branding images and favicon, subscribing, and the answer for unknown addresses.
import fp from 'fastify-plugin'
import apiV2Routes from './api-v2.js'
import badgeRoutes from './badges.js'
import brandRoutes from './brand.js'
import feedRoutes from './feed.js'
import historyPageRoutes from './history-page.js'
import incidentPageRoutes from './incident-page.js'
import notFoundHandler from './not-found.js'
import statusPageRoutes from './status-page.js'
import subscribeRoutes from './subscribe.js'
import subscriptionsRoutes from './subscriptions.js'

/**
 * Wrapped with fastify-plugin so that the not-found handler registered inside lands on the root
 * instance and answers for every path; the page routes below keep their own encapsulation.
 */
export default fp(async function publicRoutes (app) {
  await app.register(notFoundHandler)
  await app.register(statusPageRoutes)
  await app.register(incidentPageRoutes)
  await app.register(historyPageRoutes)
  await app.register(feedRoutes)
  await app.register(badgeRoutes)
  await app.register(brandRoutes)
  await app.register(apiV2Routes)
  // Per visitor, never cached: the subscribe form and a subscriber's own pages.
  await app.register(subscribeRoutes)
  await app.register(subscriptionsRoutes)
}, { name: 'herald-public-routes', dependencies: ['herald', 'herald-view', 'herald-public-cache'] })
