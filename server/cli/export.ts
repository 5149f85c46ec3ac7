// `herald export <dir>`: writes the whole public site into a folder as static files, for a host that shares nothing with Herald.
import { resolve } from 'node:path'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import { SiteExport } from '../export/site-export.js'
import { parseCommandArgs } from './args.js'
import { inDatabaseTerms, openMigratedDatabase } from './database.js'
import { UsageError } from './errors.js'
import type { Print } from './output.js'

export async function exportCommand (args: string[], env: NodeJS.ProcessEnv, print: Print): Promise<void> {
  const { positionals } = parseCommandArgs('export', args, {}, true)
  const [folder, extra] = positionals
  if (folder === undefined || folder.trim() === '') throw new UsageError('export needs a folder: herald export <dir>')
  if (extra !== undefined) throw new UsageError(`export takes one folder, not also "${extra}"`)
  const dir = resolve(folder)
  const config = loadConfig(env)
  const { db } = openMigratedDatabase(config)
  // Pages rendered as the server renders them, by the same routes; without the background work, so that an
  // export sends no post and performs no maintenance transition.
  let app
  try {
    app = await buildApp({ config, db, background: false, logger: false })
  } catch (error) {
    db.close()
    throw inDatabaseTerms(config.databasePath, error)
  }
  try {
    await app.ready()
    const site = new SiteExport(app, dir)
    await site.open()
    const started = performance.now()
    const summary = await site.pass()
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    print(`Exported ${summary.files} files to ${dir} in ${seconds} s ` +
      `(${summary.written} written, ${summary.files - summary.written} unchanged, ${summary.removed} removed).`)
    print(`Serve the folder at ${config.publicUrl}/ with any static web server; the README shows nginx.`)
    // The links in feeds, the API and canonical tags are absolute: made from HOST and PORT, they point at
    // this machine, and an export run with another PORT than the server's rewrites every file.
    if ((env.PUBLIC_URL ?? '').trim() === '') {
      print(`PUBLIC_URL is not set: the files link to ${config.publicUrl}; set it to the address the folder is served at.`)
    }
  } finally {
    await app.close()
  }
}
