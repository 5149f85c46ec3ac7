// Monitors as code in this process: a monitors file parsed with the line of every field, refused naming the line, applied idempotently, exported so that it applies back unchanged.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parse } from 'yaml'
import { monitorsCommand } from '../../server/cli/monitors.js'
import { maxMonitorsFileBytes, monitorsFileText, parseMonitorsFile } from '../../server/cli/monitors-file.js'
import { CliError, UsageError } from '../../server/cli/errors.js'
import { openDatabase } from '../../server/db/open-database.js'
import { copyMigratedDatabase, testEnvironment } from '../fixtures/build.js'

const monitorsYaml = `# What we watch
monitors:
  - name: Sign-in API
    kind: http
    url: https://login.example.com/health
    headers:
      Authorization: Bearer abc
    json_path:
      path: $.status
      equals: ok
    component: Sign-in
  - name: Database
    kind: tcp
    host: 10.0.0.5
    port: 5432
  - name: Nightly backup
    kind: heartbeat
    interval_seconds: 86400
    grace_seconds: 600
`

/** A folder with a migrated database (a component Sign-in in it), the environment for it, and a command runner that keeps what it printed. */
function world (t: Test): { dir: string, env: NodeJS.ProcessEnv, run: (...args: string[]) => string[], write: (name: string, text: string) => string } {
  const dir = t.testdir()
  const path = copyMigratedDatabase(dir)
  const db = openDatabase(path)
  db.prepare("INSERT INTO components (name, description, status, position, created_at, updated_at) VALUES ('Sign-in', '', 'operational', 1, '2020-02-03T13:00:00.000Z', '2020-02-03T13:00:00.000Z')").run()
  db.close()
  const env = testEnvironment(dir)
  return {
    dir,
    env,
    run: (...args) => {
      const printed: string[] = []
      monitorsCommand(args, env, (line) => printed.push(...line.split('\n')))
      return printed
    },
    write: (name, text) => {
      const file = join(dir, name)
      writeFileSync(file, text)
      return file
    }
  }
}

function refusal (t: Test, work: () => unknown): string {
  const error = t.throws(work) as Error
  t.ok(error instanceof CliError || error instanceof UsageError, `a person's mistake, not a bug: ${error.message}`)
  return error.message
}

t.test('apply creates, then applying again changes nothing; a heartbeat URL is printed only when it is made', async (t) => {
  const w = world(t)
  const file = w.write('monitors.yaml', monitorsYaml)
  const first = w.run('apply', file)
  t.equal(first.length, 5)
  t.same(first.slice(0, 3), ['created: Sign-in API', 'created: Database', 'created: Nightly backup'])
  t.match(first[3], /^heartbeat Nightly backup: POST https:\/\/status\.example\.com\/api\/v1\/heartbeats\/[A-Za-z0-9_-]{43} \(shown this once\)$/)
  t.equal(first[4], '3 created, 0 updated, 0 unchanged, 0 removed')
  t.same(w.run('apply', file), ['unchanged: Sign-in API', 'unchanged: Database', 'unchanged: Nightly backup', '0 created, 0 updated, 3 unchanged, 0 removed'])

  const changed = w.write('changed.yaml', monitorsYaml.replace('port: 5432', 'port: 5433').replace('name: Sign-in API', 'name: sign-in api'))
  t.same(w.run('apply', changed, '--dry-run'), ['would update: sign-in api (name)', 'would update: Database (port)', 'unchanged: Nightly backup', 'dry run, nothing written: 0 created, 2 updated, 1 unchanged, 0 removed'])
  t.same(w.run('apply', file), ['unchanged: Sign-in API', 'unchanged: Database', 'unchanged: Nightly backup', '0 created, 0 updated, 3 unchanged, 0 removed'], 'the dry run wrote nothing')

  const fewer = w.write('fewer.yaml', 'monitors:\n  - name: Database\n    kind: tcp\n    host: 10.0.0.5\n    port: 5432\n')
  t.same(w.run('apply', fewer), ['unchanged: Database', '0 created, 0 updated, 1 unchanged, 0 removed'], 'without --prune the others stay')
  t.same(w.run('apply', fewer, '--prune', '--dry-run'), ['unchanged: Database', 'would remove: Nightly backup', 'would remove: Sign-in API', 'dry run, nothing written: 0 created, 0 updated, 1 unchanged, 2 removed'])
  t.same(w.run('apply', fewer, '--prune'), ['unchanged: Database', 'removed: Nightly backup', 'removed: Sign-in API', '0 created, 0 updated, 1 unchanged, 2 removed'])
  t.match(w.run('list'), [/^NAME\s+KIND\s+STATE\s+LAST RUN\s+TARGET$/, /^Database\s+tcp\s+pending\s+never\s+10\.0\.0\.5:5432$/])

  // A check that becomes a heartbeat gets its secret, printed then.
  const asHeartbeat = w.write('heartbeat.yaml', 'monitors:\n  - name: Database\n    kind: heartbeat\n')
  const became = w.run('apply', asHeartbeat)
  t.equal(became[0], 'updated: Database (kind, failure_threshold, success_threshold, timeout_ms, latency_limit_ms, host, port, grace_seconds)')
  t.match(became[1], /^heartbeat Database: POST https:\/\/status\.example\.com\/api\/v1\/heartbeats\/[A-Za-z0-9_-]{43} \(shown this once\)$/)
})

