// Herald's package root is found by walking up from the running file, whatever its depth (server/, dist/, an install).
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { findPackageRoot, packageDir, packageRoot, userAgent, version } from '../../server/package-info.js'
import { tempDir } from '../fixtures/build.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

t.test('from server/ it is the checkout, with its version and the folders that ship beside the code', async (t) => {
  t.equal(join(packageRoot, '/'), root)
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  t.equal(version, pkg.version)
  t.equal(userAgent, `Herald/${pkg.version}`)
  t.equal(packageDir('templates'), join(root, 'templates', '/'))
  t.ok(readFileSync(join(packageDir('templates'), 'layouts', 'public.hbs'), 'utf8').length > 0)
  t.ok(readFileSync(join(packageDir('migrations'), '001-foundation.sql'), 'utf8').length > 0)
})

t.test('any depth below the package; another package\'s package.json on the way is passed over', async (t) => {
  const dir = realpathSync(tempDir(t))
  const installed = join(dir, 'lib', 'node_modules', 'herald')
  mkdirSync(join(installed, 'dist', 'routes', 'public'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'someone-else' }))
  writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'herald', version: '9.9.9' }))
  // A package.json without Herald's name, as a build tool may leave in an output folder.
  writeFileSync(join(installed, 'dist', 'package.json'), JSON.stringify({ type: 'module' }))
  t.equal(findPackageRoot(join(installed, 'dist', 'routes', 'public')), installed)
  t.equal(findPackageRoot(join(installed, 'dist')), installed)
  t.equal(findPackageRoot(installed), installed)
  writeFileSync(join(installed, 'dist', 'routes', 'package.json'), '{ not json')
  t.equal(findPackageRoot(join(installed, 'dist', 'routes', 'public')), installed, 'an unreadable package.json is passed over too')
})

t.test('no Herald package above: an error naming where it looked', async (t) => {
  const dir = realpathSync(tempDir(t))
  mkdirSync(join(dir, 'a', 'b'), { recursive: true })
  t.throws(() => findPackageRoot(join(dir, 'a', 'b')), { message: `no package.json of herald in ${join(dir, 'a', 'b')} or a folder above it` })
})
