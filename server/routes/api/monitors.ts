// Token API routes of monitors: list, create, read, replace, change and remove one, pause and resume it, a heartbeat's new secret, its runs and state changes.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { type Static, Type } from 'typebox'
import { daysLeft } from '../../domain/certificate-warnings.js'
import type { MonitorEvent, MonitorRun } from '../../domain/monitors.js'
import type { DescribedMonitor } from '../../services/monitor-service.js'
import {
  CreatedMonitorJson, EmptyBody, HeartbeatSecretJson, LimitQuery, MonitorBody, MonitorEventJson, MonitorJson, MonitorParams, MonitorPatchBody,
  MonitorRunJson
} from './monitor-schemas.js'
import { NoQuery, errorResponses } from './schemas.js'

const tags = ['monitors']
const defaultLimit = 100

function monitorJson ({ monitor, input, componentName }: DescribedMonitor, now: Date): MonitorJson {
  const { certificate } = monitor
  return {
    id: monitor.id,
    ...input,
    component: componentName,
    component_id: monitor.componentId,
    state: monitor.paused ? 'paused' : monitor.state,
    state_since: monitor.stateSince,
    failures: monitor.failures,
    successes: monitor.successes,
    last_run: monitor.lastRunAt === null || monitor.lastResult === null
      ? null
      : { at: monitor.lastRunAt, result: monitor.lastResult, latency_ms: monitor.lastLatencyMs, error: monitor.lastError },
    certificate: certificate === null
      ? null
      : {
          fingerprint: certificate.fingerprint,
          subject: certificate.subject,
          issuer: certificate.issuer,
          names: certificate.names,
          valid_from: certificate.validFrom,
          expires_at: certificate.expiresAt,
          days_left: daysLeft(certificate.expiresAt, now)
        },
    has_heartbeat_secret: monitor.hasHeartbeatSecret,
    incident_id: monitor.incidentId,
    draft_id: monitor.draftId,
    created_at: monitor.createdAt,
    updated_at: monitor.updatedAt
  } as MonitorJson
}

function runJson (run: MonitorRun): Static<typeof MonitorRunJson> {
  return { at: run.at, result: run.result, latency_ms: run.latencyMs, status_code: run.statusCode, error: run.error, in_maintenance: run.inMaintenance }
}

function eventJson (event: MonitorEvent): Static<typeof MonitorEventJson> {
  return { at: event.at, old_state: event.oldState, new_state: event.newState, reason: event.reason }
}

