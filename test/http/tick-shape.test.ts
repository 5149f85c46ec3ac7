// process.nextTick keeps its fast path after idle collections in a server that holds one of its entries.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../../', import.meta.url))

interface NextTickState {
  /** The states V8 prints for the keyed definitions of nextTick's entry literal. */
  literal: string[]
  /** Whether this Node makes the entries with a class instead (Node 26 does): then there is no literal to keep. */
  madeByClass: boolean
}

/** V8's view of process.nextTick after the fixture's warm-up and idle collections, in a fresh process. */
async function nextTickState (dir: string, mode: 'kept' | 'bare'): Promise<NextTickState> {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  // Under coverage, tap's hooks in the child make V8 collect enough at start-up to turn nextTick megamorphic before
  // the fixture's first line: `herald serve` runs without them.
  env._TAPJS_PROCESSINFO_COVERAGE_ = '0'
  // V8 prints with C's stdio: into a pipe, which node makes non-blocking, a full buffer loses the rest. A file does not.
  const output = join(dir, `${mode}.txt`)
  const fd = openSync(output, 'w')
  const child = spawn(process.execPath,
    ['--expose-gc', '--allow-natives-syntax', '--import=./test/fixtures/typescript-loader.mjs', 'test/fixtures/tick-shape.ts', mode],
    { cwd: root, env, stdio: ['ignore', fd, 'inherit'] })
  const [code] = await once(child, 'exit') as [number | null]
  closeSync(fd)
  if (code !== 0) throw new Error(`the fixture exited with ${String(code)}`)
  const printed = readFileSync(output, 'utf8')
  return {
    literal: [...printed.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((match) => match[1] ?? ''),
    madeByClass: printed.includes('new TickObject(')
  }
}

t.test('without a kept entry, idle collections turn nextTick megamorphic: the case the server avoids', async (t) => {
  const { literal, madeByClass } = await nextTickState(t.testdir(), 'bare')
  if (madeByClass) {
    t.same(literal, [], 'this Node makes its entries with a class: no literal, nothing to lose')
    return
  }
  t.ok(literal.length >= 2, 'V8 printed the literal\'s slots')
  t.ok(literal.includes('MEGAMORPHIC'), `states: ${literal.join(', ')}`)
})

t.test('with one entry kept (what `herald serve` does first), they stay monomorphic', async (t) => {
  const { literal, madeByClass } = await nextTickState(t.testdir(), 'kept')
  t.ok(madeByClass || literal.length >= 2, 'V8 printed the literal\'s slots, or there is none')
  t.notOk(literal.includes('MEGAMORPHIC'), `states: ${literal.join(', ')}`)
})
