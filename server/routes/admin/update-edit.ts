// Fixing the text of one update, the same on an incident's page and a maintenance's: its time stays, a refusal shows on the page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncidentWithUpdates } from '../../domain/model.js'
import { typedText } from '../../views/admin/form-view.js'
import type { TimelineInput } from '../../views/admin/incident-page-view.js'
import { formatDateTime } from '../../views/format.js'
import { actorOf } from './actor.js'
import { checkForm } from './forms.js'
import { type EditUpdateValues, editUpdateForm, incidentFieldMessages } from './incident-forms.js'
import { type NotFoundPage, renderNotFound } from './not-found.js'
import { redirectWithNotice } from './render.js'

export interface UpdateEdit {
  /** The incident or maintenance of the URL; undefined when there is none. */
  record: IncidentWithUpdates | undefined
  /** The update id of the URL, as sent. */
  updateId: string
  /** The 404 page when the record or its update is not found. */
  missing: NotFoundPage
  /** Where the record is managed (back to it after the change). */
  href: (reference: string) => string
  /** Its page again, with the edit form showing what was typed and its error. */
  renderPage: (record: IncidentWithUpdates, edit: NonNullable<TimelineInput['edit']>) => Promise<FastifyReply>
}

export async function editUpdateText (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, edit: UpdateEdit): Promise<FastifyReply> {
  const { record } = edit
  const update = record?.updates.find((entry) => String(entry.id) === edit.updateId)
  if (record === undefined || update === undefined) return await renderNotFound(app, request, reply, edit.missing)
  const form = checkForm<EditUpdateValues>(editUpdateForm, request.body, incidentFieldMessages)
  if (!form.ok) {
    return await edit.renderPage(record, { updateId: update.id, body: typedText(request.body, 'body'), error: form.errors.body ?? 'This value is not valid.' })
  }
  app.herald.services.incidents.editUpdate(record.reference, update.id, form.values.body, actorOf(request))
  return await redirectWithNotice(request, reply, edit.href(record.reference),
    `The text of the update of ${formatDateTime(update.displayAt)} is changed; its time stays.`)
}
