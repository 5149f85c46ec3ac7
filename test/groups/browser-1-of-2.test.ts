// Share 2 of 2 of the tests of test/browser/, in one process (test/fixtures/test-group.ts says why; here also so that at most two Chromiums run at once).
import { runGroup } from '../fixtures/test-group.js'

await runGroup(import.meta.url)
