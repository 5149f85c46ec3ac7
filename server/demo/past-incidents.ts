// The demo's 90 days of history: resolved incidents of every impact, each on one UTC day with its timeline.
import type { PastIncident } from './story.js'

// Oldest first. Each starts and ends on its day before 20:00 UTC, so no two days share one and none can
// overlap today's TM202916 (which starts about two hours before the demo is loaded). Days with a
// maintenance (52 and 10 days ago, see story.ts) have no incident.
export const pastIncidents: PastIncident[] = [
  {
    reference: 'TM185902',
    name: 'Teams desktop client closes on start for some Mac users',
    daysAgo: 88,
    updates: [
      {
        time: '08:40',
        status: 'investigating',
        body: "We're investigating reports that the Teams desktop client closes right after it starts on some Mac computers. " +
          'The web app at teams.example.com is not affected and can be used in the meantime.',
        components: { 'Teams chat': 'degraded_performance' }
      },
      {
        time: '09:35',
        status: 'identified',
        body: "The client update released this morning fails on macOS 12. We've paused the rollout so no more computers receive it."
      },
      {
        time: '11:20',
        status: 'monitoring',
        body: 'A fixed update is rolling out. Affected users can quit and restart the client to receive it.'
      },
      {
        time: '12:05',
        status: 'resolved',
        body: 'The fixed update has reached every affected computer and the client starts normally.'
      }
    ]
  },
  {
    reference: 'TM186377',
    name: "Meetings don't appear in the Teams calendar",
    daysAgo: 84,
    updates: [
      {
        time: '13:15',
        status: 'investigating',
        body: "Some users don't see their scheduled meetings in the Teams calendar. Meeting links in invitations still work.",
        components: { 'Meetings & calling': 'partial_outage' }
      },
      {
        time: '14:00',
        status: 'identified',
        body: 'A calendar synchronization service in the United States stopped processing changes. We are restarting it and replaying the backlog.'
      },
      {
        time: '15:10',
        status: 'resolved',
        body: 'The backlog has been replayed and calendars show every meeting again, including those created during the incident.'
      }
    ]
  },
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
    reference: 'TM188113',
    name: 'Guest users stuck in a sign-in loop',
    daysAgo: 76,
    updates: [
      {
        time: '10:25',
        status: 'investigating',
        body: 'Guest users from other organizations are sent back to the sign-in page after entering their password. Members of your organization are not affected.',
        components: { 'Sign-in': 'partial_outage' }
      },
      {
        time: '11:05',
        status: 'identified',
        body: 'A change to how guest invitations are checked rejects valid guest sessions. We are reverting it.',
        components: { 'Sign-in': 'degraded_performance' }
      },
      {
        time: '11:50',
        status: 'resolved',
        body: 'The change has been reverted and guests can sign in again. Guests who still see the loop should close the browser tab and open the invitation link again.'
      }
    ]
  },
  {
    reference: 'TM188954',
    name: 'Usage reports in the admin center are a day late',
    daysAgo: 72,
    updates: [
      {
        time: '07:30',
        status: 'investigating',
        body: "The Teams usage reports in the admin center still show the day before yesterday. We're looking into why the nightly processing did not finish.",
        components: { 'Admin center': 'degraded_performance' }
      },
      {
        time: '09:45',
        status: 'resolved',
        body: 'The nightly processing ran out of time on a larger than usual data set. It has now completed and the reports are up to date.'
      }
    ]
  },
  {
    reference: 'TM189620',
    name: 'Slow answers from the status API',
    daysAgo: 67,
    updates: [
      {
        time: '16:20',
        status: 'investigating',
        body: 'Requests to the status API take up to 20 seconds. Widgets that read it may show an old status. This page is not affected.',
        components: { 'Status API': 'degraded_performance' }
      },
      {
        time: '16:50',
        status: 'resolved',
        body: 'A misbehaving client was sending thousands of requests a second. We have limited it and the API answers within 100 ms again.'
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
    reference: 'TM191877',
    name: "Organizers can't start live events",
    daysAgo: 58,
    updates: [
      {
        time: '15:00',
        status: 'investigating',
        body: 'Organizers may see *Something went wrong* when they start a live event. Scheduled meetings and calls are not affected.',
        components: { 'Meetings & calling': 'partial_outage' }
      },
      {
        time: '15:40',
        status: 'identified',
        body: 'The service that prepares live event streams ran out of capacity in Western Europe. We are adding capacity and moving new events to other regions.'
      },
      {
        time: '16:25',
        status: 'monitoring',
        body: 'Capacity has been added and new live events start normally. Events that failed to start can be started again now.',
        components: { 'Meetings & calling': 'degraded_performance' }
      },
      {
        time: '17:30',
        status: 'resolved',
        body: 'Live events have started normally for an hour. We are reviewing how capacity is planned ahead of large events.'
      }
    ]
  },
  {
    reference: 'TM193308',
    name: 'Chat search returns no results',
    daysAgo: 49,
    updates: [
      {
        time: '11:10',
        status: 'investigating',
        body: 'Searching chats and channels returns no results for some users. Messages themselves are not affected.',
        components: { 'Teams chat': 'degraded_performance' }
      },
      {
        time: '12:30',
        status: 'identified',
        body: 'A search index was rebuilt with a wrong setting. We are rebuilding it again; search results come back as the rebuild moves on.'
      },
      {
        time: '14:45',
        status: 'resolved',
        body: 'The rebuild has finished and search returns every message again.'
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
    reference: 'TM195204',
    name: 'Users with multi-factor authentication unable to sign in',
    daysAgo: 40,
    updates: [
      {
        time: '06:50',
        status: 'investigating',
        body: "Users who sign in with multi-factor authentication can't complete the second step: the code or the app notification never arrives. " +
          'Users who are already signed in stay signed in.',
        components: { 'Sign-in': 'major_outage', 'Admin center': 'partial_outage' }
      },
      {
        time: '07:20',
        status: 'identified',
        body: "We've found that a provider that delivers the codes and notifications stopped answering. We're moving the traffic to a second provider."
      },
      {
        time: '07:55',
        status: 'monitoring',
        body: 'Codes and notifications are being delivered through the second provider. Users who failed to sign in can try again now.',
        components: { 'Sign-in': 'degraded_performance', 'Admin center': 'operational' }
      },
      {
        time: '08:40',
        status: 'resolved',
        body: 'Sign-in with multi-factor authentication has worked normally for 45 minutes. We will publish what happened with the provider once we know it.'
      }
    ],
    postmortem: {
      daysAgo: 38,
      time: '15:00',
      body: [
        '### What happened',
        '',
        'For 1 hour and 50 minutes, users who sign in with multi-factor authentication could not complete the second step. ' +
          'The provider that delivers our sign-in codes and app notifications rotated the certificate of its API, and our ' +
          'service did not trust the new one: every request to it failed, and nothing fell back to our second provider.',
        '',
        '### Timeline (UTC)',
        '',
        '- **06:35** The provider rotates its certificate; deliveries start failing.',
        '- **06:50** Support reports reach us; we start investigating.',
        '- **07:20** We find the failing requests and start moving the traffic to the second provider.',
        '- **07:55** Codes and notifications flow through the second provider.',
        '- **08:40** Resolved, after 45 minutes without failures.',
        '',
        '### What we are changing',
        '',
        '1. Sign-in falls back to the second provider by itself when the first one fails.',
        '2. We trust the public certificate authorities the provider uses, not one certificate.',
        '3. An alert fires when more than 1 % of code deliveries fail for five minutes.'
      ].join('\n')
    }
  },
  {
    reference: 'TM196017',
    name: 'Missed call notifications arrive late on mobile',
    daysAgo: 36,
    updates: [
      {
        time: '18:05',
        status: 'investigating',
        body: 'Notifications of missed calls may arrive up to 30 minutes late on Android and iOS. Calls themselves ring normally.',
        components: { 'Meetings & calling': 'degraded_performance' }
      },
      {
        time: '19:15',
        status: 'resolved',
        body: 'A queue of the notification service had fallen behind. It has caught up and notifications arrive within seconds again.'
      }
    ]
  },
  {
    reference: 'TM196842',
    name: 'Teams chat unavailable in South America',
    daysAgo: 31,
    updates: [
      {
        time: '12:40',
        status: 'investigating',
        body: "Users in South America can't load chats or send messages. Meetings and calls are not affected.",
        components: { 'Teams chat': 'partial_outage' }
      },
      {
        time: '13:05',
        status: 'identified',
        body: "A network link into our São Paulo datacenter is down. We're routing the region's traffic through Miami; messages may be slow while we do."
      },
      {
        time: '13:35',
        status: 'monitoring',
        body: 'Traffic now goes through Miami and chat works again in South America, a little slower than usual.',
        components: { 'Teams chat': 'degraded_performance' }
      },
      {
        time: '15:20',
        status: 'resolved',
        body: 'The link has been repaired and traffic is back on its usual route.'
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
    reference: 'TM199030',
    name: 'Admin center unavailable',
    daysAgo: 21,
    updates: [
      {
        time: '09:05',
        status: 'investigating',
        body: 'The admin center does not load for any admin. Teams itself works normally: this affects only the administration of it.',
        components: { 'Admin center': 'major_outage' }
      },
      {
        time: '09:30',
        status: 'identified',
        body: 'An expired setting in our content delivery network blocks the admin center pages. We are correcting it.'
      },
      {
        time: '10:10',
        status: 'resolved',
        body: 'The setting has been corrected and the admin center loads again. Changes saved before the incident were kept.'
      }
    ]
  },
  {
    reference: 'TM199618',
    name: 'Email summaries of missed messages delayed',
    impact: 'minor',
    daysAgo: 17,
    updates: [
      {
        time: '06:30',
        status: 'investigating',
        body: 'The daily email summaries of missed messages were not sent this morning. Chat, meetings and notifications in the app work normally.'
      },
      {
        time: '08:15',
        status: 'resolved',
        body: 'The summaries were held up by a failed job, which we restarted. Every summary due this morning has now been sent.'
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
    reference: 'TM201322',
    name: 'Screen sharing fails in some meetings',
    daysAgo: 6,
    updates: [
      {
        time: '14:20',
        status: 'investigating',
        body: 'Presenters in some meetings see a black screen when they share their screen. Audio and video work normally.',
        components: { 'Meetings & calling': 'partial_outage' }
      },
      {
        time: '15:00',
        status: 'identified',
        body: 'A faulty update of the media service in one region drops screen-sharing streams. We are rolling it back region by region.'
      },
      {
        time: '15:45',
        status: 'resolved',
        body: 'The rollback is complete and screen sharing works in every meeting. Presenters who were affected can share again now.'
      }
    ]
  },
  {
    reference: 'TM201640',
    name: 'Poor call quality for some users in North America',
    daysAgo: 4,
    updates: [
      {
        time: '17:20',
        status: 'investigating',
        body: 'Some users in North America may have dropped calls or choppy audio in meetings and calls.',
        components: { 'Meetings & calling': 'degraded_performance' }
      },
      {
        time: '18:05',
        status: 'monitoring',
        body: "We've moved media traffic off a degraded network path and call quality is improving. We're monitoring."
      },
      {
        time: '18:50',
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
        body: 'We restarted the affected presence service instances and presence updates normally again.'
      }
    ]
  }
]
