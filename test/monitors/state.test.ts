// The thresholds: when a run of results moves a monitor's state, what flapping does, and the reason each change records.
import t from 'tap'
import { type JudgedRun, type StateCounters, type Thresholds, nextState, streakOf } from '../../server/domain/monitor-state.js'
import type { RunResult } from '../../server/domain/monitors.js'

const defaults: Thresholds = { failureThreshold: 3, successThreshold: 2, latencyLimitMs: 1000 }

/** Feeds the results one by one from `start`, as the recording service does; returns every step's state. */
function walk (start: StateCounters, results: RunResult[], thresholds = defaults): { states: string[], reasons: string[], last: StateCounters } {
  let current = start
  const previous: RunResult[] = []
  const states: string[] = []
  const reasons: string[] = []
  for (const result of results) {
    const run: JudgedRun = { result, streak: () => streakOf(result, previous), error: result === 'down' ? 'connect ECONNREFUSED 127.0.0.1:9' : null, latencyMs: result === 'degraded' ? 1500 : 20 }
    const step = nextState(current, thresholds, run)
    if (step.changed) reasons.push(step.reason as string)
    else t.equal(step.reason, null, 'no reason without a change')
    states.push(step.state)
    current = { state: step.state, failures: step.failures, successes: step.successes }
    previous.unshift(result)
  }
  return { states, reasons, last: current }
}

const up: StateCounters = { state: 'up', failures: 0, successes: 5 }
const pending: StateCounters = { state: 'pending', failures: 0, successes: 0 }

t.test('down after failureThreshold down runs in a row, with the last error as the reason', async (t) => {
  const { states, reasons, last } = walk(up, ['down', 'down', 'down', 'down'])
  t.same(states, ['up', 'up', 'down', 'down'])
  t.same(reasons, ['3 failures in a row: connect ECONNREFUSED 127.0.0.1:9'], 'one change, one reason: the fourth failure changes nothing')
  t.same(last, { state: 'down', failures: 4, successes: 0 })
})

t.test('up after successThreshold successes in a row; a degraded run counts as a success for leaving down', async (t) => {
  const down: StateCounters = { state: 'down', failures: 7, successes: 0 }
  t.same(walk(down, ['up', 'up']).states, ['down', 'up'])
  t.same(walk(down, ['up', 'up']).reasons, ['2 successes in a row'])
  const slow = walk(down, ['degraded', 'degraded'])
  t.same(slow.states, ['down', 'degraded'], 'leaves down to what the last run was')
  t.same(slow.reasons, ['2 successes in a row, 1500 ms, over the 1000 ms limit'])
  t.same(walk(down, ['degraded', 'up']).states, ['down', 'up'])
})

t.test('flapping (alternating results) moves nothing until a threshold is met', async (t) => {
  const flapping: RunResult[] = ['down', 'up', 'down', 'up', 'down', 'up', 'down', 'up']
  t.same(walk(up, flapping).states, flapping.map(() => 'up'))
  t.same(walk({ state: 'down', failures: 3, successes: 0 }, flapping).states, flapping.map(() => 'down'))
  t.same(walk(pending, flapping).states, flapping.map(() => 'pending'), 'a new monitor waits for a verdict')
  const slowFast: RunResult[] = ['degraded', 'up', 'degraded', 'degraded', 'up', 'degraded', 'degraded', 'up']
  t.same(walk(up, slowFast).states, slowFast.map(() => 'up'), 'slow and fast alternating: never 3 slow in a row')
  // ...then the threshold is met, and it moves.
  t.same(walk(up, [...flapping, 'down', 'down', 'down']).states.slice(-3), ['up', 'up', 'down'])
})

t.test('pending leaves at the first threshold met, either way', async (t) => {
  t.same(walk(pending, ['up', 'up']).states, ['pending', 'up'])
  t.same(walk(pending, ['down', 'down', 'down']).states, ['pending', 'pending', 'down'])
  t.same(walk(pending, ['down', 'down', 'up', 'up']).states, ['pending', 'pending', 'pending', 'up'])
  t.same(walk(pending, ['up'], { ...defaults, successThreshold: 1 }).states, ['up'], 'with a threshold of 1, one run decides')
})

t.test('a latency breach: up -> degraded after failureThreshold slow runs in a row, back up after successThreshold fast ones', async (t) => {
  const slow = walk(up, ['degraded', 'degraded', 'degraded', 'up', 'up'])
  t.same(slow.states, ['up', 'up', 'degraded', 'degraded', 'up'])
  t.same(slow.reasons, ['3 slow runs in a row: 1500 ms, over the 1000 ms limit', '2 fast runs in a row, within the 1000 ms limit'])
  t.same(walk(up, ['degraded', 'degraded', 'down', 'degraded']).states, ['up', 'up', 'up', 'up'], 'a failure breaks the slow streak and does not make three failures')
  const degraded: StateCounters = { state: 'degraded', failures: 0, successes: 4 }
  t.same(walk(degraded, ['down', 'down', 'down']).states, ['degraded', 'degraded', 'down'], 'degraded goes down as up does')
  t.same(walk(degraded, ['up', 'degraded', 'up']).states, ['degraded', 'degraded', 'degraded'])
})

t.test('the counters: failures are down runs in a row, successes up-or-degraded runs in a row', async (t) => {
  t.same(walk(up, ['down', 'degraded']).last, { state: 'up', failures: 0, successes: 1 })
  t.same(walk(up, ['down', 'down']).last, { state: 'up', failures: 2, successes: 0 })
  t.same(walk({ state: 'up', failures: 0, successes: 1 }, ['up', 'degraded']).last, { state: 'up', failures: 0, successes: 3 })
})

t.test('one failure threshold: the reason says "1 failure", and a down run without an error gives the count only', async (t) => {
  const step = nextState(up, { ...defaults, failureThreshold: 1 }, { result: 'down', streak: () => 1, error: null, latencyMs: null })
  t.same(step, { state: 'down', failures: 1, successes: 0, changed: true, reason: '1 failure in a row' })
})

t.test('streakOf counts the same result at the head of the previous runs', async (t) => {
  t.equal(streakOf('down', []), 1)
  t.equal(streakOf('down', ['down', 'down', 'up', 'down']), 3)
  t.equal(streakOf('degraded', ['up', 'degraded']), 1)
})
