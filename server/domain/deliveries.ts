// Deliveries: one attempt-tracked send of an update (or a postmortem) to one channel, as the outbox keeps it.
import type { ChannelName } from './post-text.js'

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped'

export interface Delivery {
  id: number
  /** null: the post of the incident's postmortem. */
  updateId: number | null
  incidentId: number
  channel: ChannelName
  state: DeliveryState
  /** The post's text, fixed when the update (or the postmortem's publication) was committed. */
  text: string
  /** The update's (or the postmortem's) link inside the text. */
  link: string
  idempotencyKey: string
  /** The remote post this one answers (null: it starts a thread). */
  replyToId: string | null
  attempts: number
  /** An earlier attempt may have reached the channel without Herald learning the outcome. */
  uncertain: boolean
  /** pending: not before this time; sending: when the claim of the attempt in flight lapses. */
  nextAttemptAt: string | null
  remoteId: string | null
  remoteUrl: string | null
  /** Why it failed, or why it will be tried again; also a note on a post sent without an id. */
  lastError: string | null
  createdAt: string
  updatedAt: string
  sentAt: string | null
}

/** A post a channel took: its id and address there (null when they could not be learned), and a note on it (redacted). */
export interface SentPost {
  remoteId: string | null
  remoteUrl: string | null
  note: string | null
}
