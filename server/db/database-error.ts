// A database file Herald cannot use as it is (newer, damaged, not a database, not readable or writable), said in one line for the person who can fix it.
import { dirname } from 'node:path'

/** What is wrong with the file; the message names the file and what to do about it. */
export type DatabaseProblem = 'newer' | 'corrupt' | 'not-a-database' | 'read-only' | 'unreadable' | 'folder' | 'cannot-open'

export class DatabaseFileError extends Error {
  constructor (readonly path: string, readonly problem: DatabaseProblem, message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

const byTheUser = 'by the user Herald runs as'

export function schemaTooNew (path: string, version: number, newest: number): DatabaseFileError {
  return new DatabaseFileError(path, 'newer', `the database at ${path} has schema version ${version}, newer than this Herald ` +
    `knows (${newest}): upgrade Herald, or restore a backup made by this version`)
}

export function corruptDatabase (path: string, detail: string, cause?: unknown): DatabaseFileError {
  return new DatabaseFileError(path, 'corrupt', `the database at ${path} is damaged (${detail}): restore a backup, ` +
    'or recover what is left with the sqlite3 shell\'s .recover into a new file', { cause })
}

function notADatabase (path: string, cause?: unknown): DatabaseFileError {
  return new DatabaseFileError(path, 'not-a-database', `the file at ${path} is not a SQLite database: ` +
    'set DATABASE_PATH to Herald\'s database, or move this file away to start a new one', { cause })
}

export function readOnlyDatabase (path: string, cause?: unknown): DatabaseFileError {
  return new DatabaseFileError(path, 'read-only', `the database at ${path} is read-only: make it writable ${byTheUser} ` +
    '(chmod u+w, or chown)', { cause })
}

export function unreadableDatabase (path: string, cause?: unknown): DatabaseFileError {
  return new DatabaseFileError(path, 'unreadable', `the database at ${path} cannot be read: give read and write permission ` +
    'on it to the user Herald runs as (chmod u+rw, or chown)', { cause })
}

export function unwritableFolder (path: string, folder: string, cause?: unknown): DatabaseFileError {
  return new DatabaseFileError(path, 'folder', `the folder ${folder} of the database at ${path} cannot be written ` +
    `(SQLite keeps its -wal and -shm files next to the database): make it writable ${byTheUser}`, { cause })
}

export function cannotOpen (path: string, reason: string, cause?: unknown): DatabaseFileError {
  return new DatabaseFileError(path, 'cannot-open', `cannot open the database at ${path}: ${reason}`, { cause })
}

/**
 * The file problem behind a SQLite error, or undefined for any other error. SQLITE_READONLY and its
 * extended codes (a read-only file, folder or mount), SQLITE_CORRUPT and SQLITE_NOTADB say the file,
 * not Herald, is at fault.
 */
export function fileProblemOf (path: string, error: unknown): DatabaseFileError | undefined {
  if (error instanceof DatabaseFileError) return error
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'SQLITE_NOTADB') return notADatabase(path, error)
  if (code.startsWith('SQLITE_CORRUPT')) return corruptDatabase(path, message, error)
  if (code === 'SQLITE_READONLY_DIRECTORY') return unwritableFolder(path, dirname(path), error)
  if (code.startsWith('SQLITE_READONLY')) return readOnlyDatabase(path, error)
  if (code.startsWith('SQLITE_CANTOPEN')) return cannotOpen(path, message, error)
  return undefined
}
