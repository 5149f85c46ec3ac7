// A server that does not send mail, log for a terminal, read CSV or watch JSON does not load the libraries that do.
import { readFileSync, writeFileSync } from 'node:fs'
import { register } from 'node:module'
import { join } from 'node:path'
import t from 'tap'

t.test('nodemailer, pino-pretty, csv-parse, csv-stringify and jsonpath-plus are loaded only by what uses them', async (t) => {
  const dir = t.testdir()
  const log = join(dir, 'packages.txt')
  writeFileSync(log, '')
  // Before the app's modules are imported: what they import from now on is recorded.
  register('../fixtures/record-packages.mjs', { parentURL: import.meta.url, data: { log } })
  const loaded = (): Set<string> => new Set(readFileSync(log, 'utf8').split('\n').filter((name) => name !== ''))
  // Nothing of the server is imported before this file's hook is in place (not even the fixtures, which import it).
  const { testConfig } = await import('../fixtures/build.js')
  const { buildApp } = await import('../../server/app.js')
  const { withUsers } = await import('../admin/fixtures/admin-session.js')
  const app = await buildApp({ config: testConfig(dir, { LOG_LEVEL: 'silent', LOG_FORMAT: 'json' }), background: false })
  t.teardown(() => app.close())
  t.equal((await app.inject('/')).statusCode, 200)
  t.ok(loaded().has('fastify'), 'the record works: Fastify was loaded')
  for (const name of ['nodemailer', 'pino-pretty', 'csv-parse', 'csv-stringify', 'jsonpath-plus']) t.notOk(loaded().has(name), `${name} is not loaded`)

  // The admin's export loads the CSV writer when it is asked for.
  const { admin } = await withUsers(app)
  const exported = await admin.get('/admin/subscribers/export.csv')
  t.equal(exported.statusCode, 200)
  t.ok(loaded().has('csv-stringify'), 'loaded by the export')
})
