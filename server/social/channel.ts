// What the outbox worker asks of a social channel: post one text, and say what became of it.
import type { ChannelName } from '../domain/post-text.js'

export interface PostRequest {
  text: string
  /** The update's link inside the text: finds the post again among the account's posts. */
  link: string
  /** The remote post to answer (null: a new thread). */
  replyToId: string | null
  /** The same for every attempt of one delivery. */
  idempotencyKey: string
  /** An earlier attempt may have posted it: a "duplicate" answer then means it is there already. */
  uncertain: boolean
}

export type PostOutcome =
  /** Posted (or found posted); the id is null when the post could not be identified. */
  | { outcome: 'sent', remoteId: string | null, remoteUrl: string | null, note: string | null }
  /** Worth another attempt; `maybePosted` when the request may have reached the channel. */
  | { outcome: 'retry', error: string, maybePosted: boolean, notBefore: Date | null }
  /** Will not work by trying again (credentials, a refused text). */
  | { outcome: 'failed', error: string }

export interface Channel {
  readonly name: ChannelName
  /**
   * Never throws: every failure is an outcome, its message free of credentials. `signal` aborts the
   * attempt when Herald shuts down; each request also has its own timeout.
   */
  post: (request: PostRequest, signal: AbortSignal) => Promise<PostOutcome>
  /** Lets go of kept-alive connections. */
  close: () => void
}

/** A short, single-line excerpt of what a channel answered, for an error message. */
export function excerpt (text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}

/** The reason an aborted request gives: a timeout, or Herald shutting down. */
export function abortReason (signal: AbortSignal, timeoutMs: number): string {
  return signal.aborted ? 'Herald was shutting down' : `no answer within ${timeoutMs} ms`
}
