// `herald monitors apply|export|list` as a child process: apply twice is idempotent with its report, export round-trips, a bad file names its line, --dry-run writes nothing, --prune removes.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { herald, heraldEnv, lines } from './fixtures/herald-process.js'

const file = `monitors:
  - name: Sign-in API
    kind: http
    url: https://login.example.com/health
    expected_status: 200
  - name: Nightly backup
    kind: heartbeat
    interval_seconds: 86400
`

function monitorRows (path: string): unknown[] {
  const db = openDatabase(path)
  try {
    return db.prepare('SELECT name, kind, interval_s, heartbeat_hash IS NOT NULL AS has_secret FROM monitors ORDER BY name').all()
  } finally {
    db.close()
  }
}

t.test('apply, apply again, export and apply the export, dry run, prune', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const path = join(dir, 'monitors.yaml')
  writeFileSync(path, file)

  const dry = await herald(['monitors', 'apply', path, '--dry-run'], env)
  t.equal(dry.code, 0, dry.stderr)
  t.same(lines(dry.stdout), ['would create: Sign-in API', 'would create: Nightly backup', 'dry run, nothing written: 2 created, 0 updated, 0 unchanged, 0 removed'])
  t.same(monitorRows(env.DATABASE_PATH as string), [], '--dry-run writes nothing')

  const first = await herald(['monitors', 'apply', path], env)
  t.equal(first.code, 0, first.stderr)
  t.equal(first.stderr, '')
  const output = lines(first.stdout)
  t.same(output.slice(0, 2), ['created: Sign-in API', 'created: Nightly backup'])
  t.match(output[2], /^heartbeat Nightly backup: POST https:\/\/status\.example\.com\/api\/v1\/heartbeats\/[A-Za-z0-9_-]{43} \(shown this once\)$/)
  t.equal(output[3], '2 created, 0 updated, 0 unchanged, 0 removed')
  t.same(monitorRows(env.DATABASE_PATH as string), [{ name: 'Nightly backup', kind: 'heartbeat', interval_s: 86400, has_secret: 1 }, { name: 'Sign-in API', kind: 'http', interval_s: 60, has_secret: 0 }])

  const second = await herald(['monitors', 'apply', path], env)
  t.same(lines(second.stdout), ['unchanged: Sign-in API', 'unchanged: Nightly backup', '0 created, 0 updated, 2 unchanged, 0 removed'], 'idempotent; the secret is not shown again')

  const exported = await herald(['monitors', 'export'], env)
  t.equal(exported.code, 0)
  t.match(exported.stdout, /^# Herald monitors.*\n\nmonitors:\n {2}- name: Nightly backup\n {4}kind: heartbeat\n/)
  t.notMatch(exported.stdout, /heartbeats\//)
  const exportPath = join(dir, 'exported.yaml')
  writeFileSync(exportPath, exported.stdout)
  const back = await herald(['monitors', 'apply', exportPath, '--prune'], env)
  t.same(lines(back.stdout), ['unchanged: Nightly backup', 'unchanged: Sign-in API', '0 created, 0 updated, 2 unchanged, 0 removed'], 'the export applies back as all unchanged')

  writeFileSync(path, file.replace('expected_status: 200', 'expected_status: 200\n    interval_seconds: 30').split('  - name: Nightly')[0] as string)
  const pruned = await herald(['monitors', 'apply', path, '--prune'], env)
  t.same(lines(pruned.stdout), ['updated: Sign-in API (interval_seconds)', 'removed: Nightly backup', '0 created, 1 updated, 0 unchanged, 1 removed'])
  const list = await herald(['monitors', 'list'], env)
  t.match(lines(list.stdout), [/^NAME\s+KIND\s+STATE\s+LAST RUN\s+TARGET$/, /^Sign-in API\s+http\s+pending\s+never\s+GET https:\/\/login\.example\.com\/health$/])
})

t.test('a bad file is one line naming the file and the line; nothing is written', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const unknown = join(dir, 'unknown.yaml')
  writeFileSync(unknown, file.replace('expected_status: 200', 'expected_status: 200\n    retries: 3'))
  const broken = join(dir, 'broken.yaml')
  writeFileSync(broken, 'monitors:\n  - name: A\n    kind: tcp\n    kind: http\n')
  const [unknownField, badYaml, usage] = await Promise.all([
    herald(['monitors', 'apply', unknown], env),
    herald(['monitors', 'apply', broken], env),
    herald(['monitors', 'apply'], env)
  ])
  t.equal(unknownField.code, 1)
  t.equal(unknownField.stdout, '')
  t.equal(unknownField.stderr, `herald: ${unknown}:6: retries: unknown field\n`)
  t.equal(badYaml.code, 1)
  t.equal(badYaml.stderr, `herald: ${broken}:4: Map keys must be unique\n`)
  t.equal(usage.code, 1)
  t.match(usage.stderr, /^herald: monitors apply needs a file: .*; run `herald help` for the commands\n$/)
  t.same(monitorRows(env.DATABASE_PATH as string), [])
})
