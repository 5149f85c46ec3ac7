// Whether an error says a write found no room: the one test behind the 503 answers and the command line's "the disk is full".

/**
 * SQLite's SQLITE_FULL (its file could not grow: the disk, a quota, or max_page_count; SQLite reports a
 * write's ENOSPC so), or the system's ENOSPC and EDQUOT. Told by the code, never by the words.
 */
export function isDiskFull (error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT'
}
