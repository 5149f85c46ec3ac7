// View model of the postmortem section of the admin incident page: where it stands, its form (draft, preview, publish, unpublish) and its social posts.
import type { Delivery } from '../../domain/deliveries.js'
import { renderMarkdown } from '../../domain/markdown.js'
import type { Incident } from '../../domain/model.js'
import { type Postmortem, canHavePostmortem, maxPostmortemBody, postmortemAnchor } from '../../domain/postmortems.js'
import { incidentPath } from '../../domain/links.js'
import { formatDateTime } from '../format.js'
import type { CrossPostingView } from './cross-posting-view.js'
import { type DeliveryView, deliveryView } from './deliveries-view.js'
import type { FieldErrors } from './form-view.js'

export interface PostmortemFormValues {
  body: string
  /** As typed: a UTC date and time, or '' for now (or the time it has). */
  publishedAt: string
  notify: boolean
}

export interface PostmortemFormInput {
  incident: Incident
  postmortem: Postmortem | null
  /** What was typed, shown again with its errors or its preview; absent: the saved draft. */
  typed?: { values: PostmortemFormValues, errors: FieldErrors, preview: boolean } | undefined
  deliveries: Delivery[]
  crossPosting: CrossPostingView
}

export interface PostmortemFormView {
  anchor: string
  action: string
  /** A resolved incident: the form is shown; otherwise only what stands (and unpublishing, when published). */
  writable: boolean
  published: boolean
  /** "Not written yet.", "Draft saved 4 Feb 2020, 09:00 UTC; not published.", "Published 5 Feb 2020, 10:00 UTC." */
  state: string
  /** The saved draft has changes the published text does not. */
  unpublishedChanges: boolean
  /** The public page's section, once published. */
  publicHref: string | null
  values: PostmortemFormValues
  errors: FieldErrors
  /** Sanitized by renderMarkdown: shown unescaped; null when no preview was asked for. */
  previewHtml: string | null
  maxBody: number
  deliveries: DeliveryView[]
  crossPosting: CrossPostingView
}

function stateText (postmortem: Postmortem | null): string {
  if (postmortem === null) return 'Not written yet.'
  if (postmortem.publishedAt === null) return `Draft saved ${formatDateTime(postmortem.draftUpdatedAt)}; not published.`
  return `Published ${formatDateTime(postmortem.publishedAt)}.`
}

export function postmortemFormView (input: PostmortemFormInput): PostmortemFormView {
  const { incident, postmortem, typed } = input
  const published = postmortem?.publishedAt !== null && postmortem?.publishedAt !== undefined
  return {
    anchor: postmortemAnchor,
    action: `/admin/incidents/${encodeURIComponent(incident.reference)}/postmortem`,
    writable: canHavePostmortem(incident),
    published,
    state: stateText(postmortem),
    unpublishedChanges: published && postmortem?.draft !== postmortem?.body,
    publicHref: published ? `${incidentPath(incident.reference)}#${postmortemAnchor}` : null,
    values: typed?.values ?? { body: postmortem?.draft ?? '', publishedAt: '', notify: false },
    errors: typed?.errors ?? {},
    previewHtml: typed?.preview === true ? renderMarkdown(typed.values.body) : null,
    maxBody: maxPostmortemBody,
    deliveries: input.deliveries.map(deliveryView),
    crossPosting: input.crossPosting
  }
}
