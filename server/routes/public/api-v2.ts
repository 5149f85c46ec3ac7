// GET /api/v2/*.json: Atlassian Statuspage's public API v2 from the public cache, readable from any origin.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { apiV2Documents, apiV2Prefix } from '../../domain/api-v2-documents.js'
import type { IncidentWithUpdates } from '../../domain/model.js'
import { allowAnyOrigin } from '../../plugins/public-cache.js'
import type { ApiV2Listed, ApiV2PageFacts } from '../../services/public-reads.js'
import { pageOverallStatus } from '../../views/current-status.js'
import {
  type ApiContext, type ApiIncident, type ApiMaintenance,
  apiContext, apiIncident, apiJson, apiMaintenances, apiStatus
} from '../../views/api-v2-view.js'

const contentType = 'application/json; charset=utf-8'

// incidents.json and scheduled-maintenances.json list the most recent 50, as Statuspage's do.
const recentLimit = 50

export default async function apiV2Routes (app: FastifyInstance): Promise<void> {
  const { clock, config, services } = app.herald
  const reads = services.reads.public

  /** The page and its components, as the read found them. */
  function pageContext (facts: ApiV2PageFacts): ApiContext {
    return apiContext({
      siteName: config.siteName,
      publicUrl: config.publicUrl,
      // An empty page has never changed: it is as new as this response.
      updatedAt: facts.lastChange ?? clock().toISOString(),
      components: facts.components,
      groups: facts.groups
    })
  }

  function incidents (context: ApiContext, facts: ApiV2Listed & { incidents: IncidentWithUpdates[] }): ApiIncident[] {
    return facts.incidents.map((incident) => apiIncident(context, incident, facts))
  }

  function maintenances (context: ApiContext, facts: ApiV2Listed & { maintenances: IncidentWithUpdates[] }): ApiMaintenance[] {
    return apiMaintenances(context, facts.maintenances, facts)
  }

  // Each body in Statuspage's key order, from one read: the page, its components and its incidents as of one
  // moment, even while another process writes.
  const endpoints: Record<typeof apiV2Documents[number], () => object> = {
    'status.json': () => {
      const facts = reads.apiV2Status()
      return { page: pageContext(facts).page, status: apiStatus(pageOverallStatus(facts.status)) }
    },
    'summary.json': () => {
      const facts = reads.apiV2Summary()
      const context = pageContext(facts)
      return {
        page: context.page,
        components: context.components,
        incidents: incidents(context, facts),
        scheduled_maintenances: maintenances(context, facts),
        status: apiStatus(pageOverallStatus(facts.status))
      }
    },
    'components.json': () => {
      const context = pageContext(reads.apiV2Page())
      return { page: context.page, components: context.components }
    },
    'incidents.json': () => {
      const facts = reads.apiV2Incidents({ recent: recentLimit })
      const context = pageContext(facts)
      return { page: context.page, incidents: incidents(context, facts) }
    },
    'incidents/unresolved.json': () => {
      const facts = reads.apiV2Incidents('open')
      const context = pageContext(facts)
      return { page: context.page, incidents: incidents(context, facts) }
    },
    'scheduled-maintenances.json': () => {
      const facts = reads.apiV2Maintenances('all', recentLimit)
      const context = pageContext(facts)
      return { page: context.page, scheduled_maintenances: maintenances(context, facts) }
    },
    'scheduled-maintenances/upcoming.json': () => {
      const facts = reads.apiV2Maintenances('upcoming')
      const context = pageContext(facts)
      return { page: context.page, scheduled_maintenances: maintenances(context, facts) }
    },
    'scheduled-maintenances/active.json': () => {
      const facts = reads.apiV2Maintenances('active')
      const context = pageContext(facts)
      return { page: context.page, scheduled_maintenances: maintenances(context, facts) }
    }
  }

  for (const name of apiV2Documents) {
    const body = endpoints[name]
    const path = `${apiV2Prefix}/${name}`
    app.get(path, {
      // No parameters; a query a client adds (a cache buster) is ignored, and the body is the same for all.
      schema: { querystring: Type.Object({}) }
    }, async (request, reply) => {
      allowAnyOrigin(reply)
      return await app.servePublic(request, reply, { key: path }, () => ({ contentType, body: apiJson(body()) }))
    })
  }
}
