// Herald's mailer: one pooled SMTP transport (nodemailer) for the subscribers' update mails, the opt-in mails and the notices.
import nodemailer, { type SendMailOptions } from 'nodemailer'
import type { EmailConfig } from '../config.js'
import { checkEmailAddress } from '../domain/subscriber-targets.js'
import type { SubscriberKind } from '../domain/subscribers.js'
import { type EmailSite, updateEmail } from './email-message.js'
import { alreadySubscribedEmail, confirmationEmail, noticeEmail } from './email-notices.js'
import { oneLine } from './email-templates.js'
import { smtpOutcome, smtpSecrets } from './smtp-outcome.js'
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

/**
 * SMTP_URL as nodemailer reads it: its query may set nodemailer's options (`?requireTLS=true`,
 * `?tls.rejectUnauthorized=false` for a relay with its own certificate), and those override the options
 * given beside it, so the logging ones are taken out: nodemailer's log shows the login, and secrets are never logged.
 */
export function transportUrl (smtpUrl: string): string {
  let url: URL
  try {
    url = new URL(smtpUrl)
  } catch {
    return smtpUrl
  }
  for (const key of [...url.searchParams.keys()]) {
    if (/^(logger|debug|transactionLog)$/i.test(key)) url.searchParams.delete(key)
  }
  return url.href
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
    url: transportUrl(settings.smtpUrl),
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
  const secrets = smtpSecrets(settings.smtpUrl)

  async function send (to: string, mail: SendMailOptions, signal?: AbortSignal): Promise<SendOutcome> {
    // nodemailer reads `to` as a list ("a@b.c, x@y.z", or one with a line break in it): only one plain
    // address goes to it, so a stored or typed value can never add a recipient.
    const address = checkEmailAddress(to)
    if (!address.ok) return { outcome: 'failed', error: `not sent: ${address.reason}`, bounced: false }
    try {
      await transport.sendMail({ ...mail, from, to: address.value, ...(signal === undefined ? {} : { signal }) })
      return { outcome: 'sent' }
    } catch (error) {
      return smtpOutcome(error, secrets, signal?.aborted === true)
    }
  }

  const channel: SubscriberChannel = {
    kinds: ['email'] as const satisfies readonly SubscriberKind[],
    async send (message: SubscriberMessage, signal: AbortSignal): Promise<SendOutcome> {
      let mail
      try {
        mail = updateEmail(message, site)
      } catch (error) {
        return { outcome: 'failed', error: `no mail for this notification: ${(error as Error).message}`, bounced: false }
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