export default async function monitorRoutes (app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { monitors } = app.herald.services
  const { clock, config } = app.herald
  const shown = (id: number): MonitorJson => monitorJson(monitors.described(id), clock())
  const heartbeatUrl = (secret: string): string => `${config.publicUrl}/api/v1/heartbeats/${secret}`

  api.get('/monitors', {
    schema: {
      tags,
      operationId: 'listMonitors',
      summary: 'Every monitor, by name, with its state',
      querystring: NoQuery,
      response: { 200: Type.Array(MonitorJson, { description: 'Every monitor, by name.' }), ...errorResponses(400, 401) }
    }
  }, async () => {
    const now = clock()
    return monitors.described().map((described) => monitorJson(described, now))
  })

  api.post('/monitors', {
    schema: {
      tags,
      operationId: 'createMonitor',
      summary: 'Create a monitor',
      description: 'Only admins and the tokens they issue manage monitors, which may point at private addresses (watching the internal network is the point). ' +
        'A heartbeat\'s answer has heartbeat_url, with its secret: shown this once.',
      body: MonitorBody,
      response: { 201: CreatedMonitorJson, ...errorResponses(400, 401, 409, 413, 415) }
    }
  }, async (request, reply) => {
    const { monitor, heartbeatSecret } = monitors.create(request.body, request.apiActor)
    return reply.code(201).send({ ...shown(monitor.id), ...(heartbeatSecret === null ? {} : { heartbeat_url: heartbeatUrl(heartbeatSecret) }) })
  })

  api.get('/monitors/:id', {
    schema: {
      tags,
      operationId: 'getMonitor',
      summary: 'One monitor with its state, last run and certificate',
      params: MonitorParams,
      querystring: NoQuery,
      response: { 200: MonitorJson, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => shown(Number(request.params.id)))

  api.put('/monitors/:id', {
    schema: {
      tags,
      operationId: 'replaceMonitor',
      summary: 'Replace a monitor\'s definition',
      description: 'What is left out takes its default. Changing the kind or what it checks makes it pending again; its state is kept otherwise.',
      params: MonitorParams,
      body: MonitorBody,
      response: { 200: MonitorJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => {
    const id = Number(request.params.id)
    monitors.update(id, request.body, request.apiActor)
    return shown(id)
  })

  api.patch('/monitors/:id', {
    schema: {
      tags,
      operationId: 'changeMonitor',
      summary: 'Change some fields of a monitor',
      params: MonitorParams,
      body: MonitorPatchBody,
      response: { 200: MonitorJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => {
    const id = Number(request.params.id)
    monitors.patch(id, request.body, request.apiActor)
    return shown(id)
  })

  api.delete('/monitors/:id', {
    schema: {
      tags,
      operationId: 'deleteMonitor',
      summary: 'Remove a monitor with its runs and state changes',
      description: 'Its component shows what its other monitors ask: a status this monitor set, and nobody changed since, goes back.',
      params: MonitorParams,
      querystring: NoQuery,
      response: { 204: Type.Null({ description: 'Removed.' }), ...errorResponses(400, 401, 404) }
    }
  }, async (request, reply) => {
    monitors.remove(Number(request.params.id), request.apiActor)
    return reply.code(204).send(null)
  })

  api.post('/monitors/:id/pause', {
    schema: {
      tags,
      operationId: 'pauseMonitor',
      summary: 'Pause a monitor: no checks, a heartbeat\'s calls not judged',
      params: MonitorParams,
      body: EmptyBody,
      response: { 200: MonitorJson, ...errorResponses(400, 401, 404, 413, 415) }
    }
  }, async (request) => {
    const id = Number(request.params.id)
    monitors.pause(id, request.apiActor)
    return shown(id)
  })

  api.post('/monitors/:id/resume', {
    schema: {
      tags,
      operationId: 'resumeMonitor',
      summary: 'Resume a monitor: pending, its counters at 0',
      params: MonitorParams,
      body: EmptyBody,
      response: { 200: MonitorJson, ...errorResponses(400, 401, 404, 413, 415) }
    }
  }, async (request) => {
    const id = Number(request.params.id)
    monitors.resume(id, request.apiActor)
    return shown(id)
  })

  api.post('/monitors/:id/heartbeat-secret', {
    schema: {
      tags,
      operationId: 'newHeartbeatSecret',
      summary: 'A heartbeat\'s new secret (the old one stops working)',
      description: 'Only for a heartbeat (409 otherwise). The URL with the secret is shown this once.',
      params: MonitorParams,
      body: EmptyBody,
      response: { 200: HeartbeatSecretJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => ({ heartbeat_url: heartbeatUrl(monitors.newHeartbeatSecret(Number(request.params.id), request.apiActor)) }))

  api.get('/monitors/:id/runs', {
    schema: {
      tags,
      operationId: 'listMonitorRuns',
      summary: 'A monitor\'s latest runs, newest first (kept 90 days)',
      params: MonitorParams,
      querystring: LimitQuery,
      response: { 200: Type.Array(MonitorRunJson), ...errorResponses(400, 401, 404) }
    }
  }, async (request) => monitors.runs(Number(request.params.id), Number(request.query.limit ?? defaultLimit)).map(runJson))

  api.get('/monitors/:id/events', {
    schema: {
      tags,
      operationId: 'listMonitorEvents',
      summary: 'A monitor\'s latest state changes with their reasons, newest first',
      params: MonitorParams,
      querystring: LimitQuery,
      response: { 200: Type.Array(MonitorEventJson), ...errorResponses(400, 401, 404) }
    }
  }, async (request) => monitors.events(Number(request.params.id), Number(request.query.limit ?? defaultLimit)).map(eventJson))
}
