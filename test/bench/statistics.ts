// Order statistics for the benchmarks' tables: the nearest-rank percentile, and the median as its 50th.

/** The value at percentile `p` of `sorted` (ascending), by nearest rank: one of the values, never a blend. */
export function percentile (sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))] ?? NaN
}

/** The middle value (of an even count, the lower middle one): an outlier, either way, is not the figure. */
export function median (values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50)
}
