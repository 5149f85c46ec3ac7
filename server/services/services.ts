// The write paths and lookups that routes and the command line call, built over one context.
import { ComponentService } from './component-service.js'
import type { ServiceContext } from './context.js'
import { DeliveryService } from './delivery-service.js'
import { IncidentService } from './incident-service.js'
import { TemplateService } from './template-service.js'
import { TokenService } from './token-service.js'
import { UserService } from './user-service.js'

export interface Services {
  context: ServiceContext
  components: ComponentService
  deliveries: DeliveryService
  incidents: IncidentService
  templates: TemplateService
  tokens: TokenService
  users: UserService
}

export function createServices (context: ServiceContext): Services {
  return {
    context,
    components: new ComponentService(context),
    deliveries: new DeliveryService(context),
    incidents: new IncidentService(context),
    templates: new TemplateService(context),
    tokens: new TokenService(context),
    users: new UserService(context)
  }
}
