// The JSON a webhook subscriber receives: Atlassian Statuspage's webhook payload field for field, plus event_type.
import type { ComponentStatus } from '../domain/statuses.js'
import type { ApiComponent, ApiIncident } from '../views/api-v2-view.js'
import type { EventFacts } from './event-facts.js'
import type { SubscriberLinks } from './subscriber-channel.js'

export type WebhookEventType = 'incident' | 'maintenance' | 'component' | 'test'

export interface WebhookMeta {
  /** The subscriber's one-click unsubscribe link (its GET shows a confirm button); null in the test message, sent before there is a subscriber. */
  unsubscribe: string | null
  documentation: string
  generated_at: string
}

export interface WebhookPage {
  id: string
  status_indicator: string
  status_description: string
}

export interface IncidentPayload {
  event_type: 'incident' | 'maintenance'
  meta: WebhookMeta
  page: WebhookPage
  incident: ApiIncident
}

export interface ComponentPayload {
  event_type: 'component'
  meta: WebhookMeta
  page: WebhookPage
  component_update: {
    old_status: ComponentStatus
    new_status: ComponentStatus
    created_at: string
    component_type: 'Component'
    id: string
    component_id: string
  }
  component: ApiComponent
}

export interface TestPayload {
  event_type: 'test'
  meta: WebhookMeta
  page: { id: string, name: string, url: string }
  message: string
}

export type WebhookPayload = IncidentPayload | ComponentPayload | TestPayload

/** Where meta.documentation points: the page's own subscribe page, which explains what is sent. */
export function documentationUrl (publicUrl: string): string {
  return `${publicUrl}/subscribe`
}

/**
 * The payload of one event. Keys are in Statuspage's order (event_type first, as Better Stack puts it), so a
 * receiver written for Statuspage reads it unchanged; the incident is exactly /api/v2's object for it.
 */
export function webhookPayload (facts: EventFacts, links: SubscriberLinks, now: Date): IncidentPayload | ComponentPayload {
  const meta: WebhookMeta = { unsubscribe: links.unsubscribe, documentation: documentationUrl(facts.page.url), generated_at: now.toISOString() }
  const page: WebhookPage = { id: facts.page.id, status_indicator: facts.page.statusIndicator, status_description: facts.page.statusDescription }
  if (facts.componentChange !== null) {
    const { componentUpdate: change, component } = facts.componentChange
    return {
      event_type: 'component',
      meta,
      page,
      component_update: {
        old_status: change.old_status,
        new_status: change.new_status,
        created_at: change.created_at,
        component_type: 'Component',
        id: change.id,
        component_id: change.component_id
      },
      component
    }
  }
  if (facts.incident === null) throw new Error(`notification ${facts.notification.id} tells neither an incident nor a component`)
  return { event_type: facts.incident.maintenance ? 'maintenance' : 'incident', meta, page, incident: facts.incident.api }
}

/** The first message of a new webhook subscription: proves the URL answers, signed with the new secret. */
export function testPayload (site: { siteName: string, publicUrl: string, pageId: string }, now: Date): TestPayload {
  return {
    event_type: 'test',
    meta: { unsubscribe: null, documentation: documentationUrl(site.publicUrl), generated_at: now.toISOString() },
    page: { id: site.pageId, name: site.siteName, url: site.publicUrl },
    message: `Herald will post updates of ${site.siteName} here.`
  }
}
