// A monitors file (YAML, a `monitors:` list): read with the line of every value, so a refusal names its line; and written back by export.
import { Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import type { MonitorInput } from '../domain/monitor-input.js'
import { CliError } from './errors.js'

/** Bigger than any list of monitors a person writes: a file over it is a mistake (or an attack), refused before it is parsed. */
export const maxMonitorsFileBytes = 1024 * 1024

// A YAML alias repeats a node; a few hundred nested ones expand into gigabytes (the billion laughs).
const maxAliasCount = 50

/** A parsed monitors file: its entries as typed, and the line of the field at a path in one of them. */
export interface MonitorsFile {
  entries: unknown[]
  lineOf: (index: number, path: ReadonlyArray<string | number>) => number
}

function lineError (file: string, line: number, message: string): CliError {
  return new CliError(`${file}:${line}: ${message}`)
}

/**
 * Parses the text of a monitors file named `file` (for the messages). A syntax error, a key given twice,
 * too many aliases, another top-level key than `monitors` or a `monitors` that is not a list is refused
 * with its line; each entry is checked later (the service), its refusal placed by lineOf.
 */
export function parseMonitorsFile (file: string, text: string): MonitorsFile {
  if (Buffer.byteLength(text, 'utf8') > maxMonitorsFileBytes) throw new CliError(`${file}: the file is over 1 MiB`)
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: false, version: '1.2' })
  // Every node the parser made has its range; the file's first line stands in for a key left empty.
  const lineAt = (node: Node | null | undefined): number => lineCounter.linePos(node?.range?.[0] ?? 0).line
  const [error] = doc.errors
  if (error !== undefined) {
    // The message's first line, without the position the file's line already says.
    const message = (error.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, '')
      // The parser recurses into nested collections: thousands of [ overflow its stack, which it reports as its error.
      .replace(/^Maximum call stack size exceeded$/, 'nested too deeply')
    throw lineError(file, lineCounter.linePos(error.pos[0]).line, message)
  }
  const root = doc.contents
  if (root === null) throw new CliError(`${file}: the file is empty: it needs a monitors: list`)
  if (!isMap(root)) throw lineError(file, lineAt(root), 'the file must be a mapping with a monitors: list')
  for (const pair of root.items) {
    const key = pair.key as Node | null
    const name = isScalar(key) ? String(key.value) : String(key)
    if (name !== 'monitors') throw lineError(file, lineAt(key), `${name}: unknown field (the file has one key, monitors)`)
  }
  const list = root.get('monitors', true) as Node | undefined
  if (list === undefined) throw lineError(file, 1, 'the file needs a monitors: list')
  if (!isSeq(list)) throw lineError(file, lineAt(list), 'monitors: must be a list of monitors (each entry starting with -)')
  let entries: unknown
  try {
    entries = doc.toJS({ maxAliasCount }).monitors
  } catch (error) {
    // The only error toJS throws on a parsed document: an alias expanded too many times.
    throw new CliError(`${file}: ${(error as Error).message}`)
  }
  const lineOf = (index: number, path: ReadonlyArray<string | number>): number => {
    // The deepest node of the path that exists: a missing field is placed on its entry (or on the list).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(['monitors', index, ...path.slice(0, depth)], true) as Node | undefined
      if (node !== undefined) return lineAt(node)
    }
    return lineAt(list)
  }
  return { entries: entries as unknown[], lineOf }
}

/** The monitors as a file that `herald monitors apply` takes back unchanged: one key per field, in a stable order. */
export function monitorsFileText (monitors: readonly MonitorInput[]): string {
  const doc = new Document({ monitors })
  doc.commentBefore = ' Herald monitors: `herald monitors apply <file>` makes the monitors what this file says (heartbeat secrets are never exported).'
  return doc.toString({ lineWidth: 0 })
}
