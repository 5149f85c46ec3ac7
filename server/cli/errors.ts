// The command line's errors, and which ones are a person's mistake: those print one line, never a stack.
import { ConfigError } from '../config.js'
import { DatabaseFileError } from '../db/database-error.js'
import { MigrationError } from '../db/migrate.js'
import { ExportError } from '../export/export-error.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../services/errors.js'

/** A command line that does not make sense: the message, with a pointer to `herald help`. */
export class UsageError extends Error {}

/** A command that cannot do what was asked, with a message ready for the person who asked. */
export class CliError extends Error {}

// Errors the operating system raises for a bad HOST or PORT, or a folder that cannot be written.
const environmentCodes = new Set(['EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES', 'EPERM', 'ENOTFOUND', 'EAI_AGAIN', 'ENOTDIR', 'EROFS'])

const usageHint = 'run `herald help` for the commands'

/** The one line to show for an error a person can fix, or undefined for a bug (which shows its stack). */
export function userMessage (error: unknown): string | undefined {
  if (error instanceof UsageError || error instanceof CliError || error instanceof ConfigError ||
    error instanceof MigrationError || error instanceof NotFoundError || error instanceof ConflictError ||
    error instanceof InvalidInputError || error instanceof ExportError || error instanceof DatabaseFileError) {
    return error.message
  }
  if (error instanceof Error && environmentCodes.has(String((error as NodeJS.ErrnoException).code))) return error.message
  return undefined
}

/**
 * Writes an error the way the command line shows it: one line, `herald: <message>`; a usage error ends
 * with where the commands are listed, not with the whole usage (which buried the mistake above it).
 */
export function reportError (error: unknown, write: (text: string) => void): void {
  const message = userMessage(error)
  if (message === undefined) {
    write(`herald: unexpected error\n${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
    return
  }
  // Multi-line messages (a SQLite error quoting SQL, say) are folded so the mistake stays on one line.
  const hint = error instanceof UsageError ? `; ${usageHint}` : ''
  write(`herald: ${message.replace(/\s*\n\s*/g, ' ')}${hint}\n`)
}
