// What a status badge says and its colour: the overall status ("status | All Systems Operational") or one component's.
import type { Component } from '../domain/model.js'
import { type Indicator, type OverallStatus, componentIndicator } from '../domain/overall-status.js'
import { componentStatusLabels } from '../domain/statuses.js'

export interface BadgeView {
  label: string
  message: string
  color: string
}

/** shields.io's palette, so that a Herald badge sits well beside other badges in a README. */
export const badgeColors = {
  green: '#4c1',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6'
} as const

const indicatorColors: Record<Indicator, string> = {
  none: badgeColors.green,
  minor: badgeColors.yellow,
  major: badgeColors.orange,
  critical: badgeColors.red
}

/** "status | All Systems Operational", coloured by the indicator, blue when only maintenance is going on. */
export function overallBadgeView (overall: OverallStatus): BadgeView {
  return {
    label: 'status',
    message: overall.description,
    color: overall.maintenance ? badgeColors.blue : indicatorColors[overall.indicator]
  }
}

/** "Sign-in | Partial Outage". */
export function componentBadgeView (component: Pick<Component, 'name' | 'status'>): BadgeView {
  return {
    label: component.name,
    message: componentStatusLabels[component.status],
    // The roll-up's ladder (degraded = minor, partial outage = major, major outage = critical); maintenance is blue.
    color: component.status === 'under_maintenance' ? badgeColors.blue : indicatorColors[componentIndicator[component.status]]
  }
}
