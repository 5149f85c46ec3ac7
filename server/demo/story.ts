// The demo's content: Microsoft Teams-like components, the TM202916 story of 3 February 2020, and 90 days of history.
import type { ComponentStatus, IncidentStatus } from '../domain/statuses.js'

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
  daysAgo: number
  updates: Array<DemoUpdate & { time: string }>
}

/** A status set by hand (by a monitor or an operator) and set back later the same day, with no incident. */
export interface HandSetStatus {
  component: string
  status: ComponentStatus
  daysAgo: number
  from: string
  until: string
}

export const demoComponents: DemoComponent[] = [
  { name: 'Teams chat', description: 'One-on-one, group and channel messages, and file sharing in chats.', group: 'Microsoft Teams' },
  { name: 'Meetings & calling', description: 'Scheduled and ad hoc meetings, calls and live events.', group: 'Microsoft Teams' },
  { name: 'Sign-in', description: 'Signing in to Teams on desktop, web and mobile.', group: 'Microsoft Teams' },
  { name: 'Admin center', description: 'The admin center, its service health dashboard and usage reports.', group: 'Admin' },
  { name: 'Status API', description: 'The JSON API of this page, for widgets and monitors.' }
]

/**
 * TM202916 as it happened on 3 February 2020 (US Eastern time): Teams went down at 08:30, the first
 * update came at 09:00, the expired authentication certificate was found at 10:00, and the updated
 * certificate started deploying about an hour later. The demo keeps these gaps and slides the story so
 * that the deployment update is a few minutes old and the incident is still open.
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
  /** Minutes after the outage started (08:30 ET). */
  updates: [
    {
      minutesAfterStart: 30, // 09:00 ET
      status: 'investigating',
      body: "We're investigating an issue where users may be unable to access Microsoft Teams or may see errors when signing in. " +
        'The admin center may also be affected, so we will keep posting updates on this page and on our status account.',
      components: { 'Teams chat': 'major_outage', 'Sign-in': 'major_outage', 'Meetings & calling': 'partial_outage', 'Admin center': 'partial_outage' }
    },
    {
      minutesAfterStart: 90, // 10:00 ET
      status: 'identified',
      body: "We've determined that an authentication certificate has expired, causing users to have issues using the service. " +
        "We're working on deploying an updated certificate to resolve the issue."
    },
    {
      minutesAfterStart: 150, // 11:00 ET
      status: 'monitoring',
      body: "We've initiated the deployment of the updated certificate. Access is coming back as the certificate propagates:\n\n" +
        '- **Sign-in**: most users on the web app can sign in again; desktop and mobile clients follow.\n' +
        '- **Teams chat**: messages sent during the outage are being delivered.\n\n' +
        "We're monitoring the deployment and will post again within the hour.",
      components: { 'Teams chat': 'partial_outage', 'Sign-in': 'partial_outage', 'Meetings & calling': 'degraded_performance' }
    }
  ]
}

