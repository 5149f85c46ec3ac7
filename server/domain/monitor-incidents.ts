// The words a monitor writes: its target, the incident or draft it opens when it goes down, the notes and the resolved update (pure).
import type { MonitorDefinition } from './monitors.js'
import { limits } from './text.js'
import { tlsTargetText } from './tls-target.js'

/** What the monitor looks at, for a person: the URL, host:port, DNS name and record, or the heartbeat. */
export function monitorTarget (monitor: MonitorDefinition): string {
  switch (monitor.kind) {
    case 'http': return `${monitor.settings.method} ${monitor.settings.url}`
    case 'tcp': return `TCP ${tlsTargetText(monitor.settings)}`
    case 'dns': return `DNS ${monitor.settings.recordType} ${monitor.settings.name}`
    case 'tls': return `TLS ${tlsTargetText(monitor.settings)}`
    case 'heartbeat': return 'heartbeat calls'
  }
}

// Text from a check (an error a server sent back) becomes one line a form accepts: no controls, bidi
// overrides or lone surrogates, and short enough to read.
const unwanted = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu
const maxErrorLength = 500

/** An error as the monitor's texts quote it: one line, nothing invisible, at most 500 characters. */
export function quotedError (error: string | null): string {
  if (error === null) return 'no detail'
  const line = error.replace(unwanted, ' ').replace(/\s+/g, ' ').trim()
  const chars = [...line]
  const cut = chars.length > maxErrorLength ? `${chars.slice(0, maxErrorLength).join('')}…` : line
  return cut === '' ? 'no detail' : cut
}

// A body is Markdown: a name or an error (a certificate's subject, a server's words) is quoted so that it
// shows as typed and never becomes a link, code, emphasis or markup on the public page. It never starts a
// line, so only what acts inside a line is escaped: the inline marks, and what GFM would turn into a link
// by itself (a scheme's ://, www., an address's @). The rest stays as typed, for the API's readers.
function quoted (text: string): string {
  return text.replace(/[\\`*_[\]<>~|!@]/g, '\\$&').replace(/:\/\//g, '\\://').replace(/\b(www)\./gi, '$1\\.')
}

/** A time in a monitor's words: `2026-12-07 05:10 UTC` (the update shows its own time in the reader's zone). */
function minute (at: string): string {
  return `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`
}

const notResponding = ' is not responding'

/**
 * The name and first update of the incident (or draft) a monitor opens when it goes down. A public incident
 * names the monitor and its error, never its target (monitors watch internal addresses); a draft, which
 * only admins read before publishing, names the target too. The name stays within an incident name's limit
 * however long the component's name.
 */
export function downIncidentText (monitor: MonitorDefinition, componentName: string | null, error: string | null, at: string, audience: 'public' | 'draft'): { name: string, body: string } {
  const subject = [...(componentName ?? monitor.name)]
  const room = limits.name - notResponding.length
  const name = `${subject.length > room ? `${subject.slice(0, room - 1).join('')}…` : subject.join('')}${notResponding}`
  const what = audience === 'draft' ? ` (${quoted(monitorTarget(monitor))})` : ''
  return {
    name,
    body: `Herald's monitor ${quoted(monitor.name)}${what} has been failing since ${minute(at)}: ${quoted(quotedError(error))}. We are looking into it.`
  }
}

/** The resolved update a monitor posts on its incident, and the note on its draft, when it recovers. */
export function recoveryText (monitor: MonitorDefinition, at: string): string {
  return `Herald's monitor ${quoted(monitor.name)} has passed its checks again since ${minute(at)}.`
}

/** The note a monitor adds to its draft when it goes down again before the draft was published or discarded. */
export function downAgainText (error: string | null, at: string): string {
  return `Down again at ${minute(at)}: ${quoted(quotedError(error))}`
}
