// The live preview of an update: its body as the public page shows it, and its social post with the Twitter/X count.
import twitterText from 'twitter-text'
import { renderMarkdown } from '../../domain/markdown.js'
import { buildPostText, twitterMaxWeight } from '../../domain/post-text.js'
import type { UpdateStatus } from '../../domain/statuses.js'
import { incidentPath } from '../../domain/links.js'

export interface PreviewInput {
  status: UpdateStatus
  reference: string
  incidentName: string
  /** Markdown, as typed. */
  body: string
  /** The custom post text that replaces the generated one; empty or missing: generated. */
  postText?: string | null | undefined
  publicUrl: string
}

export interface PostPreview {
  /** The post as it will be sent: shortened to fit when the update is long. */
  text: string
  /** Its weight as Twitter/X counts it (twitter-text: a URL weighs 23, CJK and emoji 2). */
  weightedLength: number
  limit: number
  /** The weight of the whole text before shortening. */
  fullWeightedLength: number
  shortened: boolean
}

export interface PreviewView {
  /** Sanitized by renderMarkdown: the only field shown unescaped. */
  html: string
  post: PostPreview
}

// A limit no post reaches: the text as composed, before any shortening.
const unlimited = { channel: 'mastodon', maxChars: Number.MAX_SAFE_INTEGER } as const

/**
 * The preview of an update before it exists. The post's link is the incident page: the update's own
 * anchor is not known yet, and a link weighs 23 however long it is.
 */
export function previewView (input: PreviewInput): PreviewView {
  const postInput = {
    status: input.status,
    reference: input.reference,
    incidentName: input.incidentName,
    body: input.body,
    customText: input.postText ?? null,
    link: `${input.publicUrl}${incidentPath(input.reference)}`
  }
  const text = buildPostText(postInput, { channel: 'twitter' })
  const full = buildPostText(postInput, unlimited)
  const fullWeightedLength = twitterText.parseTweet(full).weightedLength
  return {
    html: renderMarkdown(input.body),
    post: {
      text,
      weightedLength: twitterText.parseTweet(text).weightedLength,
      limit: twitterMaxWeight,
      fullWeightedLength,
      shortened: text !== full
    }
  }
}
