// The layers of server/, top to bottom (the README's Development section lists them): every import points down.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import t from 'tap'
import ts from 'typescript'
import { importTarget, serverDir, serverSource, serverSources } from './fixtures/server-sources.js'

/**
 * Top to bottom. A file is in the entry that names it or its folder (the longest match). A file may import
 * its own entry and any entry below its level; entries at one level are siblings that never import each
 * other (the public pages, the admin UI and the token API stand apart), so no cycle can hide in a level.
 */
const layers: string[][] = [
  ['main.ts'],
  ['cli/'],
  ['demo/'],
  ['app.ts'],
  ['routes/public/', 'routes/admin/', 'routes/api/'],
  ['plugins/'],
  ['export/'],
  ['http/'],
  ['cache/'],
  ['badge/'],
  ['feed/'],
  ['notify/'],
  ['views/'],
  ['monitors/'],
  ['services/'],
  ['social/'],
  ['store/'],
  ['db/'],
  ['config.ts'],
  ['package-info.ts'],
  ['domain/']
]

interface Place { entry: string, level: number }

/** The layer of a path under server/ ('plugins/errors.ts'), or undefined when no entry names it. */
function placeOf (path: string): Place | undefined {
  let found: Place | undefined
  layers.forEach((entries, level) => {
    for (const entry of entries) {
      const matches = entry.endsWith('/') ? path.startsWith(entry) : path === entry
      if (matches && (found === undefined || entry.length > found.entry.length)) found = { entry, level }
    }
  })
  return found
}

interface Import { specifier: string | undefined, line: number }

/**
 * Every module a source names: import and export ... from (type-only ones too), import x = require(),
 * import() calls and import('...') types. A computed import() has no specifier: it cannot be checked.
 */
function importsOf (fileName: string, source: string): Import[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const found: Import[] = []
  const add = (node: ts.Node, specifier: ts.Node | undefined): void => {
    const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1
    found.push({ specifier: specifier !== undefined && ts.isStringLiteralLike(specifier) ? specifier.text : undefined, line })
  }
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      add(node, node.moduleSpecifier)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0])
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

/** What is wrong with the imports of one file under server/ (its path relative to server/), one line each. */
function wrongImports (path: string, source: string): string[] {
  const from = placeOf(path)
  if (from === undefined) return [`server/${path} is in no layer: add its folder to the list`]
  const wrong: string[] = []
  for (const { specifier, line } of importsOf(path, source)) {
    const at = `server/${path}:${line}`
    if (specifier === undefined) {
      wrong.push(`${at} imports a computed path, which cannot be checked`)
      continue
    }
    // Packages and node: modules are no layer of ours.
    if (!specifier.startsWith('.')) continue
    const target = importTarget(path, specifier).replace(/\.js$/, '.ts')
    const to = target.startsWith('..') ? undefined : placeOf(target)
    if (to === undefined) {
      wrong.push(`${at} imports ${specifier}, which is in no layer of server/`)
    } else if (to.level < from.level) {
      wrong.push(`${at} imports ${specifier}: ${from.entry} may not import ${to.entry}, a layer above it`)
    } else if (to.level === from.level && to.entry !== from.entry) {
      wrong.push(`${at} imports ${specifier}: ${from.entry} may not import ${to.entry}, its sibling`)
    }
  }
  return wrong
}

t.test('the checker reads every form of import', async (t) => {
  const source = [
    "import a from './a.js'",
    "import type { B } from './b.js'",
    "import { type C, d } from './c.js'",
    "export { e } from './e.js'",
    "export type { F } from './f.js'",
    "export * from './g.js'",
    "import './h.js'",
    "import i = require('./i.js')",
    "const j = await import('./j.js')",
    "let k: import('./k.js').K",
    'const l = await import(name)'
  ].join('\n')
  t.same(importsOf('x.ts', source).map(({ specifier }) => specifier),
    ['./a.js', './b.js', './c.js', './e.js', './f.js', './g.js', './h.js', './i.js', './j.js', './k.js', undefined])
  t.same(importsOf('x.ts', source).map(({ line }) => line), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
})

t.test('an import up the list, to a sibling, outside the layers or computed is refused; down or within is allowed', async (t) => {
  t.same(wrongImports('domain/time.ts', "import type { Stores } from '../store/stores.js'"),
    ['server/domain/time.ts:1 imports ../store/stores.js: domain/ may not import store/, a layer above it'])
  t.same(wrongImports('routes/public/feed.ts', "import { x } from '../admin/access.js'"),
    ['server/routes/public/feed.ts:1 imports ../admin/access.js: routes/public/ may not import routes/admin/, its sibling'])
  t.same(wrongImports('store/x.ts', "const m = await import('../../test/fixtures/build.js')"),
    ['server/store/x.ts:1 imports ../../test/fixtures/build.js, which is in no layer of server/'])
  t.same(wrongImports('app.ts', 'const m = await import(name)'), ['server/app.ts:1 imports a computed path, which cannot be checked'])
  t.same(wrongImports('nowhere/x.ts', ''), ['server/nowhere/x.ts is in no layer: add its folder to the list'])
  t.same(wrongImports('views/admin/x.ts', "import { a } from '../format.js'\nimport type { B } from '../../domain/model.js'\nimport fp from 'fastify-plugin'"), [])
})

t.test('every import of server/ points down the layers', async (t) => {
  const files = serverSources()
  t.ok(files.length > 100, `read ${files.length} files of server/`)
  const wrong = files.flatMap((path) => wrongImports(path, serverSource(path)))
  t.same(wrong, [], 'imports that point up or sideways')
})

/** The layers as the README's Development section lists them: the names before each numbered line's colon. */
function readmeLayers (readme: string): string[][] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Development')) ?? ''
  return section.split('\n').filter((line) => /^\d+\. /.test(line)).map((line) => {
    const names = line.replace(/^\d+\. /, '').split(': ', 1)[0] ?? ''
    return [...names.matchAll(/`([a-z][\w-]*(?:\/[\w-]+)*(?:\/|\.ts))`/g)].map((match) => match[1] ?? '')
  })
}

t.test('the README lists the same layers', async (t) => {
  t.same(readmeLayers(readFileSync(resolve(serverDir, '../README.md'), 'utf8')), layers)
})
