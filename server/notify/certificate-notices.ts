// Mails the admins (ADMIN_NOTICE_EMAIL) each certificate warning once, after the run that found it commits; unsent ones are tried again.
import { daysLeft } from '../domain/certificate-warnings.js'
import type { Clock } from '../domain/time.js'
import type { UnsentWarning } from '../services/monitor-runs.js'
import { SweepLoop } from '../social/sweep-loop.js'
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

const hourMs = 3_600_000

/**
 * When the warnings are looked for is the outbox workers' timing (SweepLoop): at start, right after a run
 * commits one (wake), every hour (a warning another process found signals nobody here), and after a failed
 * send's retry time. One pass at a time; a sweep during a pass runs another after it.
 */
export class CertificateNotices {
  readonly #options: CertificateNoticeOptions
  readonly #loop: SweepLoop
  #passing: Promise<void> | null = null
  #again = false

  constructor (options: CertificateNoticeOptions) {
    this.#options = options
    this.#loop = new SweepLoop(() => { this.#sweep() }, hourMs)
  }

  /** Sends what is unsent now (what a previous run left), then as above until close(). */
  start (): void {
    this.#loop.start()
  }

  /** A warning was committed: a pass right after this tick (a commit's listener must not wait). */
  wake (): void {
    this.#loop.wake()
  }

  /** Resolves once no pass is running or queued by a wake (tests, and closing). */
  async settled (): Promise<void> {
    // A wake's pass starts on the next turn: let it start first.
    await new Promise((resolve) => { setImmediate(resolve) })
    while (this.#passing !== null) await this.#passing
  }

  async close (): Promise<void> {
    this.#loop.stop()
    while (this.#passing !== null) await this.#passing
  }

  #sweep (): void {
    if (this.#passing !== null) {
      this.#again = true
      return
    }
    this.#passing = this.#pass().finally(() => {
      this.#passing = null
      if (this.#again && this.#loop.running) {
        this.#again = false
        this.#sweep()
      }
    })
  }

  async #pass (): Promise<void> {
    const { send, to, publicUrl, clock, unsent, markEmailed, log } = this.#options
    let failed = false
    try {
      for (const warning of unsent()) {
        if (!this.#loop.running) return
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
    if (failed && this.#loop.running) {
      const now = new Date()
      this.#loop.dueAt(new Date(now.getTime() + (this.#options.retryMs ?? hourMs)).toISOString(), now)
    }
  }
}
