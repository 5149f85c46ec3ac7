// The Statuspage-compatible public API v2: Herald's records as Atlassian Statuspage's JSON, field for field.
import { createHash } from 'node:crypto'
import { incidentPath } from '../domain/links.js'
import type { Component, ComponentGroup, IncidentUpdate, IncidentWithUpdates } from '../domain/model.js'
import type { Indicator, OverallStatus } from '../domain/overall-status.js'
import { type PublishedPostmortem, statusWithPostmortem } from '../domain/postmortems.js'
import { type GroupEntry, pageLayout } from '../domain/page-layout.js'
import type { ComponentStatus, Impact, UpdateStatus } from '../domain/statuses.js'

// Each object's keys are in the order of Statuspage's answers (the README names the responses they were
// checked against): the literals below are written in that order, and JSON.stringify keeps it.

export interface ApiPage {
  id: string
  name: string
  url: string
  time_zone: string
  updated_at: string
}

export interface ApiComponent {
  id: string
  name: string
  status: ComponentStatus
  created_at: string
  updated_at: string
  position: number
  description: string | null
  showcase: boolean
  start_date: string | null
  group_id: string | null
  page_id: string
  group: boolean
  only_show_if_degraded: boolean
  /** Only on groups: their members' ids, last, as Statuspage puts them. */
  components?: string[]
}

export interface ApiAffectedComponent {
  code: string
  name: string
  old_status: ComponentStatus
  new_status: ComponentStatus
}

export interface ApiIncidentUpdate {
  id: string
  status: UpdateStatus
  body: string
  incident_id: string
  created_at: string
  updated_at: string
  display_at: string
  affected_components: ApiAffectedComponent[] | null
  deliver_notifications: boolean
  custom_tweet: string | null
  tweet_id: string | null
}

export interface ApiIncident {
  id: string
  name: string
  status: UpdateStatus
  created_at: string
  updated_at: string
  monitoring_at: string | null
  resolved_at: string | null
  impact: Impact | 'maintenance'
  shortlink: string
  started_at: string
  page_id: string
  incident_updates: ApiIncidentUpdate[]
  components: ApiComponent[]
  /**
   * The published postmortem (Markdown, as Statuspage gives it), when its body last changed and when it was
   * published; null without one (a draft is never shown). Statuspage's incident fields of the same names.
   */
  postmortem_body: string | null
  postmortem_body_last_updated_at: string | null
  postmortem_published_at: string | null
  /**
   * Current answers end with it, null. The other older fields (postmortem_ignored, postmortem_notified_*,
   * scheduled_remind_prior, scheduled_reminded_at, impact_override, scheduled_auto_*, backfilled) are only in
   * 2016 answers and the authenticated v1 API, so they are left out.
   */
  reminder_intervals: null
}

export interface ApiMaintenance extends ApiIncident {
  scheduled_for: string
  scheduled_until: string
}

export interface ApiStatus {
  indicator: Indicator
  description: string
}

export interface ApiPageInput {
  siteName: string
  publicUrl: string
  /** The latest change the API shows. */
  updatedAt: string
  /** In page order (ComponentsStore.list). */
  components: Component[]
  groups: ComponentGroup[]
}

/** What Statuspage calls the page: built once per response, shared by every object in it. */
export interface ApiContext {
  page: ApiPage
  /** Groups and components, in Statuspage's order. */
  components: ApiComponent[]
  /** The components (not groups) by Herald id. */
  componentsById: Map<number, ApiComponent>
  /** Each listed component's place in `components`, for sorting the components of an incident the same way. */
  rank: Map<string, number>
  /** The group name of each listed component, for the names in affected_components. */
  groupNames: Map<number, string>
}

/** What the social channels know of an incident's updates, by update id; the published postmortems, by incident id. */
export interface ApiSocial {
  tweetIds: ReadonlyMap<number, string>
  postmortems: ReadonlyMap<number, PublishedPostmortem>
}

// As githubstatus.com answers: Herald's times are UTC.
const apiTimeZone = 'Etc/UTC'

