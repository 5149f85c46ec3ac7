// Herald killed with SIGKILL in the middle of a fan-out to a few hundred subscribers, then started again: every one told, each delivery id sent once but for those in flight.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { herald, heraldEnv, serve } from '../cli/fixtures/herald-process.js'
import { type TestContext, copyMigratedDatabase, tempDir } from '../fixtures/build.js'
import { eventually } from '../fixtures/eventually.js'
import { FakeSmtp } from './fixtures/fake-smtp.js'
import { addSubscribers } from './fixtures/outbox-rows.js'

const webhooks = 250
const emails = 150
// The worker's concurrency (defaultSubscriberWorkerSettings): at most this many sends are in flight at the kill.
const concurrency = 10

/** A webhook receiver on 127.0.0.1 that records each delivery's id and answers 200 after a while (so the kill lands mid-fan-out). */
async function slowReceiver (t: TestContext, delayMs: number): Promise<{ url: string, received: Array<{ delivery: string, path: string }> }> {
  const received: Array<{ delivery: string, path: string }> = []
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      setTimeout(() => {
        received.push({ delivery: String(request.headers['x-herald-delivery']), path: request.url ?? '' })
        response.end('ok')
      }, delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => { resolve() })
  }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
}

t.test('kill -9 in the middle of a fan-out: after the restart every subscriber has the update, each delivery id once but those in flight', async (t) => {
  const dir = tempDir(t)
  const smtp = await FakeSmtp.start()
  t.teardown(() => smtp.close())
  const receiver = await slowReceiver(t, 40)
  const database = copyMigratedDatabase(dir)
  const db = openDatabase(database)
  addSubscribers(db, [
    ...Array.from({ length: webhooks }, (_, i) => ({ kind: 'webhook' as const, target: `${receiver.url}/hook/${i}`, signingSecret: `whsec_${i}` })),
    ...Array.from({ length: emails }, (_, i) => ({ kind: 'email' as const, target: `reader${i}@example.com` }))
  ])
  db.close()
  // A claim lapses three request timeouts after it was made: a short timeout keeps the wait after the kill short.
  const env = heraldEnv(dir, {
    SMTP_URL: smtp.url(),
    MAIL_FROM: 'status@example.com',
    SUBSCRIPTIONS_ALLOW_PRIVATE_URLS: '1',
    SUBSCRIPTIONS_ALLOW_HTTP: '1',
    SUBSCRIPTIONS_REQUEST_TIMEOUT_MS: '1000',
    SUBSCRIPTIONS_RETRY_BASE_MS: '50',
    LOG_LEVEL: 'info'
  })
  const token = (await herald(['token', 'create', 'ops'], env)).stdout.trim()
  const delivered = (): number => receiver.received.length + smtp.received.length

  const first = await serve(t, env)
  const response = await fetch(`${first.url}/api/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reference: 'TM202916', name: 'Users unable to access Microsoft Teams', body: 'We\'re investigating.', status: 'investigating' })
  })
  t.equal(response.status, 201, 'the update is posted')
  await eventually(() => delivered() >= 60, 'the fan-out to be under way')
  first.child.kill('SIGKILL')
  await first.exited
  const atKill = delivered()
  t.ok(atKill < webhooks + emails, `killed mid-fan-out (${atKill} of ${webhooks + emails} delivered)`)

  const second = await serve(t, env)
  await eventually(() => new Set(receiver.received.map((r) => r.path)).size === webhooks &&
    new Set(smtp.received.flatMap((m) => m.envelope.to)).size === emails,
  () => `every subscriber to be told: ${new Set(receiver.received.map((r) => r.path)).size} webhooks, ${new Set(smtp.received.flatMap((m) => m.envelope.to)).size} addresses`, 60_000)
  const check = openDatabase(join(dir, 'herald.db'))
  t.teardown(() => check.close())
  await eventually(() => check.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM subscriber_deliveries WHERE state = 'sent'").get()?.n === webhooks + emails,
    'every delivery recorded as sent', 30_000)
  // A moment longer: anything sent a third time would show now.
  await new Promise((resolve) => setTimeout(resolve, 300))
  second.child.kill('SIGTERM')
  await second.exited

  const hookIds = receiver.received.map((r) => r.delivery)
  const mailIds = smtp.received.map((m) => m.mail.messageId ?? '')
  t.equal(new Set(hookIds).size, webhooks, 'one delivery id per webhook')
  t.equal(new Set(mailIds).size, emails, 'one Message-ID per address')
  const repeats = hookIds.length + mailIds.length - webhooks - emails
  t.ok(repeats <= concurrency, `sent again after the restart: ${repeats} (those in flight at the kill, at most ${concurrency})`)
  for (const path of new Set(receiver.received.map((r) => r.path))) {
    const ids = new Set(receiver.received.filter((r) => r.path === path).map((r) => r.delivery))
    if (ids.size !== 1) t.fail(`${path} got ${ids.size} different deliveries of one update`)
  }
  t.match(first.stdout() + second.stdout(), /subscribers: notification expanded/, 'the processes logged their work')
  t.notMatch(first.stdout() + second.stdout(), /reader\d+@example\.com|whsec_/, 'no address nor secret in the log')
})
