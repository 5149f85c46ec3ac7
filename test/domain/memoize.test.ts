// memoize: each argument computed once, and never more kept than asked.
import t from 'tap'
import { memoize } from '../../server/domain/memoize.js'

t.test('a result is computed once per argument, and the memory starts again when full', async (t) => {
  const calls: number[] = []
  const double = memoize((n: number) => { calls.push(n); return n * 2 }, 3)
  t.same([double(1), double(2), double(1), double(2)], [2, 4, 2, 4])
  t.same(calls, [1, 2], 'each computed once')
  double(3)
  double(4)
  t.same(calls, [1, 2, 3, 4])
  t.equal(double(1), 2)
  t.same(calls, [1, 2, 3, 4, 1], 'full at 3: emptied, so 1 is computed again')
})
