// Share 2 of 3 of the tests of test/subscribers/, in one process (test/fixtures/test-group.ts says why).
import { runGroup } from '../fixtures/test-group.js'

await runGroup(import.meta.url)
