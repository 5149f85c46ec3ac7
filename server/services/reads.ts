// The read paths, one per audience, each answer read from one snapshot (context.ts's read()).
import type { ServiceContext } from './context.js'
import { PublicReads } from './public-reads.js'

export interface Reads {
  /** The public pages, feeds, badges, /api/v2 and the static mirror. */
  public: PublicReads
}

export function createReads (context: ServiceContext): Reads {
  return {
    public: new PublicReads(context)
  }
}
