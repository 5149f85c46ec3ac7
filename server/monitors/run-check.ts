// One check of a monitor (http, tcp, dns, tls): network I/O only, bounded by the monitor's timeout, never throws; a failure is an outcome.
import type { CheckOutcome, MonitorDefinition } from '../domain/monitors.js'
import type { CheckContext, CheckEnvironment } from './check-context.js'
import { dnsCheck } from './dns-check.js'
import { httpCheck } from './http-check.js'
import { tcpCheck } from './tcp-check.js'
import { tlsCheck } from './tls-check.js'

export type { CheckEnvironment } from './check-context.js'

/** The longest error kept: one line a person reads in a table. */
const errorLength = 300

/** An error as one short line: no control or bidi characters (it is shown in pages and mails), at most errorLength. */
export function errorLine (text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]+/g, ' ').trim()
  return line.length > errorLength ? `${line.slice(0, errorLength - 1)}…` : line
}

function errorText (error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    if (error.name === 'AbortError') return 'aborted'
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
  const stop = (): void => { controller.abort() }
  let timer: NodeJS.Timeout | undefined
  let error: string | null
  try {
    const stopped = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`timed out after ${monitor.timeoutMs} ms`), monitor.timeoutMs)
      const closing = (): void => resolve('stopped: Herald is closing')
      if (env.signal?.aborted === true) closing()
      env.signal?.addEventListener('abort', closing, { once: true })
      controller.signal.addEventListener('abort', () => env.signal?.removeEventListener('abort', closing), { once: true })
    })
    // The check may still reject after the race is decided (its sockets closed under it): never unhandled.
    const checked = dispatch(monitor, context).catch(errorText)
    error = await Promise.race([checked, stopped])
  } catch (thrown) {
    error = errorText(thrown)
  } finally {
    clearTimeout(timer)
    // Whatever is still open (a timed-out request, a slow handshake) is closed now.
    stop()
  }
  return {
    ok: error === null,
    latencyMs: Math.round(performance.now() - started),
    statusCode: context.found.statusCode,
    error: error === null ? null : errorLine(error),
    certificate: context.found.certificate
  }
}
