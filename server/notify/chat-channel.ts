// The chat channels (Slack, Discord, Microsoft Teams): each incident or maintenance update POSTed to the chat's incoming webhook in its own format.
import { type ChatKind, chatKinds, chatMessage } from './chat-messages.js'
import { UrlChannel } from './http-outcome.js'
import type { SendOutcome, SubscriberChannel, SubscriberMessage } from './subscriber-channel.js'

export function isChatKind (kind: string): kind is ChatKind {
  return (chatKinds as readonly string[]).includes(kind)
}

export class ChatChannel extends UrlChannel implements SubscriberChannel {
  readonly kinds = chatKinds

  async send (message: SubscriberMessage, signal: AbortSignal): Promise<SendOutcome> {
    const { kind, target } = message.subscriber
    // Chats tell people of updates; component changes go to webhooks only (eventKinds), so this is never reached by the worker.
    if (!isChatKind(kind) || message.facts.incident === null) {
      return { outcome: 'failed', error: `a ${kind} subscription gets incident and maintenance updates only`, bounced: false }
    }
    // Slack answers 200 "ok", Discord 204, a Teams workflow 202: any 2xx is delivered.
    return await this.post({
      url: target,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatMessage(kind, message.facts, message.links)),
      signal
    })
  }
}
