// The token API's JSON representation of Herald's records: the one place domain objects become snake_case.
import type { Component, IncidentUpdate, IncidentWithUpdates } from '../../domain/model.js'
import type { ComponentJson, IncidentJson, MaintenanceJson, UpdateJson } from './schemas.js'

export function componentJson (component: Component): ComponentJson {
  return {
    id: component.id,
    name: component.name,
    description: component.description,
    group: component.groupName,
    group_id: component.groupId,
    position: component.position,
    status: component.status,
    created_at: component.createdAt,
    updated_at: component.updatedAt
  }
}

/** An update; `post_text` only when it has a custom one, so the shape of other updates stays as it was. */
export function updateJson (update: IncidentUpdate & { postText?: string | null }): UpdateJson {
  return {
    id: update.id,
    status: update.status,
    body: update.body,
    notify: update.notify,
    ...(update.postText === undefined || update.postText === null ? {} : { post_text: update.postText }),
    display_at: update.displayAt,
    created_at: update.createdAt,
    updated_at: update.updatedAt,
    affected_components: update.affectedComponents.map((change) => ({
      id: change.componentId,
      name: change.name,
      old_status: change.oldStatus,
      new_status: change.newStatus
    }))
  }
}

export function incidentJson (incident: IncidentWithUpdates): IncidentJson {
  return {
    id: incident.id,
    reference: incident.reference,
    name: incident.name,
    impact: incident.impact,
    status: incident.status,
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    started_at: incident.startedAt,
    monitoring_at: incident.monitoringAt,
    resolved_at: incident.resolvedAt,
    components: incident.components.map(({ id, name }) => ({ id, name })),
    updates: incident.updates.map(updateJson)
  }
}

/** A maintenance: an incident's fields with its window. */
export function maintenanceJson (maintenance: IncidentWithUpdates): MaintenanceJson {
  const window = maintenance.maintenance
  if (window === null) throw new Error(`${maintenance.reference} is not a maintenance`)
  return {
    ...incidentJson(maintenance),
    status: maintenance.status as MaintenanceJson['status'],
    scheduled_for: window.scheduledFor,
    scheduled_until: window.scheduledUntil,
    auto_start: window.autoStart,
    auto_complete: window.autoComplete
  }
}
