// What a committed write tells the rest of the process (deliveries due, a changed maintenance plan), and who listens.

/**
 * The signals the services send, each once the outermost write that asked for it commits, never on rollback:
 * - deliveriesDue: deliveries became due (an update queued its posts, a failed one was retried): the outbox
 *   worker, where this process runs one, looks for them.
 * - notificationsDue: an update or a component change queued a notification for subscribers: the subscriber
 *   worker, where this process runs one, expands and sends it.
 * - maintenanceScheduleChanged: when a maintenance is due to start or complete may have moved: the
 *   maintenance clock, where this process runs one, re-arms its timer.
 * - monitorsChanged: a monitor was added, changed, paused, resumed or removed: the monitor scheduler, where
 *   this process runs one, reads the monitors again.
 * - certificateWarningsDue: a check run recorded a certificate warning: the notices, where this process
 *   sends them, mail it to the admins.
 */
const commitSignalNames = ['deliveriesDue', 'notificationsDue', 'maintenanceScheduleChanged', 'monitorsChanged', 'certificateWarningsDue'] as const
export type CommitSignal = typeof commitSignalNames[number]

/** The side a listener sees (the plugins that run the outbox worker and the maintenance clock). */
export interface CommitListeners {
  /**
   * Runs `listener` after every later commit that sends `signal`, until the returned function is called.
   * Listeners may subscribe at any time and in any order: the services hold this object from their
   * construction, so nothing is patched into them afterwards. A listener should only schedule its work
   * (a timer, setImmediate): it runs on the writer's call stack, after the commit.
   */
  subscribe: (signal: CommitSignal, listener: () => void) => () => void
}

export class CommitSignals implements CommitListeners {
  readonly #listeners = new Map<CommitSignal, Set<() => void>>(commitSignalNames.map((name) => [name, new Set()]))

  subscribe (signal: CommitSignal, listener: () => void): () => void {
    // An entry of its own, so that one function subscribed twice is called twice and unsubscribed once each.
    const entry = (): void => { listener() }
    const listeners = this.#listeners.get(signal) as Set<() => void>
    listeners.add(entry)
    return () => { listeners.delete(entry) }
  }

  /**
   * Called by write() once it has committed: runs every listener of each signal. One that throws does not
   * keep the others from running (which listener subscribed first must not matter); the first error is
   * thrown after all of them ran.
   */
  emit (signals: Iterable<CommitSignal>): void {
    const errors: unknown[] = []
    for (const signal of signals) {
      for (const listener of [...this.#listeners.get(signal) as Set<() => void>]) {
        try {
          listener()
        } catch (error) {
          errors.push(error)
        }
      }
    }
    if (errors.length > 0) throw errors[0]
  }
}
