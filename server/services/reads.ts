// The read paths of the pages, one per audience (the services' own lookups serve the token API), each answer read from one snapshot (context.ts's read()).
import { AdminReads } from './admin-reads.js'
import type { ServiceContext } from './context.js'
import { NotificationReads } from './notification-reads.js'
import { PublicReads } from './public-reads.js'

export interface Reads {
  /** The public pages, feeds, badges, /api/v2 and the static mirror. */
  public: PublicReads
  /** The admin pages. */
  admin: AdminReads
  /** What each subscriber notification tells (notify/event-facts.ts). */
  notifications: NotificationReads
}

export function createReads (context: ServiceContext): Reads {
  return {
    public: new PublicReads(context),
    admin: new AdminReads(context),
    notifications: new NotificationReads(context)
  }
}
