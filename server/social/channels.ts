// The channels the configuration turns on: how each counts a post, the client that posts, and the secrets to hide.
import type { SocialConfig } from '../config.js'
import type { PostLimit } from '../domain/post-text.js'
import type { Channel } from './channel.js'
import { MastodonChannel } from './mastodon-channel.js'

export function postLimits (config: SocialConfig | undefined): PostLimit[] {
  const limits: PostLimit[] = []
  if (config?.twitter != null) limits.push({ channel: 'twitter' })
  if (config?.mastodon != null) limits.push({ channel: 'mastodon', maxChars: config.mastodon.charLimit })
  return limits
}

/**
 * The clients of the channels turned on. The X client is loaded only when X is: twitter-api-v2 is some
 * 7 MB of memory that a Herald posting to Mastodon alone, or nowhere, would carry for nothing.
 */
export async function createChannels (config: SocialConfig): Promise<Channel[]> {
  const channels: Channel[] = []
  if (config.twitter !== null) {
    const { TwitterChannel } = await import('./twitter-channel.js')
    channels.push(new TwitterChannel(config.twitter, config.requestTimeoutMs))
  }
  if (config.mastodon !== null) channels.push(new MastodonChannel(config.mastodon, config.requestTimeoutMs))
  return channels
}

/** Replaces every credential in a text: applied to each error and note before it is stored or logged. */
export function redactor (config: SocialConfig | undefined): (text: string) => string {
  const secrets = [
    config?.twitter?.apiKey, config?.twitter?.apiSecret, config?.twitter?.accessToken, config?.twitter?.accessSecret,
    config?.mastodon?.token
  ].filter((secret): secret is string => secret !== undefined && secret.length > 0)
    // Longest first, so that a secret containing another is replaced whole.
    .sort((a, b) => b.length - a.length)
  return (text) => secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text)
}
