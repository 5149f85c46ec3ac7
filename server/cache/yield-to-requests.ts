// Long rendering work steps aside between its phases, so requests waiting on the event loop are not held up behind it.

/** Resolves after the requests already waiting for the event loop (and their I/O) have had their turn. */
export async function yieldToRequests (): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
}
