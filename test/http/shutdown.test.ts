// SIGTERM while requests are arriving: every request written before the signal gets an answer, none a reset, and each 201 is stored.
import { type Socket, connect } from 'node:net'
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { apiWorld } from '../api/fixtures/api-world.js'
import { within } from '../fixtures/within.js'
import { herald, heraldEnv, serve } from '../cli/fixtures/herald-process.js'

interface Connection {
  socket: Socket
  received: () => string
  closed: Promise<void>
}

function open (port: number): Connection {
  const socket = connect(port, '127.0.0.1')
  let received = ''
  let reset = false
  socket.on('data', (chunk: Buffer) => { received += chunk.toString('latin1') })
  socket.on('error', (error: NodeJS.ErrnoException) => { reset = error.code === 'ECONNRESET' })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return { socket, received: () => reset ? `${received}[ECONNRESET]` : received, closed }
}

// For what the client side cannot see happen: the server accepting a connection that sent nothing, reading
// what is in its buffers, or a stopped process having stopped. Waited out; nothing asserts "still waiting" after them.
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function postUpdate (reference: string, token: string, i: number): string {
  const body = JSON.stringify({ status: 'identified', body: `Shutdown probe ${i}: the certificate is being replaced.` })
  return [
    `POST /api/v1/incidents/${reference}/updates HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${token}`,
    'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, '', body
  ].join('\r\n')
}

t.test('closing while requests wait unread in the socket buffers answers each of them (no reset)', async (t) => {
  const world = await apiWorld(t)
  const { app } = world
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const kept = Array.from({ length: 10 }, () => open(port))
  for (const connection of kept) connection.socket.write('GET /api/v2/status.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  const fresh = Array.from({ length: 10 }, () => open(port))
  await settle(300)
  const all = [...kept, ...fresh]
  const marks = all.map((connection) => connection.received().length)
  all.forEach((connection, i) => connection.socket.write(postUpdate(world.reference, world.token, i)))
  // In the same turn as the writes: the server has not read them yet when it starts closing.
  const closed = app.close()
  await Promise.all(all.map((connection) => within(connection.closed, 10_000, 'still open')))
  await closed
  const answers = all.map((connection, i) => connection.received().slice(marks[i]))
  t.same(answers.filter((text) => !text.startsWith('HTTP/1.1 201 ')), [], 'every request was answered 201')
  t.ok(answers.every((text) => /\r\nconnection: close\r\n/i.test(text)), 'and told that the connection closes')
})

t.test('SIGTERM answers every request already written, on idle keep-alive and on new connections', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir, { LOG_LEVEL: 'info' })
  t.equal((await herald(['demo'], env)).code, 0)
  const created = await herald(['token', 'create', 'ci'], env)
  const token = created.stdout.trim()
  const server = await serve(t, env)

  // Twenty connections that have been answered once and now sit idle, kept alive; twenty accepted that sent nothing yet.
  const kept = Array.from({ length: 20 }, () => open(server.port))
  for (const connection of kept) connection.socket.write('GET /api/v2/status.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  await settle(500)
  t.ok(kept.every((connection) => connection.received().startsWith('HTTP/1.1 200 ')), 'the keep-alive connections were answered once')
  const fresh = Array.from({ length: 20 }, () => open(server.port))
  await settle(300)

  const all = [...kept, ...fresh]
  const marks = all.map((connection) => connection.received().length)
  // Stopped, the server reads nothing: the requests wait in its socket buffers, as they do on a busy server.
  server.child.kill('SIGSTOP')
  await settle(100)
  all.forEach((connection, i) => {
    const body = JSON.stringify({ status: 'identified', body: `Shutdown probe ${i}: the certificate is being replaced.` })
    connection.socket.write([
      'POST /api/v1/incidents/TM202916/updates HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${token}`,
      'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, '', body
    ].join('\r\n'))
  })
  await settle(100)
  server.child.kill('SIGTERM')
  server.child.kill('SIGCONT')
  await Promise.all(all.map((connection) => within(connection.closed, 15_000, 'still open')))
  t.equal(await server.exited, 0, 'a clean exit')

  const answers = all.map((connection, i) => connection.received().slice(marks[i]))
  const resets = answers.filter((text) => text.includes('[ECONNRESET]') || text === '')
  t.equal(resets.length, 0, 'no request written before the signal was reset or left unanswered')
  const created201 = answers.filter((text) => text.startsWith('HTTP/1.1 201 ')).length
  t.ok(answers.every((text) => /^HTTP\/1\.1 (201|503) /.test(text)), 'each got 201, or 503 (never a reset)')

  const db = openDatabase(env.DATABASE_PATH as string)
  t.teardown(() => db.close())
  const stored = db.prepare("SELECT count(*) AS n FROM updates WHERE body LIKE 'Shutdown probe %'").get() as { n: number }
  t.equal(stored.n, created201, 'every 201 is stored, and nothing else')
})
