// `herald serve` runs with V8's young generation at Node 20's size on every Node line, restarting itself with the flag when none was given.

/** The semi-space size `herald serve` runs with, in MB: Node 20's default, and what `npm start` passes. */
export const serveSemiSpaceMb = 16

const flagNames = ['--max-semi-space-size', '--max_semi_space_size']

/** What restartWithYoungGeneration reads and calls: `process`, or a stand-in in tests. */
export interface ProcessLike {
  execPath: string
  execArgv: readonly string[]
  argv: readonly string[]
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  /** Node 22.15 and later (not on Windows): replaces the process with another program, keeping its PID. */
  execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => void
  /** Set when a parent started the process with an IPC channel (fork, cluster, pm2). */
  send?: unknown
}

/**
 * The Node options to start `herald serve` with, or undefined when the semi-space size was given already,
 * on the command line or in NODE_OPTIONS (an operator's choice stays theirs, and the restarted process
 * finds the flag and goes on).
 */
export function youngGenerationArgs (execArgv: readonly string[], nodeOptions: string | undefined): string[] | undefined {
  if (nodeOptionGiven(execArgv, nodeOptions, (option) => flagNames.some((name) => option.startsWith(name)))) return undefined
  return [`--max-semi-space-size=${serveSemiSpaceMb}`, ...execArgv]
}

/** Whether Node was given an option that `matches`: on its command line, or in NODE_OPTIONS. */
function nodeOptionGiven (execArgv: readonly string[], nodeOptions: string | undefined, matches: (option: string) => boolean): boolean {
  return execArgv.some(matches) || (nodeOptions ?? '').split(/\s+/).some(matches)
}

/**
 * On Node 22 and later V8 sizes the young generation by the machine's memory: 64 MB, growing to 128 MB
 * under load, where Node 20 has 16. A server that has answered a load then holds 100 to 200 MB more
 * for good (V8 does not give it back), at the same speed (README, Benchmarks). The size can only be
 * set when V8 starts, so `herald serve` started without it replaces itself, before it loads anything,
 * with the same program, arguments and environment plus the flag: the same process (a supervisor keeps
 * its PID), no child to forward signals to. Where execve is missing (Node 20, whose default is already
 * this size; 22.12 to 22.14; Windows), or the process must stay as it is (keepsItsProcess), it goes on as it is; so it does where a failed execve throws (the
 * lines before that change abort instead, but it runs Node's own binary, which is there: it is running).
 * Its ExperimentalWarning is never printed: Node writes it on the next tick, and the process is replaced
 * before. Returns only when it did not restart.
 */
export function restartWithYoungGeneration (proc: ProcessLike = process as ProcessLike): void {
  if (proc.execve === undefined || proc.platform === 'win32' || keepsItsProcess(proc)) return
  const nodeArgs = youngGenerationArgs(proc.execArgv, proc.env.NODE_OPTIONS)
  if (nodeArgs === undefined) return
  try {
    proc.execve(proc.execPath, [proc.execPath, ...nodeArgs, ...proc.argv.slice(1)], proc.env)
  } catch {
    // The server runs as well with V8's default size, only with more memory.
  }
}

/**
 * A process that must stay the one it was started as. execve keeps only standard input, output and error:
 * a parent's IPC channel (`fork`, a cluster, pm2) would be cut, and it would no longer hear from its
 * child (tried: after the restart, `child.connected` was false). A debugger attached with --inspect or
 * --inspect-brk would lose its process, and --inspect-brk stop a second time.
 */
function keepsItsProcess (proc: ProcessLike): boolean {
  return proc.send !== undefined || nodeOptionGiven(proc.execArgv, proc.env.NODE_OPTIONS, (option) => option.startsWith('--inspect'))
}
