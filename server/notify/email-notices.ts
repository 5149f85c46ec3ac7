// The mails around a subscription rather than an event: the double opt-in, "already subscribed", and a notice to an admin or a contact.
import { oneLine, plainText, renderEmail } from './email-templates.js'
import type { EmailSite } from './email-message.js'

/** A mail that is not an update: no list headers (the address is not on the list yet, or never was). */
export interface NoticeMessage {
  subject: string
  /** None for a notice: plain text only. */
  html?: string
  text: string
  headers: Record<string, string>
}

// RFC 3834: no out-of-office replies to these either.
const autoSubmitted = { 'Auto-Submitted': 'auto-generated' }

/** The double opt-in mail: the link to `/subscriptions/confirm/<token>`, and what was asked for (no names: every component). */
export function confirmationEmail (site: EmailSite, confirmUrl: string, components: readonly string[]): NoticeMessage {
  const siteName = oneLine(site.siteName)
  const subject = `Confirm your subscription to ${siteName}`
  const view = {
    subject,
    siteName,
    siteUrl: site.publicUrl,
    confirmUrl,
    components: components.map(oneLine),
    footer: 'If you did not ask for this, ignore this mail: nothing is sent to this address unless the link is followed, and the request is forgotten after 7 days.',
    manageUrl: null
  }
  return { subject, ...renderEmail('confirm', view), headers: autoSubmitted }
}

/** Sent instead of a confirmation when the address is already subscribed: the page answers the same either way. */
export function alreadySubscribedEmail (site: EmailSite, subscriptionUrl: string): NoticeMessage {
  const siteName = oneLine(site.siteName)
  const subject = `You are already subscribed to ${siteName}`
  const view = {
    subject,
    siteName,
    siteUrl: site.publicUrl,
    subscriptionUrl,
    footer: 'If you did not ask for this, ignore this mail: nothing has changed.',
    manageUrl: null
  }
  return { subject, ...renderEmail('already', view), headers: autoSubmitted }
}

/** A notice in plain text (a delivery that failed for good, a webhook quarantined): to an admin or a webhook's contact. */
export function noticeEmail (site: EmailSite, subject: string, text: string): NoticeMessage {
  return {
    subject: `[${oneLine(site.siteName)}] ${oneLine(subject)}`,
    text: plainText(text),
    headers: autoSubmitted
  }
}
