// What an answer of a subscriber's URL (or the failure to get one) means for its delivery, and the base of the channels that POST to such URLs.
import type { Clock } from '../domain/time.js'
import { OutboundError, type OutboundHttp, type OutboundRequest, type OutboundResponse, shortText } from './outbound-http.js'
import type { SendOutcome } from './subscriber-channel.js'

/** A Retry-After longer than this is not waited for: the next attempt comes after an hour anyway. */
export const retryAfterCapMs = 60 * 60 * 1000

/** When a Retry-After (seconds, or an HTTP date) lets the next attempt come, capped at an hour; null without a usable one. */
export function retryAfter (value: string | string[] | undefined, now: Date): Date | null {
  const text = Array.isArray(value) ? value[0] : value
  if (text === undefined || text.trim() === '') return null
  const trimmed = text.trim()
  const at = /^\d+$/.test(trimmed) ? now.getTime() + Number(trimmed) * 1000 : Date.parse(trimmed)
  if (Number.isNaN(at)) return null
  return new Date(Math.min(Math.max(at, now.getTime()), now.getTime() + retryAfterCapMs))
}

/** "answered 404: Not Found", with the start of what the receiver said, on one line. */
export function answerText (response: OutboundResponse): string {
  const said = shortText(response.bodyExcerpt, 100)
  return said === '' ? `answered ${response.status}` : `answered ${response.status}: ${said}`
}

/**
 * 2xx is sent; 429, 5xx and 408 are retried (a Retry-After honoured); any other answer failed (a 3xx never gets
 * here: the outbound request throws). Network errors and timeouts are retried; a refused URL or address fails.
 */
export function responseOutcome (response: OutboundResponse, now: Date): SendOutcome {
  if (response.status >= 200 && response.status < 300) return { outcome: 'sent' }
  if (response.status === 429 || response.status === 408 || response.status >= 500) {
    return { outcome: 'retry', error: answerText(response), notBefore: retryAfter(response.headers['retry-after'], now) }
  }
  return { outcome: 'failed', error: answerText(response), bounced: false }
}

export function errorOutcome (error: unknown): SendOutcome {
  if (!(error instanceof OutboundError)) return { outcome: 'retry', error: 'could not be reached', notBefore: null }
  if (error.kind === 'url' || error.kind === 'address' || error.kind === 'redirect') return { outcome: 'failed', error: error.message, bounced: false }
  return { outcome: 'retry', error: error.message, notBefore: null }
}

/**
 * A channel that POSTs to its subscribers' URLs (webhooks, chats) through the one guarded outbound HTTP: what
 * each answer means is decided here (responseOutcome, errorOutcome), what is sent by the channel.
 */
export abstract class UrlChannel {
  readonly #http: OutboundHttp
  protected readonly clock: Clock

  constructor (http: OutboundHttp, clock: Clock) {
    this.#http = http
    this.clock = clock
  }

  /** One POST to a subscriber's URL, and what became of it. */
  protected async post (request: OutboundRequest): Promise<SendOutcome> {
    try {
      return responseOutcome(await this.#http.post(request), this.clock())
    } catch (error) {
      return errorOutcome(error)
    }
  }

  close (): void {
    this.#http.close()
  }
}
