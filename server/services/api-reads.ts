// What the token API reads beside its writes' own answers: the list of maintenances, from one snapshot.
import type { IncidentWithUpdates } from '../domain/model.js'
import type { MaintenanceList } from '../store/incidents-store.js'
import { type ServiceContext, read } from './context.js'

export class ApiReads {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  /** Maintenances of one list (upcoming, active, completed or all), at most `limit`, each with its updates. */
  maintenances (which: MaintenanceList, limit: number): IncidentWithUpdates[] {
    const { incidents } = this.#context.stores
    return read(this.#context, () => incidents.withUpdates(incidents.maintenances(which, limit)))
  }
}
