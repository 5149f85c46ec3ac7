// Reads of one snapshot taken a few queries at a time, on a connection of their own, so that the requests waiting run between the queries.
import type { Statement } from 'better-sqlite3'
import { OneAtATime } from '../domain/one-at-a-time.js'
import type { SnapshotStores } from '../store/stores.js'

/** The queries of one read, by the name of what each returns; they run in this order. */
export type Queries<T> = { [K in keyof T]: () => T[K] }

/** Runs the queries one after the other, in the caller's transaction. */
export function runQueries<T> (queries: Queries<T>): T {
  const facts: Partial<T> = {}
  for (const key of Object.keys(queries) as Array<keyof T>) facts[key] = queries[key]()
  return facts as T
}

/**
 * A read that a page needs as of one moment but that is too long to hold the event loop for (the status
 * page's, 5 to 13 ms on five years of data): `between` is awaited between each two queries, and the requests
 * waiting (a posted update above all) are answered there instead of after the whole read; not after the last,
 * whose facts go to the caller in the same turn. Its snapshot is a transaction on a second connection
 * (openReadConnection), open across those turns while the first one goes on writing, which WAL allows. One
 * read holds the connection at a time; the next waits for its end.
 */
export class SteppedReads {
  readonly #stores: SnapshotStores
  readonly #begin: Statement
  readonly #commit: Statement
  readonly #turns = new OneAtATime()

  constructor (stores: SnapshotStores) {
    this.#stores = stores
    this.#begin = stores.db.prepare('BEGIN')
    this.#commit = stores.db.prepare('COMMIT')
  }

  async read<T> (queriesOf: (stores: SnapshotStores) => Queries<T>, between: () => Promise<void>): Promise<T> {
    return await this.#turns.run(async () => {
      const { db } = this.#stores
      try {
        const queries = queriesOf(this.#stores)
        const facts: Partial<T> = {}
        // DEFERRED: the snapshot is taken by the first query, after any commit before it.
        this.#begin.run()
        for (const [index, key] of (Object.keys(queries) as Array<keyof T>).entries()) {
          // Not after the last: what it read goes to the caller in the same turn.
          if (index > 0) await between()
          facts[key] = queries[key]()
        }
        return facts as T
      } finally {
        // Nothing was written: COMMIT only ends the snapshot. A connection closed meanwhile (the server stopping) has none left.
        if (db.open && db.inTransaction) this.#commit.run()
      }
    })
  }
}
