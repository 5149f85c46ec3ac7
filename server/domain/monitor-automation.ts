// What a component's monitors ask its status to be, and whether a monitor may set it (Statuspage's component automation; pure).
import type { DegradedStatus, DownStatus, MonitorState } from './monitors.js'
import { type ComponentStatus, worstComponentStatus } from './statuses.js'

/** The part of a linked monitor the component's status is read from. */
export interface LinkedMonitor {
  state: MonitorState
  paused: boolean
  downStatus: DownStatus
  degradedStatus: DegradedStatus
}

/**
 * The worst of what the component's unpaused monitors ask for: a down one its down status, a degraded one its
 * degraded status; up and pending ones (no verdict yet) ask for operational.
 */
export function askedStatus (monitors: readonly LinkedMonitor[]): ComponentStatus {
  return worstComponentStatus(monitors.filter((monitor) => !monitor.paused).map((monitor) => {
    if (monitor.state === 'down') return monitor.downStatus
    if (monitor.state === 'degraded') return monitor.degradedStatus
    return 'operational'
  }))
}

/** What the component is, as the decision reads it. */
export interface ComponentFacts {
  status: ComponentStatus
  /** The status a monitor last gave it, still shown (null: none, or a person or an update changed it since). */
  monitorStatus: ComponentStatus | null
  /** An open incident (not resolved) names it. */
  heldByIncident: boolean
  /** A maintenance in progress names it. */
  inMaintenance: boolean
}

export type AutomationDecision =
  | { apply: true, status: ComponentStatus }
  | { apply: false, why: 'unchanged' | 'incident' | 'maintenance' | 'set-by-hand' }

/**
 * Whether the monitors may move the component to `asked`. Never while an incident or a maintenance names it
 * (the people handling it have the word; the runs are recorded all the same). Otherwise only from
 * operational, or from the status a monitor set that nobody changed since: a status set by hand, or by an
 * incident's update, stays until a person changes it. So a recovery goes back to operational only when the
 * status shown is still the one a monitor set.
 */
export function automationDecision (component: ComponentFacts, asked: ComponentStatus): AutomationDecision {
  if (component.status === asked) return { apply: false, why: 'unchanged' }
  if (component.heldByIncident) return { apply: false, why: 'incident' }
  if (component.inMaintenance) return { apply: false, why: 'maintenance' }
  const monitorsOwn = component.monitorStatus !== null && component.status === component.monitorStatus
  if (asked === 'operational') return monitorsOwn ? { apply: true, status: asked } : { apply: false, why: 'set-by-hand' }
  if (component.status === 'operational' || monitorsOwn) return { apply: true, status: asked }
  return { apply: false, why: 'set-by-hand' }
}
