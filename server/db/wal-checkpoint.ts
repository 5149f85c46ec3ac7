// Copying the WAL back into the database file: by the server while it is idle, and by SQLite inside a commit only past a bound.
import type { Db } from './open-database.js'

/**
 * WAL pages at which SQLite checkpoints inside the commit that reaches them, once the server checkpoints on its
 * own (SQLite's default is 1,000). Such a checkpoint holds the event loop for its two fsyncs: 6 to 9 ms on the
 * development machine idle, 30 to 37 ms under load, every 80 or so posted updates (some 13 pages each). The
 * server's idle checkpoints keep the WAL far below this; it bounds the WAL (20 MB) through a long busy spell.
 */
export const busyCheckpointPages = 5000

/** Leaves routine checkpoints to the caller (checkpoint()), with SQLite's own one only past busyCheckpointPages. */
export function checkpointOnlyPastBound (db: Db): void {
  db.pragma(`wal_autocheckpoint = ${busyCheckpointPages}`)
}

/**
 * A PASSIVE checkpoint: copies the WAL pages no reader still needs into the database file and waits for no
 * lock. Its time is its fsyncs (0.4 ms for 1,000 pages without them); with nothing new, some 0.1 ms.
 */
export function checkpoint (db: Db): void {
  db.pragma('wal_checkpoint(PASSIVE)')
}
