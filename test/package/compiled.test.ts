// The CLI tests run the compiled code: dist/ while it is current, else a test build of server/ as it is now; never an older one.
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { tempDir } from '../fixtures/build.js'
import { serverBuild } from '../fixtures/server-build.js'
import { compiledIsCurrent, heraldCommand, runsCompiled } from '../cli/fixtures/herald-process.js'

/** A server/ and dist/ pair with `files`, each compiled file written `lag` seconds after its source. */
function tree (dir: string, files: string[], lag = 1): { source: string, out: string } {
  const source = join(dir, 'server')
  const out = join(dir, 'dist')
  const then = Date.now() / 1000 - 100
  for (const file of files) {
    for (const [base, name, time] of [[source, file, then], [out, file.replace(/\.ts$/, '.js'), then + lag]] as const) {
      mkdirSync(join(base, name, '..'), { recursive: true })
      writeFileSync(join(base, name), '')
      utimesSync(join(base, name), time, time)
    }
  }
  return { source, out }
}

t.test('current when every source, at any depth, has its compiled file written after it', async (t) => {
  const { source, out } = tree(tempDir(t), ['main.ts', 'db/migrate.ts', 'routes/public/feed.ts'])
  t.equal(compiledIsCurrent(source, out), true)
  writeFileSync(join(source, 'types.d.ts'), '')
  t.equal(compiledIsCurrent(source, out), true, 'a declaration file compiles to nothing')
})

t.test('stale when a source changed after the build, or is new', async (t) => {
  const edited = tree(tempDir(t), ['main.ts', 'routes/public/feed.ts'])
  writeFileSync(join(edited.source, 'routes', 'public', 'feed.ts'), '// edited')
  t.equal(compiledIsCurrent(edited.source, edited.out), false)

  const added = tree(tempDir(t), ['main.ts'])
  writeFileSync(join(added.source, 'package-info.ts'), '')
  t.equal(compiledIsCurrent(added.source, added.out), false)

  const older = tree(tempDir(t), ['main.ts'], -1)
  t.equal(compiledIsCurrent(older.source, older.out), false, 'a compiled file older than its source')
})

t.test('no build at all is not current', async (t) => {
  const dir = tempDir(t)
  const { source } = tree(dir, ['main.ts'])
  t.equal(compiledIsCurrent(source, join(dir, 'nowhere')), false)
})

t.test('the children run bin/herald.js while the build is current, else the test build of server/ as it is now', async (t) => {
  if (runsCompiled) t.match(heraldCommand, [/bin[/\\]herald\.js$/])
  else t.match(heraldCommand, [/\.tap[/\\]server-build[/\\][0-9a-f]{16}[/\\]main\.js$/])
  // CI builds on install (npm ci runs prepare) and edits nothing after: its CLI tests run what ships.
  if (process.env.CI === 'true') t.equal(runsCompiled, true, 'in CI the build is current')
})

t.test('the test build of server/ compiles it once per state of its files, and runs', async (t) => {
  const dir = tempDir(t)
  // As Herald's own package.json does for its builds: .js files are ES modules.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  const source = join(dir, 'server')
  mkdirSync(join(source, 'cli'), { recursive: true })
  writeFileSync(join(source, 'main.ts'), "import { answer } from './cli/answer.js'\nexport const said: string = 'answer ' + String(answer)\n")
  writeFileSync(join(source, 'cli', 'answer.ts'), 'export const answer: number = 42\n')
  const builds = join(dir, 'builds')
  const first = serverBuild(source, builds)
  t.equal((await import(pathToFileURL(join(first, 'main.js')).href)).said, 'answer 42')
  t.equal(serverBuild(source, builds), first, 'nothing changed: the same build, not another')
  writeFileSync(join(source, 'cli', 'answer.ts'), 'export const answer: number = 4300\n')
  const second = serverBuild(source, builds)
  t.not(second, first, 'an edit makes a new build')
  t.equal((await import(pathToFileURL(join(second, 'main.js')).href)).said, 'answer 4300')
  t.same(readdirSync(builds).sort(), [basename(first), basename(second)].sort(), 'nothing left half-written')
})
