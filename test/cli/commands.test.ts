// The command line's frame as a child process: usage, unknown commands, migrate, and one-line errors for bad settings.
import { createServer } from 'node:net'
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { herald, heraldEnv } from './fixtures/herald-process.js'

t.test('help and no command print the usage; an unknown command is one line that points to it', async (t) => {
  const env = heraldEnv(t.testdir())
  const [help, none, unknown] = await Promise.all([herald(['help'], env), herald([], env), herald(['frobnicate'], env)])
  for (const result of [help, none]) {
    t.equal(result.code, 0)
    t.match(result.stdout, /^usage: herald <command>\n/)
    t.match(result.stdout, /token create <name>/)
    t.match(result.stdout, /demo \[--force\]/)
  }
  t.equal(unknown.code, 1)
  t.equal(unknown.stdout, '')
  // One line, as the README promises: the 20 lines of usage under it buried the mistake.
  t.equal(unknown.stderr, 'herald: unknown command "frobnicate"; run `herald help` for the commands\n')
})

t.test('migrate applies the migrations once, then says the database is up to date', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const first = await herald(['migrate'], env)
  t.equal(first.code, 0)
  t.match(first.stdout, /^applied 001-foundation\.sql(, \d{3}-[a-z-]+\.sql)* to .*herald\.db \(now version \d+\)\n$/)
  const second = await herald(['migrate'], env)
  t.equal(second.code, 0)
  t.match(second.stdout, /^database .*herald\.db is up to date \(version \d+\)\n$/)
})

t.test('a failing migration is one line naming its file, and leaves the database as it was', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  // A table the first migration creates already exists, so its CREATE TABLE fails.
  const db = openDatabase(env.DATABASE_PATH as string)
  db.exec('CREATE TABLE components (id INTEGER PRIMARY KEY) STRICT')
  db.close()
  const [migrate, list] = await Promise.all([herald(['migrate'], env), herald(['token', 'list'], env)])
  for (const result of [migrate, list]) {
    t.equal(result.code, 1)
    t.equal(result.stdout, '')
    t.match(result.stderr, /^herald: migration 001-foundation\.sql failed: table components already exists\n$/)
  }
  const after = openDatabase(env.DATABASE_PATH as string)
  t.teardown(() => after.close())
  t.equal(after.pragma('user_version', { simple: true }), 0)
  t.same(after.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all(), ['components'])
})

t.test('a bad setting is one line naming the variable, for every command', async (t) => {
  const dir = t.testdir()
  const results = await Promise.all([
    herald(['serve'], heraldEnv(dir, { PORT: 'eighty' })),
    herald(['serve'], heraldEnv(dir, { PUBLIC_URL: 'ftp://status.example.com' })),
    herald(['token', 'list'], heraldEnv(dir, { INCIDENT_PREFIX: 'T-1' })),
    herald(['demo'], heraldEnv(dir, { LOG_LEVEL: 'loud' })),
    // The temporary folder itself: a directory cannot be opened as a database file.
    herald(['migrate'], heraldEnv(dir, { DATABASE_PATH: dir })),
    herald(['serve', '--port', '80'], heraldEnv(dir))
  ])
  const expected = [
    /^herald: PORT must be a whole number from 0 to 65535, not "eighty"\n$/,
    /^herald: PUBLIC_URL must start with http:\/\/ or https:\/\/, not "ftp:\/\/status\.example\.com"\n$/,
    /^herald: INCIDENT_PREFIX must be 1 to 10 letters, such as TM, not "T-1"\n$/,
    /^herald: LOG_LEVEL must be one of .*, not "loud"\n$/,
    /^herald: cannot open the database at .+: .+\n$/,
    /^herald: serve: Unknown option '--port'/
  ]
  results.forEach((result, i) => {
    t.equal(result.code, 1, `exit 1 for ${String(expected[i])}`)
    t.equal(result.stdout, '')
    t.match(result.stderr, expected[i] as RegExp)
    t.notMatch(result.stderr, /\n\s+at /, 'no stack trace')
  })
})

t.test('serve on a port already in use is one line', async (t) => {
  const dir = t.testdir()
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => blocker.close(resolve)))
  const address = blocker.address()
  const port = address !== null && typeof address === 'object' ? address.port : 0
  const result = await herald(['serve'], heraldEnv(dir, { PORT: String(port) }))
  t.equal(result.code, 1)
  t.match(result.stderr, new RegExp(`^herald: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}\\n$`))
})
