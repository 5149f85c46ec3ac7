// GET /api/v2/*.json: Atlassian Statuspage's public API v2 from the public cache, readable from any origin.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { apiV2Documents, apiV2Prefix } from '../../domain/api-v2-documents.js'
import type { Component, Incident, IncidentWithUpdates } from '../../domain/model.js'
import { allowAnyOrigin } from '../../plugins/public-cache.js'
import { currentOverallStatus, pageOverallStatus } from '../../views/current-status.js'
import {
  type ApiContext, type ApiIncident, type ApiMaintenance, type ApiSocial,
  apiContext, apiIncident, apiJson, apiMaintenances, apiStatus
} from '../../views/api-v2-view.js'

const contentType = 'application/json; charset=utf-8'

// incidents.json and scheduled-maintenances.json list the most recent 50, as Statuspage's do.
const recentLimit = 50

export default async function apiV2Routes (app: FastifyInstance): Promise<void> {
  const { clock, config, stores } = app.herald

  /** The page and its components, read once per response (or passed in by a body that needs them itself). */
  function snapshot (components: Component[] = stores.components.list()): ApiContext {
    return apiContext({
      siteName: config.siteName,
      publicUrl: config.publicUrl,
      // An empty page has never changed: it is as new as this response.
      updatedAt: stores.page.lastChange() ?? clock().toISOString(),
      components,
      groups: stores.components.listGroups()
    })
  }

  function social (incidents: IncidentWithUpdates[]): ApiSocial {
    const updateIds = incidents.flatMap((incident) => incident.updates.map((update) => update.id))
    return { tweetIds: stores.deliveries.sentRemoteIds('twitter', updateIds) }
  }

  function incidents (context: ApiContext, list: Incident[]): ApiIncident[] {
    const full = stores.incidents.withUpdates(list)
    const known = social(full)
    return full.map((incident) => apiIncident(context, incident, known))
  }

  function maintenances (context: ApiContext, list: Incident[]): ApiMaintenance[] {
    const full = stores.incidents.withUpdates(list)
    return apiMaintenances(context, full, social(full))
  }

  // Each body in Statuspage's key order.
  const endpoints: Record<typeof apiV2Documents[number], () => object> = {
    'status.json': () => ({ page: snapshot().page, status: apiStatus(currentOverallStatus(stores)) }),
    'summary.json': () => {
      const listed = stores.components.list()
      const context = snapshot(listed)
      const open = stores.incidents.open()
      const active = stores.incidents.maintenances('active')
      return {
        page: context.page,
        components: context.components,
        incidents: incidents(context, open),
        scheduled_maintenances: maintenances(context, [...stores.incidents.maintenances('upcoming'), ...active]),
        status: apiStatus(pageOverallStatus({ components: listed, openIncidents: open, maintenanceInProgress: active.length > 0 }))
      }
    },
    'components.json': () => {
      const context = snapshot()
      return { page: context.page, components: context.components }
    },
    'incidents.json': () => {
      const context = snapshot()
      return { page: context.page, incidents: incidents(context, stores.incidents.recentIncidents(recentLimit)) }
    },
    'incidents/unresolved.json': () => {
      const context = snapshot()
      return { page: context.page, incidents: incidents(context, stores.incidents.open()) }
    },
    'scheduled-maintenances.json': () => {
      const context = snapshot()
      return { page: context.page, scheduled_maintenances: maintenances(context, stores.incidents.maintenances('all', recentLimit)) }
    },
    'scheduled-maintenances/upcoming.json': () => {
      const context = snapshot()
      return { page: context.page, scheduled_maintenances: maintenances(context, stores.incidents.maintenances('upcoming')) }
    },
    'scheduled-maintenances/active.json': () => {
      const context = snapshot()
      return { page: context.page, scheduled_maintenances: maintenances(context, stores.incidents.maintenances('active')) }
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
      return await app.servePublic(request, reply, { key: path }, () => ({
        contentType,
        // One read transaction: the page, its components and its incidents as of one moment, even while
        // another process writes.
        body: apiJson(stores.db.transaction(body)())
      }))
    })
  }
}
