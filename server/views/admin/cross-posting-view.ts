// Whether updates are cross-posted to social channels, in words, for the dashboard and the incident forms.
import { type ChannelName, channelLabels } from '../../domain/post-text.js'

export interface CrossPostingView {
  on: boolean
  /** "Cross-posting to Twitter/X, Mastodon" or "Cross-posting is off (no channels configured)". */
  text: string
}

/** From the channels that are on (DeliveryService.channels()). */
export function crossPostingView (channels: readonly ChannelName[]): CrossPostingView {
  if (channels.length === 0) return { on: false, text: 'Cross-posting is off (no channels configured)' }
  return { on: true, text: `Cross-posting to ${channels.map((channel) => channelLabels[channel]).join(', ')}` }
}
