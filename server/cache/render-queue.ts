// Renders a visitor can ask for at will (searches) take turns, so that cached answers never wait behind a pile of them.
import { yieldToRequests } from './yield-to-requests.js'

/**
 * One render at a time, each starting after the requests already waiting have had their turn. Work that
 * steps aside between its phases (yieldToRequests) then holds the event loop for one phase of one render
 * at most, however many are asked for at once: a cached page is answered in between.
 */
export class RenderQueue {
  #tail: Promise<void> = Promise.resolve()
  #waiting = 0
  readonly #maxWaiting: number

  constructor (maxWaiting: number) {
    this.#maxWaiting = maxWaiting
  }

  /** Renders queued and not finished, the one running included. */
  get waiting (): number {
    return this.#waiting
  }

  /** Whether another render may queue: beyond the bound, it would only wait longer than anyone waits. */
  get full (): boolean {
    return this.#waiting >= this.#maxWaiting
  }

  async run<T> (render: () => Promise<T>): Promise<T> {
    const previous = this.#tail
    let done!: () => void
    this.#tail = new Promise((resolve) => { done = resolve })
    this.#waiting++
    try {
      await previous
      await yieldToRequests()
      return await render()
    } finally {
      this.#waiting--
      done()
    }
  }
}
