// Herald's own package: the folder holding its package.json (templates/, static/ and migrations/ sit beside it) and its version.
import { readFileSync } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageName = 'herald'

interface PackageJson {
  name?: unknown
  version?: unknown
}

function readPackageJson (dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson
  } catch {
    return undefined
  }
}

/**
 * The nearest folder at or above `start` whose package.json is Herald's. This file runs as server/*.ts
 * under tsx and the tests, as dist/*.js once compiled, and from lib/node_modules/herald/dist/ once
 * installed: walking up finds the package in each, whatever the depth of the compiled file.
 */
export function findPackageRoot (start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (readPackageJson(dir)?.name === packageName) return dir
    if (dirname(dir) === dir) throw new Error(`no package.json of ${packageName} in ${start} or a folder above it`)
  }
}

/** The folder of Herald's package.json. */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)))

/** Herald's version, as package.json gives it. */
export const version = String(readPackageJson(packageRoot)?.version)

/** What Herald calls itself in the requests it makes (social posts). */
export const userAgent = `Herald/${version}`

/** A folder of the package: templates/, static/ or migrations/, with a trailing separator. */
export function packageDir (name: string): string {
  return join(packageRoot, name) + sep
}

/** The static assets (CSS, scripts, icons), served under /static/ and copied into a static mirror. */
export const staticDir = packageDir('static')
