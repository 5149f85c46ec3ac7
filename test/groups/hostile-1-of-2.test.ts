// Share 2 of 2 of the tests of test/hostile/, in one process (test/fixtures/test-group.ts says why).
import { runGroup } from '../fixtures/test-group.js'

await runGroup(import.meta.url)
