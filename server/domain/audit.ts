// The audit log's entries: who did what, when, to which incident; and the filter and page the log is read by.

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  incidentId: number | null
  detail: Record<string, unknown>
}

/** An entry as the log page lists it: with the reference of its incident, when it has one that still exists. */
export interface ListedAuditEntry extends AuditEntry {
  reference: string | null
}

export interface AuditFilter {
  /** Exactly this actor: 'user:alice', 'token:ci', 'cli'. */
  actor?: string
  /** Entries about the incident with this reference (any case). */
  reference?: string
}

export interface AuditPage {
  entries: ListedAuditEntry[]
  total: number
}
