// A pure function's results kept for the arguments it was last called with, up to a number of them.

/**
 * For a pure function called again and again with the same few arguments while a page renders (the
 * 90 days of the uptime bars, for each of 40 components): each result is computed once. When full,
 * it starts again empty, which is enough for a working set far smaller than `max`.
 */
export function memoize<K, V> (fn: (key: K) => V, max: number): (key: K) => V {
  const results = new Map<K, V>()
  return (key) => {
    let value = results.get(key)
    if (value === undefined) {
      if (results.size >= max) results.clear()
      value = fn(key)
      results.set(key, value)
    }
    return value
  }
}
