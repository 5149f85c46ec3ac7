// The Twitter/X channel: posts with the X API v2 (twitter-api-v2, OAuth 1.0a user context), replies to thread.
import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, type ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2'
import type { TwitterConfig } from '../config.js'
import { userAgent } from '../package-info.js'
import { type Channel, type PostOutcome, type PostRequest, abortReason, excerpt } from './channel.js'
import { abortPlugin, apiUrlPlugin } from './twitter-api-url.js'

// How X words its refusal of a text the account posted recently.
const duplicatePattern = /duplicate content/i
// Errors that mean the request never left this machine.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

interface PostedTweet {
  id: string
  text: string
  entities?: { urls?: Array<{ expanded_url?: string }> }
}

function tweetUrl (id: string): string {
  return `https://x.com/i/web/status/${id}`
}

// The library names itself only in x-user-agent, and Node's https sends no User-Agent of its own.
const userAgentPlugin: ITwitterApiClientPlugin = {
  onBeforeRequest ({ requestOptions }) {
    requestOptions.headers = { ...requestOptions.headers, 'user-agent': userAgent }
  }
}

export class TwitterChannel implements Channel {
  readonly name = 'twitter'
  readonly #config: TwitterConfig
  readonly #timeoutMs: number
  readonly #agent: HttpAgent

  constructor (config: TwitterConfig, timeoutMs: number) {
    this.#config = config
    this.#timeoutMs = timeoutMs
    // An agent of the URL's own protocol: the library calls https.request, which takes http: only with an http agent.
    this.#agent = new URL(config.apiUrl).protocol === 'http:' ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true })
  }

  async post (request: PostRequest, signal: AbortSignal): Promise<PostOutcome> {
    const client = this.#client(signal)
    try {
      const body = request.replyToId === null
        ? { text: request.text }
        : { text: request.text, reply: { in_reply_to_tweet_id: request.replyToId } }
      const { data } = await client.v2.post<{ data: { id: string } }>('tweets', body)
      return { outcome: 'sent', remoteId: data.id, remoteUrl: tweetUrl(data.id), note: null }
    } catch (error) {
      if (error instanceof ApiResponseError && error.code === 403 && duplicatePattern.test(describe(error))) {
        if (!request.uncertain) return { outcome: 'failed', error: `X refused the text as a duplicate of a recent post: ${describe(error)}` }
        // An earlier attempt of ours posted it and the answer was lost: find it, so the thread continues.
        return await this.#recover(client, request, signal)
      }
      return this.#outcome(error, signal)
    }
  }

  close (): void {
    this.#agent.destroy()
  }

  #client (signal: AbortSignal): TwitterApi {
    const { apiKey, apiSecret, accessToken, accessSecret, apiUrl } = this.#config
    return new TwitterApi(
      { appKey: apiKey, appSecret: apiSecret, accessToken, accessSecret },
      { plugins: [apiUrlPlugin(apiUrl), abortPlugin(this.#timeoutMs, signal), userAgentPlugin], httpAgent: this.#agent }
    )
  }

  /** The post among the account's latest ones with this text, or this update's link. */
  async #recover (client: TwitterApi, request: PostRequest, signal: AbortSignal): Promise<PostOutcome> {
    try {
      const me = await client.v2.get<{ data: { id: string } }>('users/me')
      const timeline = await client.v2.get<{ data?: PostedTweet[] }>(`users/${encodeURIComponent(me.data.id)}/tweets`, {
        max_results: 100,
        'tweet.fields': 'entities'
      })
      // X returns the text with its links shortened to t.co; the entities keep the link as posted.
      const found = (timeline.data ?? []).find((tweet) => tweet.text === request.text ||
        (tweet.entities?.urls ?? []).some((url) => url.expanded_url === request.link))
      if (found !== undefined) {
        return { outcome: 'sent', remoteId: found.id, remoteUrl: tweetUrl(found.id), note: 'found posted by an earlier attempt whose answer was lost' }
      }
      return { outcome: 'sent', remoteId: null, remoteUrl: null, note: 'X says an earlier attempt posted it, but it is not among the account\'s latest posts: the next update starts a new thread' }
    } catch (error) {
      const failure = this.#outcome(error, signal)
      const what = failure.outcome === 'sent' ? '' : failure.error
      // A passing trouble: the next attempt gets the same duplicate answer and looks again.
      if (failure.outcome === 'retry') return { ...failure, error: `X says an earlier attempt posted it; finding it failed: ${what}`, maybePosted: true }
      // Refused for good (an API plan without timeline access, say): posted, but the thread cannot go on.
      return { outcome: 'sent', remoteId: null, remoteUrl: null, note: `X says an earlier attempt posted it; finding it failed (${what}): the next update starts a new thread` }
    }
  }

  #outcome (error: unknown, signal: AbortSignal): PostOutcome {
    if (error instanceof ApiResponseError) {
      const what = `X answered ${error.code}: ${describe(error)}`
      if (error.code === 429) {
        const reset = error.rateLimit?.reset
        return { outcome: 'retry', error: what, maybePosted: false, notBefore: reset === undefined ? null : new Date(reset * 1000) }
      }
      // A 5xx may come after the post was made: the next attempt counts as uncertain.
      if (error.code >= 500 || error.code === 408) return { outcome: 'retry', error: what, maybePosted: true, notBefore: null }
      return { outcome: 'failed', error: what }
    }
    if (error instanceof ApiRequestError) {
      const cause = requestErrorOf(error)
      if (cause.name === 'AbortError') {
        return { outcome: 'retry', error: `X: ${abortReason(signal, this.#timeoutMs)}`, maybePosted: true, notBefore: null }
      }
      const notSent = cause.code !== undefined && notSentCodes.has(cause.code)
      return { outcome: 'retry', error: `could not reach X: ${excerpt(cause.message)}`, maybePosted: !notSent, notBefore: null }
    }
    if (error instanceof ApiPartialResponseError) {
      return { outcome: 'retry', error: 'X: the answer was cut off', maybePosted: true, notBefore: null }
    }
    return { outcome: 'retry', error: `X: ${excerpt(error instanceof Error ? error.message : String(error))}`, maybePosted: true, notBefore: null }
  }
}

/**
 * The network error under an ApiRequestError. twitter-api-v2 1.29 stores it as `error` but its
 * `requestError` getter reads another key, so the stored one is read when the getter finds nothing.
 */
function requestErrorOf (error: ApiRequestError): NodeJS.ErrnoException {
  const stored = (error as unknown as { _options?: { error?: unknown } })._options?.error
  const cause = error.requestError ?? stored
  return cause instanceof Error ? cause : new Error('the request failed')
}

/** What X said, from its problem body (never the request, which carries the credentials). */
function describe (error: ApiResponseError): string {
  const data = error.data
  const parts = [data.title, data.detail, ...(data.errors ?? []).map((e) => ('message' in e ? e.message : ''))]
    .filter((part): part is string => typeof part === 'string' && part !== '')
  return excerpt(parts.length > 0 ? [...new Set(parts)].join(': ') : `HTTP ${error.code}`)
}
