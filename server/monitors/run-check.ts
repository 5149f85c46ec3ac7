// One check of a monitor (http, tcp, dns, tls): network I/O only, bounded by the monitor's timeout, never throws; a failure is an outcome.
import type { CheckOutcome, MonitorDefinition } from '../domain/monitors.js'
import type { CheckContext, CheckEnvironment } from './check-context.js'
import { dnsCheck } from './dns-check.js'
import { httpCheck } from './http-check.js'
import { oneLine } from './one-line.js'
import { tcpCheck } from './tcp-check.js'
import { tlsCheck } from './tls-check.js'

export type { CheckEnvironment } from './check-context.js'

/** The longest error kept: one line a person reads in a table. */
const errorLength = 300

/** An error as one short line: no control or bidi characters (it is shown in pages and mails), at most 300 characters. */
export function errorLine (text: string): string {
  return oneLine(text, errorLength)
}

function errorText (error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    if (error.name === 'AbortError') return 'aborted'
    // OpenSSL's own message quotes its source files; its reason alone says it ("wrong version number": no TLS there).
    const reason = (error as { reason?: unknown }).reason
    if (code?.startsWith('ERR_SSL_') === true && typeof reason === 'string') return `TLS handshake failed: ${reason}`
    // Node's socket errors read well ("connect ECONNREFUSED 127.0.0.1:9"); others get their code beside them.
    return code === undefined || error.message.includes(code) ? error.message : `${error.message} (${code})`
  }
  return String(error)
}

function dispatch (monitor: MonitorDefinition, context: CheckContext): Promise<string | null> {
  switch (monitor.kind) {
    case 'http': return httpCheck(monitor.settings, context)
    case 'tcp': return tcpCheck(monitor.settings, context)
    case 'dns': return dnsCheck(monitor.settings, context)
    case 'tls': return tlsCheck(monitor.settings, context)
    case 'heartbeat': return Promise.resolve('a heartbeat is not checked by Herald: it waits for calls')
  }
}

/** Runs one check of an http, tcp, dns or tls monitor; never throws (a failure is an outcome); heartbeats are not run. */
export async function runCheck (monitor: MonitorDefinition, env: CheckEnvironment): Promise<CheckOutcome> {
  const started = performance.now()
  const controller = new AbortController()
  const context: CheckContext = { env, signal: controller.signal, timeoutMs: monitor.timeoutMs, found: { statusCode: null, certificate: null } }
  let end: (reason: string) => void = () => {}
  const stopped = new Promise<string>((resolve) => { end = resolve })
  const timer = setTimeout(() => { end(`timed out after ${monitor.timeoutMs} ms`) }, monitor.timeoutMs)
  const closing = (): void => { end('stopped: Herald is closing') }
  if (env.signal?.aborted === true) closing()
  env.signal?.addEventListener('abort', closing, { once: true })
  let error: string | null
  try {
    // The check may still reject after the race is decided (its sockets closed under it): never unhandled.
    const checked = dispatch(monitor, context).catch(errorText)
    error = await Promise.race([checked, stopped])
  } finally {
    clearTimeout(timer)
    env.signal?.removeEventListener('abort', closing)
  }
  // A check that passed has closed what it opened. One that failed, timed out or was stopped may leave a
  // request or a handshake open: closed now. (Aborting builds errors with stacks for every listener: a
  // fifth of a passing check's CPU, so it is spent only where something may be open.)
  if (error !== null) controller.abort()
  return {
    ok: error === null,
    latencyMs: Math.round(performance.now() - started),
    statusCode: context.found.statusCode,
    error: error === null ? null : errorLine(error),
    certificate: context.found.certificate
  }
}
