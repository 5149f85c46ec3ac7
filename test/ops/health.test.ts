// /livez and /readyz: at start, while serving, during shutdown, with a schema behind, with the database gone; never cached, never a stack.
import { type Socket, connect } from 'node:net'
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { apiWorld } from '../api/fixtures/api-world.js'
import { buildOnDatabase } from '../fixtures/build.js'

function checkHealthHeaders (t: Test, response: LightMyRequestResponse): void {
  t.equal(response.headers['cache-control'], 'no-store', 'no-store')
  t.match(response.headers['content-type'], /^application\/json/, 'JSON')
}

t.test('just after buildApp, before it listens: both answer 200 ok, to GET and HEAD', async (t) => {
  const { app } = await buildOnDatabase(t)
  for (const url of ['/livez', '/readyz']) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 200, url)
    t.same(response.json(), { status: 'ok' }, `${url}: a tiny body`)
    checkHealthHeaders(t, response)
    const head = await app.inject({ method: 'HEAD', url })
    t.equal(head.statusCode, 200, `HEAD ${url}`)
    t.equal(head.body, '', `HEAD ${url}: no body`)
    t.equal(head.headers['cache-control'], 'no-store', `HEAD ${url}: no-store`)
  }
})

t.test('beginShutdown turns /readyz to 503 at once; /livez and the pages still answer', async (t) => {
  const { app } = await buildOnDatabase(t)
  app.beginShutdown()
  const ready = await app.inject('/readyz')
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { status: 'unavailable', reason: 'shutting down' })
  checkHealthHeaders(t, ready)
  t.equal((await app.inject('/livez')).statusCode, 200, 'the process still answers')
  t.equal((await app.inject('/')).statusCode, 200, 'and so do the pages, while the balancer takes note')
})

t.test('a database whose schema is behind the newest migration is not ready', async (t) => {
  const { app, db } = await buildOnDatabase(t)
  const newest = db.pragma('user_version', { simple: true }) as number
  db.pragma(`user_version = ${newest - 1}`)
  const response = await app.inject('/readyz')
  t.equal(response.statusCode, 503)
  t.same(response.json(), { status: 'unavailable', reason: `migrations pending (schema version ${newest - 1} of ${newest}): run herald migrate` })
  db.pragma(`user_version = ${newest}`)
  t.equal((await app.inject('/readyz')).statusCode, 200, 'ready once migrated')
  t.equal((await app.inject('/livez')).statusCode, 200, 'alive throughout')
})

t.test('a database newer than this Herald (migrated by a newer one since) is not ready', async (t) => {
  const { app, db } = await buildOnDatabase(t)
  const newest = db.pragma('user_version', { simple: true }) as number
  db.pragma(`user_version = ${newest + 1}`)
  const response = await app.inject('/readyz')
  t.equal(response.statusCode, 503)
  t.match(response.json(), { status: 'unavailable', reason: /newer than this Herald/ })
})

t.test('a closed database: /readyz 503 with a short reason and no stack, /livez 200', async (t) => {
  const { app, db } = await buildOnDatabase(t)
  db.close()
  const response = await app.inject('/readyz')
  t.equal(response.statusCode, 503)
  t.same(response.json(), { status: 'unavailable', reason: 'database unavailable' })
  t.notMatch(response.body, /at |Error|not open/, 'nothing of the error itself')
  t.equal((await app.inject('/livez')).statusCode, 200)
})

t.test('health answers are never remembered by the front door', async (t) => {
  const { app } = await buildOnDatabase(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  t.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200)
  t.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200)
  app.beginShutdown()
  // A remembered answer would be replayed before Fastify, still 200.
  t.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 503)
})

// For the server to have read what was written to a socket, which the client cannot see: nothing to await.
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function exchange (socket: Socket, request: string): Promise<string> {
  return new Promise((resolve) => {
    let received = ''
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1')
      const end = received.indexOf('\r\n\r\n')
      const length = /content-length: (\d+)/i.exec(received)
      if (end >= 0 && length !== null && received.length >= end + 4 + Number(length[1])) {
        socket.off('data', onData)
        resolve(received)
      }
    }
    socket.on('data', onData)
    socket.write(request)
  })
}

t.test('closing: /readyz answers 503 on a connection still open, while a write in flight gets its 201', async (t) => {
  const world = await apiWorld(t)
  const { app } = world
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const probe = connect(port, '127.0.0.1')
  const writer = connect(port, '127.0.0.1')
  t.teardown(() => { probe.destroy(); writer.destroy() })
  const readyz = 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
  t.match(await exchange(probe, readyz), /^HTTP\/1\.1 200 /, 'ready while serving')

  // The update's headers go before the close, its body after: it is in flight across it.
  const body = JSON.stringify({ status: 'identified', body: 'The certificate is being replaced.' })
  const written = exchange(writer, [
    `POST /api/v1/incidents/${world.reference}/updates HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${world.token}`,
    'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, '', ''
  ].join('\r\n'))
  await settle(100)
  const closed = app.close()
  await settle(50)
  const during = await exchange(probe, readyz)
  t.match(during, /^HTTP\/1\.1 503 /, 'not ready once closing began')
  t.match(during, /"reason":"shutting down"/)
  writer.write(body)
  t.match(await written, /^HTTP\/1\.1 201 /, 'the write in flight finished')
  await closed
})
