// The ceilings keep one process.nextTick entry alive, as `herald serve` does (server/http/tick-shape.ts says why).
// Without it, a ceiling idle between its runs lets V8 drop the entry's hidden class, and from then on it answers
// about a third slower: a bare Fastify here went from 53-57k to 36k req/s on a 2 KB body after four idle minutes, and
// the ceiling of a whole bench run dropped from 47-54k to 35-39k halfway through its table.
import { executionAsyncResource } from 'node:async_hooks'

export let keptTickEntry
await new Promise((resolve) => {
  process.nextTick(() => {
    keptTickEntry = executionAsyncResource()
    resolve()
  })
})