t.test('list shows the target of each kind, its state (paused whatever it was) and its last run', async (t) => {
  const w = world(t)
  w.run('apply', w.write('monitors.yaml', `monitors:
  - { name: A, kind: dns, hostname: login.example.com, record_type: AAAA }
  - { name: B, kind: tls, target: "[::1]:8443" }
  - { name: C, kind: heartbeat, interval_seconds: 3600, grace_seconds: 120, paused: true }
  - { name: D, kind: http, url: "https://login.example.com/", method: HEAD }
`))
  const db = openDatabase(join(w.dir, 'herald.db'))
  db.prepare("UPDATE monitors SET state = 'down', last_run_at = '2020-02-03T13:30:00.000Z' WHERE name IN ('C', 'D')").run()
  db.close()
  t.match(w.run('list'), [
    /^NAME/,
    /^A\s+dns\s+pending\s+never\s+AAAA login\.example\.com$/,
    /^B\s+tls\s+pending\s+never\s+\[::1\]:8443$/,
    /^C\s+heartbeat\s+paused\s+2020-02-03 13:30 UTC\s+every 3600 s \+ 120 s$/,
    /^D\s+http\s+down\s+2020-02-03 13:30 UTC\s+HEAD https:\/\/login\.example\.com\/$/
  ])
})

