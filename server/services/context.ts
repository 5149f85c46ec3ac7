// What every write path needs: the repositories, the clock, the settings, and one transaction helper.
import type { Stores } from '../store/stores.js'

export type Clock = () => Date

export interface ServiceContext {
  stores: Stores
  clock: Clock
  incidentPrefix: string
}

export function nowIso (context: ServiceContext): string {
  return context.clock().toISOString()
}

/**
 * Runs one write as one IMMEDIATE transaction (so two writers never deadlock on upgrade) and bumps the
 * content version inside it, so a public cache can never serve a body older than a committed write.
 */
export function write<T> (context: ServiceContext, work: () => T): T {
  const { db, counters } = context.stores
  return db.transaction(() => {
    const result = work()
    counters.bump('content_version')
    return result
  }).immediate()
}
