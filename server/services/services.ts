// The write paths and lookups that routes and the command line call, built over one context.
import type { Config } from '../config.js'
import { postLimits } from '../social/channels.js'
import type { Stores } from '../store/stores.js'
import { AppearanceService } from './appearance-service.js'
import { ComponentService } from './component-service.js'
import type { Clock } from '../domain/time.js'
import { CommitSignals } from './commit-signals.js'
import type { ServiceContext } from './context.js'
import { DeliveryService } from './delivery-service.js'
import { DraftService } from './draft-service.js'
import { IncidentService } from './incident-service.js'
import { MaintenanceService } from './maintenance-service.js'
import { MonitorRuns } from './monitor-runs.js'
import { MonitorService } from './monitor-service.js'
import { PostmortemService } from './postmortem-service.js'
import { type Reads, createReads } from './reads.js'
import type { SteppedReads } from './stepped-reads.js'
import { SubscriberService } from './subscriber-service.js'
import { TemplateService } from './template-service.js'
import { TokenService } from './token-service.js'
import { UserService } from './user-service.js'

export interface Services {
  context: ServiceContext
  appearance: AppearanceService
  components: ComponentService
  deliveries: DeliveryService
  drafts: DraftService
  incidents: IncidentService
  maintenances: MaintenanceService
  monitorRuns: MonitorRuns
  monitors: MonitorService
  postmortems: PostmortemService
  reads: Reads
  subscribers: SubscriberService
  templates: TemplateService
  tokens: TokenService
  users: UserService
}

/** What the services are built over; without `signals`, they get their own, which nobody listens to yet. */
type ServiceOptions = Omit<ServiceContext, 'signals'> & { signals?: CommitSignals }

export function createServices (options: ServiceOptions): Services {
  const context: ServiceContext = { ...options, signals: options.signals ?? new CommitSignals() }
  const incidents = new IncidentService(context)
  const components = new ComponentService(context)
  // Publishing a draft opens its incident through the incidents' own write path.
  const drafts = new DraftService(context, incidents)
  const monitorRuns = new MonitorRuns(context, { components, incidents, drafts })
  return {
    context,
    appearance: new AppearanceService(context),
    components,
    deliveries: new DeliveryService(context),
    drafts,
    incidents,
    maintenances: new MaintenanceService(context),
    // What a monitor changes goes through the same services as a person's change.
    monitorRuns,
    monitors: new MonitorService(context, monitorRuns),
    postmortems: new PostmortemService(context),
    reads: createReads(context),
    subscribers: new SubscriberService(context),
    templates: new TemplateService(context),
    tokens: new TokenService(context),
    users: new UserService(context)
  }
}

/**
 * The services of a configured Herald, for the server and the command line alike: an update
 * written by either queues a delivery for every channel that is on. The process that runs the outbox
 * worker or the maintenance clock subscribes them to `signals` (the herald plugin owns them).
 */
export function createConfiguredServices (config: Config, stores: Stores, clock: Clock, signals = new CommitSignals(), stepped?: SteppedReads): Services {
  return createServices({
    stores,
    ...(stepped === undefined ? {} : { stepped }),
    clock,
    incidentPrefix: config.incidentPrefix,
    maintenancePrefix: config.maintenancePrefix,
    social: { publicUrl: config.publicUrl, limits: postLimits(config.social) },
    publicUrl: config.publicUrl,
    allowHttpUrls: config.subscriptions.allowHttpUrls,
    signals,
    passwordHashing: config.passwordHashing
  })
}
