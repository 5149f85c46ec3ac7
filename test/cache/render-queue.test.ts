// The render queue: one render at a time, in order, a failed one releasing the next, and a bound on those waiting.
import t from 'tap'
import { RenderQueue } from '../../server/cache/render-queue.js'

t.test('renders run one at a time in the order asked, and a failure does not stop the queue', async (t) => {
  const queue = new RenderQueue(10)
  let running = 0
  let most = 0
  const order: number[] = []
  const render = (i: number) => async (): Promise<number> => {
    running++
    most = Math.max(most, running)
    await new Promise((resolve) => setImmediate(resolve))
    order.push(i)
    running--
    if (i === 2) throw new Error('render 2 failed')
    return i
  }
  const results = await Promise.allSettled([0, 1, 2, 3, 4].map(async (i) => await queue.run(render(i))))
  t.equal(most, 1, 'never two at once')
  t.same(order, [0, 1, 2, 3, 4])
  t.same(results.map((result) => result.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
  t.equal(queue.waiting, 0)
})

t.test('the queue is full at its bound and empties again', async (t) => {
  const queue = new RenderQueue(2)
  let release!: () => void
  const held = new Promise<void>((resolve) => { release = resolve })
  const first = queue.run(async () => await held)
  t.notOk(queue.full)
  const second = queue.run(async () => {})
  t.ok(queue.full, 'two waiting')
  release()
  await Promise.all([first, second])
  t.notOk(queue.full)
  t.equal(queue.waiting, 0)
})
