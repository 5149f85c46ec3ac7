// A monitor's thresholds: the state and counters after one more run, and why the state changed (pure).
import type { MonitorState, RunResult } from './monitors.js'

/** The part of a monitor the thresholds read. */
export interface StateCounters {
  state: MonitorState
  /** Down runs in a row. */
  failures: number
  /** Up or degraded runs in a row. */
  successes: number
}

export interface Thresholds {
  failureThreshold: number
  successThreshold: number
  latencyLimitMs: number | null
}

/** What one run did to a monitor; `reason` is set only when the state changed. */
export interface StateStep extends StateCounters {
  changed: boolean
  reason: string | null
}

/** The facts of the run being judged. */
export interface JudgedRun {
  result: RunResult
  /**
   * Runs in a row with this same result, this one included (1 when the run before was another result).
   * Up and degraded are told apart here only: the counters count them together as successes. Asked only
   * between up and degraded, so that most runs never read the runs before them.
   */
  streak: () => number
  error: string | null
  latencyMs: number | null
}

function plural (n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`
}

/**
 * The thresholds, as Gatus has them, so a person can predict them:
 * - a down run adds a failure and clears the successes; an up or degraded run adds a success and clears the failures;
 * - any state but down goes down once `failureThreshold` down runs came in a row;
 * - down or pending leaves once `successThreshold` up-or-degraded runs came in a row, to what the last one was
 *   (pending also leaves at the first threshold met: a new monitor is not reported up after one lucky run);
 * - up becomes degraded once `failureThreshold` slow runs came in a row (a slow run is a failure of latency),
 *   and degraded becomes up once `successThreshold` fast runs came in a row.
 * So alternating results move nothing until one threshold is met.
 */
export function nextState (current: StateCounters, thresholds: Thresholds, run: JudgedRun): StateStep {
  const down = run.result === 'down'
  const failures = down ? current.failures + 1 : 0
  const successes = down ? 0 : current.successes + 1
  const same = { state: current.state, failures, successes, changed: false, reason: null }
  const to = (state: MonitorState, reason: string): StateStep => ({ state, failures, successes, changed: state !== current.state, reason: state === current.state ? null : reason })
  if (down) {
    if (current.state === 'down' || failures < thresholds.failureThreshold) return same
    return to('down', `${plural(failures, 'failure')} in a row${run.error === null ? '' : `: ${run.error}`}`)
  }
  if (current.state === 'down' || current.state === 'pending') {
    if (successes < thresholds.successThreshold) return same
    return to(run.result, `${plural(successes, 'success')} in a row${run.result === 'degraded' ? `, ${slowness(run, thresholds)}` : ''}`)
  }
  if (current.state === 'up' && run.result === 'degraded') {
    const streak = run.streak()
    if (streak >= thresholds.failureThreshold) return to('degraded', `${plural(streak, 'slow run')} in a row: ${slowness(run, thresholds)}`)
  }
  if (current.state === 'degraded' && run.result === 'up') {
    const streak = run.streak()
    if (streak >= thresholds.successThreshold) return to('up', `${plural(streak, 'fast run')} in a row, within the ${String(thresholds.latencyLimitMs)} ms limit`)
  }
  return same
}

function slowness (run: JudgedRun, thresholds: Thresholds): string {
  return `${String(run.latencyMs)} ms, over the ${String(thresholds.latencyLimitMs)} ms limit`
}

/** How many of `previous` (newest first) have `result`, before the first that has another: the streak is that plus one. */
export function streakOf (result: RunResult, previous: readonly RunResult[]): number {
  let streak = 1
  for (const earlier of previous) {
    if (earlier !== result) break
    streak++
  }
  return streak
}
