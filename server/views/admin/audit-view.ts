// The audit log as people read it: who (not 'user:alice' but alice), what in words, and the detail as labelled lines.
import type { ListedAuditEntry } from '../../domain/audit.js'

export interface AuditDetailLine {
  label: string
  value: string
}

export interface AuditEntryView {
  at: string
  actor: string
  who: string
  what: string
  action: string
  reference: string | null
  details: AuditDetailLine[]
}

const actionWords: Record<string, string> = {
  'incident.open': 'Opened an incident',
  'incident.update': 'Posted an update',
  'incident.edit': 'Edited an incident',
  'incident.delete': 'Deleted an incident',
  'settings.nudge': 'Changed when open incidents are flagged',
  'maintenance.schedule': 'Scheduled a maintenance',
  'maintenance.update': 'Posted a maintenance update',
  'maintenance.cancel': 'Cancelled a maintenance',
  'group.operational': 'Set a group all operational',
  'maintenance.reschedule': 'Moved or renamed a maintenance',
  'update.edit': 'Edited the text of an update',
  'postmortem.draft': 'Saved a postmortem draft',
  'postmortem.publish': 'Published a postmortem',
  'postmortem.unpublish': 'Unpublished a postmortem',
  'component.create': 'Created a component',
  'component.edit': 'Changed a component',
  'component.move': 'Moved a component',
  'component.delete': 'Deleted a component',
  'component.monitor': 'Changed a component\'s status by a check',
  'group.move': 'Moved a group',
  'draft.create': 'Saved a draft incident',
  'draft.update': 'Changed a draft incident',
  'draft.discard': 'Discarded a draft incident',
  'draft.publish': 'Published a draft incident',
  'template.create': 'Created an incident template',
  'template.edit': 'Edited an incident template',
  'template.delete': 'Deleted an incident template',
  'token.create': 'Created an API token',
  'token.revoke': 'Revoked an API token',
  'user.create': 'Added a user',
  'user.password': 'Changed a password',
  'user.remove': 'Removed a user',
  'appearance.edit': 'Changed the appearance of the public page',
  'monitor.create': 'Created a monitor',
  'monitor.update': 'Changed a monitor',
  'monitor.remove': 'Removed a monitor',
  'monitor.pause': 'Paused a monitor',
  'monitor.resume': 'Resumed a monitor',
  'monitor.secret': 'Made a new heartbeat secret',
  'monitor.apply': 'Applied a monitors file',
  'monitor.dismiss-warning': 'Dismissed a certificate warning'
}

// Long texts (an update body before and after an edit) are cut, with the full text left in the database.
const maxValueLength = 600
const maxLines = 40

/** 'user:alice' → 'alice', 'token:ci' → 'API token ci', 'cli' → 'command line'. */
export function actorLabel (actor: string): string {
  if (actor.startsWith('user:')) return actor.slice('user:'.length)
  if (actor.startsWith('token:')) return `API token ${actor.slice('token:'.length)}`
  if (actor === 'cli') return 'command line'
  if (actor === 'setup') return 'setup link'
  if (actor.startsWith('monitor:')) return `monitor ${actor.slice('monitor:'.length)}`
  return actor
}

/** 'updateId' → 'update id', 'before.name' → 'before name'. */
function labelOf (path: string[]): string {
  return path.join(' ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[._-]+/g, ' ').toLowerCase()
}

function valueText (value: unknown): string {
  const text = typeof value === 'string' ? value : value === null ? 'none' : JSON.stringify(value) ?? String(value)
  return text.length > maxValueLength ? `${text.slice(0, maxValueLength)}…` : text
}

/** The detail object flattened into labelled lines, nested objects by their path ('before name'). */
function detailLines (detail: unknown, path: string[] = [], lines: AuditDetailLine[] = []): AuditDetailLine[] {
  if (typeof detail === 'object' && detail !== null && !Array.isArray(detail)) {
    for (const [key, value] of Object.entries(detail)) {
      if (lines.length >= maxLines) break
      detailLines(value, [...path, key], lines)
    }
  } else if (lines.length < maxLines) {
    lines.push({ label: labelOf(path), value: valueText(detail) })
  }
  return lines
}

export function auditEntryView (entry: ListedAuditEntry): AuditEntryView {
  return {
    at: entry.at,
    actor: entry.actor,
    who: actorLabel(entry.actor),
    what: actionWords[entry.action] ?? entry.action,
    action: entry.action,
    reference: entry.reference,
    details: detailLines(entry.detail)
  }
}
