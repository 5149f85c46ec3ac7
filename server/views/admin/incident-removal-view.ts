// View models of deleting an incident: what the confirmation page says it will do, and the posts left on the channels after.
import type { ChannelName } from '../../domain/post-text.js'
import { channelLabels } from '../../domain/post-text.js'
import { webUrl } from './deliveries-view.js'

export interface SentPostView {
  channelLabel: string
  /** A link only when the channel gave a web address. */
  url: string | null
  /** The post's id on the channel, to find it by when there is no link. */
  remoteId: string | null
}

/** The posts as the service or the audit entry recorded them ({ channel, remoteId, url }); anything else is skipped. */
export function sentPostViews (posts: unknown): SentPostView[] {
  if (!Array.isArray(posts)) return []
  return posts.flatMap((post: unknown) => {
    if (typeof post !== 'object' || post === null) return []
    const { channel, remoteId, url } = post as Record<string, unknown>
    if (typeof channel !== 'string') return []
    return [{
      channelLabel: channelLabels[channel as ChannelName] ?? channel,
      url: webUrl(typeof url === 'string' ? url : null),
      remoteId: typeof remoteId === 'string' ? remoteId : null
    }]
  })
}

/** The page after deleting: the audit entry's reference, name and posts (the incident itself is gone). */
export function deletedIncidentView (entry: { at: string, actor: string, detail: Record<string, unknown> }): {
  reference: string, name: string, at: string, sentPosts: SentPostView[]
} {
  const { detail } = entry
  return {
    reference: typeof detail.reference === 'string' ? detail.reference : '',
    name: typeof detail.name === 'string' ? detail.name : '',
    at: entry.at,
    sentPosts: sentPostViews(detail.sentPosts)
  }
}
