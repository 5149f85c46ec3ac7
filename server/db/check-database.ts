// The start-up check of a database file: SQLite's quick_check, so a damaged file is refused before Herald serves from it.
import { corruptDatabase, fileProblemOf } from './database-error.js'
import type { Db } from './open-database.js'

/**
 * Throws a DatabaseFileError when the file's pages are damaged. quick_check reads every page but skips
 * the index-content comparison of integrity_check: seconds on a large file, run by `migrate` and `serve`
 * only, not by every command.
 */
export function checkDatabase (db: Db): void {
  let problems: string[]
  try {
    problems = (db.pragma('quick_check(1)') as Array<{ quick_check: string }>).map((row) => row.quick_check)
  } catch (error) {
    throw fileProblemOf(db.name, error) ?? error
  }
  const first = problems[0]
  if (first !== undefined && first !== 'ok') {
    const detail = first.replace(/^\*\*\* in database \w+ \*\*\*\s*/, '').replace(/\s+/g, ' ')
    throw corruptDatabase(db.name, `quick_check: ${detail}`)
  }
}
