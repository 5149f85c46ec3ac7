// Admin pages for monitors (admins only): the list, a new monitor by kind, edit, a monitor's page, pause and resume, delete with a confirmation, a heartbeat's push URL, dismissing a certificate warning.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { parseId } from '../../domain/ids.js'
import { type Monitor, type MonitorKind, monitorKinds } from '../../domain/monitors.js'
import { NotFoundError } from '../../services/errors.js'
import { type FieldErrors, typedText } from '../../views/admin/form-view.js'
import { type MonitorFormValues, defaultFormValues, kindChoices, monitorFormValues, monitorFormView } from '../../views/admin/monitor-form-view.js'
import { monitorPageView, monitorsPageView, shownStates } from '../../views/admin/monitors-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { confirmationForm, refuseBadAddress } from './forms.js'
import { monitorForm, monitorRefusal, readMonitorForm, typedMonitorValues } from './monitor-forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

const MonitorParams = Type.Object({ id: Type.String({ maxLength: 20 }) })
const listQuery = Type.Object({ state: Type.Optional(Type.Union([Type.Literal(''), ...shownStates.map((state) => Type.Literal(state))])) })
const newQuery = Type.Object({ kind: Type.Optional(Type.Union(monitorKinds.map((kind) => Type.Literal(kind)))) })

/** How many runs the list draws per monitor, and the monitor's page lists. */
const sparklineRuns = 30
const pageRuns = 50
const pageEvents = 50
const dayMs = 86_400_000

const monitorMissing = {
  heading: 'Monitor not found',
  message: 'No monitor has this id: it may have been deleted.',
  back: { href: '/admin/monitors', label: 'Back to the monitors' },
  section: 'monitors'
}