/** The first 12 hex digits of the SHA-256 of PUBLIC_URL: stable without being stored. */
export function apiPageId (publicUrl: string): string {
  return createHash('sha256').update(publicUrl).digest('hex').slice(0, 12)
}

/** Groups and components are numbered apart: the prefix keeps a group's id from being a component's. */
function apiGroupId (groupId: number): string {
  return `group-${groupId}`
}

function componentObject (component: Component, position: number, pageId: string): ApiComponent {
  return {
    id: String(component.id),
    name: component.name,
    status: component.status,
    created_at: component.createdAt,
    updated_at: component.updatedAt,
    position,
    description: component.description === '' ? null : component.description,
    // Every component shows its uptime bar, which starts the day the component was made.
    showcase: true,
    start_date: component.createdAt.slice(0, 10),
    group_id: component.groupId === null ? null : apiGroupId(component.groupId),
    page_id: pageId,
    group: false,
    only_show_if_degraded: false
  }
}

function groupObject (group: ComponentGroup, { members, status }: GroupEntry, position: number, pageId: string): ApiComponent {
  return {
    id: apiGroupId(group.id),
    name: group.name,
    status,
    created_at: group.createdAt,
    updated_at: group.updatedAt,
    position,
    description: null,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: true,
    only_show_if_degraded: false,
    components: members.map((member) => String(member.id))
  }
}

/**
 * The page and its components. Positions count from 1 on the top level (components outside groups and
 * groups, in page order) and inside each group; the list is ordered by position, as Statuspage's is,
 * page order breaking ties. A group without components is not on the page, so not listed.
 */
export function apiContext (input: ApiPageInput): ApiContext {
  const page: ApiPage = {
    id: apiPageId(input.publicUrl),
    name: input.siteName,
    url: input.publicUrl,
    time_zone: apiTimeZone,
    updated_at: input.updatedAt
  }
  const groupsById = new Map(input.groups.map((group) => [group.id, group]))
  const inPageOrder: ApiComponent[] = []
  const componentsById = new Map<number, ApiComponent>()
  const groupNames = new Map<number, string>()
  let topLevel = 0
  for (const entry of pageLayout(input.components)) {
    if (entry.kind === 'component') {
      const object = componentObject(entry.component, ++topLevel, page.id)
      inPageOrder.push(object)
      componentsById.set(entry.component.id, object)
      continue
    }
    const group = groupsById.get(entry.id)
    // A foreign key keeps every member's group row: this would be a bug, not a state of the page.
    if (group === undefined) throw new Error(`group ${entry.id} of the page is not listed`)
    inPageOrder.push(groupObject(group, entry, ++topLevel, page.id))
    entry.members.forEach((member, index) => {
      const object = componentObject(member, index + 1, page.id)
      inPageOrder.push(object)
      componentsById.set(member.id, object)
      groupNames.set(member.id, group.name)
    })
  }
  const order = new Map(inPageOrder.map((object, index) => [object, index]))
  const components = [...inPageOrder].sort((a, b) => a.position - b.position || (order.get(a) ?? 0) - (order.get(b) ?? 0))
  return {
    page,
    components,
    componentsById,
    rank: new Map(components.map((object, index) => [object.id, index])),
    groupNames
  }
}

/**
 * The page roll-up (views/current-status.ts, the same as the status page's banner and the badge) in Statuspage's
 * shape. Statuspage answers the indicator `maintenance` while a maintenance runs; Herald keeps the documented four,
 * and the description says "Service Under Maintenance".
 */
export function apiStatus (overall: OverallStatus): ApiStatus {
  return { indicator: overall.indicator, description: overall.description }
}

function updateObject (context: ApiContext, reference: string, update: IncidentUpdate, social: ApiSocial): ApiIncidentUpdate {
  const affected = update.affectedComponents.map((change) => {
    const group = context.groupNames.get(change.componentId)
    return {
      code: String(change.componentId),
      // Statuspage names a grouped component "<group> - <component>" here.
      name: group === undefined ? change.name : `${group} - ${change.name}`,
      old_status: change.oldStatus,
      new_status: change.newStatus
    }
  })
  return {
    id: String(update.id),
    status: statuspageStatus(update.status),
    body: update.body,
    incident_id: reference,
    created_at: update.createdAt,
    updated_at: update.updatedAt,
    display_at: update.displayAt,
    // Statuspage says null, not [], for an update that changed no component.
    affected_components: affected.length === 0 ? null : affected,
    deliver_notifications: update.notify,
    custom_tweet: update.postText,
    tweet_id: social.tweetIds.get(update.id) ?? null
  }
}

