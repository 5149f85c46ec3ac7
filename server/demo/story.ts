// The demo's content: Microsoft Teams-like components, the TM202916 story of 3 February 2020, maintenance and templates.
import type { TemplateFields } from '../domain/incident-templates.js'
import type { ComponentStatus, Impact, IncidentStatus, MaintenanceStatus } from '../domain/statuses.js'

export interface DemoComponent {
  name: string
  description: string
  group?: string
}

/** Component name to the status an update gives it. */
export type DemoStatusChanges = Record<string, ComponentStatus>

export interface DemoUpdate {
  status: IncidentStatus
  body: string
  components?: DemoStatusChanges
}

/** A past incident: its day (counted back from today, UTC) and its updates at UTC times of that day. */
export interface PastIncident {
  reference: string
  name: string
  /** Absent: the one its components' statuses imply, as when an admin leaves it out. */
  impact?: Impact
  daysAgo: number
  updates: Array<DemoUpdate & { time: string }>
  /** Its postmortem, published `daysAgo` days back (after it was resolved) at `time`. */
  postmortem?: DemoMoment & { body: string }
}

/** A day counted back from today (UTC; negative: ahead) and a UTC time of that day. */
export interface DemoMoment {
  daysAgo: number
  time: string
}

/**
 * A maintenance announced ahead and run by the clock: it starts and completes at its window's ends
 * by itself; `updates` are those posted by hand while it runs.
 */
export interface DemoMaintenance {
  reference: string
  name: string
  components: string[]
  announced: DemoMoment
  body: string
  window: { daysAgo: number, from: string, until: string }
  updates: Array<{ time: string, status: MaintenanceStatus, body: string }>
}

export const demoComponents: DemoComponent[] = [
  { name: 'Teams chat', description: 'One-on-one, group and channel messages, and file sharing in chats.', group: 'Microsoft Teams' },
  { name: 'Meetings & calling', description: 'Scheduled and ad hoc meetings, calls and live events.', group: 'Microsoft Teams' },
  { name: 'Sign-in', description: 'Signing in to Teams on desktop, web and mobile.', group: 'Microsoft Teams' },
  { name: 'Admin center', description: 'The admin center, its service health dashboard and usage reports.', group: 'Admin' },
  { name: 'Status API', description: 'The JSON API of this page, for widgets and monitors.' }
]

/**
 * TM202916 as it happened on 3 February 2020 (US Eastern time): the first update came at 09:00, the
 * expired authentication certificate was found at 10:00, and the updated certificate started deploying
 * an hour later. Teams had been failing since about 08:30, but the record starts with its first
 * update, as an incident opened in Herald does. The demo keeps these gaps and slides the story so that
 * the deployment update is a few minutes old and the incident is still open.
 */
export const teamsOutage: {
  reference: string
  name: string
  lastUpdateMinutesAgo: number
  updates: Array<DemoUpdate & { minutesAfterStart: number }>
} = {
  reference: 'TM202916',
  name: 'Users may be unable to access Microsoft Teams',
  /** How old the last update (the deployment) is when the demo is loaded. */
  lastUpdateMinutesAgo: 4,
  /** Minutes after the first update (09:00 ET). */
  updates: [
    {
      minutesAfterStart: 0, // 09:00 ET
      status: 'investigating',
      body: "We're investigating an issue where users may be unable to access Microsoft Teams or may see errors when signing in. " +
        'The admin center may also be affected, so we will keep posting updates on this page and on our status account.',
      components: { 'Teams chat': 'major_outage', 'Sign-in': 'major_outage', 'Meetings & calling': 'partial_outage', 'Admin center': 'partial_outage' }
    },
    {
      minutesAfterStart: 60, // 10:00 ET
      status: 'identified',
      body: "We've determined that an authentication certificate has expired, causing users to have issues using the service. " +
        "We're working on deploying an updated certificate to resolve the issue."
    },
    {
      minutesAfterStart: 120, // 11:00 ET
      status: 'monitoring',
      body: "We've initiated the deployment of the updated certificate. Access is coming back as the certificate propagates:\n\n" +
        '- **Sign-in**: most users on the web app can sign in again; desktop and mobile clients follow.\n' +
        '- **Teams chat**: messages sent during the outage are being delivered.\n\n' +
        "We're monitoring the deployment and will post again within the hour.",
      components: { 'Teams chat': 'partial_outage', 'Sign-in': 'partial_outage', 'Meetings & calling': 'degraded_performance' }
    }
  ]
}

/** Two maintenances done (the blue days of the uptime bars) and one ahead, shown under "Scheduled maintenance". */
export const demoMaintenances: DemoMaintenance[] = [
  {
    reference: 'MT194010',
    name: 'Upgrade of the meeting media relays',
    components: ['Meetings & calling'],
    announced: { daysAgo: 59, time: '16:00' },
    body: 'We will upgrade the media relays that carry audio and video in meetings and calls, one region at a time. ' +
      'Calls in progress may drop for a few seconds when their region switches over; join again if yours does.',
    window: { daysAgo: 52, from: '02:00', until: '04:00' },
    updates: [
      {
        time: '03:05',
        status: 'in_progress',
        body: 'The new relays carry all traffic in North America and Europe. Asia Pacific is next.'
      },
      {
        time: '03:35',
        status: 'verifying',
        body: "Every region runs on the new relays. We're checking call quality everywhere before we close the window."
      }
    ]
  },
  {
    reference: 'MT199877',
    name: 'Status API database upgrade',
    components: ['Status API'],
    announced: { daysAgo: 14, time: '10:00' },
    body: 'We will move the status API to a new database version. The API may answer `503` for up to a minute during the window; this page stays up.',
    window: { daysAgo: 10, from: '05:00', until: '05:45' },
    updates: []
  },
  {
    reference: 'MT202930',
    name: 'Chat message store upgrade',
    components: ['Teams chat'],
    announced: { daysAgo: 2, time: '11:00' },
    body: 'We will upgrade the databases that store chat messages. Chat stays available, but messages may take up to a minute to arrive during the window. ' +
      'Nothing needs to be done on your side.',
    window: { daysAgo: -3, from: '02:00', until: '03:00' },
    updates: []
  }
]

/** Presets for the new-incident form: {component} becomes the names of the affected components. */
export const demoTemplates: TemplateFields[] = [
  {
    name: 'Unreachable',
    title: 'Users may be unable to access {component}',
    body: "We're investigating an issue where users may be unable to access {component}. We'll post an update within 30 minutes."
  },
  {
    name: 'Slow',
    title: '{component} slower than usual',
    body: "Some users may find {component} slower than usual. We're investigating and will post an update within an hour."
  }
]
