// The admin's failure notices (ADMIN_NOTICE_EMAIL): a short mail when a social or subscriber delivery fails for good, a few an hour at most.
import type { Clock } from '../domain/time.js'
import type { SendOutcome } from './subscriber-channel.js'

/** What sends a notice: the mailer's sendNotice. */
export type SendNotice = (to: string, subject: string, text: string) => Promise<SendOutcome>

export interface FailureNoticeOptions {
  send: SendNotice
  /** ADMIN_NOTICE_EMAIL; null: no admin notices (a quarantined webhook's contact is still told). */
  to: string | null
  siteName: string
  clock: Clock
  log: { warn: (details: object, message: string) => void }
  /** Notices per hour at most: a receiver down for everyone fails a thousand deliveries at once, and one inbox should not get a thousand mails. */
  perHour?: number
}

const hourMs = 3_600_000

export class FailureNotices {
  readonly #options: FailureNoticeOptions
  readonly #perHour: number
  #windowStart = -Infinity
  #sentInWindow = 0
  #suppressed = 0
  readonly #sending = new Set<Promise<unknown>>()

  constructor (options: FailureNoticeOptions) {
    this.#options = options
    this.#perHour = options.perHour ?? 10
  }

  /**
   * Mails `what` failed with `error`, unless this hour's notices are used up (then it is counted, and the
   * next notice says how many were left out). Never throws and never waits: the send runs on its own.
   */
  deliveryFailed (what: string, error: string): void {
    const to = this.#options.to
    if (to === null) return
    const now = this.#options.clock().getTime()
    if (now - this.#windowStart >= hourMs) {
      this.#windowStart = now
      this.#sentInWindow = 0
    }
    if (this.#sentInWindow >= this.#perHour) {
      this.#suppressed++
      return
    }
    this.#sentInWindow++
    const left = this.#sentInWindow === this.#perHour
      ? '\n\nThis is the last notice this hour: later failures are on the admin pages and in the log only.'
      : ''
    const earlier = this.#suppressed === 0
      ? ''
      : `\n\n${this.#suppressed} more failure${this.#suppressed === 1 ? '' : 's'} happened since the last notice (not mailed).`
    this.#suppressed = 0
    const { siteName } = this.#options
    this.#send(to, `[${siteName}] A delivery failed`, `${what} failed for good: ${error}${earlier}${left}\n\n— Herald, for ${siteName}`)
  }

  /** Mails anyone (a quarantined webhook's contact) the same way: in the background, never throwing. */
  sendTo (to: string, subject: string, text: string): void {
    this.#send(to, subject, text)
  }

  /** Resolves once the notices being sent are done (the worker waits for them when it stops). */
  async settled (): Promise<void> {
    await Promise.allSettled([...this.#sending])
  }

  #send (to: string, subject: string, text: string): void {
    const sending = (async () => await this.#options.send(to, subject, text))()
      .then((sent) => {
        if (sent.outcome !== 'sent') this.#options.log.warn({ error: sent.error }, 'a notice mail could not be sent')
      }, (error: unknown) => {
        this.#options.log.warn({ err: error }, 'a notice mail could not be sent')
      })
      .finally(() => { this.#sending.delete(sending) })
    this.#sending.add(sending)
  }
}
