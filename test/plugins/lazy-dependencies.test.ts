// A server that does not send mail, log for a terminal, read CSV or watch JSON does not load the libraries that do.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

const root = fileURLToPath(new URL('../../', import.meta.url))

t.test('nodemailer, pino-pretty, csv-parse, csv-stringify and jsonpath-plus are loaded only by what uses them', async (t) => {
  // A fresh process (test/fixtures/loaded-packages.ts): in this one, a test file of the same group may have loaded them.
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const { stdout } = await promisify(execFile)(process.execPath,
    ['--import=./test/fixtures/typescript-loader.mjs', 'test/fixtures/loaded-packages.ts', t.testdir()], { cwd: root, env })
  const seen = JSON.parse(stdout) as { page: number, afterPage: string[], exported: number, afterExport: string[] }
  t.equal(seen.page, 200)
  t.ok(seen.afterPage.includes('fastify'), 'the record works: Fastify was loaded')
  for (const name of ['nodemailer', 'pino-pretty', 'csv-parse', 'csv-stringify', 'jsonpath-plus']) {
    t.notOk(seen.afterPage.includes(name), `${name} is not loaded`)
  }
  t.equal(seen.exported, 200)
  t.ok(seen.afterExport.includes('csv-stringify'), 'loaded by the export')
})
