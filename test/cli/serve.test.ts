// `herald serve` as a child process over a demo database: the token works, the page shows TM202916, SIGTERM is graceful.
import { connect } from 'node:net'
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { createStores } from '../../server/store/stores.js'
import { herald, heraldEnv, serve } from './fixtures/herald-process.js'

t.test('a served demo database', async (t) => {
  const dir = t.testdir()
  // info logs: the shutdown test waits for the server to say it received a request and began closing.
  const env = heraldEnv(dir, { LOG_LEVEL: 'info' })
  const demo = await herald(['demo'], env)
  t.equal(demo.code, 0, demo.stderr)
  const created = await herald(['token', 'create', 'ci'], env)
  t.equal(created.code, 0, created.stderr)
  const token = created.stdout.trim()
  const server = await serve(t, env)

  t.test('the token from `token create` opens the API; no token or a wrong one gets 401', async (t) => {
    const [withToken, without, wrong] = await Promise.all([
      fetch(`${server.url}/api/v1/components`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server.url}/api/v1/components`),
      fetch(`${server.url}/api/v1/components`, { headers: { authorization: `Bearer ${token}x` } })
    ])
    t.equal(withToken.status, 200)
    t.match(await withToken.json(), [{ name: 'Teams chat' }, { name: 'Meetings & calling' }, { name: 'Sign-in' }, { name: 'Admin center' }, { name: 'Status API' }])
    t.equal(without.status, 401)
    t.equal(wrong.status, 401)
  })

  t.test('the status page shows the open TM202916', async (t) => {
    const response = await fetch(`${server.url}/`)
    t.equal(response.status, 200)
    const html = await response.text()
    t.match(html, 'TM202916')
    t.match(html, 'Users may be unable to access Microsoft Teams')
  })

  t.test('SIGTERM lets a write in flight finish, then exits 0', async (t) => {
    const body = JSON.stringify({ status: 'resolved', body: 'The updated certificate is deployed everywhere and Teams works for all users.' })
    const socket = connect(server.port, '127.0.0.1')
    let response = ''
    socket.on('data', (chunk: Buffer) => { response += chunk.toString() })
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    // The headers go now, the body only once shutdown has begun: the request is in flight across it.
    socket.write([
      'POST /api/v1/incidents/TM202916/updates HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '', ''
    ].join('\r\n'))
    await server.waitForOutput(/"url":"\/api\/v1\/incidents\/TM202916\/updates"/)
    server.child.kill('SIGTERM')
    await server.waitForOutput(/shutting down/)
    socket.end(body)
    await ended
    t.match(response, /^HTTP\/1\.1 201 /, 'the request in flight got its answer')
    t.equal(await server.exited, 0, 'exit code 0 once closed')
    t.equal(server.stderr(), '')
    t.notMatch(server.stdout(), token, 'the token never reaches the log')

    const db = openDatabase(env.DATABASE_PATH as string)
    t.teardown(() => db.close())
    const incident = createStores(db).incidents.byReference('TM202916')
    t.match(incident, { status: 'resolved' }, 'the write committed before the database closed')
  })
})
