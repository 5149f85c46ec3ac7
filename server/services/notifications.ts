// The one rule for what tells subscribers: a fan-out row per notifying update and per component status change, in the write's transaction.
import type { ComponentStatus } from '../domain/statuses.js'
import type { NotificationEvent } from '../domain/subscribers.js'
import { type ServiceContext, signalAfterCommit } from './context.js'

export interface ComponentChange {
  componentId: number
  oldStatus: ComponentStatus
  newStatus: ComponentStatus
}

/**
 * Inside a write: one notification row, whatever the number of subscribers (the worker expands it into
 * deliveries in batches, up to the highest subscriber id of now, so who subscribes later is not told).
 * Nothing when nobody subscribes: there is no one to tell, and a notification waiting for nobody would be
 * told to whoever subscribes next. The worker is woken once the write commits.
 */
function queue (context: ServiceContext, notification: { event: NotificationEvent, incidentId: number | null, updateId: number | null, componentIds: () => readonly number[], change: ComponentChange | null }, at: string): void {
  const { subscribers, notifications } = context.stores
  const lastSubscriberId = subscribers.maxId()
  if (lastSubscriberId === 0) return
  const { change } = notification
  notifications.insert({
    event: notification.event,
    incidentId: notification.incidentId,
    updateId: notification.updateId,
    componentId: change?.componentId ?? null,
    oldStatus: change?.oldStatus ?? null,
    newStatus: change?.newStatus ?? null,
    componentIds: [...notification.componentIds()],
    lastSubscriberId,
    at
  })
  signalAfterCommit(context, 'notificationsDue')
}

/**
 * Inside a write: what an update of an incident or maintenance tells subscribers. Only an update that
 * notifies tells anything (the same flag as cross-posting): then one notification of the update, for the
 * incident's components after it (none: everyone), and one per component whose status it changed.
 */
export function queueUpdateNotifications (
  context: ServiceContext,
  // The incident's components are read only when someone is to be told.
  update: { incidentId: number, updateId: number, maintenance: boolean, notify: boolean, componentIds: () => readonly number[], changes: readonly ComponentChange[] },
  at: string
): void {
  if (!update.notify) return
  const event = update.maintenance ? 'maintenance' : 'incident'
  queue(context, { event, incidentId: update.incidentId, updateId: update.updateId, componentIds: update.componentIds, change: null }, at)
  for (const change of update.changes) recordComponentChange(context, change, at)
}

/** Inside a write: a component's status changed (by an update, by hand, or a group set operational); callers pass only real changes. */
export function recordComponentChange (context: ServiceContext, change: ComponentChange, at: string): void {
  queue(context, { event: 'component', incidentId: null, updateId: null, componentIds: () => [change.componentId], change }, at)
}
