// Token API: run a monitor now (POST /api/v1/monitors/:id/run) and answer with the run recorded.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { monitorStates } from '../../domain/monitors.js'
import { ConflictError } from '../../services/errors.js'
import { EmptyBody, MonitorParams, MonitorRunJson } from './monitor-schemas.js'
import { errorResponses } from './schemas.js'

const RunNowJson = Type.Object({
  run: MonitorRunJson,
  state: Type.Enum([...monitorStates], { description: 'The monitor\'s state after the run.' }),
  state_changed: Type.Boolean(),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the state changed; null when it did not.' })
}, { description: 'The run recorded, as the scheduler records one.' })

export default async function monitorRunRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  app.post('/monitors/:id/run', {
    schema: {
      tags: ['monitors'],
      operationId: 'runMonitor',
      summary: 'Run a monitor now',
      description: 'Checks it at once (ahead of the others waiting, within the limit of 10 checks at once) and answers once the run is recorded, ' +
        'with what it changed. A heartbeat is not run (409: it waits for calls), nor a paused monitor (409).',
      params: MonitorParams,
      body: EmptyBody,
      response: { 200: RunNowJson, ...errorResponses(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => {
    const recorded = await app.monitors.runNow(Number(request.params.id))
    if (recorded === null) throw new ConflictError('the monitor was paused or removed while it ran: nothing was recorded')
    const { run, monitor } = recorded
    return {
      run: { at: run.at, result: run.result, latency_ms: run.latencyMs, status_code: run.statusCode, error: run.error, in_maintenance: run.inMaintenance },
      state: monitor.state,
      state_changed: recorded.changed,
      reason: recorded.reason
    }
  })
}
