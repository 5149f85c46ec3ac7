// A folder holding the public site as static files: each pass renders what may have changed and rewrites only the files that did.
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { access, mkdir, readFile, readdir, rm, rmdir, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { yieldToRequests } from '../cache/yield-to-requests.js'
import { writeFileAtomic } from './atomic-file.js'
import { ExportError } from './export-error.js'
import { type SiteFile, siteFiles } from './site-files.js'
import { staticDir } from '../package-info.js'

/** The list of files a pass wrote, with their hashes: the next pass (or process) rewrites and removes from it. */
export const manifestName = '.herald-export.json'

export interface ExportSummary {
  /** Files the site has now. */
  files: number
  /** Pages rendered by this pass (the others were known unchanged). */
  rendered: number
  written: number
  removed: number
  /** False when the pass was stopped before the end (the app closing). */
  complete: boolean
}

interface Manifest {
  herald: 'export'
  files: Record<string, string>
}

// Served by Herald under /static/, and kept in the mirror under static/.
const staticPrefix = 'static/'

function sha256 (data: Buffer): string {
  return createHash('sha256').update(data).digest('base64url')
}

export class SiteExport {
  readonly #app: FastifyInstance
  readonly #dir: string
  /** The files on disk that a pass wrote, by path in the folder, with the hash of their content. */
  #files = new Map<string, string>()
  /** The digest each page was last rendered from, by URL. */
  readonly #digests = new Map<string, string>()

  constructor (app: FastifyInstance, dir: string) {
    this.#app = app
    this.#dir = dir
  }

  /**
   * Takes the folder: created when missing; an earlier export is continued from its manifest. A folder with
   * other files in it is refused, so that an export never overwrites or deletes what is not its own.
   */
  async open (): Promise<void> {
    let entries: string[]
    try {
      if ((await stat(this.#dir).catch(() => undefined))?.isDirectory() === false) throw new Error('it is a file, not a folder')
      await mkdir(this.#dir, { recursive: true })
      await access(this.#dir, constants.W_OK)
      entries = await readdir(this.#dir)
    } catch (error) {
      throw new ExportError(`cannot use ${this.#dir} for the static mirror: ${(error as Error).message}`)
    }
    if (!entries.includes(manifestName)) {
      if (entries.length > 0) throw new ExportError(`${this.#dir} is not empty and holds no Herald export: give an empty or new folder`)
      return
    }
    let manifest: Manifest
    try {
      manifest = JSON.parse(await readFile(join(this.#dir, manifestName), 'utf8')) as Manifest
    } catch (error) {
      throw new ExportError(`cannot read ${join(this.#dir, manifestName)}: ${(error as Error).message}`)
    }
    if (manifest.herald !== 'export' || typeof manifest.files !== 'object' || manifest.files === null) {
      throw new ExportError(`${join(this.#dir, manifestName)} is not a Herald export manifest`)
    }
    this.#files = new Map(Object.entries(manifest.files).filter(([file]) => this.#inside(file)))
  }

  /** One pass over the whole site; `stopped` is asked between files, so a closing app need not wait for the end. */
  async pass (stopped: () => boolean = () => false): Promise<ExportSummary> {
    const summary: ExportSummary = { files: 0, rendered: 0, written: 0, removed: 0, complete: false }
    const present = new Set<string>()
    try {
      for (const file of await this.#staticFiles()) {
        if (stopped()) return summary
        present.add(file)
        if (await this.#put(file, await readFile(join(staticDir, file.slice(staticPrefix.length))))) summary.written++
      }
      for (const page of siteFiles(this.#app.herald.services.reads.public.site())) {
        if (stopped()) return summary
        if (page.digest !== undefined && this.#digests.get(page.url) === page.digest && this.#files.has(page.file)) {
          present.add(page.file)
          continue
        }
        const body = await this.#render(page)
        summary.rendered++
        // Gone since the list was read (removed by another process): not part of the site any more.
        if (body === undefined) continue
        present.add(page.file)
        if (await this.#put(page.file, body)) summary.written++
        if (page.digest !== undefined) this.#digests.set(page.url, page.digest)
        // Between two pages, requests waiting go first: a pass never holds up the live site.
        await yieldToRequests()
      }
      for (const file of [...this.#files.keys()].filter((file) => !present.has(file))) {
        await this.#remove(file)
        summary.removed++
      }
      summary.complete = true
    } finally {
      summary.files = present.size
      // Also after a failure or a stop: the manifest lists what is on disk, so the next pass goes on from there.
      if (summary.written > 0 || summary.removed > 0) await this.#saveManifest()
    }
    return summary
  }

  async #render (page: SiteFile): Promise<Buffer | undefined> {
    // The pages every pass asks for (the status page, feeds, API, badges) are the ones people read: through
    // the live cache, a pass shares their render with the site's visitors. The rest are rendered past it.
    const headers = page.digest === undefined ? this.#app.mirrorRequestHeaders : this.#app.exportRequestHeaders
    const response = await this.#app.inject({ method: 'GET', url: page.url, headers })
    if (response.statusCode === page.status) return response.rawPayload
    if (response.statusCode === 404) return undefined
    throw new ExportError(`${page.url} answered ${response.statusCode}: ${response.body.slice(0, 200)}`)
  }

  /** Writes the file when its content changed; true when it did. */
  async #put (file: string, data: Buffer): Promise<boolean> {
    const hash = sha256(data)
    if (this.#files.get(file) === hash) return false
    await writeFileAtomic(join(this.#dir, file), data)
    this.#files.set(file, hash)
    return true
  }

  async #remove (file: string): Promise<void> {
    await rm(join(this.#dir, file), { force: true })
    this.#files.delete(file)
    // Folders left empty (an incident's, a removed component's) go too, up to the mirror's own.
    for (let folder = dirname(join(this.#dir, file)); folder !== this.#dir && this.#inside(relative(this.#dir, folder)); folder = dirname(folder)) {
      try {
        await rmdir(folder)
      } catch {
        break
      }
    }
  }

  async #saveManifest (): Promise<void> {
    const manifest: Manifest = { herald: 'export', files: Object.fromEntries([...this.#files].sort(([a], [b]) => a < b ? -1 : 1)) }
    await writeFileAtomic(join(this.#dir, manifestName), `${JSON.stringify(manifest, null, 1)}\n`)
  }

  /** The static assets (CSS, scripts, icons), by path under static/ with forward slashes. */
  async #staticFiles (): Promise<string[]> {
    const entries = await readdir(staticDir, { recursive: true, withFileTypes: true })
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => `${staticPrefix}${relative(staticDir, join(entry.parentPath, entry.name)).split(sep).join('/')}`)
      .sort()
  }

  /** A manifest is a file anyone could edit: only paths inside the folder are ever written or removed. */
  #inside (file: string): boolean {
    return file !== '' && !file.startsWith('/') && !file.split(/[\\/]/).includes('..')
  }
}
