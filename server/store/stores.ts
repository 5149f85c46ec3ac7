// All repositories over one database connection, prepared once.
import type { Db } from '../db/open-database.js'
import { AppearanceStore } from './appearance-store.js'
import { AuditStore } from './audit-store.js'
import { ComponentsStore } from './components-store.js'
import { CountersStore } from './counters-store.js'
import { DeliveriesStore } from './deliveries-store.js'
import { DraftsStore } from './drafts-store.js'
import { IncidentTemplatesStore } from './incident-templates-store.js'
import { IncidentsStore } from './incidents-store.js'
import { MonitorsStore } from './monitors-store.js'
import { NotificationsStore } from './notifications-store.js'
import { PageStore } from './page-store.js'
import { PostmortemsStore } from './postmortems-store.js'
import { SessionsStore } from './sessions-store.js'
import { SettingsStore } from './settings-store.js'
import { StatusHistoryStore } from './status-history-store.js'
import { SubscriberDeliveriesStore } from './subscriber-deliveries-store.js'
import { SubscribersStore } from './subscribers-store.js'
import { TokensStore } from './tokens-store.js'
import { UsersStore } from './users-store.js'

export interface Stores {
  db: Db
  appearance: AppearanceStore
  audit: AuditStore
  components: ComponentsStore
  counters: CountersStore
  deliveries: DeliveriesStore
  drafts: DraftsStore
  incidents: IncidentsStore
  incidentTemplates: IncidentTemplatesStore
  monitors: MonitorsStore
  notifications: NotificationsStore
  page: PageStore
  postmortems: PostmortemsStore
  statusHistory: StatusHistoryStore
  subscriberDeliveries: SubscriberDeliveriesStore
  subscribers: SubscribersStore
  tokens: TokensStore
  users: UsersStore
  sessions: SessionsStore
  settings: SettingsStore
}

export function createStores (db: Db): Stores {
  return {
    db,
    appearance: new AppearanceStore(db),
    audit: new AuditStore(db),
    components: new ComponentsStore(db),
    counters: new CountersStore(db),
    deliveries: new DeliveriesStore(db),
    drafts: new DraftsStore(db),
    incidents: new IncidentsStore(db),
    incidentTemplates: new IncidentTemplatesStore(db),
    monitors: new MonitorsStore(db),
    notifications: new NotificationsStore(db),
    page: new PageStore(db),
    postmortems: new PostmortemsStore(db),
    statusHistory: new StatusHistoryStore(db),
    subscriberDeliveries: new SubscriberDeliveriesStore(db),
    subscribers: new SubscribersStore(db),
    tokens: new TokensStore(db),
    users: new UsersStore(db),
    sessions: new SessionsStore(db),
    settings: new SettingsStore(db)
  }
}

/** The repositories a read taken in steps uses (services/stepped-reads.ts), over the second connection only it uses. */
export type SnapshotStores = Pick<Stores, 'db' | 'components' | 'incidents' | 'page' | 'statusHistory'>

export function createSnapshotStores (db: Db): SnapshotStores {
  return {
    db,
    components: new ComponentsStore(db),
    incidents: new IncidentsStore(db),
    page: new PageStore(db),
    statusHistory: new StatusHistoryStore(db)
  }
}
