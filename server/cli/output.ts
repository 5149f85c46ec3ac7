// Where commands write what they print: stdout by default, a list in tests.

/** Prints one line (a newline is added). */
export type Print = (line: string) => void

export const printToStdout: Print = (line) => {
  process.stdout.write(`${line}\n`)
}

/** A UTC time as `2020-02-03 13:30 UTC`: short enough for a table, with its zone. */
export function formatUtc (iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

/** Rows as left-aligned columns separated by two spaces, the first row being the headings. */
export function formatTable (rows: string[][]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length) })
  return rows.map((row) => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n')
}
