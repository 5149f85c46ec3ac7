// Where types live: views and routes name records by their domain/ types, never through a repository's file.
import t from 'tap'
import ts from 'typescript'
import { importTarget, serverSource, serverSources } from './fixtures/server-sources.js'

/** A repository (`UsersStore`), the set of them (`Stores`) or their factory: what store/ is for. */
const repositoryName = /Stores?$/

interface NamedImport { name: string, from: string, line: number }

/**
 * Every name a source takes from another module of ours: named imports (type-only ones too), default and
 * namespace imports, `export { x } from`, and `import('...').X` types. `export * from` counts as the name '*'.
 */
function namedImportsOf (fileName: string, source: string): NamedImport[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const found: NamedImport[] = []
  const add = (node: ts.Node, name: string, specifier: ts.Expression): void => {
    if (!ts.isStringLiteralLike(specifier)) return
    found.push({ name, from: specifier.text, line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1 })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && node.importClause !== undefined) {
      const { name, namedBindings } = node.importClause
      if (name !== undefined) add(node, 'default', node.moduleSpecifier)
      if (namedBindings !== undefined && ts.isNamespaceImport(namedBindings)) add(node, '*', node.moduleSpecifier)
      if (namedBindings !== undefined && ts.isNamedImports(namedBindings)) {
        for (const element of namedBindings.elements) add(node, (element.propertyName ?? element.name).text, node.moduleSpecifier)
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      if (node.exportClause !== undefined && ts.isNamedExports(node.exportClause)) {
        for (const element of node.exportClause.elements) add(node, (element.propertyName ?? element.name).text, node.moduleSpecifier)
      } else {
        add(node, '*', node.moduleSpecifier)
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const qualifier = node.qualifier === undefined ? '*' : node.qualifier.getText(file).split('.')[0] ?? '*'
      add(node, qualifier, node.argument.literal as ts.Expression)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

/** The names a file of server/ (its path relative to server/) takes from store/ that are not repositories, one line each. */
function recordsFromStore (path: string, source: string): string[] {
  return namedImportsOf(path, source).flatMap(({ name, from, line }) => {
    if (!from.startsWith('.')) return []
    const target = importTarget(path, from)
    if (!target.startsWith('store/') || repositoryName.test(name)) return []
    return [`server/${path}:${line} takes ${name} from ${from}: a record's type comes from domain/`]
  })
}

t.test('the checker finds every name taken from store/ that is not a repository', async (t) => {
  const source = [
    "import type { User } from '../../store/users-store.js'",
    "import { type Role, roles, UsersStore } from '../../store/users-store.js'",
    "import type { Stores } from '../../store/stores.js'",
    "export { Delivery as D } from '../../store/deliveries-store.js'",
    "export * from '../../store/audit-store.js'",
    "let t: import('../../store/tokens-store.js').ApiToken",
    "import * as store from '../../store/stores.js'",
    "import type { User as U } from '../../domain/accounts.js'",
    "import { Type } from 'typebox'"
  ].join('\n')
  const at = (line: number, name: string, from: string): string =>
    `server/routes/admin/x.ts:${line} takes ${name} from ${from}: a record's type comes from domain/`
  t.same(recordsFromStore('routes/admin/x.ts', source), [
    at(1, 'User', '../../store/users-store.js'),
    at(2, 'Role', '../../store/users-store.js'),
    at(2, 'roles', '../../store/users-store.js'),
    at(4, 'Delivery', '../../store/deliveries-store.js'),
    at(5, '*', '../../store/audit-store.js'),
    at(6, 'ApiToken', '../../store/tokens-store.js'),
    at(7, '*', '../../store/stores.js')
  ])
})

t.test('views and routes take only repositories from store/: records come from domain/', async (t) => {
  const files = [...serverSources('views'), ...serverSources('routes')]
  t.ok(files.length > 50, `read ${files.length} files of server/views/ and server/routes/`)
  const wrong = files.flatMap((path) => recordsFromStore(path, serverSource(path)))
  t.same(wrong, [], 'record types taken from a store file')
})
