// Routes read through services and views never query: no file of server/routes/ or server/views/ reaches the stores or opens a transaction.
import t from 'tap'
import ts from 'typescript'
import { importTarget, serverSource, serverSources } from './fixtures/server-sources.js'

/** The folders whose files answer requests or shape what is shown: they get their facts from services/. */
const checkedDirs = ['routes', 'views']

/**
 * What one file does that only services/ and below may do, once per kind and target: an import of store/
 * (type-only ones too), a name `stores` (app.herald.stores, a destructured `stores`, one passed along),
 * and a call of .transaction() or .prepare() on anything. Comments and strings are not code, so not read.
 */
function storeReaches (path: string, source: string): string[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true)
  const found = new Set<string>()
  const importOf = (specifier: ts.Node | undefined): void => {
    if (specifier === undefined || !ts.isStringLiteralLike(specifier) || !specifier.text.startsWith('.')) return
    const target = importTarget(path, specifier.text)
    if (target.startsWith('store/')) found.add(`server/${path} imports ${specifier.text}`)
  }
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      importOf(node.moduleSpecifier)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      importOf(node.arguments[0])
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      importOf(node.argument.literal)
    } else if (ts.isIdentifier(node) && node.text === 'stores') {
      found.add(`server/${path} names stores`)
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) &&
      ['transaction', 'prepare'].includes(node.expression.name.text)) {
      found.add(`server/${path} calls .${node.expression.name.text}()`)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return [...found]
}

t.test('the checker finds an import of store/, the name stores, and a transaction or a prepared statement', async (t) => {
  const source = [
    "import type { Stores } from '../../store/stores.js'",
    "import { roles } from '../../store/users-store.js'",
    "export type { Delivery } from '../../store/deliveries-store.js'",
    "const m = await import('../../store/audit-store.js')",
    "let k: import('../../store/page-store.js').IncidentDigest",
    'const { stores } = app.herald',
    'const list = app.herald.stores.components.list()',
    'const read = db.transaction(() => 1)()',
    "const statement = db.prepare('SELECT 1')"
  ].join('\n')
  t.same(storeReaches('routes/public/x.ts', source).sort(), [
    'server/routes/public/x.ts calls .prepare()',
    'server/routes/public/x.ts calls .transaction()',
    'server/routes/public/x.ts imports ../../store/audit-store.js',
    'server/routes/public/x.ts imports ../../store/deliveries-store.js',
    'server/routes/public/x.ts imports ../../store/page-store.js',
    'server/routes/public/x.ts imports ../../store/stores.js',
    'server/routes/public/x.ts imports ../../store/users-store.js',
    'server/routes/public/x.ts names stores'
  ])
})

t.test('reading through services, a word in a comment or a string, and other imports pass', async (t) => {
  const source = [
    '// The service stores the time in UTC; a transaction per write.',
    "import { pageOverallStatus } from '../current-status.js'",
    "import type { StatusFacts } from '../../services/public-reads.js'",
    "const text = 'stores.transaction()'",
    'const facts = app.herald.services.reads.public.status()',
    'const restored = history.stored'
  ].join('\n')
  t.same(storeReaches('views/x.ts', source), [])
})

t.test('no file of server/routes/ or server/views/ reaches the stores or opens a transaction', async (t) => {
  const files = checkedDirs.flatMap(serverSources)
  t.ok(files.length > 60, `read ${files.length} files`)
  const found = files.flatMap((path) => storeReaches(path, serverSource(path)))
  t.same(found, [], 'read through services/ instead (services/reads.ts)')
})
