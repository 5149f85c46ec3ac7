// Renders a visitor can ask for at will (searches) take turns, so that cached answers never wait behind a pile of them.
import { OneAtATime } from '../domain/one-at-a-time.js'
import { yieldToRequests } from './yield-to-requests.js'

/**
 * One render at a time, each starting after the requests already waiting have had their turn. Work that
 * steps aside between its phases (yieldToRequests) then holds the event loop for one phase of one render
 * at most, however many are asked for at once: a cached page is answered in between.
 */
export class RenderQueue {
  readonly #turns = new OneAtATime()
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
    this.#waiting++
    try {
      return await this.#turns.run(async () => {
        await yieldToRequests()
        return await render()
      })
    } finally {
      this.#waiting--
    }
  }
}
