// The tests of test/api-v2/ in one process (test/fixtures/test-group.ts says why).
import { runGroup } from '../fixtures/test-group.js'

await runGroup(import.meta.url)
