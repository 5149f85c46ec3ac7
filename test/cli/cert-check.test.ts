// `herald cert-check` as a child process against local TLS servers: its lines, and its exit statuses 0, 1 and 2 for cron.
import { writeFileSync } from 'node:fs'
import { type AddressInfo, type Socket, createServer } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { createCa, leafCertificate, testCa, validFor } from '../monitors/fixtures/certificates.js'
import { tlsTarget } from '../monitors/fixtures/tls-target.js'
import { certCheckCommand } from '../../server/cli/cert-check.js'
import { freePort, herald, heraldEnv, lines } from './fixtures/herald-process.js'

/** The command in this process (its coverage counts): its exit status and what it printed. */
async function certCheck (args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await certCheckCommand(args, (line) => { stdout += `${line}\n` }, (text) => { stderr += text })
  return { code, stdout, stderr }
}

const dayMs = 86_400_000

function caFile (dir: string, pem = testCa().cert): string {
  const file = join(dir, 'ca.pem')
  writeFileSync(file, pem)
  return file
}

t.test('valid certificates: one line each with days left, issuer and names; exit 0', async (t) => {
  const dir = t.testdir()
  const long = await tlsTarget(t, leafCertificate({ names: ['status.example', '127.0.0.1'], ...validFor(90) }))
  const month = await tlsTarget(t, leafCertificate({ names: ['127.0.0.1'], ...validFor(20) }))
  const result = await herald(['cert-check', long.target, `https://127.0.0.1:${month.port}/login`, '--ca', caFile(dir)], heraldEnv(dir))
  t.equal(result.stderr, '')
  t.equal(result.code, 0)
  const day = (days: number): string => new Date(Date.now() + days * dayMs + 60_000).toISOString().slice(0, 10)
  t.same(lines(result.stdout), [
    `${long.target}  90 days left (${day(90)})  issuer "Herald Test CA"  names status.example, 127.0.0.1`,
    `${month.target}  20 days left (${day(20)})  issuer "Herald Test CA"  names 127.0.0.1`
  ])
})

t.test('under the threshold, expired, untrusted, wrongly named or unreachable: exit 1, every target still reported', async (t) => {
  const dir = t.testdir()
  const soon = await tlsTarget(t, leafCertificate(validFor(5)))
  const expired = await tlsTarget(t, leafCertificate({ notBefore: new Date(Date.now() - 60 * dayMs), notAfter: new Date(Date.now() - 3 * dayMs - 60_000) }))
  const selfSigned = await tlsTarget(t, leafCertificate({ issuer: 'self' }))
  const otherCa = await tlsTarget(t, leafCertificate({ issuer: createCa('Another CA') }))
  const wrongName = await tlsTarget(t, leafCertificate({ names: ['a.example'] }))
  const closed = await freePort()
  const ca = caFile(dir)

  const [under, failures, lower, noCa, child] = await Promise.all([
    certCheck([soon.target, '--ca', ca]),
    certCheck([expired.target, selfSigned.target, otherCa.target, wrongName.target, `127.0.0.1:${closed}`, '--ca', ca, '--timeout', '5']),
    certCheck([soon.target, '--ca', ca, '--days', '5']),
    certCheck([soon.target]),
    herald(['cert-check', soon.target, expired.target, '--ca', ca], heraldEnv(dir))
  ])
  t.equal(under.code, 1)
  t.match(under.stdout, new RegExp(`^${soon.target}  5 days left \\(\\d{4}-\\d\\d-\\d\\d\\)  issuer "Herald Test CA"  names localhost, 127\\.0\\.0\\.1  UNDER 14 DAYS\\n$`))

  t.equal(failures.code, 1)
  t.equal(failures.stderr, '')
  const expiredDay = new Date(Date.now() - 3 * dayMs - 60_000).toISOString().slice(0, 10)
  const width = `127.0.0.1:${Math.max(expired.port, selfSigned.port, otherCa.port, wrongName.port, closed)}`.length
  const pad = (target: string): string => target.padEnd(width)
  t.same(lines(failures.stdout), [
    `${pad(expired.target)}  FAILED: certificate expired 3 days ago (${expiredDay})`,
    `${pad(selfSigned.target)}  FAILED: certificate not trusted: self-signed certificate`,
    `${pad(otherCa.target)}  FAILED: certificate not trusted: issuer not known (unable to verify the first certificate)`,
    `${pad(wrongName.target)}  FAILED: certificate is for a.example, not 127.0.0.1`,
    `${pad(`127.0.0.1:${closed}`)}  FAILED: connect ECONNREFUSED 127.0.0.1:${closed}`
  ])

  t.equal(lower.code, 0, '5 days left is not under 5')
  t.notMatch(lower.stdout, /UNDER/)

  t.equal(noCa.code, 1, 'the test CA is trusted only through --ca')
  t.match(noCa.stdout, /FAILED: certificate not trusted: issuer not known/)

  t.equal(child.code, 1, 'the command line exits 1')
  t.match(lines(child.stdout), [/ {2}5 days left .* UNDER 14 DAYS$/, / {2}FAILED: certificate expired 3 days ago/])
})

