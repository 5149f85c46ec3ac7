// The tcp check: a port that accepts passes and is closed at once; a refused one, an unknown host and a silent one fail.
import { getEventListeners } from 'node:events'
import { type Socket, createServer } from 'node:net'
import t from 'tap'
import { eventually } from '../fixtures/eventually.js'
import { type CheckEnvironment, runCheck } from '../../server/monitors/run-check.js'
import { tcpMonitor } from './fixtures/check-monitors.js'

const env: CheckEnvironment = { clock: () => new Date() }

t.test('an open port passes, and the check hangs up at once', async (t) => {
  let closed = 0
  const server = createServer((socket) => {
    socket.on('close', () => { closed++ })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const port = (server.address() as { port: number }).port
  const outcome = await runCheck(tcpMonitor({ host: '127.0.0.1', port }), env)
  t.match(outcome, { ok: true, error: null, statusCode: null, certificate: null })
  t.ok(outcome.latencyMs >= 0)
  await eventually(() => closed === 1, 'the check to close its connection')
})

t.test('a refused port fails with the reason', async (t) => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  t.match(await runCheck(tcpMonitor({ host: '127.0.0.1', port }), env), { ok: false, error: `connect ECONNREFUSED 127.0.0.1:${port}` })
})

t.test('an unknown host fails; a check stopped by a closing Herald is an outcome', async (t) => {
  t.match(await runCheck(tcpMonitor({ host: 'no-such-host.invalid', port: 80 }), env), { ok: false, error: /no-such-host\.invalid/ })
  const held = new Set<Socket>()
  const server = createServer((socket) => { held.add(socket) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.close()
    for (const socket of held) socket.destroy()
  })
  const controller = new AbortController()
  controller.abort()
  t.match(await runCheck(tcpMonitor({ host: '127.0.0.1', port: (server.address() as { port: number }).port }), { ...env, signal: controller.signal }),
    { ok: false, error: 'stopped: Herald is closing' })
})

t.test('a check leaves no listener on the closing signal, passed or failed', async (t) => {
  // Checks run every few seconds for as long as Herald runs, all on the scheduler's one signal: a listener
  // left by each would pile up (and node warns past ten).
  const server = createServer((socket) => { socket.destroy() })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  const closing = new AbortController()
  const withSignal = { ...env, signal: closing.signal }
  t.match(await runCheck(tcpMonitor({ host: '127.0.0.1', port }), withSignal), { ok: true })
  await new Promise<void>((resolve) => server.close(() => resolve()))
  t.match(await runCheck(tcpMonitor({ host: '127.0.0.1', port }), withSignal), { ok: false, error: /ECONNREFUSED/ })
  t.equal(getEventListeners(closing.signal, 'abort').length, 0)
})
