// The http check against local HTTP(S) targets: status, timeouts, redirects, keyword and JSON-path conditions, huge bodies, what is sent, certificates.
import t from 'tap'
import { version } from '../../server/package-info.js'
import { bodyReadLimit } from '../../server/monitors/http-check.js'
import { type CheckEnvironment, runCheck } from '../../server/monitors/run-check.js'
import { leafCertificate, testCa } from './fixtures/certificates.js'
import { httpMonitor } from './fixtures/check-monitors.js'
import { httpTarget } from './fixtures/http-target.js'

const dayMs = 86_400_000
const env: CheckEnvironment = { clock: () => new Date(), trustedCertificates: [testCa().cert] }

t.test('200 passes; 500 fails naming the status; the expected range is the monitor\'s', async (t) => {
  const target = await httpTarget(t)
  target.set('/health', { body: 'all good' })
  target.set('/broken', { status: 500, body: 'oops' })
  target.set('/created', { status: 201 })
  const ok = await runCheck(httpMonitor({ url: `${target.url}/health` }), env)
  t.match(ok, { ok: true, statusCode: 200, error: null, certificate: null })
  t.ok(Number.isInteger(ok.latencyMs) && ok.latencyMs >= 0)
  t.equal(target.requests[0]?.headers['user-agent'], `Herald/${version} (monitor)`, 'Herald names itself')
  t.match(await runCheck(httpMonitor({ url: `${target.url}/broken` }), env), { ok: false, statusCode: 500, error: 'status 500, expected 200-299' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/created`, expectedStatus: { min: 200, max: 200 } }), env),
    { ok: false, statusCode: 201, error: 'status 201, expected 200' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/broken`, expectedStatus: { min: 500, max: 503 } }), env), { ok: true, statusCode: 500 })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/missing` }), env), { ok: false, statusCode: 404, error: 'status 404, expected 200-299' })
})

t.test('a slow target times out within the monitor\'s timeout; a hung one too', async (t) => {
  const target = await httpTarget(t)
  target.set('/slow', { delayMs: 3_000, body: 'late' })
  target.set('/hung', { hang: true })
  for (const path of ['/slow', '/hung']) {
    const started = Date.now()
    const outcome = await runCheck(httpMonitor({ url: `${target.url}${path}` }, { timeoutMs: 300 }), env)
    t.match(outcome, { ok: false, statusCode: null, error: 'timed out after 300 ms' }, path)
    t.ok(Date.now() - started < 2_000, `${path}: given up at the timeout`)
    t.ok(outcome.latencyMs >= 290, `${path}: the latency is the time waited`)
  }
  target.set('/slow-body', { delayMs: 100, body: 'in time' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/slow-body`, keyword: 'in time' }, { timeoutMs: 2_000 }), env), { ok: true })
})

