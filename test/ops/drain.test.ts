// `herald serve` on SIGTERM: /readyz answers 503 at once while pages are still served for SHUTDOWN_DRAIN_MS, then a clean exit; probes are not logged at info.
import { connect } from 'node:net'
import t from 'tap'
import { within } from '../fixtures/within.js'
import { herald, heraldEnv, serve } from '../cli/fixtures/herald-process.js'

t.test('SIGTERM: not ready at once, still serving during the drain, then exit 0', async (t) => {
  const dir = t.testdir()
  // A drain long enough to probe in: the test waits for the log line, then asks.
  const env = heraldEnv(dir, { LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '3000' })
  t.equal((await herald(['demo'], env)).code, 0)
  const server = await serve(t, env)

  const [live, ready] = await Promise.all([fetch(`${server.url}/livez`), fetch(`${server.url}/readyz`)])
  t.equal(live.status, 200)
  t.equal(ready.status, 200, 'ready while serving')
  t.same(await ready.json(), { status: 'ok' })

  server.child.kill('SIGTERM')
  await server.waitForOutput(/shutting down/)
  const during = await fetch(`${server.url}/readyz`)
  t.equal(during.status, 503, 'not ready as soon as SIGTERM arrived')
  t.same(await during.json(), { status: 'unavailable', reason: 'shutting down' })
  t.equal(during.headers.get('cache-control'), 'no-store')
  t.equal((await fetch(`${server.url}/livez`)).status, 200, 'still alive')
  const page = await fetch(`${server.url}/`)
  t.equal(page.status, 200, 'requests the balancer still sends are answered')
  t.match(await page.text(), 'TM202916')

  t.equal(await server.exited, 0, 'a clean exit once drained and closed')
  t.equal(server.stderr(), '')
  t.match(server.stdout(), /"url":"\/"/, 'page requests are logged at info')
  t.notMatch(server.stdout(), /"url":"\/(livez|readyz)"/, 'probes are not')
})

t.test('SIGINT (Ctrl-C) does not wait for the drain', async (t) => {
  const dir = t.testdir()
  // Long enough that waiting for it would outlast the test's patience below.
  const env = heraldEnv(dir, { LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '60000' })
  const server = await serve(t, env)
  server.child.kill('SIGINT')
  const exited = await within(server.exited, 15_000, 'still running')
  t.equal(exited, 0)
})

t.test('a SHUTDOWN_DRAIN_MS that is not a whole number of milliseconds is one line', async (t) => {
  const dir = t.testdir()
  const result = await herald(['serve'], heraldEnv(dir, { SHUTDOWN_DRAIN_MS: '2s' }))
  t.equal(result.code, 1)
  t.equal(result.stderr, 'herald: SHUTDOWN_DRAIN_MS must be a whole number from 0 to 60000, not "2s"\n')
})

t.test('a request that never finishes arriving does not turn the stop into a failure: its connection is cut after the timeout', async (t) => {
  const dir = t.testdir()
  // A request timeout longer than the shutdown's: only the shutdown can end this request.
  const env = heraldEnv(dir, { LOG_LEVEL: 'info', REQUEST_TIMEOUT_MS: '300000' })
  const server = await serve(t, env)
  const socket = connect(server.port, '127.0.0.1')
  socket.on('error', () => {})
  socket.write('POST /api/v1/components HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"na')
  await new Promise((resolve) => setTimeout(resolve, 300))
  server.child.kill('SIGINT')
  t.equal(await server.exited, 0, 'exit 0 once the stalled connection is cut')
  t.match(server.stdout(), /connections still open after the timeout are closed/)
  t.notMatch(server.stdout(), /shutdown timed out/)
  socket.destroy()
})
