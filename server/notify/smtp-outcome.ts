// What an SMTP failure means for a delivery: RFC 5321's reply classes (4xx: again later; 5xx: never), a bounce, and an error line free of the password.
import { excerpt } from '../social/channel.js'
import type { SendOutcome } from './subscriber-channel.js'

// Errors that say nothing about the message or the address: the server, the network or TLS; worth a retry.
// The others without an SMTP reply (an address nodemailer cannot use, a setting) will not mend.
const permanentCodes = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EREQUIRETLS', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS'])
// A refused login (535, or credentials missing) is the install's, not the message's: every mail fails the same way
// until an operator mends SMTP_URL and restarts, so the mails wait for that (retried with backoff) rather than fail
// for good, which would lose every subscriber's update of an outage to one mistyped password.
const loginCodes = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2'])

/** What nodemailer puts on its errors: `responseCode` and `command` when the server answered. */
interface SmtpError {
  message?: unknown
  code?: unknown
  responseCode?: unknown
  command?: unknown
}

/** The secrets of SMTP_URL as they could appear in an error: the password, as typed and as decoded, longest first. */
export function smtpSecrets (smtpUrl: string): string[] {
  let password = ''
  try {
    password = new URL(smtpUrl).password
  } catch {}
  if (password === '') return []
  let decoded = password
  try {
    decoded = decodeURIComponent(password)
  } catch {}
  return [...new Set([password, decoded])].sort((a, b) => b.length - a.length)
}

/** The outcome of a mail nodemailer could not send; `aborted`: Herald was shutting down. */
export function smtpOutcome (error: unknown, secrets: readonly string[], aborted: boolean): SendOutcome {
  if (aborted) return { outcome: 'retry', error: 'SMTP: Herald was shutting down', notBefore: null }
  const smtp: SmtpError = typeof error === 'object' && error !== null ? error : {}
  let text = excerpt(typeof smtp.message === 'string' ? smtp.message : String(error))
  for (const secret of secrets) text = text.split(secret).join('***')
  const what = `SMTP: ${text}`
  const reply = typeof smtp.responseCode === 'number' ? smtp.responseCode : 0
  if (typeof smtp.code === 'string' && loginCodes.has(smtp.code)) return { outcome: 'retry', error: `${what} (check the login in SMTP_URL)`, notBefore: null }
  // A 5xx to RCPT TO refuses the address itself: it bounced. A 5xx elsewhere refuses this mail (or the login).
  if (reply >= 500) return { outcome: 'failed', error: what, bounced: smtp.command === 'RCPT TO' }
  if (reply >= 400) return { outcome: 'retry', error: what, notBefore: null }
  if (typeof smtp.code === 'string' && permanentCodes.has(smtp.code)) return { outcome: 'failed', error: what, bounced: false }
  return { outcome: 'retry', error: what, notBefore: null }
}
