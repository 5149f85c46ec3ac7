// The words a monitor writes: its target, the incident or draft it opens when it goes down, the notes and the resolved update (pure).
import type { MonitorDefinition } from './monitors.js'

/** What the monitor looks at, for a person: the URL, host:port, DNS name and record, or the heartbeat. */
export function monitorTarget (monitor: MonitorDefinition): string {
  switch (monitor.kind) {
    case 'http': return `${monitor.settings.method} ${monitor.settings.url}`
    case 'tcp': return `TCP ${hostPort(monitor.settings.host, monitor.settings.port)}`
    case 'dns': return `DNS ${monitor.settings.recordType} ${monitor.settings.name}`
    case 'tls': return `TLS ${hostPort(monitor.settings.host, monitor.settings.port)}`
    case 'heartbeat': return 'heartbeat calls'
  }
}

function hostPort (host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`
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

/** The name and first update of the incident (or draft) a monitor opens when it goes down. */
export function downIncidentText (monitor: MonitorDefinition, componentName: string | null, error: string | null, at: string): { name: string, body: string } {
  return {
    name: `${componentName ?? monitor.name} is not responding`,
    body: `Herald's monitor ${monitor.name} has found ${monitorTarget(monitor)} failing since ${at}: ${quotedError(error)}. We are looking into it.`
  }
}

/** The resolved update a monitor posts on its incident, and the note on its draft, when it recovers. */
export function recoveryText (monitor: MonitorDefinition, at: string): string {
  return `Herald's monitor ${monitor.name} found ${monitorTarget(monitor)} working again at ${at}.`
}

/** The note a monitor adds to its draft when it goes down again before the draft was published or discarded. */
export function downAgainText (error: string | null, at: string): string {
  return `Down again at ${at}: ${quotedError(error)}`
}
