// What `npm pack` puts in the tarball: the compiled code, templates, static files, migrations and the build setting; no sources, no tests.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../../', import.meta.url))

function filesOf (dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length).split('\\').join('/'))
}

t.test('the tarball holds what Herald reads at run time and nothing of server/ or test/', async (t) => {
  // --ignore-scripts: list what is there, without building (prepare) again.
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, timeout: 60_000 }, (error, out) => {
      if (error !== null) reject(error)
      else resolve(out)
    })
  })
  const [pack] = JSON.parse(stdout) as Array<{ name: string, files: Array<{ path: string }> }>
  const packed = new Set(pack?.files.map((file) => file.path))
  t.equal(pack?.name, 'herald')
  for (const file of ['package.json', 'README.md', 'LICENSE', 'bin/herald.js', '.prebuild-installrc']) t.ok(packed.has(file), file)
  for (const file of [...filesOf('templates'), ...filesOf('static'), ...filesOf('migrations')]) {
    if (!packed.has(file)) t.fail(`${file} is not packed`)
  }
  t.ok(packed.has('templates/layouts/public.hbs') && packed.has('migrations/001-foundation.sql') && packed.has('static/herald.css'))
  // dist/ is there after npm install or npm run build; every file of it ships.
  if (existsSync(join(root, 'dist', 'main.js'))) {
    t.ok(packed.has('dist/main.js'))
    for (const file of filesOf('dist')) if (!packed.has(file)) t.fail(`${file} is not packed`)
  }
  const strays = [...packed].filter((file) => /^(server|test|coverage|data|node_modules)\//.test(file) || /\.ts$/.test(file) ||
    ['.npmrc', '.taprc', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', '.gitignore'].includes(file))
  t.same(strays, [], 'no sources, tests or development settings')
})
