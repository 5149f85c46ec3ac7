// `herald serve` with PORT=0: the setup link it prints names the port it was given, not port 0.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { heraldEnv, heraldProgram } from './fixtures/herald-process.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

t.test('the setup link names the port a PORT=0 server listens on', async (t) => {
  // No PUBLIC_URL: the default one, http://HOST:PORT, names port 0.
  const child = spawn(...heraldProgram(['serve']), { cwd: root, env: heraldEnv(t.testdir(), { LOG_LEVEL: 'info', PORT: '0', PUBLIC_URL: '' }), stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { child.kill('SIGKILL') })
  let stdout = ''
  const link = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no setup link in: ${stdout}`)), 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /(http:\/\/127\.0\.0\.1:\d+\/admin\/setup\?token=\S+)/.exec(stdout)
      // The log line and the link are two writes to stdout (pino's and the command's): wait for both, in any order.
      if (match !== null && stdout.includes('"msg":"Server listening at ')) {
        clearTimeout(timer)
        resolve(match[1] as string)
      }
    })
  })
  const port = Number(new URL(link).port)
  t.not(port, 0, `the link names a real port (${port})`)
  t.match(stdout, new RegExp(`"msg":"Server listening at http://127\\.0\\.0\\.1:${port}"`), 'the one the server listens on')
  t.equal((await fetch(link)).status, 200, 'and it opens the setup page')
})
