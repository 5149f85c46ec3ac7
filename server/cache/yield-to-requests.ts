// Long rendering work steps aside between its phases, so requests waiting on the event loop are not held up behind it.

/**
 * Resolves after the event loop has polled for I/O once more: a request that arrived while the phase before
 * ran (a posted update, another page) is read and answered first. One setImmediate is not enough when the
 * work runs in an I/O callback, as a render started by a request does: the check phase that runs it comes
 * before the next poll, so nothing that arrived in the meantime would get its turn. The second one runs
 * after that poll; from the check phase it costs one turn of the loop more, which nobody waits on.
 */
export async function yieldToRequests (): Promise<void> {
  await new Promise((resolve) => setImmediate(() => setImmediate(resolve)))
}

/**
 * For a loop of small steps (the status page's rows): each call resolves at once until `sliceMs` of work
 * have run since the loop last stepped aside, then yields to requests. A yield costs a turn of the event
 * loop, so one per step would make a long render slow under load for nothing; none would hold a posted
 * update behind the whole loop.
 */
export function workSlices (sliceMs: number, now: () => number = () => performance.now()): () => Promise<void> {
  let since = now()
  return async () => {
    if (now() - since < sliceMs) return
    await yieldToRequests()
    since = now()
  }
}
