// The read-path benchmark's writer: a process of its own, started with plain `node`, that POSTs a plan of updates at a steady rate and prints each one's time.
// In the bench's own process, a POST's time would include the bench's other work (the watchers reading the
// 460 KB page until an update shows): an admin's client does not wait for other people's readers.
//
// argv: the plan's path, a JSON file { url, token, rate, stopAfterMs, posts: [{ path, json, waitBefore }] }.
// stdout: one JSON line per POST, { index, ms, status, at } (at: performance.timeOrigin + performance.now() when
// the answer had arrived, comparable across processes), then { done: true }. A post with waitBefore waits for
// one line on stdin first: the bench lets it go once the watches of the updates before it have ended.
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createInterface } from 'node:readline'

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function post (path, json) {
  const payload = Buffer.from(JSON.stringify(json))
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(`${plan.url}/api/v1${path}`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${plan.token}` }
    }, (res) => {
      res.resume()
      res.once('error', reject)
      res.once('end', () => resolve({ ms: performance.now() - started, status: res.statusCode, at: performance.timeOrigin + performance.now() }))
    })
    req.once('error', reject)
    req.end(payload)
  })
}

const started = performance.now()
const stopAt = started + plan.stopAfterMs
for (let index = 0; index < plan.posts.length && performance.now() < stopAt; index++) {
  // A steady rate, or one after another when a POST takes longer than the interval.
  const due = started + index * 1000 / plan.rate
  if (due > performance.now()) await sleep(due - performance.now())
  const { path, json, waitBefore } = plan.posts[index]
  if (waitBefore) await lines.next()
  const sent = await post(path, json)
  process.stdout.write(JSON.stringify({ index, ...sent }) + '\n')
}
process.stdout.write(JSON.stringify({ done: true }) + '\n')
agent.destroy()
process.stdin.destroy()
