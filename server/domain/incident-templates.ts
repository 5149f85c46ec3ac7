// Incident templates: the title, body, status, impact and component statuses an admin starts a new incident or an update from, by name.
import type { ComponentStatus, Impact, IncidentStatus } from './statuses.js'

/** What a template sets beside the texts; each left out (null, absent) leaves the form's own default. */
export interface TemplatePresets {
  status: IncidentStatus | null
  impact: Impact | null
  /** By component id. */
  componentStatuses: Record<number, ComponentStatus>
}

export interface TemplateFields extends Partial<TemplatePresets> {
  name: string
  title: string
  body: string
}

export interface IncidentTemplate extends TemplatePresets {
  id: number
  name: string
  title: string
  body: string
  createdAt: string
  updatedAt: string
}
