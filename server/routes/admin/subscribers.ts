// Admin pages for subscribers (admins only): the list with filters, add (a URL test-delivered first), import and export a CSV, remove with a confirmation, re-enable.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Subscriber, SubscriberKind, SubscriberState } from '../../domain/subscribers.js'
import { subscriberKindLabels, subscriberKinds, subscriberStates } from '../../domain/subscribers.js'
import { checkEmailAddress, checkSubscriberUrl } from '../../domain/subscriber-targets.js'
import { afterResponse, logMailOutcome } from '../../http/after-response.js'
import { typedCheckbox, typedText } from '../../views/admin/form-view.js'
import { exportCells, filterOptions, subscriberRow, type SubscriberFilter } from '../../views/admin/subscribers-view.js'
import { newSigningSecret } from '../../services/subscriber-service.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { type FieldErrors, checkForm, confirmationForm, formRefusal, refuseBadAddress } from './forms.js'
import { renderNotFound } from './not-found.js'
import { redirectWithNotice, renderAdmin } from './render.js'

/** The list shows this many a page; the export has them all. */
const pageSize = 100

const listQuery = Type.Object({
  kind: Type.Optional(Type.String({ maxLength: 20 })),
  state: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.String({ maxLength: 10 }))
})

const addForm = Type.Object({
  kind: Type.Union(subscriberKinds.map((kind) => Type.Literal(kind))),
  target: Type.String({ minLength: 1, maxLength: 2048 }),
  contactEmail: Type.Optional(Type.String({ maxLength: 254 })),
  skipConfirmation: Type.Optional(Type.String({ maxLength: 10 }))
})

/** An import's text: some 200,000 characters (the admin forms' body limit is 256 KiB), thousands of addresses. */
const maxImportText = 200_000

const importForm = Type.Object({
  csv: Type.String({ minLength: 1, maxLength: maxImportText }),
  skipConfirmation: Type.Optional(Type.String({ maxLength: 10 }))
})

const idParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,14}$' }) })

const addMessages = { kind: 'Choose one of the kinds.', target: 'Give an email address or a URL.' }