t.test('export prints every monitor with every field, in a stable order, and applies back as all unchanged', async (t) => {
  const w = world(t)
  t.same(w.run('list'), ['no monitors yet; add them with: herald monitors apply <file.yaml>'])
  w.run('apply', w.write('monitors.yaml', monitorsYaml + `  - name: Certificate
    kind: tls
    target: https://[2001:db8::1]:8443/
    cert_warning_days: [7, 30, 14]
  - name: Resolver
    kind: dns
    hostname: Login.Example.com.
    record_type: AAAA
    expected: 2001:DB8::1
  - name: Paused one
    kind: http
    url: http://10.0.0.9:8080/status
    method: POST
    body: |
      {"probe": true}
    expected_status: 204
    keyword: "ok: yes"
    paused: true
    latency_limit_ms: 500
`))
  const exported = w.run('export').join('\n')
  t.equal(w.run('export').join('\n'), exported, 'the same every time')
  const parsed = parse(exported) as { monitors: Array<Record<string, unknown>> }
  t.same(parsed.monitors.map((m) => m.name), ['Certificate', 'Database', 'Nightly backup', 'Paused one', 'Resolver', 'Sign-in API'], 'by name')
  t.same(Object.keys(parsed.monitors[1] as object), ['name', 'kind', 'paused', 'interval_seconds', 'failure_threshold', 'success_threshold', 'component', 'down_status', 'degraded_status', 'incident_mode', 'timeout_ms', 'latency_limit_ms', 'host', 'port'], 'every field of its kind, in one order')
  t.match(parsed.monitors[0], { target: '[2001:db8::1]:8443', cert_warning_days: [30, 14, 7], interval_seconds: 300 })
  t.match(parsed.monitors[4], { hostname: 'login.example.com', expected: '2001:db8::1' })
  t.match(parsed.monitors[3], { body: '{"probe": true}\n', expected_status: 204, keyword: 'ok: yes', paused: true })
  t.match(parsed.monitors[5], { component: 'Sign-in', headers: { Authorization: 'Bearer abc' }, json_path: { path: '$.status', equals: 'ok' }, expected_status: '200-299' })
  t.notMatch(exported, /heartbeats\//, 'no heartbeat secret, nor its hash')
  t.notMatch(exported, /heartbeat_hash|state|failures/, 'the definition only')
  const file = w.write('exported.yaml', exported)
  t.same(w.run('apply', file, '--prune').at(-1), '0 created, 0 updated, 6 unchanged, 0 removed')
  t.equal(monitorsFileText([]), '# Herald monitors: `herald monitors apply <file>` makes the monitors what this file says (heartbeat secrets are never exported).\n\nmonitors: []\n')
})

t.test('a refused entry names the file, the line of its field and what is wrong; nothing is written', async (t) => {
  const w = world(t)
  const check = (text: string, expected: RegExp | string): void => {
    const file = w.write('monitors.yaml', text)
    const message = refusal(t, () => w.run('apply', file))
    if (typeof expected === 'string') t.equal(message, `${file}:${expected}`)
    else t.match(message, expected)
  }
  const entry = '  - name: Database\n    kind: tcp\n    host: db\n    port: 5432\n'
  check(`monitors:\n${entry}  - name: Web\n    kind: http\n    url: https://x.example\n    colour: red\n`, '9: colour: unknown field')
  check(`monitors:\n${entry}  - name: Web\n    kind: http\n    url: https://x.example\n    interval_seconds: 5\n`, '9: interval_seconds: at least 10 seconds')
  check(`monitors:\n${entry}    timeout_ms: 100000\n`, '6: timeout_ms: must be below the interval (60 seconds)')
  check('monitors:\n  - name: Web\n    kind: http\n    url: https://x.example\n    headers:\n      X-A: ok\n      Host: evil\n', '7: headers.Host: Host is set by Herald and cannot be given')
  check('monitors:\n  - name: Web\n    kind: http\n    url: https://x.example\n    json_path:\n      path: status\n      equals: 1\n', '6: json_path.path: must start with $ (such as $.status)')
  check('monitors:\n  - name: Web\n    kind: http\n    url: https://x.example\n    cert_warning_days: [14, 0]\n', '5: cert_warning_days.1: at least 1 day')
  check(`monitors:\n${entry}  - name: Web\n    kind: tcp\n    port: 80\n`, '6: host: is required for a tcp monitor')
  check(`monitors:\n${entry}  - just text\n`, '6: monitor: a monitor must be a mapping of fields, not a string')
  check(`monitors:\n${entry}${entry.replace('Database', 'DATABASE')}`, '6: name: "DATABASE" is also the name of monitor 1')
  check(`monitors:\n${entry}    port: 22\n`, /monitors\.yaml:6: Map keys must be unique$/)
  check('monitors:\n  - name: [unclosed\n', /monitors\.yaml:\d+: /)
  check('monitors:\n  - name: "a\\u0007b"\n    kind: tcp\n    host: db\n    port: 1\n', /:2: name: must not contain control characters/)
  check('other: 1\nmonitors: []\n', '1: other: unknown field (the file has one key, monitors)')
  check('monitors: []\n: 1\n', /monitors\.yaml:2: null: unknown field/)
  check('monitors: []\n? [a, b]\n: 1\n', /monitors\.yaml:2: .*a.*b.*: unknown field/)
  check('monitors: 3\n', '1: monitors: must be a list of monitors (each entry starting with -)')
  check('- name: Database\n', '1: the file must be a mapping with a monitors: list')
  check('{}\n', '1: the file needs a monitors: list')
  check('', /monitors\.yaml: the file is empty/)
  t.same(w.run('list'), ['no monitors yet; add them with: herald monitors apply <file.yaml>'], 'nothing was stored')
})

t.test('YAML that expands without end, huge files, missing files and wrong arguments are refused', async (t) => {
  const w = world(t)
  const laughs = ['monitors:', '  - &a [x, x, x, x, x, x, x, x, x, x]']
  for (const name of ['b', 'c', 'd', 'e', 'f', 'g']) {
    const previous = String.fromCharCode(name.charCodeAt(0) - 1)
    laughs.push(`  - &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`)
  }
  t.match(refusal(t, () => parseMonitorsFile('bomb.yaml', laughs.join('\n'))), /^bomb\.yaml: .*alias/i, 'the billion laughs are refused before they expand')
  t.equal(refusal(t, () => parseMonitorsFile('deep.yaml', `monitors:\n  - ${'['.repeat(1000)}${']'.repeat(1000)}\n`)), 'deep.yaml:2: nested too deeply')
  t.match(refusal(t, () => parseMonitorsFile('big.yaml', `monitors: []\n#${'x'.repeat(maxMonitorsFileBytes)}`)), /^big\.yaml: the file is over 1 MiB$/)
  const big = w.write('big.yaml', `monitors: []\n#${'x'.repeat(maxMonitorsFileBytes)}`)
  t.equal(refusal(t, () => w.run('apply', big)), `${big}: the file is over 1 MiB`)
  t.equal(refusal(t, () => w.run('apply', join(w.dir, 'missing.yaml'))), `cannot read ${join(w.dir, 'missing.yaml')}: no such file`)
  t.match(refusal(t, () => w.run('apply', w.dir)), /^cannot read .*: EISDIR/)
  t.match(refusal(t, () => w.run('apply')), /needs a file/)
  t.match(refusal(t, () => w.run('apply', 'a.yaml', 'b.yaml')), /one file, not also "b\.yaml"/)
  t.match(refusal(t, () => w.run('apply', 'a.yaml', '--force')), /Unknown option '--force'/)
  t.match(refusal(t, () => w.run('export', 'x')), /monitors export/)
  t.match(refusal(t, () => w.run()), /needs an action/)
  t.match(refusal(t, () => w.run('frob')), /unknown monitors action "frob"/)

  const lines = parseMonitorsFile('m.yaml', monitorsYaml)
  t.equal(lines.lineOf(0, ['headers', 'Authorization']), 7)
  t.equal(lines.lineOf(0, ['json_path', 'equals']), 10)
  t.equal(lines.lineOf(1, ['interval_seconds']), 12, 'a missing field is placed on its entry')
  t.equal(lines.lineOf(1, []), 12)
  t.equal(lines.lineOf(7, ['name']), 3, 'past the end: the start of the list')
})
