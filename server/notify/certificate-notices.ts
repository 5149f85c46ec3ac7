// Mails the admins (ADMIN_NOTICE_EMAIL) each certificate warning once, after the run that found it commits; unsent ones are tried again.
import { daysLeft } from '../domain/certificate-warnings.js'
import type { Clock } from '../domain/time.js'
import type { UnsentWarning } from '../services/monitor-runs.js'
import type { SendNotice } from './failure-notices.js'

export interface CertificateNoticeOptions {
  send: SendNotice
  /** ADMIN_NOTICE_EMAIL. */
  to: string
  publicUrl: string
  clock: Clock
  /** The warnings to mail, oldest first, and the mark that one was mailed (worker bookkeeping). */
  unsent: () => UnsentWarning[]
  markEmailed: (id: number) => void
  log: { warn: (details: object, message: string) => void, error: (details: object, message: string) => void }
  /** How long after a failed send the next pass runs; an hour unless a test says. */
  retryMs?: number
}

/** The mail of one warning: subject and plain text. */
export function certificateNotice (warning: UnsentWarning, publicUrl: string, now: Date): { subject: string, text: string } {
  const days = daysLeft(warning.expiresAt, now)
  const when = days < 0 ? `expired ${-days} day${days === -1 ? '' : 's'} ago` : days === 0 ? 'expires today' : `expires in ${days} day${days === 1 ? '' : 's'}`
  return {
    subject: `Certificate of ${warning.monitorName} ${when}`,
    text: [
      `The certificate Herald's monitor ${warning.monitorName} sees at ${warning.target} ${when} (${warning.expiresAt}): it crossed the ${warning.days}-day warning.`,
      '',
      `Names: ${warning.names.join(', ')}`,
      `Issuer: ${warning.issuer ?? 'unknown'}`,
      `Fingerprint (SHA-256): ${warning.fingerprint}`,
      '',
      `Renew it before it runs out. The certificates and their warnings are on the admin dashboard: ${publicUrl}/admin`
    ].join('\n')
  }
}

export class CertificateNotices {
  readonly #options: CertificateNoticeOptions
  #passing: Promise<void> | null = null
  #again = false
  #timer: NodeJS.Timeout | undefined
  #closed = false

  constructor (options: CertificateNoticeOptions) {
    this.#options = options
  }

  /** Sends what is unsent, on the next turn (a commit's listener must not wait); a pass in progress runs again after. */
  wake (): void {
    if (this.#closed) return
    if (this.#passing !== null) {
      this.#again = true
      return
    }
    this.#passing = new Promise<void>((resolve) => { setImmediate(resolve) })
      .then(async () => { await this.#pass() })
      .finally(() => {
        this.#passing = null
        if (this.#again) {
          this.#again = false
          this.wake()
        }
      })
  }

  /** Resolves once no pass is running (tests, and closing). */
  async settled (): Promise<void> {
    while (this.#passing !== null) await this.#passing
  }

  async close (): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    await this.settled()
  }

  async #pass (): Promise<void> {
    const { send, to, publicUrl, clock, unsent, markEmailed, log } = this.#options
    let failed = false
    try {
      for (const warning of unsent()) {
        if (this.#closed) return
        const { subject, text } = certificateNotice(warning, publicUrl, clock())
        const sent = await send(to, subject, text)
        if (sent.outcome === 'sent') {
          markEmailed(warning.id)
        } else {
          failed = true
          log.warn({ error: sent.error, warningId: warning.id }, 'a certificate warning could not be mailed: tried again later')
        }
      }
    } catch (err) {
      failed = true
      log.error({ err }, 'certificate warnings could not be mailed: tried again later')
    }
    if (failed && !this.#closed) {
      clearTimeout(this.#timer)
      this.#timer = setTimeout(() => { this.wake() }, this.#options.retryMs ?? 3_600_000)
      this.#timer.unref()
    }
  }
}
