// Async work that must not overlap: each run starts once the one before it has ended, in the order they were asked for.

/**
 * For work that steps aside (awaits) part-way but holds something no other run may touch meanwhile: the
 * search renders that take turns (cache/render-queue.ts), a read whose snapshot stays open on its
 * connection between its queries (services/stepped-reads.ts). A run that fails lets the next one go.
 */
export class OneAtATime {
  #tail: Promise<void> = Promise.resolve()

  async run<T> (work: () => Promise<T>): Promise<T> {
    const previous = this.#tail
    let done!: () => void
    this.#tail = new Promise((resolve) => { done = resolve })
    try {
      await previous
      return await work()
    } finally {
      done()
    }
  }
}
