// Herald's mailer: one pooled SMTP transport (nodemailer) for the subscribers' update mails, the opt-in mails and the notices.
import nodemailer, { type SendMailOptions } from 'nodemailer'
import type { EmailConfig } from '../config.js'
import type { SubscriberKind } from '../domain/subscribers.js'
import { excerpt } from '../social/channel.js'
import { type EmailSite, updateEmail } from './email-message.js'
import { alreadySubscribedEmail, confirmationEmail, noticeEmail } from './email-notices.js'
import { oneLine } from './email-templates.js'
import type { SendOutcome, SubscriberChannel, SubscriberMessage } from './subscriber-channel.js'

export interface MailerOptions extends EmailSite {
  /** Connecting, the greeting, and each wait for the server's answer. */
  requestTimeoutMs: number
}

export interface Mailer {
  /** The subscriber channel of the `email` kind: one update mail to one subscriber. */
  readonly channel: SubscriberChannel
  /** The double opt-in mail; `components`: the names asked for (none: every component). */
  sendConfirmation: (to: string, mail: { confirmUrl: string, components: readonly string[] }) => Promise<SendOutcome>
  /** Told instead of a confirmation when the address already receives the updates. */
  sendAlreadySubscribed: (to: string, mail: { manageUrl: string }) => Promise<SendOutcome>
  /** A plain-text notice (to an admin, or to a webhook's contact). */
  sendNotice: (to: string, subject: string, text: string) => Promise<SendOutcome>
  /** Closes the pooled connections. */
  close: () => Promise<void>
}

// Errors that say nothing about the message or the address: the server, the network or TLS; worth a retry.
// The others without an SMTP reply (a refused login, an address nodemailer cannot use, a setting) will not mend.
const permanentCodes = new Set(['EENVELOPE', 'EMESSAGE', 'EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EREQUIRETLS', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS'])

interface SmtpError {
  message?: unknown
  code?: unknown
  responseCode?: unknown
  command?: unknown
}

/** The secrets of SMTP_URL as they could appear in an error: the password, as typed and as decoded. */
function secretsOf (smtpUrl: string): string[] {
  try {
    const password = new URL(smtpUrl).password
    if (password === '') return []
    const decoded = decodeURIComponent(password)
    return [...new Set([password, decoded])].sort((a, b) => b.length - a.length)
  } catch {
    return []
  }
}

/** A bare address goes out under the site's name, as the page is what the reader knows. */
function sender (from: string, siteName: string): string | { name: string, address: string } {
  return from.includes('<') ? from : { name: oneLine(siteName), address: from.trim() }
}

/** The mailer of config.subscriptions.email (SMTP_URL, MAIL_FROM, DKIM_*). */
export function createMailer (settings: EmailConfig, options: MailerOptions): Mailer {
  const site: EmailSite = { siteName: options.siteName, publicUrl: options.publicUrl }
  const timeout = options.requestTimeoutMs
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: 100,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    // nodemailer (10.6.1 and later) signs List-Unsubscribe-Post with the other list headers: RFC 8058 asks for it.
    ...(settings.dkim === null ? {} : { dkim: { ...settings.dkim } }),
    logger: false,
    debug: false
  })
  const from = sender(settings.from, options.siteName)
  const secrets = secretsOf(settings.smtpUrl)

  /** The error as a line to store, without the SMTP password whatever the server or the library put in it. */
  function describe (error: SmtpError): string {
    let text = excerpt(typeof error.message === 'string' ? error.message : String(error))
    for (const secret of secrets) text = text.split(secret).join('***')
    return `SMTP: ${text}`
  }

  function outcomeOf (error: unknown, signal: AbortSignal | undefined): SendOutcome {
    if (signal?.aborted === true) return { outcome: 'retry', error: 'SMTP: Herald was shutting down', notBefore: null }
    const smtp = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpError
    const what = describe(smtp)
    const reply = typeof smtp.responseCode === 'number' ? smtp.responseCode : 0
    // RFC 5321: 4xx is a transient failure, 5xx a permanent one; a 5xx to RCPT TO refuses the address itself.
    if (reply >= 500) return { outcome: 'failed', error: what, bounced: smtp.command === 'RCPT TO' }
    if (reply >= 400) return { outcome: 'retry', error: what, notBefore: null }
    if (typeof smtp.code === 'string' && permanentCodes.has(smtp.code)) return { outcome: 'failed', error: what, bounced: false }
    return { outcome: 'retry', error: what, notBefore: null }
  }

  async function send (to: string, mail: SendMailOptions, signal?: AbortSignal): Promise<SendOutcome> {
    try {
      await transport.sendMail({ ...mail, from, to, ...(signal === undefined ? {} : { signal }) })
      return { outcome: 'sent' }
    } catch (error) {
      return outcomeOf(error, signal)
    }
  }

  const channel: SubscriberChannel = {
    kinds: ['email'] as const satisfies readonly SubscriberKind[],
    async send (message: SubscriberMessage, signal: AbortSignal): Promise<SendOutcome> {
      let mail
      try {
        mail = updateEmail(message, site)
      } catch (error) {
        return { outcome: 'failed', error: `no mail for this notification: ${error instanceof Error ? error.message : String(error)}`, bounced: false }
      }
      return await send(message.subscriber.target, mail, signal)
    },
    close: async () => { await closeTransport() }
  }

  let closed: Promise<void> | undefined
  async function closeTransport (): Promise<void> {
    closed ??= Promise.resolve(transport.close())
    await closed
  }

  return {
    channel,
    sendConfirmation: async (to, { confirmUrl, components }) => await send(to, confirmationEmail(site, confirmUrl, components)),
    sendAlreadySubscribed: async (to, { manageUrl }) => await send(to, alreadySubscribedEmail(site, manageUrl)),
    sendNotice: async (to, subject, text) => await send(to, noticeEmail(site, subject, text)),
    close: closeTransport
  }
}