t.test('redirects are followed, at most 10; a loop fails', async (t) => {
  const target = await httpTarget(t)
  target.set('/old', { status: 301, redirectTo: '/new' })
  target.set('/new', { body: 'moved here' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/old`, keyword: 'moved here' }), env), { ok: true, statusCode: 200 })
  t.equal(target.count('/new'), 1)

  for (let hop = 1; hop <= 11; hop++) target.set(`/hop${hop}`, { redirectTo: `/hop${hop + 1}` })
  target.set('/hop11', { body: 'end' })
  target.set('/hop12', { body: 'end' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/hop1` }), env), { ok: true, statusCode: 200 }, '10 redirects are followed')
  t.match(await runCheck(httpMonitor({ url: `${target.url}/hop0` }), env), { ok: false, statusCode: 404 })
  target.set('/hop0', { redirectTo: '/hop1' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/hop0` }), env), { ok: false, statusCode: 302, error: 'too many redirects (more than 10)' },
    'an 11th redirect is one too many')

  target.set('/loop', { redirectTo: `${target.url}/loop` })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/loop` }), env), { ok: false, statusCode: 302, error: 'too many redirects (more than 10)' })
  t.equal(target.count('/loop'), 11, 'the first request and 10 redirects')

  target.set('/elsewhere', { redirectTo: 'ftp://files.example/x' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/elsewhere` }), env), { ok: false, error: 'redirect to an unsupported scheme "ftp:"' })
  target.set('/credentials', { redirectTo: 'http://user:secret@127.0.0.1:1/' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/credentials` }), env), { ok: false, error: 'redirect to a URL with credentials' })
  target.set('/bad-location', { redirectTo: 'http://[nope/' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/bad-location` }), env), { ok: false, error: /^redirect to an invalid location "http:\/\/\[nope\/"$/ })
})

t.test('follow_redirects off judges the redirect itself', async (t) => {
  const target = await httpTarget(t)
  target.set('/login', { status: 302, redirectTo: '/sso' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/login`, followRedirects: false }), env), { ok: false, statusCode: 302, error: 'status 302, expected 200-299' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/login`, followRedirects: false, expectedStatus: { min: 302, max: 302 } }), env), { ok: true })
  t.equal(target.count('/sso'), 0)
})

t.test('a redirect after a POST: 303 becomes a GET without the body, 307 keeps both; credentials stay with their origin', async (t) => {
  const target = await httpTarget(t)
  const other = await httpTarget(t)
  target.set('/form', { status: 303, redirectTo: '/done' })
  target.set('/done', { body: 'done' })
  target.set('/keep', { status: 307, redirectTo: '/kept' })
  target.set('/kept', { body: 'kept' })
  target.set('/away', { status: 307, redirectTo: `${other.url}/landing` })
  other.set('/landing', { body: 'landed' })
  const post = { method: 'POST' as const, body: '{"a":1}', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer s3cret' } }

  t.match(await runCheck(httpMonitor({ url: `${target.url}/form`, ...post }), env), { ok: true })
  t.match(target.requests.at(-1), { method: 'GET', path: '/done', body: '' })
  t.notOk(target.requests.at(-1)?.headers['content-type'], 'no body, no content type')
  t.equal(target.requests.at(-1)?.headers.authorization, 'Bearer s3cret', 'same origin: the credentials go on')

  t.match(await runCheck(httpMonitor({ url: `${target.url}/keep`, ...post }), env), { ok: true })
  t.match(target.requests.at(-1), { method: 'POST', path: '/kept', body: '{"a":1}', headers: { 'content-type': 'application/json' } })

  t.match(await runCheck(httpMonitor({ url: `${target.url}/away`, ...post }), env), { ok: true })
  t.match(other.requests[0], { method: 'POST', path: '/landing', body: '{"a":1}' })
  t.notOk(other.requests[0]?.headers.authorization, 'another origin never gets the monitor\'s credentials')
})

t.test('keyword: found passes, missing fails', async (t) => {
  const target = await httpTarget(t)
  target.set('/', { body: '<p>Status: all systems operational</p>' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/`, keyword: 'operational' }), env), { ok: true })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/`, keyword: 'Operational' }), env),
    { ok: false, statusCode: 200, error: 'keyword "Operational" not found in the body' }, 'case-sensitive')
})

t.test('JSON path: equal as text passes; another value, nothing found, a body that is not JSON fail', async (t) => {
  const target = await httpTarget(t)
  target.set('/health', { body: JSON.stringify({ status: 'ok', checks: [{ name: 'db', ok: true }, { name: 'cache', ok: false }], count: 3, info: { up: 1 } }) })
  target.set('/html', { body: '<html>not json</html>' })
  const url = `${target.url}/health`
  t.match(await runCheck(httpMonitor({ url, jsonPath: { path: '$.status', equals: 'ok' } }), env), { ok: true })
  t.match(await runCheck(httpMonitor({ url, jsonPath: { path: '$.checks[0].ok', equals: 'true' } }), env), { ok: true })
  t.match(await runCheck(httpMonitor({ url, jsonPath: { path: '$.count', equals: '3' } }), env), { ok: true }, 'a number compared as text')
  t.match(await runCheck(httpMonitor({ url, jsonPath: { path: '$.info', equals: '{"up":1}' } }), env), { ok: true }, 'an object as its JSON')
  t.match(await runCheck(httpMonitor({ url, jsonPath: { path: '$.checks[1].ok', equals: 'true' } }), env),
    { ok: false, error: '$.checks[1].ok is "false", expected "true"' })
  t.match(await runCheck(httpMonitor({ url, jsonPath: { path: '$.missing', equals: 'x' } }), env), { ok: false, error: 'json path $.missing found nothing' })
  t.match(await runCheck(httpMonitor({ url, jsonPath: { path: '$.checks[?(@.ok)].name', equals: 'db' } }), env),
    { ok: false, error: /^json path \$\.checks\[\?\(@\.ok\)\]\.name: .*prevented/i }, 'a filter script is refused, never run')
  t.match(await runCheck(httpMonitor({ url: `${target.url}/html`, jsonPath: { path: '$.status', equals: 'ok' } }), env),
    { ok: false, error: 'body is not JSON (json path $.status)' })
})

t.test('a huge body: read up to 1 MiB, judged on that, and said so', async (t) => {
  const target = await httpTarget(t)
  target.set('/huge', { bodyBytes: 8 * bodyReadLimit })
  const url = `${target.url}/huge`
  t.match(await runCheck(httpMonitor({ url }), env), { ok: true, statusCode: 200 })
  t.match(await runCheck(httpMonitor({ url, keyword: 'xxxx' }), env), { ok: true })
  t.match(await runCheck(httpMonitor({ url, keyword: 'needle' }), env),
    { ok: false, error: 'keyword "needle" not found in the body (only the first 1 MiB of the body was read)' })
  t.match(await runCheck(httpMonitor({ url, jsonPath: { path: '$.a', equals: '1' } }), env),
    { ok: false, error: 'body is not JSON (json path $.a) (only the first 1 MiB of the body was read)' })
  target.set('/exact', { bodyBytes: bodyReadLimit })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/exact`, keyword: 'needle' }), env),
    { ok: false, error: 'keyword "needle" not found in the body' }, 'exactly 1 MiB is the whole body')
})

