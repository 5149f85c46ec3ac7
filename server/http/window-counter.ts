// Counts hits per key in fixed time windows on Herald's clock, in memory; also a store for @fastify/rate-limit.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Clock } from '../domain/time.js'

export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetInMs: number
}

interface Entry { count: number, startedAt: number }

// Enough for every address and name seen in a window of a busy attack; beyond it the oldest go first.
const defaultMaxKeys = 10_000

/**
 * A window starts at a key's first hit and lasts `windowMs`. Kept in memory: a restart forgets
 * the counts, which only ever lets someone try again sooner, never locks anyone out.
 */
export class WindowCounter {
  readonly #clock: Clock
  readonly #maxKeys: number
  // A Map iterates in insertion order, and a new window re-inserts its key: the first entries are the oldest.
  readonly #entries = new Map<string, Entry>()

  constructor (clock: Clock, maxKeys = defaultMaxKeys) {
    this.#clock = clock
    this.#maxKeys = maxKeys
  }

  #live (key: string, windowMs: number, now: number): Entry | undefined {
    const entry = this.#entries.get(key)
    if (entry !== undefined && entry.startedAt + windowMs <= now) {
      this.#entries.delete(key)
      return undefined
    }
    return entry
  }

  /** Counts one hit. */
  hit (key: string, windowMs: number): WindowCount {
    const now = this.#clock().getTime()
    let entry = this.#live(key, windowMs, now)
    if (entry === undefined) {
      entry = { count: 0, startedAt: now }
      this.#entries.set(key, entry)
      this.#evict()
    }
    entry.count++
    return { count: entry.count, resetInMs: entry.startedAt + windowMs - now }
  }

  /** The count so far, without counting. */
  peek (key: string, windowMs: number): WindowCount {
    const now = this.#clock().getTime()
    const entry = this.#live(key, windowMs, now)
    return entry === undefined ? { count: 0, resetInMs: 0 } : { count: entry.count, resetInMs: entry.startedAt + windowMs - now }
  }

  /** Takes back one hit (one that turned out not to count); the window ends once nothing is left in it. */
  undo (key: string): void {
    const entry = this.#entries.get(key)
    if (entry === undefined) return
    entry.count--
    if (entry.count <= 0) this.#entries.delete(key)
  }

  get size (): number {
    return this.#entries.size
  }

  // The oldest window goes first: it is the closest to ending anyway, and no scan is needed.
  #evict (): void {
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxKeys) return
      this.#entries.delete(key)
    }
  }
}

/**
 * A @fastify/rate-limit store over a WindowCounter, because the plugin's own store reads
 * Date.now(): on Herald's clock, tests can move time instead of waiting for a window to pass.
 */
export function clockRateLimitStore (clock: Clock): FastifyRateLimitStoreCtor {
  return class ClockRateLimitStore implements FastifyRateLimitStore {
    readonly #counter = new WindowCounter(clock)

    incr (key: string, callback: (error: Error | null, result?: { current: number, ttl: number }) => void, timeWindow: number): void {
      const { count, resetInMs } = this.#counter.hit(key, timeWindow)
      callback(null, { current: count, ttl: resetInMs })
    }

    read (key: string, callback: (error: Error | null, result?: { current: number, ttl: number }) => void, timeWindow: number): void {
      const { count, resetInMs } = this.#counter.peek(key, timeWindow)
      callback(null, { current: count, ttl: resetInMs })
    }

    // Each route or createRateLimit gets its own counts, as with the plugin's LocalStore.
    child (): FastifyRateLimitStore {
      return new ClockRateLimitStore()
    }
  }
}