t.test('one day left, and a long list of names cut short', async (t) => {
  const dir = t.testdir()
  const names = Array.from({ length: 12 }, (_, i) => `n${i}.example`)
  const target = await tlsTarget(t, leafCertificate({ names: ['127.0.0.1', ...names], ...validFor(1) }))
  const result = await certCheck([target.target, '--ca', caFile(dir), '--days', '0', '--timeout', '2.5'])
  t.equal(result.code, 0)
  t.match(result.stdout, / {2}1 day left \(.*names 127\.0\.0\.1, n0\.example, .*, n8\.example, … \(13 names\)\n$/)
})

t.test('a wrong command line: one line on stderr, exit 2, nothing checked', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)
  const empty = join(dir, 'empty.pem')
  writeFileSync(empty, 'no certificate here\n')
  const broken = join(dir, 'broken.pem')
  writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
  const cases: Array<[string[], string | RegExp]> = [
    [[], 'cert-check needs at least one target: herald cert-check <host[:port]|https-url>... [--days N] [--ca FILE] [--timeout SECONDS]'],
    [['status.example:70000'], 'cert-check: target "status.example:70000" the port must be from 1 to 65535'],
    [['status.example:0'], 'cert-check: target "status.example:0" the port must be from 1 to 65535'],
    [['http://status.example'], 'cert-check: target "http://status.example" must be an https URL or host:port, not http:'],
    [['https://user:pass@status.example'], 'cert-check: target "https://user:pass@status.example" must not carry a user name or password'],
    [['status\u0007.example'], 'cert-check: target "status\\u0007.example" must not contain control characters, bidi overrides or lone surrogates'],
    [['status\u202e.example'], 'cert-check: target "status\\u202e.example" must not contain control characters, bidi overrides or lone surrogates'],
    [['<script>'], 'cert-check: target "<script>" has no valid host name'],
    [[`${'a'.repeat(300)}.example`], `cert-check: target "${'a'.repeat(99)}…" has no valid host name`],
    [['status.example', '--days', '-1'], /^cert-check: Option '--days' argument is ambiguous/],
    [['status.example', '--days=-1'], 'cert-check: --days must be a whole number of days from 0 to 3650, not "-1"'],
    [['status.example', '--days', 'ten'], 'cert-check: --days must be a whole number of days from 0 to 3650, not "ten"'],
    [['status.example', '--timeout', '0'], 'cert-check: --timeout must be seconds from 0.1 to 120, not "0"'],
    [['status.example', '--timeout', '1e3'], 'cert-check: --timeout must be seconds from 0.1 to 120, not "1e3"'],
    [['status.example', '--ca', join(dir, 'missing.pem')], `cert-check: cannot read --ca "${join(dir, 'missing.pem')}": ENOENT`],
    [['status.example', '--ca', empty], `cert-check: --ca "${empty}" holds no PEM certificate`],
    [['status.example', '--ca', broken], `cert-check: --ca "${broken}" holds a certificate that cannot be read`],
    [['status.example', '--frobnicate'], /^cert-check: Unknown option '--frobnicate'/]
  ]
  const results = await Promise.all(cases.map(([args]) => certCheck(args)))
  const child = await herald(['cert-check', 'http://status.example'], env)
  t.equal(child.code, 2, 'the command line exits 2')
  t.equal(child.stderr, 'herald: cert-check: target "http://status.example" must be an https URL or host:port, not http:; run `herald help` for the commands\n')
  results.forEach((result, index) => {
    const [args, message] = cases[index] as [string[], string | RegExp]
    const what = JSON.stringify(args)
    t.equal(result.code, 2, `${what}: exit 2`)
    t.equal(result.stdout, '', `${what}: nothing checked`)
    t.match(result.stderr, /^herald: .*; run `herald help` for the commands\n$/, `${what}: one line`)
    const line = result.stderr.replace(/^herald: /, '').replace(/; run `herald help` for the commands\n$/, '')
    if (typeof message === 'string') t.equal(line, message, what)
    else t.match(line, message, what)
  })
})

t.test('--timeout bounds each target; --help explains', async (t) => {
  const held = new Set<Socket>()
  // Accepts connections and never answers a handshake.
  const silent = createServer((socket) => { held.add(socket) })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    silent.close()
    for (const socket of held) socket.destroy()
  })
  const port = (silent.address() as AddressInfo).port
  const started = Date.now()
  const result = await certCheck([`127.0.0.1:${port}`, '--timeout', '0.3'])
  t.equal(result.code, 1)
  t.equal(result.stdout, `127.0.0.1:${port}  FAILED: timed out after 300 ms\n`)
  t.ok(Date.now() - started < 2_000, 'given up at the timeout')

  const help = await certCheck(['--help'])
  t.equal(help.code, 0)
  t.match(help.stdout, /^usage: herald cert-check <host\[:port\]\|https-url>\.\.\. /)
  t.match(help.stdout, /Exit status: 0 all passed, 1 one failed or is under N days, 2 a wrong command line\.\n$/)
  t.same(await certCheck(['-h']), help)
})

t.test('the usage lists cert-check', async (t) => {
  const result = await herald(['help'], heraldEnv(t.testdir()))
  t.match(result.stdout, /^ {2}cert-check <host\[:port\]\|https-url>\.\.\. \[--days N\] \[--ca FILE\] \[--timeout SECONDS\]$/m)
})
