// The tests of test/monitors/ in one process (test/fixtures/test-group.ts says why).
import { runGroup } from '../fixtures/test-group.js'

await runGroup(import.meta.url)
