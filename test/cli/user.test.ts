// `herald user add|passwd|remove|list`: passwords from a pipe or a prompt without echo, one-line refusals, sessions ended.
import { spawn } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { readNewPassword } from '../../server/cli/password-input.js'
import { userCommand } from '../../server/cli/user.js'
import { AdminSession } from '../admin/fixtures/admin-session.js'
import { type TestContext, build } from '../fixtures/build.js'
import { type HeraldResult, herald, heraldEnv, heraldProgram, lines } from './fixtures/herald-process.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** `printf '<input>' | herald <args>`: the child's stdin is a pipe with exactly `input` in it. */
function heraldWithInput (args: string[], env: NodeJS.ProcessEnv, input: string): Promise<HeraldResult> {
  return new Promise((resolve, reject) => {
    // As the fixture starts Herald: the build while it is current, else the sources, never an older build.
    const child = spawn(...heraldProgram(args), { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

/** Herald over the database the commands use, as the server would open it. */
async function appOver (t: TestContext, dir: string): Promise<FastifyInstance> {
  return await build(t, { dir })
}

t.test('user add reads the password from a pipe, and the user can sign in with it', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const added = await heraldWithInput(['user', 'add', 'alice', '--role', 'admin'], env, 'wonderland-password-1\n')
  t.equal(added.code, 0, added.stderr)
  t.equal(added.stdout, 'added admin alice\n')
  t.equal(added.stderr, '', 'no prompt when stdin is a pipe')
  const editor = await heraldWithInput(['user', 'add', 'bob', '-r', 'editor'], env, 'builder password 1')
  t.equal(editor.code, 0, editor.stderr)

  const app = await appOver(t, dir)
  const browser = new AdminSession(app)
  await browser.signIn('alice', 'wonderland-password-1')
  t.equal((await browser.get('/admin/users')).statusCode, 200, 'alice is an admin (one trailing newline was dropped)')
  await new AdminSession(app).signIn('bob', 'builder password 1')
  t.match(app.herald.stores.audit.list(2), [{ actor: 'cli', action: 'user.create', detail: { name: 'bob', role: 'editor' } }, { actor: 'cli', detail: { name: 'alice' } }])

  const list = await herald(['user', 'list'], env)
  t.equal(list.code, 0)
  t.match(lines(list.stdout), [/^NAME\s+ROLE\s+CREATED$/, /^alice\s+admin\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC$/, /^bob\s+editor\s+/])
})

t.test('a weak password is refused with the reason, in one line, and nothing is stored', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const [short, common, withName, twoLines, empty] = await Promise.all([
    heraldWithInput(['user', 'add', 'alice', '--role', 'admin'], env, 'short-pw\n'),
    heraldWithInput(['user', 'add', 'alice', '--role', 'admin'], env, 'password123'),
    heraldWithInput(['user', 'add', 'alice', '--role', 'admin'], env, 'alice-is-my-password'),
    heraldWithInput(['user', 'add', 'alice', '--role', 'admin'], env, 'wonderland-password-1\n\n'),
    heraldWithInput(['user', 'add', 'alice', '--role', 'admin'], env, '')
  ])
  t.same([short.code, common.code, withName.code, twoLines.code, empty.code], [1, 1, 1, 1, 1])
  t.equal(short.stderr, 'herald: password refused: Use at least 10 characters.\n')
  t.equal(common.stderr, 'herald: password refused: This password is too common.\n')
  t.equal(withName.stderr, 'herald: password refused: Do not use your user name in the password.\n')
  t.equal(twoLines.stderr, 'herald: password refused: Do not use control characters (tabs, line breaks and the like).\n', 'only ONE newline is dropped')
  t.match(empty.stderr, /^herald: no password on standard input/)
  t.equal(short.stdout, '')
  t.match((await herald(['user', 'list'], env)).stdout, /^no users yet; add the first admin with: herald user add <name> --role admin\n$/)
})

t.test('passwd sets a new password and ends every session of the user', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  t.equal((await heraldWithInput(['user', 'add', 'alice', '--role', 'admin'], env, 'wonderland-password-1')).code, 0)
  const app = await appOver(t, dir)
  const browser = new AdminSession(app)
  await browser.signIn('alice', 'wonderland-password-1')
  t.equal((await browser.get('/admin')).statusCode, 200)

  const weak = await heraldWithInput(['user', 'passwd', 'alice'], env, 'alice')
  t.equal(weak.code, 1)
  t.equal(weak.stderr, 'herald: password refused: Use at least 10 characters.\n')
  t.equal((await browser.get('/admin')).statusCode, 200, 'a refused change ends nothing')

  const changed = await heraldWithInput(['user', 'passwd', 'alice'], env, 'looking-glass-pw-2\n')
  t.equal(changed.code, 0, changed.stderr)
  t.equal(changed.stdout, 'changed the password of alice; their sessions are signed out\n')
  t.equal((await browser.get('/admin')).statusCode, 302, 'the session has ended')
  const old = await new AdminSession(app).post('/admin/sign-in', { name: 'alice', password: 'wonderland-password-1' }, { formPage: '/admin/sign-in' })
  t.equal(old.statusCode, 401, 'the old password no longer works')
  await new AdminSession(app).signIn('alice', 'looking-glass-pw-2')

  const unknown = await heraldWithInput(['user', 'passwd', 'nobody'], env, 'looking-glass-pw-2')
  t.equal(unknown.code, 1)
  t.equal(unknown.stderr, 'herald: no user named nobody; see herald user list\n')
})

t.test('remove never removes the last admin', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const printed: string[] = []
  const print = (line: string): void => { printed.push(line) }
  const pipe = (text: string): { input: PassThrough, prompts: PassThrough } => {
    const input = new PassThrough()
    input.end(text)
    return { input, prompts: new PassThrough() }
  }
  await userCommand(['add', 'alice', '--role', 'admin'], env, print, pipe('wonderland-password-1'))
  await userCommand(['add', 'bob', '--role', 'editor'], env, print, pipe('builder-password-1'))
  await t.rejects(userCommand(['remove', 'alice'], env, print), { message: 'alice is the last admin; add another admin first' })
  await userCommand(['remove', 'bob'], env, print)
  t.same(printed, ['added admin alice', 'added editor bob', 'removed editor bob; their sessions are signed out'])
  await t.rejects(userCommand(['remove', 'bob'], env, print), { message: 'no user named bob; see herald user list' })
})

t.test('mistakes on the command line are refused before a password is asked for', async (t) => {
  const env = heraldEnv(t.testdir())
  // No stdin is given: had a password been read, these would fail differently.
  const never = { input: new PassThrough(), prompts: new PassThrough() }
  const cases: Array<[string[], RegExp]> = [
    [['add', 'alice'], /^user add needs a role: --role admin or --role editor$/],
    [['add', 'alice', '--role', 'root'], /^user add: the role must be admin or editor, not "root"$/],
    [['add', '--role', 'admin'], /^user add needs a name/],
    [['add', 'a b', '--role', 'admin'], /^user name refused: Use 2 to 64 letters/],
    [['add', '<script>', '--role', 'admin'], /^user name refused: Use 2 to 64 letters/],
    [['add', 'x'.repeat(65), '--role', 'admin'], /^user name refused/],
    [['add', 'alice', 'bob', '--role', 'admin'], /^user add takes one name, not also "bob"$/],
    [['add', 'alice', '--role', 'admin', '--admin'], /^user add: Unknown option '--admin'/],
    [['frobnicate'], /^unknown user action "frobnicate"/],
    [[], /^user needs an action/]
  ]
  for (const [args, message] of cases) {
    await t.rejects(userCommand(args, env, () => {}, never), { message }, args.join(' '))
  }
  const usage = await herald(['user', 'add', 'alice'], env)
  t.equal(usage.code, 1)
  t.equal(usage.stderr, 'herald: user add needs a role: --role admin or --role editor; run `herald help` for the commands\n')
})

t.test('on a terminal, the password is asked for twice and never echoed', async (t) => {
  /** A fake terminal that types each answer once its prompt has been written. */
  function terminal (answers: string[]): { input: PassThrough & { isTTY: boolean }, prompts: PassThrough, shown: () => string } {
    const input = Object.assign(new PassThrough(), { isTTY: true })
    const prompts = new PassThrough()
    let shown = ''
    prompts.on('data', (chunk: Buffer) => {
      shown += chunk.toString()
      if (/(: )$/.test(shown) && answers.length > 0) {
        const answer = answers.shift() as string
        setImmediate(() => input.write(`${answer}\r`))
      }
    })
    return { input, prompts, shown: () => shown }
  }
  const same = terminal(['wonderland-password-1', 'wonderland-password-1'])
  t.equal(await readNewPassword(same, 'alice'), 'wonderland-password-1')
  // readline moves the cursor around the prompt; what matters is the text shown.
  const text = same.shown().replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
  t.equal(text, 'Password for alice: \nThe same password again: \n', 'the prompts and nothing typed')
  t.notMatch(same.shown(), 'wonderland', 'the password is never echoed')

  const differ = terminal(['wonderland-password-1', 'wonderland-password-2'])
  await t.rejects(readNewPassword(differ, 'alice'), { message: 'the two passwords differ; nothing changed' })
  const empty = terminal(['', ''])
  await t.rejects(readNewPassword(empty, 'alice'), { message: 'no password typed; nothing changed' })

  const cancelled = terminal([])
  const reading = readNewPassword(cancelled, 'alice')
  setImmediate(() => cancelled.input.write('\u0003'))
  await t.rejects(reading, { message: 'cancelled; nothing changed' }, 'Ctrl-C')
})