export default async function subscribersRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services, config } = app.herald
  const adminOnly = { preHandler: requireUser('admin') }

  const components = (): ReturnType<typeof services.components.list> => services.components.list()

  const defaultKind = (): SubscriberKind => app.subscribers.mailer === null ? 'webhook' : 'email'

  interface PageForms {
    add?: { values: Record<string, string | boolean>, errors: FieldErrors }
    import?: { values: Record<string, string | boolean>, errors: FieldErrors }
    imported?: ImportReport
    added?: { signingSecret: string | null, target: string }
  }

  async function listPage (request: FastifyRequest, reply: FastifyReply, filter: SubscriberFilter, page: number, forms: PageForms = {}, statusCode = 200): Promise<FastifyReply> {
    const found = services.subscribers.list({ ...filter, limit: pageSize, offset: (page - 1) * pageSize })
    const all = components()
    const pages = Math.max(1, Math.ceil(found.total / pageSize))
    const query = (to: number): string => {
      const params = new URLSearchParams()
      if (filter.kind !== undefined) params.set('kind', filter.kind)
      if (filter.state !== undefined) params.set('state', filter.state)
      if (to > 1) params.set('page', String(to))
      const text = params.toString()
      return `/admin/subscribers${text === '' ? '' : `?${text}`}`
    }
    return await renderAdmin(app, request, reply, {
      template: 'subscribers',
      title: 'Subscribers',
      section: 'subscribers',
      statusCode,
      data: {
        rows: found.subscribers.map((subscriber) => subscriberRow(subscriber, all)),
        total: found.total,
        filtered: filter.kind !== undefined || filter.state !== undefined,
        ...filterOptions(filter),
        previous: page > 1 ? query(page - 1) : null,
        next: page < pages ? query(page + 1) : null,
        page,
        pages,
        emailOn: app.subscribers.mailer !== null,
        add: forms.add ?? { values: { kind: defaultKind(), target: '', contactEmail: '', skipConfirmation: false }, errors: {} },
        import: forms.import ?? { values: { csv: '', skipConfirmation: false }, errors: {} },
        imported: forms.imported ?? null,
        added: forms.added ?? null,
        kindOptions: subscriberKinds.map((kind) => ({ value: kind, label: subscriberKindLabels[kind], selected: kind === (forms.add?.values.kind ?? defaultKind()) }))
      }
    })
  }

  function subscriberById (id: string): Subscriber | undefined {
    try {
      return services.subscribers.get(Number(id))
    } catch {
      return undefined
    }
  }

  async function subscriberNotFound (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return await renderNotFound(app, request, reply, {
      heading: 'No such subscriber',
      message: 'There is no subscriber with that number. It may have been removed or unsubscribed already.',
      back: { href: '/admin/subscribers', label: 'Back to the subscribers' },
      section: 'subscribers'
    })
  }

  /** Mail goes out after the answer: the admin's page does not wait for the mail server. */
  function mailAfterResponse (request: FastifyRequest, reply: FastifyReply, mails: Array<{ to: string, confirmToken: string }>): void {
    const mailer = app.subscribers.mailer
    if (mailer === null || mails.length === 0) return
    afterResponse(reply, request.log, async () => {
      for (const mail of mails) {
        const result = await mailer.sendConfirmation(mail.to, { confirmUrl: `${config.publicUrl}/subscriptions/confirm/${mail.confirmToken}`, components: [] })
        logMailOutcome(request.log, result, 'a confirmation mail')
      }
    })
  }

  app.get('/subscribers', { ...adminOnly, schema: { querystring: listQuery } }, async (request, reply) => {
    const { kind, state, page } = request.query
    const filter: SubscriberFilter = {}
    if (kind !== undefined && kind !== '') {
      if (!subscriberKinds.includes(kind as SubscriberKind)) return await listPage(request, reply, {}, 1, {}, 400)
      filter.kind = kind as SubscriberKind
    }
    if (state !== undefined && state !== '') {
      if (!subscriberStates.includes(state as SubscriberState)) return await listPage(request, reply, {}, 1, {}, 400)
      filter.state = state as SubscriberState
    }
    const number = page === undefined ? 1 : /^[1-9][0-9]{0,5}$/.test(page) ? Number(page) : 1
    return await listPage(request, reply, filter, number)
  })

  app.post('/subscribers', { ...adminOnly, schema: { body: addForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const values = {
      kind: typedText(request.body, 'kind'),
      target: typedText(request.body, 'target').trim(),
      contactEmail: typedText(request.body, 'contactEmail').trim(),
      skipConfirmation: typedCheckbox(request.body, 'skipConfirmation')
    }
    const refuse = async (errors: FieldErrors, statusCode = 400): Promise<FastifyReply> => await listPage(request, reply, {}, 1, { add: { values, errors } }, statusCode)
    // Checked as trimmed: an address pasted with a space around it is still one.
    const form = checkForm<{ kind: SubscriberKind }>(addForm, { kind: values.kind, target: values.target, contactEmail: values.contactEmail }, addMessages)
    if (!form.ok) return await refuse(form.errors)
    const kind = form.values.kind
    if (kind === 'email' && app.subscribers.mailer === null) return await refuse({ kind: 'Email is off: SMTP_URL is not set.' })
    if (kind === 'email') {
      const address = checkEmailAddress(values.target)
      if (!address.ok) return await refuse({ target: address.reason })
    }
    let secret: string | null = null
    if (kind !== 'email') {
      const url = checkSubscriberUrl(kind, values.target, { allowHttp: config.subscriptions.allowHttpUrls })
      if (!url.ok) return await refuse({ target: url.reason })
      if (values.contactEmail !== '') {
        const contact = checkEmailAddress(values.contactEmail)
        if (!contact.ok) return await refuse({ contactEmail: contact.reason })
      }
      // As on the public form: nothing is kept for a URL that does not answer, and the test is signed with the secret it keeps.
      secret = kind === 'webhook' ? newSigningSecret() : null
      const test = await app.subscribers.testDelivery(kind, url.value, secret)
      if (!test.ok) return await refuse({ target: `The test message was not delivered: ${test.reason}. Nothing was saved.` })
    }
    let result
    try {
      result = services.subscribers.add(actorOf(request), {
        kind,
        target: values.target,
        contactEmail: values.contactEmail === '' ? null : values.contactEmail,
        components: 'all',
        ...(secret === null ? {} : { signingSecret: secret })
      }, { skipConfirmation: values.skipConfirmation })
    } catch (error) {
      // The service names the target by its kind (email, url): the form has one field for both.
      const refused = formRefusal(error, ['kind', 'target', 'contactEmail', 'email', 'url'])
      const field = refused.field === 'email' || refused.field === 'url' ? 'target' : refused.field
      return await refuse({ [field]: refused.message }, refused.statusCode)
    }
    const { subscriber, confirmToken, signingSecret } = result
    if (confirmToken !== null) mailAfterResponse(request, reply, [{ to: subscriber.target, confirmToken }])
    // A webhook's secret is shown in this answer only (never through the session, which is stored).
    if (signingSecret !== null) return await listPage(request, reply, {}, 1, { added: { signingSecret, target: subscriber.target } }, 201)
    const what = subscriber.state === 'unconfirmed' ? `Added ${subscriber.target}: a confirmation mail is on its way.` : `Added ${subscriber.target}.`
    return await redirectWithNotice(request, reply, '/admin/subscribers', what)
  })

  app.post('/subscribers/import', { ...adminOnly, schema: { body: importForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const values = { csv: typedText(request.body, 'csv'), skipConfirmation: typedCheckbox(request.body, 'skipConfirmation') }
    const refuse = async (errors: FieldErrors, statusCode = 400): Promise<FastifyReply> => await listPage(request, reply, {}, 1, { import: { values, errors } }, statusCode)
    const form = checkForm(importForm, request.body, { csv: 'Paste the CSV here.' })
    if (!form.ok) return await refuse(form.errors)
    // The form is not shown then: addresses imported with no way to mail them would wait for nothing.
    if (app.subscribers.mailer === null) return await refuse({ csv: 'Email is off: SMTP_URL is not set.' })
    // The CSV readers and writers are loaded by the first import or export, not with every server.
    const read = (await import('./subscriber-csv.js')).readImport(values.csv)
    if (!read.ok) return await refuse({ csv: read.error })
    // Within the service's own limits (readImport takes fewer lines than it does): what it refuses is per line, in the result.
    const result = services.subscribers.importEmails(actorOf(request), read.lines.map((line) => line.address), { skipConfirmation: values.skipConfirmation, components: 'all' })
    // The service numbers the addresses it was given; the admin knows the lines of their file.
    const refused = result.refused.map((entry) => ({ line: read.lines[entry.line - 1]?.line ?? entry.line, address: read.lines[entry.line - 1]?.address ?? '', reason: entry.reason }))
    mailAfterResponse(request, reply, result.confirmations.map(({ subscriber, confirmToken }) => ({ to: subscriber.target, confirmToken })))
    return await listPage(request, reply, {}, 1, {
      imported: { added: result.added, existing: result.existing, refused, skipConfirmation: values.skipConfirmation }
    })
  })

  app.get('/subscribers/export.csv', { ...adminOnly, schema: { querystring: Type.Object({}) } }, async (_request, reply) => {
    const csv = (await import('./subscriber-csv.js')).writeExport(exportCells(services.subscribers.exportRows()))
    return await reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="subscribers.csv"')
      .send(csv)
  })

  app.get('/subscribers/:id/remove', { ...adminOnly, schema: { params: idParams, querystring: Type.Object({}) } }, async (request, reply) => {
    const subscriber = subscriberById(request.params.id)
    if (subscriber === undefined) return await subscriberNotFound(request, reply)
    return await renderAdmin(app, request, reply, {
      template: 'subscribers-remove',
      title: 'Remove a subscriber',
      section: 'subscribers',
      data: { subscriber: subscriberRow(subscriber, components()) }
    })
  })

  app.post('/subscribers/:id/remove', { ...adminOnly, schema: { params: idParams, body: confirmationForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const subscriber = subscriberById(request.params.id)
    if (subscriber === undefined) return await subscriberNotFound(request, reply)
    services.subscribers.remove(actorOf(request), subscriber.id)
    return await redirectWithNotice(request, reply, '/admin/subscribers', `Removed ${subscriber.target}: nothing more is sent to it.`)
  })

  app.post('/subscribers/:id/reenable', { ...adminOnly, schema: { params: idParams, body: confirmationForm }, attachValidation: true }, async (request, reply) => {
    refuseBadAddress(request)
    const subscriber = subscriberById(request.params.id)
    if (subscriber === undefined) return await subscriberNotFound(request, reply)
    try {
      services.subscribers.reenable(actorOf(request), subscriber.id)
    } catch (error) {
      const refused = formRefusal(error, [])
      return await redirectWithNotice(request, reply, '/admin/subscribers', refused.message)
    }
    return await redirectWithNotice(request, reply, '/admin/subscribers', `Re-enabled ${subscriber.target}: it is sent to again.`)
  })
}

interface ImportReport {
  added: number
  existing: number
  refused: Array<{ line: number, address: string, reason: string }>
  skipConfirmation: boolean
}
