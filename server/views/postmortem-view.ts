// View model of a published postmortem on its incident page: its sanitized HTML and its times.
import { renderMarkdown } from '../domain/markdown.js'
import { type PublishedPostmortem, postmortemAnchor } from '../domain/postmortems.js'

export interface PostmortemView {
  /** The id of its section: the postmortem's posts and feed entries link to it. */
  anchor: string
  /** Sanitized by renderMarkdown: the only field shown unescaped. */
  html: string
  publishedAt: string
  /** When the published text was revised after its publication; null when it never was. */
  revisedAt: string | null
}

export function postmortemView (postmortem: PublishedPostmortem | null): PostmortemView | null {
  if (postmortem === null) return null
  return {
    anchor: postmortemAnchor,
    html: renderMarkdown(postmortem.body),
    publishedAt: postmortem.publishedAt,
    revisedAt: Date.parse(postmortem.bodyUpdatedAt) > Date.parse(postmortem.publishedAt) ? postmortem.bodyUpdatedAt : null
  }
}
