// yieldToRequests: a phase of work started by a request lets a request that arrived meanwhile go first; workSlices, only once its slice has run.
import { once } from 'node:events'
import { type AddressInfo, type Socket, connect, createServer } from 'node:net'
import t from 'tap'
import { workSlices, yieldToRequests } from '../../server/cache/yield-to-requests.js'
import type { TestContext } from '../fixtures/build.js'

/** A connected pair of sockets over loopback: what one writes, the other reads. */
async function socketPair (t: TestContext): Promise<{ near: Socket, far: Socket }> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const accepted = once(server, 'connection') as Promise<[Socket]>
  const near = connect((server.address() as AddressInfo).port, '127.0.0.1')
  await once(near, 'connect')
  const [far] = await accepted
  t.teardown(() => { near.destroy(); far.destroy(); server.close() })
  return { near, far }
}

/**
 * What happens in order when phase 1 of a render (20 ms of work, started by `start`) sees a request arrive
 * (loopback delivers it at once, but only a poll reads it), then yields to requests before phase 2.
 */
async function orderOfTwoPhases (t: TestContext, start: (phase1: () => void) => void): Promise<string[]> {
  const { near: visitor, far: waiting } = await socketPair(t)
  const order: string[] = []
  waiting.on('data', () => order.push('the request that arrived meanwhile'))
  await new Promise<void>((resolve, reject) => {
    start(() => {
      order.push('phase 1')
      visitor.write('GET / HTTP/1.1\r\n\r\n')
      const until = performance.now() + 20
      while (performance.now() < until) { /* phase 1's work */ }
      yieldToRequests().then(() => {
        order.push('phase 2')
        resolve()
      }, reject)
    })
  })
  // Its data comes in one event; give it the turn it would have had if phase 2 had run first.
  await new Promise((resolve) => setTimeout(resolve, 50))
  return order
}

const requestBetweenPhases = ['phase 1', 'the request that arrived meanwhile', 'phase 2']

t.test('a request that arrives while a phase runs is read before the next phase starts', async (t) => {
  // As a render is: started by a request's data (an I/O callback, in the poll phase of the event loop).
  const { near: starter, far: renderer } = await socketPair(t)
  t.same(await orderOfTwoPhases(t, (phase1) => {
    renderer.once('data', phase1)
    starter.write('render')
  }), requestBetweenPhases)
})

t.test('from the check phase too, the next phase waits for a poll', async (t) => {
  t.same(await orderOfTwoPhases(t, (phase1) => setImmediate(phase1)), requestBetweenPhases)
})

t.test('workSlices steps aside once a slice of work has run, not at every step', async (t) => {
  let clock = 0
  const slice = workSlices(3, () => clock)
  let waiting = 0
  // Each step: work waiting for the event loop arrives (or not), the clock moves, a step of the loop asks for its slice.
  const steps = [
    { arrives: true, at: 2.9, left: 1, says: 'under the slice: on at once, the waiting work still waits' },
    { arrives: false, at: 3, left: 0, says: 'a whole slice: what waited has had its turn' },
    { arrives: true, at: 5.9, left: 1, says: 'the next slice counts from that turn' },
    { arrives: false, at: 6.1, left: 0, says: 'and ends 3 ms after it' }
  ]
  for (const { arrives, at, left, says } of steps) {
    if (arrives) {
      waiting++
      setImmediate(() => { waiting-- })
    }
    clock = at
    await slice()
    t.equal(waiting, left, says)
  }
})
