// Slow and greedy clients: stalled bodies and headers are ended with 408, one address cannot hold every connection, / keeps answering.
import { createServer } from 'node:http'
import { type Socket, connect } from 'node:net'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { limitConnectionsPerAddress } from '../../server/http/connection-limit.js'
import { tempDir, testConfig } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'

interface Held {
  socket: Socket
  /** What the server sent before it closed the connection. */
  closed: Promise<string>
}

function hold (port: number, request: string): Held {
  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.on('data', (chunk: Buffer) => { received += chunk.toString('latin1') })
  // A reset is a close too: what matters is that the server let go, and what it said first.
  socket.on('error', () => {})
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)))
  socket.write(request)
  return { socket, closed }
}

/** A POST that promises 100,000 bytes and sends 9: what held a connection forever before. */
function stalledBody (path: string): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nname=alic`
}

async function timed (url: string): Promise<{ status: number, ms: number }> {
  const started = performance.now()
  const response = await fetch(url, { headers: { connection: 'close' } })
  await response.arrayBuffer()
  return { status: response.status, ms: performance.now() - started }
}

t.test('200 stalled requests are ended with 408 within the request timeout while / keeps answering', async (t) => {
  const app = await buildApp({ config: testConfig(tempDir(t), { REQUEST_TIMEOUT_MS: '1000' }), logger: false })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const base = `http://127.0.0.1:${port}`
  // Once through Fastify, so that the front door answers / from the cache from now on.
  t.equal((await timed(`${base}/`)).status, 200)

  const paths = ['/admin/sign-in', '/admin/components', '/admin/preview', '/admin/setup', '/api/v1/incidents']
  const held: Held[] = []
  for (let i = 0; i < 190; i++) held.push(hold(port, stalledBody(paths[i % paths.length] as string)))
  // Slow headers, and a connection that sends nothing at all.
  for (let i = 0; i < 5; i++) held.push(hold(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '))
  for (let i = 0; i < 5; i++) held.push(hold(port, ''))
  const started = performance.now()

  const answers = []
  for (let i = 0; i < 10; i++) answers.push(await timed(`${base}/`))
  t.ok(answers.every((answer) => answer.status === 200), 'every request for / was answered')
  const times = answers.map((answer) => answer.ms).sort((a, b) => a - b)
  t.ok((times[5] as number) < 100, `/ answered within 100 ms (median ${times[5]?.toFixed(1)} ms)`)

  // The timeout (1 s), Node's check interval (1 s) and room for a loaded machine; before, never.
  const bound = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 6_000).unref())
  const ended = await Promise.race([Promise.all(held.map((connection) => connection.closed)), bound])
  if (ended === 'timeout') {
    for (const connection of held) connection.socket.destroy()
    t.fail('stalled connections were still open after 6 s')
    return
  }
  t.ok(performance.now() - started < 6_000)
  const said = ended.map((text) => text.split('\r\n', 1)[0])
  // The token API refuses a request without a token before it reads the body; everything else waited for it.
  const api = said.filter((_line, i) => i < 190 && paths[i % paths.length] === '/api/v1/incidents')
  t.ok(api.every((line) => line === 'HTTP/1.1 401 Unauthorized'), 'the token API refused its stalled requests unread')
  t.equal(said.filter((line) => line === 'HTTP/1.1 408 Request Timeout').length, 200 - api.length, 'every other one got 408 Request Timeout')
})

t.test('one address holds at most CONNECTIONS_PER_ADDRESS connections; its others are closed unread', async (t) => {
  const server = createServer((_request, response) => response.end('ok'))
  const open = limitConnectionsPerAddress(server, { perAddress: 3, exempt: () => false })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const { port } = server.address() as { port: number }

  const held = [0, 1, 2].map(() => hold(port, ''))
  await eventually(() => open.get('127.0.0.1') === 3, 'the three connections to be counted', 5_000)
  t.equal(open.get('127.0.0.1'), 3)
  const refused = hold(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  t.equal(await refused.closed, '', 'the fourth connection is closed without an answer')

  // One of the three lets go: a new connection is served again.
  held[0]?.socket.destroy()
  await held[0]?.closed
  await eventually(() => open.get('127.0.0.1') === 2, 'the server to see the first one go', 5_000)
  const served = hold(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.match(await served.closed, /^HTTP\/1\.1 200 /)
  for (const connection of held) connection.socket.destroy()
  await Promise.all(held.map((connection) => connection.closed))
  await eventually(() => open.size === 0, 'the server to see every connection go', 5_000)
  t.equal(open.size, 0, 'closed connections are no longer counted')
})

t.test('loopback (a proxy in front) and a cap of 0 are not limited', async (t) => {
  for (const options of [{ perAddress: 1, exempt: (address: string) => address.includes('127.0.0.1') }, { perAddress: 0, exempt: () => false }]) {
    const server = createServer((_request, response) => response.end('ok'))
    limitConnectionsPerAddress(server, options)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const held = [0, 1, 2].map(() => hold(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
    const said = await Promise.all(held.map((connection) => connection.closed))
    t.ok(said.every((text) => text.startsWith('HTTP/1.1 200 ')), `all served (cap ${options.perAddress})`)
    await new Promise((resolve) => server.close(resolve))
  }
})