t.test('HEAD, and a POST with its headers and body received as sent', async (t) => {
  const target = await httpTarget(t)
  target.set('/ping', { body: 'pong' })
  t.match(await runCheck(httpMonitor({ url: `${target.url}/ping`, method: 'HEAD' }), env), { ok: true, statusCode: 200 })
  t.match(target.requests[0], { method: 'HEAD', path: '/ping', body: '' })

  const body = JSON.stringify({ query: 'status', note: 'é ✓' })
  const outcome = await runCheck(httpMonitor({
    url: `${target.url}/ping?x=1&y=%20`,
    method: 'POST',
    headers: { 'X-Api-Key': 'key 123', 'Content-Type': 'application/json', 'User-Agent': 'my-probe/1' },
    body
  }), env)
  t.match(outcome, { ok: false, statusCode: 404 }, 'the query is part of the path asked')
  const seen = target.requests[1]
  t.match(seen, { method: 'POST', path: '/ping?x=1&y=%20', body })
  t.equal(seen?.headers['content-length'], String(Buffer.byteLength(body)))
  t.equal(seen?.headers['user-agent'], 'my-probe/1', 'the monitor\'s own User-Agent is kept')
  const raw = seen?.rawHeaders ?? []
  t.equal(raw[raw.indexOf('X-Api-Key') + 1], 'key 123', 'header names and values as given')
})

t.test('a refused connection and a URL that cannot be requested are outcomes', async (t) => {
  const target = await httpTarget(t)
  await target.close()
  t.match(await runCheck(httpMonitor({ url: `${target.url}/` }), env), { ok: false, statusCode: null, error: /^connect ECONNREFUSED 127\.0\.0\.1:\d+$/ })
  t.match(await runCheck(httpMonitor({ url: 'not a url' }), env), { ok: false, error: /Invalid URL/ })
})

t.test('https: the certificate on every run, and a bad one fails before anything is sent', async (t) => {
  const good = await httpTarget(t, { tls: leafCertificate({ names: ['127.0.0.1'], notBefore: new Date(Date.now() - dayMs), notAfter: new Date(Date.now() + 30 * dayMs + 60_000) }) })
  good.set('/', { body: 'secure' })
  const outcome = await runCheck(httpMonitor({ url: `${good.url}/`, keyword: 'secure' }), env)
  t.match(outcome, { ok: true, statusCode: 200, certificate: { names: ['127.0.0.1'], issuer: 'CN=Herald Test CA, O=Herald tests' } })
  const again = await runCheck(httpMonitor({ url: `${good.url}/` }), env)
  t.equal(again.certificate?.fingerprint, outcome.certificate?.fingerprint, 'seen again on the next run')

  const expired = await httpTarget(t, { tls: leafCertificate({ notBefore: new Date(Date.now() - 60 * dayMs), notAfter: new Date(Date.now() - 2 * dayMs - 60_000) }) })
  expired.set('/', { body: 'stale' })
  const failed = await runCheck(httpMonitor({ url: `${expired.url}/`, headers: { Authorization: 'Bearer s3cret' } }), env)
  t.match(failed, { ok: false, statusCode: null, error: /^certificate expired 2 days ago \(\d{4}-\d\d-\d\d\)$/ })
  t.ok(failed.certificate, 'the certificate is returned with the failure')
  t.equal(expired.requests.length, 0, 'no request (and no credential) went to a server whose certificate failed')

  const selfSigned = await httpTarget(t, { tls: leafCertificate({ issuer: 'self' }) })
  t.match(await runCheck(httpMonitor({ url: `${selfSigned.url}/` }), env), { ok: false, error: 'certificate not trusted: self-signed certificate' })
  const wrongName = await httpTarget(t, { tls: leafCertificate({ names: ['status.example'] }) })
  t.match(await runCheck(httpMonitor({ url: `${wrongName.url}/` }), env), { ok: false, error: 'certificate is for status.example, not 127.0.0.1' })

  const plain = await httpTarget(t)
  plain.set('/go', { redirectTo: `${selfSigned.url}/` })
  plain.set('/secure', { redirectTo: `${good.url}/` })
  t.match(await runCheck(httpMonitor({ url: `${plain.url}/go` }), env),
    { ok: false, error: `certificate not trusted: self-signed certificate (after a redirect to ${selfSigned.url})` })
  const viaRedirect = await runCheck(httpMonitor({ url: `${plain.url}/secure` }), env)
  t.match(viaRedirect, { ok: true, statusCode: 200 })
  t.equal(viaRedirect.certificate?.fingerprint, outcome.certificate?.fingerprint, 'the first https hop\'s certificate')
})

t.test('a heartbeat is not run', async (t) => {
  const heartbeat = { ...httpMonitor({ url: 'http://127.0.0.1:1/' }), kind: 'heartbeat' as const, settings: { graceS: 60 } }
  t.match(await runCheck(heartbeat, env), { ok: false, error: 'a heartbeat is not checked by Herald: it waits for calls' })
})
