// The CLI tests run the compiled code only while dist/ is current: never a build older than server/.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../fixtures/build.js'
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

t.test('the children run bin/herald.js while the build is current, else server/main.ts through tsx', async (t) => {
  if (runsCompiled) t.match(heraldCommand, [/bin[/\\]herald\.js$/])
  else t.match(heraldCommand, ['--import', 'tsx', /server[/\\]main\.ts$/])
  // CI builds on install (npm ci runs prepare) and edits nothing after: its CLI tests run what ships.
  if (process.env.CI === 'true') t.equal(runsCompiled, true, 'in CI the build is current')
})