/**
 * A status as Statuspage's API has it. Statuspage documents a scheduled maintenance as Scheduled, In
 * Progress, Verifying or Completed (https://developer.statuspage.io/, "Scheduled Maintenances"), and has no
 * cancelled one: a cancelled maintenance is `completed`, and so is the update that cancelled it, whose body
 * says so. Being completed, it leaves upcoming.json and active.json, as it does on Statuspage, where a
 * maintenance called off is completed with a message. Herald's token API says `cancelled`.
 */
function statuspageStatus (status: UpdateStatus): UpdateStatus {
  return status === 'cancelled' ? 'completed' : status
}

export function apiIncident (context: ApiContext, incident: IncidentWithUpdates, social: ApiSocial): ApiIncident {
  const isMaintenance = incident.maintenance !== null
  // Deleted components are left out (their names stay in affected_components).
  const components = incident.components
    .map(({ id }) => context.componentsById.get(id))
    .filter((component): component is ApiComponent => component !== undefined)
    .sort((a, b) => (context.rank.get(a.id) ?? 0) - (context.rank.get(b.id) ?? 0))
  const postmortem = social.postmortems.get(incident.id) ?? null
  return {
    id: incident.reference,
    name: incident.name,
    // Statuspage's meaning: a resolved incident whose postmortem is published is `postmortem`; a cancelled
    // maintenance is `completed` (statuspageStatus).
    status: statuspageStatus(statusWithPostmortem(incident, postmortem)),
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    monitoring_at: incident.monitoringAt,
    // A maintenance's completion, as on Statuspage.
    resolved_at: incident.resolvedAt,
    impact: isMaintenance ? 'maintenance' : incident.impact,
    shortlink: `${context.page.url}${incidentPath(incident.reference)}`,
    // Statuspage dates a maintenance's start to its announcement; when the work starts is in its updates.
    started_at: isMaintenance ? incident.createdAt : incident.startedAt,
    page_id: context.page.id,
    incident_updates: incident.updates.map((update) => updateObject(context, incident.reference, update, social)),
    components,
    postmortem_body: postmortem?.body ?? null,
    postmortem_body_last_updated_at: postmortem?.bodyUpdatedAt ?? null,
    postmortem_published_at: postmortem?.publishedAt ?? null,
    reminder_intervals: null
  }
}

export function apiMaintenance (context: ApiContext, maintenance: IncidentWithUpdates, social: ApiSocial): ApiMaintenance {
  const window = maintenance.maintenance
  if (window === null) throw new Error(`${maintenance.reference} is not a maintenance`)
  return { ...apiIncident(context, maintenance, social), scheduled_for: window.scheduledFor, scheduled_until: window.scheduledUntil }
}

/**
 * Maintenances newest first by planned start (the newest record first on a tie), as the other lists are
 * newest first. Sorted here, not in SQL: upcoming and active come soonest first, and the summary joins the two.
 */
export function apiMaintenances (context: ApiContext, maintenances: IncidentWithUpdates[], social: ApiSocial): ApiMaintenance[] {
  return maintenances
    .map((maintenance) => ({ id: maintenance.id, object: apiMaintenance(context, maintenance, social) }))
    .sort((a, b) => a.object.scheduled_for < b.object.scheduled_for ? 1 : a.object.scheduled_for > b.object.scheduled_for ? -1 : b.id - a.id)
    .map(({ object }) => object)
}

/**
 * JSON with `<`, `>`, `&` and the two JavaScript line separators escaped: the same strings once parsed,
 * but a body that no browser sniffing for HTML and no inline script can misread.
 */
export function apiJson (value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
