// Opens Herald's SQLite file with the pragmas every connection needs.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

export type Db = Database.Database

export function openDatabase (path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  // WAL lets the public read path run while a write transaction is open.
  db.pragma('journal_mode = WAL')
  // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commit.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  // Wait instead of failing when the command line writes while the server does.
  db.pragma('busy_timeout = 5000')
  return db
}