// Oldest first. Each ends before 20:00 UTC on its day, so none can overlap today's TM202916.
export const pastIncidents: PastIncident[] = [
  {
    reference: 'TM187450',
    name: "Some users can't upload files in Teams chat",
    daysAgo: 81,
    updates: [
      {
        time: '14:10',
        status: 'investigating',
        body: "We're investigating reports that some users can't upload files to one-on-one and group chats. Files shared in channels are not affected.",
        components: { 'Teams chat': 'degraded_performance' }
      },
      {
        time: '14:55',
        status: 'identified',
        body: "We've identified a recent update to the file upload service that fails for files larger than 25 MB. We're rolling the update back."
      },
      {
        time: '15:40',
        status: 'resolved',
        body: "The rollback has completed and we've confirmed that file uploads work again for all users."
      }
    ]
  },
  {
    reference: 'TM191033',
    name: 'Delays receiving chat messages',
    daysAgo: 63,
    updates: [
      {
        time: '09:20',
        status: 'investigating',
        body: "Users may see delays of several minutes before chat messages are delivered. We're reviewing service telemetry to isolate the cause.",
        components: { 'Teams chat': 'degraded_performance' }
      },
      {
        time: '10:05',
        status: 'identified',
        body: "A database in the North America region is under heavy load, which is delaying message delivery. We're moving traffic to healthy capacity.",
        components: { 'Teams chat': 'partial_outage' }
      },
      {
        time: '10:50',
        status: 'monitoring',
        body: "Traffic has been moved and message delivery times are returning to normal. We're monitoring the service to confirm.",
        components: { 'Teams chat': 'degraded_performance' }
      },
      {
        time: '11:35',
        status: 'resolved',
        body: 'Message delivery has stayed within normal limits for 45 minutes. Messages sent during the incident were delivered, none were lost.'
      }
    ]
  },
  {
    reference: 'TM194521',
    name: 'Usage reports not loading in the admin center',
    daysAgo: 45,
    updates: [
      {
        time: '16:00',
        status: 'investigating',
        body: 'Admins may be unable to load usage reports in the admin center. Other admin center pages work as expected.',
        components: { 'Admin center': 'partial_outage' }
      },
      {
        time: '17:10',
        status: 'resolved',
        body: 'A failed deployment had stopped the reporting service. We restarted it and confirmed that usage reports load again. No report data was lost.'
      }
    ]
  },
  {
    reference: 'TM198206',
    name: 'Some users unable to join meetings from the desktop client',
    daysAgo: 26,
    updates: [
      {
        time: '13:45',
        status: 'investigating',
        body: "Some users can't join scheduled meetings from the Teams desktop client and see the error *We couldn't connect you*. " +
          'As a workaround, join from the web app or the mobile app.',
        components: { 'Meetings & calling': 'partial_outage' }
      },
      {
        time: '14:30',
        status: 'identified',
        body: "A configuration change to the meeting join service is making join requests time out. We're reverting the change."
      },
      {
        time: '15:20',
        status: 'monitoring',
        body: 'The change has been reverted. Users who still see the error should quit and restart the desktop client.',
        components: { 'Meetings & calling': 'degraded_performance' }
      },
      {
        time: '16:05',
        status: 'resolved',
        body: "We've confirmed that users can join meetings from every client. We're adding checks so that such a change is caught before it reaches production."
      }
    ]
  },
  {
    reference: 'TM200114',
    name: 'Status API returning errors',
    daysAgo: 12,
    updates: [
      {
        time: '07:05',
        status: 'investigating',
        body: 'Requests to the status API fail with `503 Service Unavailable`. This page itself is not affected.',
        components: { 'Status API': 'major_outage' }
      },
      {
        time: '07:40',
        status: 'resolved',
        body: 'The API gateway ran out of connections after a spike in traffic. We added capacity and the API answers normally again.'
      }
    ]
  },
  {
    reference: 'TM200989',
    name: 'Intermittent sign-in failures in Europe',
    daysAgo: 9,
    updates: [
      {
        time: '11:30',
        status: 'investigating',
        body: 'Some users in Europe are intermittently unable to sign in to Teams. Users who are already signed in are not affected.',
        components: { 'Sign-in': 'partial_outage' }
      },
      {
        time: '12:15',
        status: 'identified',
        body: "We've found a network problem between two European datacenters and are routing authentication traffic around it.",
        components: { 'Sign-in': 'degraded_performance' }
      },
      {
        time: '13:00',
        status: 'resolved',
        body: 'Sign-in has been working normally in Europe for 30 minutes. Our network provider is repairing the faulty link.'
      }
    ]
  },
  {
    reference: 'TM201640',
    name: 'Poor call quality for some users in North America',
    daysAgo: 4,
    updates: [
      {
        time: '18:20',
        status: 'investigating',
        body: 'Some users in North America may have dropped calls or choppy audio in meetings and calls.',
        components: { 'Meetings & calling': 'degraded_performance' }
      },
      {
        time: '19:05',
        status: 'monitoring',
        body: "We've moved media traffic off a degraded network path and call quality is improving. We're monitoring."
      },
      {
        time: '19:50',
        status: 'resolved',
        body: 'Call quality has been back to normal for 45 minutes. This incident is resolved.'
      }
    ]
  },
  {
    reference: 'TM202377',
    name: 'Presence not updating',
    daysAgo: 1,
    updates: [
      {
        time: '10:00',
        status: 'investigating',
        body: 'Users may see out-of-date presence (Available, Busy, Away) for their contacts. Chat and meetings work normally.',
        components: { 'Teams chat': 'degraded_performance' }
      },
      {
        time: '10:45',
        status: 'resolved',
        body: "We restarted the affected presence service instances and presence updates normally again."
      }
    ]
  }
]

// Days with a status change but no incident: what a monitor or a planned job leaves in the uptime bars.
export const handSetStatuses: HandSetStatus[] = [
  { component: 'Sign-in', status: 'degraded_performance', daysAgo: 70, from: '03:15', until: '03:40' },
  { component: 'Meetings & calling', status: 'under_maintenance', daysAgo: 58, from: '02:00', until: '03:30' },
  { component: 'Status API', status: 'degraded_performance', daysAgo: 33, from: '06:10', until: '06:35' }
]
