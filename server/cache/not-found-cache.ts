// Which addresses named nothing at which content version: an unknown address asked again is answered without a lookup.

/**
 * An address that named nothing names nothing until the content changes: its answer (the error page to
 * send) is kept per key and version, like a rendered body. Kept apart from the bodies and bounded, least
 * recently used first out, because anyone can make up new wrong addresses faster than pages exist.
 */
export class NotFoundCache<Page> {
  readonly #entries = new Map<string, { version: string, page: Page }>()
  readonly #maxEntries: number

  constructor (maxEntries: number) {
    this.#maxEntries = maxEntries
  }

  get (key: string, version: string): Page | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined || entry.version !== version) return undefined
    // A Map iterates in insertion order: a hit re-inserts its key, so the first is the least recently used.
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry.page
  }

  set (key: string, version: string, page: Page): void {
    this.#entries.delete(key)
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string)
    this.#entries.set(key, { version, page })
  }

  get size (): number {
    return this.#entries.size
  }
}
