// `herald backup <file> [--force]`: a consistent copy of the database, taken while Herald serves, checked, then put in place.
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { loadConfig } from '../config.js'
import { isDiskFull } from '../db/disk-full.js'
import { onlineBackup, sealBackup } from '../db/online-backup.js'
import { parseCommandArgs } from './args.js'
import { inDatabaseTerms, openConfiguredDatabase } from './database.js'
import { CliError, UsageError } from './errors.js'
import type { Print } from './output.js'

/** A file size as people read it: 812 KiB, 3.4 MiB. */
function formatSize (bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** Whether two paths name the same file (a link, a relative spelling): never back a file up onto itself. */
function sameFile (a: string, b: string): boolean {
  const one = statSync(a, { throwIfNoEntry: false })
  const other = statSync(b, { throwIfNoEntry: false })
  return one !== undefined && other !== undefined && one.dev === other.dev && one.ino === other.ino
}

/** Flushes a file or folder to the disk, so that a rename survives a power cut with the bytes it names. */
function flush (path: string, flags = 'r'): void {
  const fd = openSync(path, flags)
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The target, checked before anything is written: a new file in a folder that exists, unless --force. */
function checkTarget (target: string, source: string, force: boolean): void {
  const folder = dirname(target)
  if (statSync(folder, { throwIfNoEntry: false })?.isDirectory() !== true) throw new CliError(`the folder ${folder} does not exist: create it first`)
  const existing = statSync(target, { throwIfNoEntry: false })
  if (existing === undefined) return
  if (existing.isDirectory()) throw new CliError(`${target} is a folder: name a file in it, such as ${join(target, 'herald.db')}`)
  if (sameFile(target, source)) throw new CliError(`${target} is the database itself: name another file`)
  if (!force) throw new CliError(`${target} already exists: name a new file, or add --force to replace it`)
}

export async function backupCommand (args: string[], env: NodeJS.ProcessEnv, print: Print): Promise<void> {
  const { values, positionals } = parseCommandArgs('backup', args, { force: { type: 'boolean', short: 'f' } }, true)
  if (positionals.length !== 1) throw new UsageError('backup: name the one file to write, as in herald backup /var/backups/herald.db')
  const config = loadConfig(env)
  const source = config.databasePath
  const target = resolve(positionals[0] as string)
  // Opening would create an empty database, and the backup would be of nothing.
  if (statSync(source, { throwIfNoEntry: false }) === undefined) throw new CliError(`there is no database at ${source} to back up: check DATABASE_PATH`)
  checkTarget(target, source, values.force === true)

  const db = openConfiguredDatabase(config)
  // Beside the target, so that the rename stays on one file system and the target is whole or absent.
  const aside = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  let schemaVersion: number
  try {
    // Private from the first byte: the copy holds password hashes and the session secret.
    closeSync(openSync(aside, 'wx', 0o600))
    await onlineBackup(db, aside)
    const facts = sealBackup(aside)
    if (facts.problem !== undefined) throw new CliError(`the copy of ${source} failed integrity_check (${facts.problem}): ${target} was not written; run herald migrate to check the database itself`)
    schemaVersion = facts.schemaVersion
    flush(aside, 'r+')
    renameSync(aside, target)
    flush(dirname(target))
  } catch (error) {
    rmSync(aside, { force: true })
    rmSync(`${aside}-journal`, { force: true })
    if (isDiskFull(error)) throw new CliError(`the disk is full where ${target} was to be written: free some space, or write it elsewhere`)
    if (error instanceof CliError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new CliError(`cannot write ${target}: the folder ${dirname(target)} is not writable by this user (${code})`)
    throw inDatabaseTerms(source, error)
  } finally {
    db.close()
  }
  print(`backed up ${source} to ${target}: ${formatSize(statSync(target).size)}, schema version ${schemaVersion}`)
}
