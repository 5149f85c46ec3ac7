// `herald serve` restarts itself with V8's young generation at 16 MB, unless a size was given or execve is missing.
import t from 'tap'
import { type ProcessLike, restartWithYoungGeneration, serveSemiSpaceMb, youngGenerationArgs } from '../../server/cli/young-generation.js'

const flag = `--max-semi-space-size=${serveSemiSpaceMb}`

t.test('the flag goes first, before the Node options the process was started with', async (t) => {
  t.same(youngGenerationArgs([], undefined), [flag])
  t.same(youngGenerationArgs(['--enable-source-maps', '--import', 'tsx'], ''), [flag, '--enable-source-maps', '--import', 'tsx'])
  t.same(youngGenerationArgs([], '--max-old-space-size=512'), [flag], 'another heap flag is not this one')
})

t.test('a size the operator gave, in either spelling, on the command line or in NODE_OPTIONS, is kept', async (t) => {
  for (const given of ['--max-semi-space-size=32', '--max_semi_space_size=8', '--max-semi-space-size']) {
    t.equal(youngGenerationArgs([given, '32'], undefined), undefined, `${given} on the command line`)
    t.equal(youngGenerationArgs([], `--enable-source-maps  ${given}`), undefined, `${given} in NODE_OPTIONS`)
  }
  t.equal(youngGenerationArgs([flag], undefined), undefined, 'the restarted process goes on')
})

/** A process with execve, recording its calls; execve replaces the process, so here it throws when told to. */
function fakeProcess (overrides: Partial<ProcessLike> = {}): { proc: ProcessLike, calls: Array<[string, string[], NodeJS.ProcessEnv]> } {
  const calls: Array<[string, string[], NodeJS.ProcessEnv]> = []
  const proc: ProcessLike = {
    execPath: '/usr/bin/node',
    execArgv: [],
    argv: ['/usr/bin/node', '/opt/herald/bin/herald.js', 'serve'],
    env: { DATABASE_PATH: '/var/lib/herald/herald.db' },
    platform: 'linux',
    execve: (file, args, env) => { calls.push([file, args, env]) },
    ...overrides
  }
  return { proc, calls }
}

t.test('it replaces the process with the same program, arguments and environment, plus the flag', async (t) => {
  const { proc, calls } = fakeProcess()
  restartWithYoungGeneration(proc)
  t.same(calls, [['/usr/bin/node', ['/usr/bin/node', flag, '/opt/herald/bin/herald.js', 'serve'], { DATABASE_PATH: '/var/lib/herald/herald.db' }]])
})

t.test('it goes on as it is where it cannot or need not restart', async (t) => {
  const given = fakeProcess({ env: { NODE_OPTIONS: '--max-semi-space-size=16' } })
  restartWithYoungGeneration(given.proc)
  t.same(given.calls, [], 'a size given in NODE_OPTIONS')

  const windows = fakeProcess({ platform: 'win32' })
  restartWithYoungGeneration(windows.proc)
  t.same(windows.calls, [], 'Windows has no execve')

  const { execve: _, ...node20 } = fakeProcess().proc
  t.doesNotThrow(() => { restartWithYoungGeneration(node20) }, 'Node 20 and 22.12 to 22.14 have none')

  const forked = fakeProcess({ send: () => true })
  restartWithYoungGeneration(forked.proc)
  t.same(forked.calls, [], 'a parent\'s IPC channel (fork, cluster, pm2) would not survive execve')

  for (const debug of [{ execArgv: ['--inspect-brk'] }, { env: { NODE_OPTIONS: '--inspect=9230' } }]) {
    const debugged = fakeProcess(debug)
    restartWithYoungGeneration(debugged.proc)
    t.same(debugged.calls, [], `a debugger would lose its process: ${JSON.stringify(debug)}`)
  }

  const failing = fakeProcess({ execve: () => { throw new Error('ENOENT') } })
  t.doesNotThrow(() => { restartWithYoungGeneration(failing.proc) }, 'a failed execve leaves the server to start as it is')
})
