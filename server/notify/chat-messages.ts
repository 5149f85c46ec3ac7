// The messages of the chat channels, each in its native format: Slack blocks, a Discord embed, a Teams Adaptive Card; every typed text escaped for the channel's markup.
import { type ComponentStatus, componentStatusSeverity, isClosedStatus } from '../domain/statuses.js'
import type { SubscriberKind } from '../domain/subscribers.js'
import type { EventFacts } from './event-facts.js'
import type { SubscriberLinks } from './subscriber-channel.js'

export const chatKinds = ['slack', 'discord', 'teams'] as const satisfies readonly SubscriberKind[]
export type ChatKind = typeof chatKinds[number]

// The limits each service documents (characters); a message over one is refused whole, so every text is cut to fit.
export const chatLimits = {
  slackHeader: 150,
  slackSection: 3000,
  slackText: 3000,
  discordTitle: 256,
  discordDescription: 4096,
  discordField: 1024,
  discordContent: 2000,
  teamsText: 4000
} as const

/** Cut to at most `max` UTF-16 units, with an ellipsis, never between the two halves of a surrogate pair. */
export function cut (text: string, max: number): string {
  if (text.length <= max) return text
  let end = max - 1
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/** `text` escaped, then cut so that the escaped form fits in `max` (never cutting inside an escape). */
function fit (text: string, max: number, escape: (text: string) => string): string {
  let budget = max
  for (;;) {
    const escaped = escape(cut(text, budget))
    if (escaped.length <= max) return escaped
    budget -= escaped.length - max
  }
}

/** Slack: `&`, `<` and `>` are the three characters its text fields take as markup (`<!everyone>`, `<url|label>`). */
export function slackEscape (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A URL inside Slack's `<url|label>`: escaped, and without the `|` and `>` that would end it early. */
function slackUrl (url: string): string {
  return slackEscape(url).replace(/\|/g, '%7C')
}

/**
 * Discord's Markdown: a backslash before each character that can start markup (Discord drops one before any
 * punctuation): emphasis, code, spoilers, masked links, `<@id>` mentions and `@everyone`, and the headings, quotes and
 * lists a line can start with.
 */
export function discordEscape (text: string): string {
  return text.replace(/[\\*_~`|[\]()<@]/g, '\\$&').replace(/^(\s*)([-#>]|\d+\.)/gm, '$1\\$2')
}

/**
 * The Markdown Teams reads in an Adaptive Card's text: bold, italic, links and lists (headings, quotes and code are
 * shown as typed, so they are left alone: an escape there would show its backslash). Teams drops a backslash before
 * the characters escaped here.
 */
export function teamsEscape (text: string): string {
  return text.replace(/[\\*_[\]()]/g, '\\$&').replace(/^(\s*)([-+]|\d+\.)/gm, '$1\\$2')
}

// The page's fills (static/herald.css): the status colours a reader of the page knows.
export const statusColors = {
  ok: 0x1a7f37,
  minor: 0x9a6700,
  partial: 0xbc4c00,
  major: 0xcf222e,
  maintenance: 0x0969da
} as const
type StatusColor = keyof typeof statusColors

const componentColor: Record<ComponentStatus, StatusColor> = {
  operational: 'ok',
  under_maintenance: 'maintenance',
  degraded_performance: 'minor',
  partial_outage: 'partial',
  major_outage: 'major'
}
const impactColor = { none: 'minor', minor: 'minor', major: 'partial', critical: 'major' } as const
const colorRank: Record<StatusColor, number> = { ok: 0, maintenance: 1, minor: 2, partial: 3, major: 4 }

/** Resolved or completed: green; a maintenance under way: blue; else the worse of the impact and the worst component's status. */
export function statusColor (facts: EventFacts): StatusColor {
  const update = facts.update
  if (update !== null && isClosedStatus(update.status)) return 'ok'
  if (facts.incident?.maintenance === true) return 'maintenance'
  const worst = [...facts.components].sort((a, b) => componentStatusSeverity[b.status] - componentStatusSeverity[a.status])[0]
  const byComponent: StatusColor = worst === undefined ? 'ok' : componentColor[worst.status]
  const byImpact: StatusColor = facts.incident === null ? 'ok' : impactColor[facts.incident.impact]
  return colorRank[byComponent] >= colorRank[byImpact] ? byComponent : byImpact
}

interface Told {
  title: string
  status: string
  components: string
  body: string
  url: string
  reference: string
  siteName: string
}

function told (facts: EventFacts): Told {
  const { incident, update } = facts
  // The worker sends chats incident and maintenance events only (eventKinds): a bug otherwise.
  if (incident === null || update === null) throw new Error(`notification ${facts.notification.id} is not an incident update`)
  return {
    title: `[${update.statusLabel}] ${incident.name} (${incident.reference})`,
    status: update.statusLabel,
    components: facts.components.map((component) => `${component.name}: ${component.statusLabel}`).join('\n'),
    body: update.text,
    url: update.url,
    reference: incident.reference,
    siteName: facts.page.name
  }
}

/** Slack: a header, the status and components, the body, the link and the subscription's own link; `text` for notifications. */
export function slackMessage (facts: EventFacts, links: SubscriberLinks): object {
  const m = told(facts)
  const details = [`*Status:* ${slackEscape(m.status)}`]
  if (m.components !== '') details.push(`*Components:*\n${fit(m.components, chatLimits.slackSection - 200, slackEscape)}`)
  return {
    text: fit(`${m.title}: ${m.body}`, chatLimits.slackText, slackEscape),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: fit(m.title, chatLimits.slackHeader, slackEscape), emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: details.join('\n') } },
      ...(m.body === '' ? [] : [{ type: 'section', text: { type: 'mrkdwn', text: fit(m.body, chatLimits.slackSection, slackEscape) } }]),
      {
        type: 'context',
        elements: [{
          type: 'mrkdwn',
          text: `<${slackUrl(m.url)}|${slackEscape(cut(`${m.reference} on ${m.siteName}`, 200))}> · <${slackUrl(links.manage)}|Manage this subscription>`
        }]
      }
    ]
  }
}

/** Discord: one embed in the status colour, the components as a field; mentions in the text ping nobody. */
export function discordMessage (facts: EventFacts, links: SubscriberLinks): object {
  const m = told(facts)
  const fields = m.components === '' ? [] : [{ name: 'Components', value: fit(m.components, chatLimits.discordField, discordEscape), inline: false }]
  const manage = `\n\n[Manage this subscription](${links.manage})`
  return {
    embeds: [{
      title: fit(m.title, chatLimits.discordTitle, discordEscape),
      url: m.url,
      description: fit(m.body, chatLimits.discordDescription - manage.length, discordEscape) + manage,
      color: statusColors[statusColor(facts)],
      fields,
      timestamp: facts.update?.displayAt,
      footer: { text: cut(m.siteName, 100) }
    }],
    allowed_mentions: { parse: [] }
  }
}

const teamsColor: Record<StatusColor, string> = { ok: 'good', maintenance: 'accent', minor: 'warning', partial: 'attention', major: 'attention' }

function adaptiveCard (body: object[], actions: object[]): object {
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body,
        actions
      }
    }]
  }
}

/** Teams (a Workflows webhook): a message with one Adaptive Card 1.4: the title, the status in its colour, the body, the components, two links. */
export function teamsMessage (facts: EventFacts, links: SubscriberLinks): object {
  const m = told(facts)
  const body: object[] = [
    { type: 'TextBlock', text: fit(m.title, 400, teamsEscape), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: teamsEscape(m.status), color: teamsColor[statusColor(facts)], weight: 'Bolder', spacing: 'Small', wrap: true }
  ]
  if (m.body !== '') body.push({ type: 'TextBlock', text: fit(m.body, chatLimits.teamsText, teamsEscape), wrap: true })
  if (facts.components.length > 0) {
    body.push({
      type: 'FactSet',
      facts: facts.components.slice(0, 30).map((component) => ({ title: fit(component.name, 200, teamsEscape), value: teamsEscape(component.statusLabel) }))
    })
  }
  return adaptiveCard(body, [
    { type: 'Action.OpenUrl', title: cut(`View ${m.reference}`, 100), url: m.url },
    { type: 'Action.OpenUrl', title: 'Manage this subscription', url: links.manage }
  ])
}

/** The message of one event for a chat of `kind`. */
export function chatMessage (kind: ChatKind, facts: EventFacts, links: SubscriberLinks): object {
  if (kind === 'slack') return slackMessage(facts, links)
  if (kind === 'discord') return discordMessage(facts, links)
  return teamsMessage(facts, links)
}

/** The first message of a new chat subscription: where it will post, and the page's link. */
export function chatTestMessage (kind: ChatKind, site: { siteName: string, publicUrl: string }): object {
  const text = `Herald will post updates of ${site.siteName} here.`
  if (kind === 'slack') {
    return {
      text: fit(text, chatLimits.slackText, slackEscape),
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${fit(text, chatLimits.slackSection - 300, slackEscape)}\n<${slackUrl(site.publicUrl)}|${fit(site.siteName, 200, slackEscape)}>` } }]
    }
  }
  if (kind === 'discord') return { content: `${fit(text, chatLimits.discordContent - 300, discordEscape)}\n${site.publicUrl}`, allowed_mentions: { parse: [] } }
  return adaptiveCard(
    [{ type: 'TextBlock', text: fit(text, chatLimits.teamsText, teamsEscape), wrap: true }],
    [{ type: 'Action.OpenUrl', title: cut(site.siteName, 100), url: site.publicUrl }]
  )
}