export default async function monitorsRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services, config, clock } = app.herald
  const adminOnly = { preHandler: requireUser('admin') }

  function monitorOf (id: string): Monitor | undefined {
    const monitorId = parseId(id)
    if (monitorId === undefined) return undefined
    try {
      return services.monitors.get(monitorId)
    } catch (err) {
      if (err instanceof NotFoundError) return undefined
      throw err
    }
  }

  async function renderForm (
    request: FastifyRequest, reply: FastifyReply, kind: MonitorKind, monitor: Monitor | null,
    values: MonitorFormValues, errors: FieldErrors = {}, statusCode = 200
  ): Promise<FastifyReply> {
    const form = monitorFormView({ kind, monitor, components: services.components.list(), values, errors })
    return await renderAdmin(app, request, reply, {
      template: 'monitors-form',
      title: monitor === null ? `New ${form.kindLabel} monitor` : `Edit ${monitor.name}`,
      section: 'monitors',
      statusCode,
      data: { form, monitor: monitor === null ? null : { id: monitor.id, name: monitor.name } }
    })
  }

  /** A heartbeat's push URL, in this answer only (as a new API token): never in the session or a redirect. */
  async function renderSecret (request: FastifyRequest, reply: FastifyReply, monitor: Monitor, secret: string, statusCode: number): Promise<FastifyReply> {
    const graceS = monitor.kind === 'heartbeat' ? monitor.settings.graceS : 0
    return await renderAdmin(app, request, reply, {
      template: 'monitors-secret',
      title: `Push URL of ${monitor.name}`,
      section: 'monitors',
      statusCode,
      data: { name: monitor.name, href: `/admin/monitors/${monitor.id}`, intervalS: monitor.intervalS, graceS, pushUrl: `${config.publicUrl}/api/v1/heartbeats/${secret}` }
    })
  }

  app.get('/monitors', { ...adminOnly, schema: { querystring: listQuery } }, async (request, reply) => {
    const state = request.query.state === undefined || request.query.state === '' ? null : request.query.state
    const { monitors, runs } = services.monitors.listWithRuns(sparklineRuns)
    const view = monitorsPageView({
      monitors,
      runsOf: (id) => runs.get(id) ?? [],
      components: services.components.list(),
      filter: state,
      now: clock()
    })
    return await renderAdmin(app, request, reply, { template: 'monitors', title: 'Monitors', section: 'monitors', data: { ...view } })
  })

  app.get('/monitors/new', { ...adminOnly, schema: { querystring: newQuery } }, async (request, reply) => {
    const kind = request.query.kind
    if (kind === undefined) {
      return await renderAdmin(app, request, reply, { template: 'monitors-kind', title: 'New monitor', section: 'monitors', data: { kinds: kindChoices() } })
    }
    return await renderForm(request, reply, kind, null, defaultFormValues(kind))
  })

  app.post('/monitors', { ...adminOnly, schema: { body: monitorForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const typedKind = typedText(request.body, 'kind')
    // The kind travels as a hidden field: one that is not a kind is a forged form, not a typing mistake.
    if (!(monitorKinds as readonly string[]).includes(typedKind)) {
      throw Object.assign(new Error('kind: choose one of http, tcp, dns, tls, heartbeat'), { statusCode: 400 })
    }
    const kind = typedKind as MonitorKind
    const values = typedMonitorValues(kind, request.body)
    const form = readMonitorForm(kind, request.body, services.components.list())
    if (!form.ok) return await renderForm(request, reply, kind, null, values, form.errors, 400)
    let created: { monitor: Monitor, heartbeatSecret: string | null }
    try {
      created = services.monitors.create(form.input, actorOf(request))
    } catch (err) {
      const refused = monitorRefusal(err, kind)
      return await renderForm(request, reply, kind, null, values, { [refused.field]: refused.message }, refused.statusCode)
    }
    if (created.heartbeatSecret !== null) return await renderSecret(request, reply, created.monitor, created.heartbeatSecret, 201)
    return await redirectWithNotice(request, reply, `/admin/monitors/${created.monitor.id}`, `“${created.monitor.name}” is created.`)
  })

  app.get('/monitors/:id', { ...adminOnly, schema: { params: MonitorParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const monitor = monitorOf(request.params.id)
    if (monitor === undefined) return await renderNotFound(app, request, reply, monitorMissing)
    const now = clock()
    const incident = monitor.incidentId === null ? undefined : services.reads.admin.recordById(monitor.incidentId)
    const draft = monitor.draftId === null ? undefined : services.drafts.list().find((each) => each.id === monitor.draftId)
    const view = monitorPageView({
      monitor,
      incident: incident ?? null,
      draft: draft ?? null,
      components: services.components.list(),
      runs: services.monitors.runs(monitor.id, pageRuns),
      events: services.monitors.events(monitor.id, pageEvents),
      availability: {
        day: services.monitors.availability(monitor.id, new Date(now.getTime() - dayMs).toISOString()),
        month: services.monitors.availability(monitor.id, new Date(now.getTime() - 30 * dayMs).toISOString())
      },
      now
    })
    return await renderAdmin(app, request, reply, { template: 'monitors-page', title: monitor.name, section: 'monitors', data: { ...view } })
  })

  app.get('/monitors/:id/edit', { ...adminOnly, schema: { params: MonitorParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const monitor = monitorOf(request.params.id)
    if (monitor === undefined) return await renderNotFound(app, request, reply, monitorMissing)
    return await renderForm(request, reply, monitor.kind, monitor, monitorFormValues(monitor))
  })

  app.post('/monitors/:id/edit', { ...adminOnly, schema: { params: MonitorParams, body: monitorForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const monitor = monitorOf(request.params.id)
    if (monitor === undefined) return await renderNotFound(app, request, reply, monitorMissing)
    // The kind is the monitor's: a form cannot turn an http monitor into another kind.
    const values = typedMonitorValues(monitor.kind, request.body)
    const form = readMonitorForm(monitor.kind, request.body, services.components.list())
    if (!form.ok) return await renderForm(request, reply, monitor.kind, monitor, values, form.errors, 400)
    let saved: Monitor
    try {
      saved = services.monitors.update(monitor.id, form.input, actorOf(request))
    } catch (err) {
      const refused = monitorRefusal(err, monitor.kind)
      return await renderForm(request, reply, monitor.kind, monitor, values, { [refused.field]: refused.message }, refused.statusCode)
    }
    return await redirectWithNotice(request, reply, `/admin/monitors/${saved.id}`, `“${saved.name}” is saved.`)
  })

  app.post('/monitors/:id/pause', { ...adminOnly, schema: { params: MonitorParams, body: confirmationForm } }, async (request, reply) => {
    const monitor = monitorOf(request.params.id)
    if (monitor === undefined) return await renderNotFound(app, request, reply, monitorMissing)
    services.monitors.pause(monitor.id, actorOf(request))
    return await redirectWithNotice(request, reply, `/admin/monitors/${monitor.id}`, `“${monitor.name}” is paused: no checks run until it is resumed.`)
  })

  app.post('/monitors/:id/resume', { ...adminOnly, schema: { params: MonitorParams, body: confirmationForm } }, async (request, reply) => {
    const monitor = monitorOf(request.params.id)
    if (monitor === undefined) return await renderNotFound(app, request, reply, monitorMissing)
    services.monitors.resume(monitor.id, actorOf(request))
    return await redirectWithNotice(request, reply, `/admin/monitors/${monitor.id}`, `“${monitor.name}” is resumed: pending until its thresholds are met.`)
  })

  app.post('/monitors/:id/secret', { ...adminOnly, schema: { params: MonitorParams, body: confirmationForm } }, async (request, reply) => {
    const monitor = monitorOf(request.params.id)
    if (monitor === undefined || monitor.kind !== 'heartbeat') return await renderNotFound(app, request, reply, monitorMissing)
    const secret = services.monitors.newHeartbeatSecret(monitor.id, actorOf(request))
    return await renderSecret(request, reply, monitor, secret, 200)
  })

  app.get('/monitors/:id/delete', { ...adminOnly, schema: { params: MonitorParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const monitor = monitorOf(request.params.id)
    if (monitor === undefined) return await renderNotFound(app, request, reply, monitorMissing)
    return await renderAdmin(app, request, reply, {
      template: 'monitors-delete',
      title: `Delete ${monitor.name}`,
      section: 'monitors',
      data: { monitor: { name: monitor.name, href: `/admin/monitors/${monitor.id}` } }
    })
  })

  app.post('/monitors/:id/delete', { ...adminOnly, schema: { params: MonitorParams, body: confirmationForm } }, async (request, reply) => {
    const monitor = monitorOf(request.params.id)
    if (monitor === undefined) return await renderNotFound(app, request, reply, monitorMissing)
    services.monitors.remove(monitor.id, actorOf(request))
    return await redirectWithNotice(request, reply, '/admin/monitors', `“${monitor.name}” is deleted.`)
  })

  app.post('/monitors/warnings/:id/dismiss', { ...adminOnly, schema: { params: MonitorParams, body: confirmationForm } }, async (request, reply) => {
    const warningId = parseId(request.params.id)
    const warning = warningId === undefined ? undefined : services.monitors.openWarnings().find((each) => each.id === warningId)
    if (warning === undefined) {
      return await renderNotFound(app, request, reply, {
        heading: 'Warning not found',
        message: 'No open certificate warning has this id: it may have been dismissed already.',
        back: { href: '/admin', label: 'Back to the dashboard' },
        section: 'dashboard'
      })
    }
    services.monitors.dismissWarning(warning.id, actorOf(request))
    return await redirectWithNotice(request, reply, '/admin', `The warning about “${warning.monitorName}” is dismissed.`)
  })
}
