// `npm run bench`: runs Herald's benchmarks (all, or those named: npm run bench -- social-latency) and prints their results.

export interface BenchmarkResult {
  title: string
  /** A table: the first row is the header. */
  rows: string[][]
  notes?: string[]
}

/** Every benchmark by name; each module exports `run()`. Add new ones here. */
const benchmarks: Record<string, () => Promise<BenchmarkResult[]>> = {
  'social-latency': async () => await (await import('./social-latency.js')).run(),
  'read-path': async () => await (await import('./read-path.js')).run(),
  'fan-out': async () => await (await import('./fan-out.js')).run(),
  monitors: async () => await (await import('./monitors.js')).run()
}

function printTable (rows: string[][]): void {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)).join('  '))
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '))
  }
}

async function main (names: string[]): Promise<void> {
  const unknown = names.filter((name) => !(name in benchmarks))
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; there are: ${Object.keys(benchmarks).join(', ')}`)
  for (const name of names.length > 0 ? names : Object.keys(benchmarks)) {
    const started = performance.now()
    console.log(`\n# ${name}`)
    for (const result of await (benchmarks[name] as () => Promise<BenchmarkResult[]>)()) {
      console.log(`\n${result.title}\n`)
      printTable(result.rows)
      for (const note of result.notes ?? []) console.log(`  ${note}`)
    }
    console.log(`\n(${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
