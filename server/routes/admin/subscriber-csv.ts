// The admin's CSV of subscribers: addresses read from an import (first column, or the one named email) with their line numbers, and the export written.
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { exportColumns } from '../../views/admin/subscribers-view.js'

/** An address to import and the line of the CSV its row ends on (1 is the first line), for the report. */
export interface ImportLine {
  line: number
  address: string
}

/** At most this many addresses per import: one transaction, kept short. */
export const maxImportLines = 10_000

export type ImportRead = { ok: true, lines: ImportLine[] } | { ok: false, error: string }

/**
 * The addresses of a CSV: the column whose header is "email" (any case) when the first row names one,
 * else the first column of every row. Blank rows are skipped; rows of unequal length are fine (a list
 * pasted from a spreadsheet). A broken quote is refused with csv-parse's words, which name the line.
 */
export function readImport (text: string): ImportRead {
  let records: Array<{ record: string[], info: { lines: number } }>
  try {
    // Line breaks made one kind first: csv-parse counts a CR LF inside a quoted field as two lines, which would
    // number every later line wrong in the report.
    records = parse(text.replace(/\r\n?/g, '\n'), { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, max_record_size: 4096 }) as unknown as Array<{ record: string[], info: { lines: number } }>
  } catch (error) {
    return { ok: false, error: `The CSV could not be read: ${(error as Error).message}` }
  }
  const first = records[0]?.record ?? []
  const named = first.findIndex((cell) => cell.toLowerCase() === 'email' || cell.toLowerCase() === 'email address')
  const column = named === -1 ? 0 : named
  const rows = named === -1 ? records : records.slice(1)
  const lines = rows
    .map(({ record, info }) => ({ line: info.lines, address: record[column] ?? '' }))
    .filter((line) => line.address !== '')
  if (lines.length === 0) return { ok: false, error: 'The CSV has no addresses.' }
  if (lines.length > maxImportLines) return { ok: false, error: `Import at most ${maxImportLines} addresses at a time.` }
  return { ok: true, lines }
}

/** The export, header first; the rows come already guarded against spreadsheet formulas. */
export function writeExport (rows: readonly string[][]): string {
  return stringify([[...exportColumns], ...rows], { quoted_match: /[",\r\n]/ })
}
