// The write paths and lookups that routes and the command line call, built over one context.
import { ComponentService } from './component-service.js'
import type { ServiceContext } from './context.js'
import { IncidentService } from './incident-service.js'
import { TokenService } from './token-service.js'
import { UserService } from './user-service.js'

export interface Services {
  context: ServiceContext
  components: ComponentService
  incidents: IncidentService
  tokens: TokenService
  users: UserService
}

export function createServices (context: ServiceContext): Services {
  return {
    context,
    components: new ComponentService(context),
    incidents: new IncidentService(context),
    tokens: new TokenService(context),
    users: new UserService(context)
  }
}
