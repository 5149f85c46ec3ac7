// `herald --version` and `herald version` print the version of package.json; bin/herald.js without a build says what to run.
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { tempDir } from '../fixtures/build.js'
import { herald, heraldEnv } from '../cli/fixtures/herald-process.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version

t.test('--version and version print "herald <version>" from package.json, and help lists the command', async (t) => {
  const env = heraldEnv(tempDir(t))
  const [dashed, word, help] = await Promise.all([herald(['--version'], env), herald(['version'], env), herald(['help'], env)])
  for (const result of [dashed, word]) {
    t.equal(result.code, 0, result.stderr)
    t.equal(result.stdout, `herald ${packageVersion}\n`)
    t.equal(result.stderr, '')
  }
  t.match(help.stdout, /^ {2}version +print Herald's version \(also --version\)$/m)
})

t.test('bin/herald.js where dist/ was never built: one line saying to build, exit 1', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'bin'))
  copyFileSync(join(root, 'bin', 'herald.js'), join(dir, 'bin', 'herald.js'))
  const result = await new Promise<{ code: number | null, stdout: string, stderr: string }>((resolve) => {
    execFile(process.execPath, [join(dir, 'bin', 'herald.js'), '--version'], { cwd: dir, env: heraldEnv(dir) }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : error.code as number, stdout, stderr })
    })
  })
  t.equal(result.code, 1)
  t.equal(result.stdout, '')
  t.equal(result.stderr, 'herald: the compiled code (dist/main.js) is missing: run npm run build\n')
})
