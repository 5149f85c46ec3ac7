// Admin: the monitor page's "Run now" button (POST /admin/monitors/:id/run), admins only, back to the monitor's page with what the run found.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { quotedError } from '../../domain/monitor-incidents.js'
import { ConflictError, NotFoundError } from '../../services/errors.js'
import type { RecordedRun } from '../../services/monitor-runs.js'
import { requireUser } from './access.js'
import { confirmationForm, refuseBadAddress } from './forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice } from './render.js'

const params = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,14}$' }) }, { additionalProperties: false })

/** What the notice says of a run: its result, and the state change it made. */
export function runNotice (recorded: RecordedRun): string {
  const { run, monitor } = recorded
  const what = run.result === 'down'
    ? `failed: ${quotedError(run.error)}`
    : `${run.result === 'up' ? 'succeeded' : 'was slow'}${run.latencyMs === null ? '' : ` in ${run.latencyMs} ms`}`
  const change = recorded.changed ? ` It is now ${monitor.state}: ${recorded.reason ?? ''}.` : ''
  return `Ran ${monitor.name} now: the check ${what}.${change}`
}

export default async function monitorRunRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  app.post('/monitors/:id/run', { preHandler: requireUser('admin'), schema: { params, body: confirmationForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const page = `/admin/monitors/${request.params.id}`
    let recorded: RecordedRun | null
    try {
      recorded = await app.monitors.runNow(Number(request.params.id))
    } catch (error) {
      if (error instanceof NotFoundError) {
        return await renderNotFound(app, request, reply, {
          heading: 'No such monitor',
          message: 'There is no monitor with that id. It may have been removed.',
          back: { href: '/admin/monitors', label: 'Back to the monitors' },
          section: 'monitors'
        })
      }
      if (error instanceof ConflictError) return await redirectWithNotice(request, reply, page, `Not run: ${error.message}.`)
      throw error
    }
    if (recorded === null) return await redirectWithNotice(request, reply, page, 'Not run: the monitor was paused or removed while it ran.')
    return await redirectWithNotice(request, reply, page, runNotice(recorded))
  })
}
