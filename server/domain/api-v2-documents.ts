// The addresses of the Statuspage-compatible API v2: the documents the routes answer and a static mirror writes.

export const apiV2Prefix = '/api/v2'

/** The documents of the API v2, by Statuspage's names under /api/v2/. */
export const apiV2Documents = [
  'status.json', 'summary.json', 'components.json', 'incidents.json', 'incidents/unresolved.json',
  'scheduled-maintenances.json', 'scheduled-maintenances/upcoming.json', 'scheduled-maintenances/active.json'
] as const
