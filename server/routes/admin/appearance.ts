// Admin Appearance page (admins only): logo, accent colour, links, favicon and auto-refresh, sent as one multipart form and saved as one write.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { type AppearanceChange, checkAppearance, imageSlots, maxImageBytes, maxLinkLength } from '../../domain/appearance.js'
import { MultipartError, type UploadedFile, boundaryOf, parseMultipart } from '../../http/multipart.js'
import { type AppearanceValues, appearancePageView, appearanceValues, imageFields } from '../../views/admin/appearance-view.js'
import { type FieldErrors, typedCheckbox, typedText } from '../../views/admin/form-view.js'
import { requireUser } from './access.js'
import { actorOf } from './actor.js'
import { type FieldMessages, checkForm, formField, formRefusal } from './forms.js'
import { redirectWithNotice, renderAdmin } from './render.js'

/** Three images at the largest Herald takes, the text fields and the parts' headers, with room to spare. */
const appearanceBodyLimit = 3 * maxImageBytes + 256 * 1024

const checkbox = Type.Optional(Type.Literal('on'))

/**
 * Types and lengths only: what each value must be (a colour, an http(s) address, a number in range, an
 * image) is checkAppearance's, shared with the service. Files are checked for being files below.
 */
const appearanceForm = Type.Object({
  accent: Type.String({ maxLength: 100 }),
  siteLink: Type.String({ maxLength: maxLinkLength }),
  supportLink: Type.String({ maxLength: maxLinkLength }),
  autoRefresh: checkbox,
  refreshSeconds: Type.String({ pattern: '^ *[0-9]{1,9} *$' }),
  logoLight: Type.Optional(Type.Unknown()),
  logoDark: Type.Optional(Type.Unknown()),
  favicon: Type.Optional(Type.Unknown()),
  removeLogoLight: checkbox,
  removeLogoDark: checkbox,
  removeFavicon: checkbox
})

const messages: FieldMessages = {
  refreshSeconds: 'Write a whole number of seconds, such as 60.',
  autoRefresh: 'Tick the box or leave it empty.',
  removeLogoLight: 'Tick the box or leave it empty.',
  removeLogoDark: 'Tick the box or leave it empty.',
  removeFavicon: 'Tick the box or leave it empty.',
  accent: 'Write a colour such as #0550ae.',
  siteLink: 'Write a web address such as https://example.com.',
  supportLink: 'Write a web address such as https://example.com/support.'
}

function isUpload (value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as { data?: unknown }).data)
}

function typedValues (body: unknown): AppearanceValues {
  return {
    accent: typedText(body, 'accent'),
    siteLink: typedText(body, 'siteLink'),
    supportLink: typedText(body, 'supportLink'),
    autoRefresh: typedCheckbox(body, 'autoRefresh'),
    refreshSeconds: typedText(body, 'refreshSeconds')
  }
}

/** The change the form asks for, and the errors of fields that are not what a form sends (a file field sent as text). */
function changeOf (body: unknown, values: AppearanceValues): { change: AppearanceChange, errors: FieldErrors } {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const errors: FieldErrors = {}
  const images: AppearanceChange['images'] = {}
  for (const slot of imageSlots) {
    const { field, remove } = imageFields[slot]
    const sent = fields[field]
    if (sent !== undefined && !isUpload(sent)) errors[field] = 'Choose a file with the button: this field takes a file, not text.'
    else if (sent !== undefined && typedCheckbox(body, remove)) errors[field] = 'Choose a new file or remove the current one, not both.'
    else if (sent !== undefined) images[slot] = new Uint8Array(sent.data)
    else if (typedCheckbox(body, remove)) images[slot] = null
  }
  const seconds = Number(values.refreshSeconds.trim())
  return {
    change: { accent: values.accent, siteLink: values.siteLink, supportLink: values.supportLink, autoRefresh: values.autoRefresh, refreshSeconds: seconds, images },
    errors
  }
}

export default async function appearanceRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald
  const adminOnly = { preHandler: requireUser('admin') }

  // Files come as multipart/form-data: parsed here only, for this page's form (the others stay urlencoded).
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    const boundary = boundaryOf(request.headers['content-type'] ?? '')
    try {
      if (boundary === undefined) throw new MultipartError('the form has no boundary in its Content-Type')
      done(null, parseMultipart(body as Buffer, boundary))
    } catch (error) {
      done(error as Error, undefined)
    }
  })

  async function renderPage (request: FastifyRequest, reply: FastifyReply, values?: AppearanceValues, errors: FieldErrors = {}, statusCode = 200): Promise<FastifyReply> {
    const appearance = services.appearance.current()
    return await renderAdmin(app, request, reply, {
      template: 'appearance',
      title: 'Appearance',
      section: 'appearance',
      statusCode,
      data: appearancePageView(appearance, values ?? appearanceValues(appearance), errors)
    })
  }

  app.get('/appearance', { ...adminOnly, schema: { querystring: Type.Object({}) } }, async (request, reply) => await renderPage(request, reply))

  app.post('/appearance', { ...adminOnly, bodyLimit: appearanceBodyLimit, schema: { body: appearanceForm }, attachValidation: true }, async (request, reply) => {
    const values = typedValues(request.body)
    const form = checkForm(appearanceForm, request.body, messages)
    const { change, errors } = changeOf(request.body, values)
    // The form's own errors first; then every rule of the change at once (checkAppearance), so that one
    // answer names every field to fix, and nothing is stored while one is wrong.
    const problems = Object.entries(checkAppearance(change).problems).map(([field, message]) => [formField(field), message] as const)
    const all: FieldErrors = { ...Object.fromEntries(problems), ...errors, ...form.errors }
    if (Object.keys(all).length > 0) return await renderPage(request, reply, values, all, 400)
    try {
      services.appearance.save(change, actorOf(request))
    } catch (error) {
      const refusal = formRefusal(error, Object.keys(appearanceForm.properties))
      return await renderPage(request, reply, values, { [refusal.field]: refusal.message }, refusal.statusCode)
    }
    return await redirectWithNotice(request, reply, '/admin/appearance', 'The appearance is saved: the public pages, feeds and mirror show it now.')
  })
}
