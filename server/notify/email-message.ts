// The mail of one incident or maintenance update to one subscriber: subject, HTML and text parts, and the list headers.
import type { ComponentStatus } from '../domain/statuses.js'
import { formatDateTime } from '../views/format.js'
import { deliveryMessageId, oneLine, plainText, publicHost, renderEmail } from './email-templates.js'
import type { SubscriberMessage } from './subscriber-channel.js'

/** Where the mails come from: the site's name and PUBLIC_URL. */
export interface EmailSite {
  siteName: string
  publicUrl: string
}

/** One mail, ready for nodemailer: `list` is its `list` option (List-Unsubscribe, List-Id, escaped by nodemailer). */
export interface EmailMessage {
  subject: string
  html: string
  text: string
  messageId: string
  list: {
    unsubscribe: { url: string }
    id: { url: string, comment: string }
  }
  headers: Record<string, string>
}

// The page's status text colours (static/herald.css: --text-*), light first; the dark ones are in the layout's style.
const statusClass: Record<ComponentStatus, string> = {
  operational: 'ok',
  degraded_performance: 'minor',
  partial_outage: 'partial',
  major_outage: 'major',
  under_maintenance: 'maintenance'
}
const lightColours: Record<string, string> = {
  ok: '#116329',
  minor: '#7d4e00',
  partial: '#953800',
  major: '#a40e26',
  maintenance: '#0550ae'
}

/** The subject: `[Identified] Users unable to access Microsoft Teams (TM202916)`, on one line whatever was typed. */
export function updateSubject (statusLabel: string, name: string, reference: string): string {
  return `[${oneLine(statusLabel)}] ${oneLine(name)} (${oneLine(reference)})`
}

/** The list headers of every mail to a subscriber (RFC 2369, 2919, 8058, 3834). */
export function listHeaders (site: EmailSite, unsubscribeUrl: string): Pick<EmailMessage, 'list' | 'headers'> {
  return {
    list: {
      unsubscribe: { url: unsubscribeUrl },
      id: { url: `updates.${publicHost(site.publicUrl)}`, comment: oneLine(site.siteName) }
    },
    headers: {
      // RFC 8058: a POST of this body to the List-Unsubscribe URL unsubscribes, without a page or a cookie.
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // RFC 3834: no out-of-office replies to a machine's mail.
      'Auto-Submitted': 'auto-generated'
    }
  }
}

/** The mail of an incident or maintenance update. A component event is for webhooks only: the worker sends none here. */
export function updateEmail (message: SubscriberMessage, site: EmailSite): EmailMessage {
  const { facts, links } = message
  if (facts.incident === null || facts.update === null) {
    throw new Error(`notification ${facts.notification.id} is a ${facts.notification.event} event: it has no mail`)
  }
  const incident = facts.incident
  const update = facts.update
  const subject = updateSubject(update.statusLabel, incident.name, incident.reference)
  const view = {
    subject,
    siteName: oneLine(site.siteName),
    siteUrl: site.publicUrl,
    kind: incident.maintenance ? 'Maintenance' : 'Incident',
    statusLabel: oneLine(update.statusLabel),
    name: oneLine(incident.name),
    reference: oneLine(incident.reference),
    // Already sanitized as on the page (the same renderer): the one value the HTML template takes unescaped.
    bodyHtml: update.html,
    bodyText: plainText(update.text).trim(),
    postedAt: formatDateTime(update.displayAt),
    incidentUrl: incident.url,
    updateUrl: update.url,
    linkText: incident.maintenance ? 'View the maintenance' : 'View the incident',
    components: facts.components.map((component) => ({
      name: oneLine(component.name),
      statusLabel: oneLine(component.statusLabel),
      statusClass: statusClass[component.status],
      colour: lightColours[statusClass[component.status]]
    })),
    manageUrl: links.manage,
    unsubscribeUrl: links.unsubscribe,
    footer: `You receive this because you subscribed to updates from ${oneLine(site.siteName)}.`
  }
  return {
    subject,
    ...renderEmail('update', view),
    messageId: deliveryMessageId(message.deliveryId, site.publicUrl),
    ...listHeaders(site, links.unsubscribe)
  }
}
