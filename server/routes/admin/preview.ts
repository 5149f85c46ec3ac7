// POST /admin/preview: the live preview of an update as JSON (the page's HTML and the social post with its count).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { idPattern } from '../../domain/ids.js'
import { maxCustomPostText } from '../../domain/post-text.js'
import { isValidReference } from '../../domain/references.js'
import { incidentStatuses, maintenanceStatuses } from '../../domain/statuses.js'
import { limits } from '../../domain/text.js'
import { fillPlaceholder } from '../../services/template-service.js'
import { previewView } from '../../views/admin/preview-view.js'
import { requireUser } from './access.js'

// Lenient on purpose: a preview shows whatever is typed, even what the form will refuse; only sizes are bounded.
const PreviewBody = Type.Object({
  body: Type.String({ maxLength: limits.body }),
  // An incident's or a maintenance's: both forms have the live preview.
  status: Type.Enum([...incidentStatuses, ...maintenanceStatuses]),
  name: Type.Optional(Type.String({ maxLength: limits.name })),
  reference: Type.Optional(Type.String({ maxLength: 32 })),
  /** The custom post text that replaces the generated one, when filled. */
  postText: Type.Optional(Type.String({ maxLength: maxCustomPostText })),
  /** Ids of the components the update changes: their names fill a template's {component}. */
  components: Type.Optional(Type.Array(Type.String({ pattern: idPattern }), { maxItems: 500 }))
}, { additionalProperties: false })

export default async function previewRoutes (app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { config, services } = app.herald

  // The CSRF pre-handler of the admin UI checks the x-csrf-token header the script sends.
  api.post('/preview', { preHandler: requireUser(), schema: { body: PreviewBody } }, async (request) => {
    const { body, status, name, reference, postText, components } = request.body
    const chosen = new Set(components ?? [])
    const names = services.components.list().filter((component) => chosen.has(String(component.id))).map((component) => component.name)
    const typedReference = reference?.trim() ?? ''
    // A new incident without a (valid) reference yet is previewed with the one it would get.
    const shownReference = isValidReference(typedReference) ? typedReference : services.incidents.nextReference()
    return {
      reference: shownReference,
      ...previewView({
        status,
        reference: shownReference,
        incidentName: fillPlaceholder(name?.trim() ?? '', names),
        body: fillPlaceholder(body, names),
        postText,
        publicUrl: config.publicUrl
      })
    }
  })
}
