// The benchmarks' settings from the environment (BENCH_DURATION, BENCH_ROUNDS, ...): a whole number in range, or a clear refusal.

/**
 * The value of `name` when set, else `fallback`. A run takes minutes: `BENCH_ROUNDS=five` or `BENCH_DURATION=0.5`
 * read as NaN or 0 would spoil it quietly (NaN rounds run none, and a table of NaN follows), so anything but a
 * whole number from `min` to `max` ends the run before it starts.
 */
export function benchNumber (name: string, fallback: number, min = 1, max = 1_000_000): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`)
  }
  return value
}

/** The names in `name` (a comma-separated list), or undefined when it is not set. */
export function benchList (name: string): string[] | undefined {
  const text = process.env[name]
  if (text === undefined || text.trim() === '') return undefined
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '')
}
