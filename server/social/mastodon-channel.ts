// The Mastodon channel: POST /api/v1/statuses with a bearer token, an Idempotency-Key, and in_reply_to_id to thread.
import type { MastodonConfig } from '../config.js'
import { userAgent } from '../package-info.js'
import { type Channel, type PostOutcome, type PostRequest, abortReason, excerpt } from './channel.js'

// Errors that mean the request never left this machine.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

export class MastodonChannel implements Channel {
  readonly name = 'mastodon'
  readonly #config: MastodonConfig
  readonly #timeoutMs: number

  constructor (config: MastodonConfig, timeoutMs: number) {
    this.#config = config
    this.#timeoutMs = timeoutMs
  }

  async post (request: PostRequest, signal: AbortSignal): Promise<PostOutcome> {
    let response: Response
    let body: string
    try {
      response = await fetch(new URL('api/v1/statuses', this.#config.url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.#config.token}`,
          'content-type': 'application/json',
          // Mastodon answers a repeated key with the status it made the first time, without posting again.
          'idempotency-key': request.idempotencyKey,
          'user-agent': userAgent
        },
        body: JSON.stringify({
          status: request.text,
          visibility: 'public',
          ...(request.replyToId === null ? {} : { in_reply_to_id: request.replyToId })
        }),
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), signal]),
        redirect: 'error'
      })
      body = await response.text()
    } catch (error) {
      return this.#networkOutcome(error, signal)
    }

    if (response.ok) {
      const status = parseJson(body) as { id?: unknown, url?: unknown } | undefined
      if (typeof status?.id !== 'string') {
        return { outcome: 'sent', remoteId: null, remoteUrl: null, note: `Mastodon answered ${response.status} without a status id: the next update starts a new thread` }
      }
      return { outcome: 'sent', remoteId: status.id, remoteUrl: typeof status.url === 'string' ? status.url : null, note: null }
    }
    const what = `Mastodon answered ${response.status}: ${describe(body, response.statusText)}`
    if (response.status === 429) {
      const reset = response.headers.get('x-ratelimit-reset')
      const notBefore = reset === null ? null : new Date(reset)
      return { outcome: 'retry', error: what, maybePosted: false, notBefore: notBefore === null || Number.isNaN(notBefore.getTime()) ? null : notBefore }
    }
    // A 5xx may come after the status was made: the resend carries the same Idempotency-Key.
    if (response.status >= 500 || response.status === 408) return { outcome: 'retry', error: what, maybePosted: true, notBefore: null }
    return { outcome: 'failed', error: what }
  }

  close (): void {}

  #networkOutcome (error: unknown, signal: AbortSignal): PostOutcome {
    const name = error instanceof Error ? error.name : ''
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { outcome: 'retry', error: `Mastodon: ${abortReason(signal, this.#timeoutMs)}`, maybePosted: true, notBefore: null }
    }
    // fetch wraps the system error: "fetch failed", with the cause saying what happened.
    const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined
    const notSent = cause?.code !== undefined && notSentCodes.has(cause.code)
    const message = cause?.message ?? (error instanceof Error ? error.message : String(error))
    return { outcome: 'retry', error: `could not reach Mastodon: ${excerpt(message)}`, maybePosted: !notSent, notBefore: null }
  }
}

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Mastodon's `{"error": "..."}`, or the start of whatever else came back. */
function describe (body: string, statusText: string): string {
  const parsed = parseJson(body) as { error?: unknown } | undefined
  if (typeof parsed?.error === 'string') return excerpt(parsed.error)
  return excerpt(body) || statusText
}
