// The admin web UI under /admin: sessions, CSRF, security headers, and the admin pages.
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import type { User } from '../../domain/accounts.js'
import { registerAdminSession } from '../../plugins/admin-session.js'
import appearanceRoutes from './appearance.js'
import auditRoutes from './audit.js'
import componentsRoutes from './components.js'
import monitorRunRoutes from './monitor-run.js'
import { registerCsrf } from './csrf.js'
import dashboardRoutes from './dashboard.js'
import deliveriesRoutes from './deliveries.js'
import draftsRoutes from './drafts.js'
import { setAdminErrorHandler } from './error-page.js'
import incidentDeleteRoutes from './incident-delete.js'
import incidentListRoutes from './incident-list.js'
import incidentsRoutes from './incidents.js'
import { keepDeviceKnown } from './known-device.js'
import maintenancesRoutes from './maintenances.js'
import monitorsRoutes from './monitors.js'
import postmortemRoutes from './postmortem.js'
import previewRoutes from './preview.js'
import setupRoutes from './setup.js'
import signInRoutes from './sign-in.js'
import subscribersRoutes from './subscribers.js'
import templatesRoutes from './templates.js'
import tokensRoutes from './tokens.js'
import usersRoutes from './users.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, loaded from the session on every admin request; null when anonymous. */
    user: User | null
  }
}

export default async function adminRoutes (app: FastifyInstance): Promise<void> {
  const { config, clock, services } = app.herald
  const secure = config.publicUrl.startsWith('https:')

  // Forms post urlencoded bodies; small, since no admin form needs more than a long update.
  await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 })
  // The secret signs the CSRF and known-device cookies too.
  const secret = await registerAdminSession(app, { secure })
  await registerCsrf(app, { secret, secure })
  await app.register(fastifyHelmet, {
    // No inline script or style anywhere in the admin UI: whatever an attacker smuggles into a page cannot run.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        // Over plain http (HOST=0.0.0.0 on a LAN), upgrading would fetch the stylesheets and scripts
        // from an https that is not there: the page would load bare and its forms do nothing.
        upgradeInsecureRequests: secure ? [] : null
      }
    },
    hsts: secure,
    // The admin's own address goes with its requests to this site, never to another: a form sent after the
    // session ended names the page it came from (the Referer), so signing in again leads back to that page
    // and its draft (issue 13). The setup page, whose address holds its token, sends none at all.
    referrerPolicy: { policy: 'same-origin' }
  })

  // Before the routes: each route keeps the error handler its context had when it was added.
  setAdminErrorHandler(app)
  app.decorateRequest('user', null)
  app.addHook('onRequest', async (_request, reply) => {
    // Admin pages show live data: never cached by a browser or a proxy.
    reply.header('cache-control', 'no-store')
  })
  app.addHook('preHandler', async (request, reply) => {
    const { userId, signedInAt } = request.session
    const user = userId === undefined ? undefined : services.users.get(userId)
    // A password changed after this session signed in ends it, even if a request still in flight
    // when the sessions were deleted has written this one back.
    const stale = user !== undefined && signedInAt !== undefined && user.updatedAt > signedInAt
    request.user = user === undefined || stale ? null : user
    if (request.user !== null) keepDeviceKnown(request, reply, request.user, clock(), secure)
  })
  // Every change needs a CSRF token: of this session when signed in, of the browser's CSRF cookie
  // when not. It runs as a pre-handler because the token travels in the form body, parsed only after onRequest.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done()
    app.csrfProtection(request, reply, done)
  })

  await app.register(signInRoutes)
  await app.register(setupRoutes)
  await app.register(dashboardRoutes)
  await app.register(incidentListRoutes)
  await app.register(incidentsRoutes)
  await app.register(incidentDeleteRoutes)
  await app.register(draftsRoutes)
  await app.register(maintenancesRoutes)
  await app.register(postmortemRoutes)
  await app.register(deliveriesRoutes)
  await app.register(componentsRoutes)
  await app.register(monitorRunRoutes)
  await app.register(templatesRoutes)
  await app.register(previewRoutes)
  await app.register(usersRoutes)
  await app.register(tokensRoutes)
  await app.register(monitorsRoutes)
  await app.register(subscribersRoutes)
  await app.register(appearanceRoutes)
  await app.register(auditRoutes)
}
