// Writes a file so that a reader sees the old content or the new, never part of either: write aside, then rename.
import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * The new content goes to a hidden file beside the target (same folder, so the same file system), which is
 * then renamed over it: rename(2) replaces the name in one step. Not fsync'd: a mirror lost in a power cut
 * is written again on the next start, and an fsync per file would make a pass over thousands slow.
 */
export async function writeFileAtomic (path: string, data: Buffer | string): Promise<void> {
  const folder = dirname(path)
  await mkdir(folder, { recursive: true })
  const aside = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(aside, data)
    await rename(aside, path)
  } catch (error) {
    await rm(aside, { force: true })
    throw error
  }
}
