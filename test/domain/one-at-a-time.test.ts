// OneAtATime: runs that step aside never overlap, go in the order asked, and a failed one lets the next go.
import t from 'tap'
import { OneAtATime } from '../../server/domain/one-at-a-time.js'

const turn = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

t.test('runs that await part-way never overlap, and go in the order they were asked for', async (t) => {
  const turns = new OneAtATime()
  const events: string[] = []
  let running = 0
  const runs = ['a', 'b', 'c'].map(async (name) => await turns.run(async () => {
    running++
    t.equal(running, 1, `${name} runs alone`)
    events.push(`${name} starts`)
    await turn()
    events.push(`${name} ends`)
    running--
    return name
  }))
  t.same(await Promise.all(runs), ['a', 'b', 'c'], 'each gets its own result')
  t.same(events, ['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends'])
})

t.test('a run that fails gives its error to its caller and lets the next one go', async (t) => {
  const turns = new OneAtATime()
  const failing = turns.run(async () => {
    await turn()
    throw new Error('disk I/O error')
  })
  const next = turns.run(async () => 'next')
  await t.rejects(failing, /disk I\/O error/)
  t.equal(await next, 'next')
})
