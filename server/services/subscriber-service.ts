// The write paths of subscribers: subscribe, confirm, manage and leave by link; the admin's add, import, export, removal and re-enabling.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { checkEmailAddress, checkSubscriberUrl, targetKey } from '../domain/subscriber-targets.js'
import type { Subscriber, SubscriberKind, SubscriberLinks, SubscriberSource, SubscriberState, UrlSubscriberKind } from '../domain/subscribers.js'
import { dayMs } from '../domain/time.js'
import type { SubscriberCounts, SubscriberFilter, SubscriberPage } from '../store/subscribers-store.js'
import { type ServiceContext, nowIso, read, write } from './context.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'

// Subscribers show nowhere on the public pages, feeds or /api/v2: their writes leave the public caches as they are.
const subscribersOnly = { public: false } as const

/** Days an unconfirmed email subscription (and its confirmation link) lasts. */
export const unconfirmedDays = 7

/** The most addresses one import takes. */
export const maxImportLines = 100_000

/** The most components one subscriber may choose: more than a page shows, less than a request can make costly. */
export const maxChosenComponents = 1000

/** The settings row that keeps the key of the manage and unsubscribe links. */
const linkKeySetting = 'subscriber_link_key'

// What links point at when the services are built without PUBLIC_URL (the tests): the embedded default.
const defaultPublicUrl = 'http://127.0.0.1:3000'

export interface SubscribeInput {
  kind: SubscriberKind
  /** The email address or the URL, as typed. */
  target: string
  /** Webhooks and chats: who is told when deliveries fail for good. */
  contactEmail?: string | null | undefined
  /** 'all': every component (and incidents that name none); else the ids of the chosen ones. */
  components: readonly number[] | 'all'
  source: SubscriberSource
  /**
   * Webhooks: the secret its test delivery was signed with (made by newSigningSecret before the test), so that
   * the secret shown is the one that verified it; a new one when absent.
   */
  signingSecret?: string | undefined
}

export type SubscribeResult =
  /** An email address to confirm: mail `confirmToken` (shown once, only its hash is kept) to it. */
  | { outcome: 'confirm', subscriber: Subscriber, confirmToken: string }
  /** An address that is already active or bounced: nothing changed (the visitor is told the same as for 'confirm'). */
  | { outcome: 'already', subscriber: Subscriber }
  /** A webhook or chat, active at once; `signingSecret` (webhooks) is shown once. */
  | { outcome: 'subscribed', subscriber: Subscriber, signingSecret: string | null }

export interface AddResult {
  subscriber: Subscriber
  /** An email address added unconfirmed: the token of the confirmation mail to send. */
  confirmToken: string | null
  /** A webhook: its signing secret, shown once. */
  signingSecret: string | null
}

export interface ImportResult {
  added: number
  /** Addresses already subscribed (or given twice): left as they were. */
  existing: number
  /** Lines not taken, numbered from 1, with why. */
  refused: Array<{ line: number, reason: string }>
  /** Without skipConfirmation: the confirmation mail to send to each address added. */
  confirmations: Array<{ subscriber: Subscriber, confirmToken: string }>
}

/** A subscriber as exported (CSV): no secret. */
export interface SubscriberExportRow {
  id: number
  kind: SubscriberKind
  target: string
  contact_email: string
  state: SubscriberState
  /** `all`, or the component ids separated by spaces. */
  components: string
  source: SubscriberSource
  created_at: string
  confirmed_at: string
  last_delivery_at: string
  last_error: string
}

export interface ListFilter extends SubscriberFilter {
  limit?: number | undefined
  offset?: number | undefined
}

function sha256 (text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

function randomToken (): string {
  return randomBytes(32).toString('base64url')
}

/** A webhook's signing secret: recognizable in a config file, 256 random bits. */
export function newSigningSecret (): string {
  return `whsec_${randomToken()}`
}

// A link token: the id, a dot, and 43 base64url characters (a SHA-256 HMAC).
const linkTokenPattern = /^([1-9][0-9]{0,14})\.([A-Za-z0-9_-]{43})$/
// A signing secret as newSigningSecret makes it.
const signingSecretPattern = /^whsec_[A-Za-z0-9_-]{43}$/
// A confirmation token: 43 base64url characters (32 bytes).
const confirmTokenPattern = /^[A-Za-z0-9_-]{43}$/

/** What the audit log keeps of a target: an address whole, a URL only its origin (chat webhook URLs are secrets). */
function auditedTarget (kind: SubscriberKind, target: string): string {
  return kind === 'email' ? target : new URL(target).origin
}

export class SubscriberService {
  readonly #context: ServiceContext
  #linkKey: Buffer | undefined

  constructor (context: ServiceContext) {
    this.#context = context
  }

  // ---- Visitors ----

  /**
   * A visitor subscribes. Email: a new or still-unconfirmed address gets a new confirmation token (the old
   * one stops working) and the components asked for; an active or bounced one is left as it is. A URL
   * (called once its test delivery answered 2xx): active at once; subscribing it again gives it a new
   * secret, the new components and contact, and brings a quarantined one back.
   */
  subscribe (input: SubscribeInput): SubscribeResult {
    const context = this.#context
    const at = nowIso(context)
    return write(context, () => {
      const componentIds = this.#checkedComponents(input.components)
      if (input.kind === 'email') {
        const target = this.#checkedTarget('email', input.target)
        const existing = context.stores.subscribers.byTargetKey('email', targetKey('email', target))
        if (existing !== undefined && existing.state !== 'unconfirmed') return { outcome: 'already', subscriber: existing }
        const { subscriber, confirmToken } = existing === undefined
          ? this.#insertEmail(target, input.source, componentIds, false, at)
          : this.#renewConfirmation(existing, componentIds, at)
        return { outcome: 'confirm', subscriber, confirmToken: confirmToken as string }
      }
      const { subscriber, signingSecret } = this.#upsertUrl(input.kind, input.target, input.contactEmail, input.source, componentIds, at, 'renew', input.signingSecret)
      return { outcome: 'subscribed', subscriber, signingSecret }
    }, subscribersOnly)
  }

  /** The subscriber a confirmation token would confirm, for the page with the confirm button; changes nothing. */
  confirmationFor (token: string): Subscriber {
    return read(this.#context, () => this.#byConfirmToken(token))
  }

  /** Confirms an email subscription (a POST): the token is used up. NotFoundError for an unknown, used or expired token. */
  confirm (token: string): Subscriber {
    const context = this.#context
    const at = nowIso(context)
    return write(context, () => {
      const subscriber = this.#byConfirmToken(token)
      context.stores.subscribers.confirm(subscriber.id, at)
      return context.stores.subscribers.get(subscriber.id) as Subscriber
    }, subscribersOnly)
  }

  /** The subscriber a manage or unsubscribe link names; NotFoundError when the link is not (or no longer) valid. */
  byLinkToken (token: string): Subscriber {
    // The key first: made on first use, it is a write, which a read's snapshot should not upgrade into.
    this.#key()
    const subscriber = read(this.#context, () => this.#byLinkToken(token))
    if (subscriber === null) throw new NotFoundError('this subscription link is not valid: the subscription may have ended')
    return subscriber
  }

  /** From the manage page: the components the subscriber gets. */
  setComponents (linkToken: string, components: readonly number[] | 'all'): Subscriber {
    const context = this.#context
    const at = nowIso(context)
    return write(context, () => {
      const subscriber = this.#byLinkToken(linkToken)
      if (subscriber === null) throw new NotFoundError('this subscription link is not valid: the subscription may have ended')
      context.stores.subscribers.setComponents(subscriber.id, this.#checkedComponents(components), at)
      return context.stores.subscribers.get(subscriber.id) as Subscriber
    }, subscribersOnly)
  }

  /**
   * Ends a subscription by its link (RFC 8058 one-click included): true when it ended now, false when it
   * had ended already (a second click, a mail client's retry), so the answer can be the same. NotFoundError
   * for a link that is not one, or whose signature does not match its subscriber.
   */
  unsubscribe (linkToken: string): boolean {
    const context = this.#context
    return write(context, () => {
      const match = linkTokenPattern.exec(linkToken)
      if (match === null) throw new NotFoundError('this unsubscribe link is not valid')
      const subscriber = context.stores.subscribers.get(Number(match[1]))
      // Gone already: nothing left to compare the signature with, and nothing to do.
      if (subscriber === undefined) return false
      if (!this.#signatureMatches(subscriber, match[2] as string)) throw new NotFoundError('this unsubscribe link is not valid')
      return context.stores.subscribers.remove(subscriber.id)
    }, subscribersOnly)
  }

  /** A subscriber's manage and unsubscribe links (in every message). */
  links (subscriber: Pick<Subscriber, 'id' | 'linkVersion'>): SubscriberLinks {
    const token = `${subscriber.id}.${this.#signature(subscriber)}`
    const base = this.#context.publicUrl ?? defaultPublicUrl
    return { manage: `${base}/subscriptions/${token}`, unsubscribe: `${base}/subscriptions/unsubscribe/${token}` }
  }

  // ---- Admin ----

  get (id: number): Subscriber {
    const subscriber = read(this.#context, () => this.#context.stores.subscribers.get(id))
    if (subscriber === undefined) throw new NotFoundError(`no subscriber with id ${id}`)
    return subscriber
  }

  /** One page of subscribers, newest first (50 unless said), filtered by kind and state. */
  list (filter: ListFilter = {}): SubscriberPage {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500)
    const offset = Math.max(filter.offset ?? 0, 0)
    return read(this.#context, () => this.#context.stores.subscribers.list({ kind: filter.kind, state: filter.state }, limit, offset))
  }

  /** How many subscribers of each kind are in each state (the dashboard). */
  counts (): SubscriberCounts {
    return read(this.#context, () => this.#context.stores.subscribers.counts())
  }

  /**
   * An admin adds one subscriber: an address unconfirmed (its confirmation mail to send) unless
   * `skipConfirmation`; a URL active. ConflictError for one already subscribed.
   */
  add (actor: string, input: Omit<SubscribeInput, 'source'>, options: { skipConfirmation: boolean }): AddResult {
    const context = this.#context
    const at = nowIso(context)
    return write(context, () => {
      const componentIds = this.#checkedComponents(input.components)
      let result: AddResult
      if (input.kind === 'email') {
        const target = this.#checkedTarget('email', input.target)
        if (context.stores.subscribers.byTargetKey('email', targetKey('email', target)) !== undefined) {
          throw new ConflictError(`${target} is already subscribed`, { field: 'email' })
        }
        const { subscriber, confirmToken } = this.#insertEmail(target, 'admin', componentIds, options.skipConfirmation, at)
        result = { subscriber, confirmToken, signingSecret: null }
      } else {
        const { subscriber, signingSecret } = this.#upsertUrl(input.kind, input.target, input.contactEmail, 'admin', componentIds, at, 'refuse', input.signingSecret)
        result = { subscriber, confirmToken: null, signingSecret }
      }
      const { subscriber } = result
      context.stores.audit.record({
        at,
        actor,
        action: 'subscriber.add',
        incidentId: null,
        detail: { id: subscriber.id, kind: subscriber.kind, target: auditedTarget(subscriber.kind, subscriber.target), state: subscriber.state, skipConfirmation: options.skipConfirmation }
      })
      return result
    }, subscribersOnly)
  }

  /**
   * Imports email addresses in one write: every valid new address is added (unconfirmed, or active with
   * `skipConfirmation`), or none is; addresses already there are left as they are; invalid lines are
   * reported and not stored. Blank lines are skipped.
   */
  importEmails (actor: string, addresses: readonly string[], options: { skipConfirmation: boolean, components: readonly number[] | 'all' }): ImportResult {
    const context = this.#context
    const at = nowIso(context)
    if (addresses.length > maxImportLines) throw new InvalidInputError(`an import takes at most ${maxImportLines} addresses`, { field: 'file' })
    return write(context, () => {
      const componentIds = this.#checkedComponents(options.components)
      const result: ImportResult = { added: 0, existing: 0, refused: [], confirmations: [] }
      const seen = new Set<string>()
      addresses.forEach((text, index) => {
        if (text.trim() === '') return
        const checked = checkEmailAddress(text)
        if (!checked.ok) {
          result.refused.push({ line: index + 1, reason: checked.reason })
          return
        }
        const key = targetKey('email', checked.value)
        if (seen.has(key) || context.stores.subscribers.byTargetKey('email', key) !== undefined) {
          result.existing++
          return
        }
        seen.add(key)
        const { subscriber, confirmToken } = this.#insertEmail(checked.value, 'import', componentIds, options.skipConfirmation, at)
        result.added++
        if (confirmToken !== null) result.confirmations.push({ subscriber, confirmToken })
      })
      context.stores.audit.record({
        at,
        actor,
        action: 'subscriber.import',
        incidentId: null,
        detail: { added: result.added, existing: result.existing, refused: result.refused.length, skipConfirmation: options.skipConfirmation }
      })
      return result
    }, subscribersOnly)
  }

  /** Every subscriber as a row of the export, oldest first; signing secrets and tokens are never exported. */
  exportRows (): SubscriberExportRow[] {
    return read(this.#context, () => this.#context.stores.subscribers.all()).map((subscriber) => ({
      id: subscriber.id,
      kind: subscriber.kind,
      target: subscriber.target,
      contact_email: subscriber.contactEmail ?? '',
      state: subscriber.state,
      components: subscriber.allComponents ? 'all' : subscriber.componentIds.join(' '),
      source: subscriber.source,
      created_at: subscriber.createdAt,
      confirmed_at: subscriber.confirmedAt ?? '',
      last_delivery_at: subscriber.lastDeliveryAt ?? '',
      last_error: subscriber.lastError ?? ''
    }))
  }

  /** An admin removes a subscriber (its pending deliveries go with it). */
  remove (actor: string, id: number): Subscriber {
    const context = this.#context
    const at = nowIso(context)
    return write(context, () => {
      const subscriber = context.stores.subscribers.get(id)
      if (subscriber === undefined) throw new NotFoundError(`no subscriber with id ${id}`)
      context.stores.subscribers.remove(id)
      context.stores.audit.record({ at, actor, action: 'subscriber.remove', incidentId: null, detail: { id, kind: subscriber.kind, target: auditedTarget(subscriber.kind, subscriber.target) } })
      return subscriber
    }, subscribersOnly)
  }

  /** An admin sends to a quarantined webhook or a bounced address again. ConflictError for any other state. */
  reenable (actor: string, id: number): Subscriber {
    const context = this.#context
    const at = nowIso(context)
    return write(context, () => {
      const subscriber = context.stores.subscribers.get(id)
      if (subscriber === undefined) throw new NotFoundError(`no subscriber with id ${id}`)
      if (!context.stores.subscribers.reenable(id, at)) {
        throw new ConflictError(`subscriber ${id} is ${subscriber.state}: only a quarantined or bounced one can be re-enabled`, { field: 'state' })
      }
      context.stores.audit.record({ at, actor, action: 'subscriber.reenable', incidentId: null, detail: { id, kind: subscriber.kind, target: auditedTarget(subscriber.kind, subscriber.target), from: subscriber.state } })
      return context.stores.subscribers.get(id) as Subscriber
    }, subscribersOnly)
  }

  /**
   * Forgets unconfirmed subscriptions older than their 7 days; returns how many. Bookkeeping the public
   * pages do not show, so it goes straight to the store (no content version), as the outbox worker's does.
   */
  pruneUnconfirmed (): number {
    return this.#context.stores.subscribers.pruneUnconfirmed(nowIso(this.#context))
  }

  // ---- Inside ----

  #checkedTarget (kind: SubscriberKind, text: string): string {
    const checked = kind === 'email'
      ? checkEmailAddress(text)
      : checkSubscriberUrl(kind, text, { allowHttp: this.#context.allowHttpUrls ?? false })
    if (!checked.ok) throw new InvalidInputError(checked.reason, { field: kind === 'email' ? 'email' : 'url' })
    return checked.value
  }

  #checkedContact (text: string | null | undefined): string | null {
    if (text === undefined || text === null || text.trim() === '') return null
    const checked = checkEmailAddress(text)
    if (!checked.ok) throw new InvalidInputError(`contact email: ${checked.reason}`, { field: 'contact_email' })
    return checked.value
  }

  /** null for every component; else the ids, each of a component that exists, without repeats. */
  #checkedComponents (components: readonly number[] | 'all'): number[] | null {
    if (components === 'all') return null
    if (components.length === 0) throw new InvalidInputError('choose at least one component, or all components', { field: 'components' })
    const ids = [...new Set(components)]
    if (ids.length > maxChosenComponents) throw new InvalidInputError(`choose at most ${maxChosenComponents} components`, { field: 'components' })
    for (const id of ids) {
      if (!Number.isSafeInteger(id) || this.#context.stores.components.get(id) === undefined) {
        throw new InvalidInputError(`components: no component with id ${String(id)}`, { field: 'components' })
      }
    }
    return ids.sort((a, b) => a - b)
  }

  /** Inside a write: a new address, unconfirmed with a fresh token, or active when confirmation is skipped. */
  #insertEmail (target: string, source: SubscriberSource, componentIds: number[] | null, skipConfirmation: boolean, at: string): { subscriber: Subscriber, confirmToken: string | null } {
    const { subscribers } = this.#context.stores
    const confirmToken = skipConfirmation ? null : randomToken()
    const id = subscribers.insert({
      kind: 'email',
      target,
      targetKey: targetKey('email', target),
      contactEmail: null,
      state: skipConfirmation ? 'active' : 'unconfirmed',
      source,
      signingSecret: null,
      confirmTokenHash: confirmToken === null ? null : sha256(confirmToken),
      confirmExpiresAt: confirmToken === null ? null : this.#confirmExpiry(at),
      componentIds,
      at
    })
    return { subscriber: subscribers.get(id) as Subscriber, confirmToken }
  }

  /** Inside a write: an unconfirmed address asked again: a new token (the old one stops working), the new components. */
  #renewConfirmation (subscriber: Subscriber, componentIds: number[] | null, at: string): { subscriber: Subscriber, confirmToken: string } {
    const { subscribers } = this.#context.stores
    const confirmToken = randomToken()
    subscribers.replaceConfirmToken(subscriber.id, sha256(confirmToken), this.#confirmExpiry(at), at)
    subscribers.setComponents(subscriber.id, componentIds, at)
    return { subscriber: subscribers.get(subscriber.id) as Subscriber, confirmToken }
  }

  /**
   * Inside a write: a webhook or chat URL, active, with a new signing secret for a webhook. One already
   * there is renewed (its secret, components and contact; quarantined back to active), or refused.
   */
  #upsertUrl (kind: UrlSubscriberKind, text: string, contact: string | null | undefined, source: SubscriberSource, componentIds: number[] | null, at: string, existingIs: 'renew' | 'refuse', givenSecret?: string): { subscriber: Subscriber, signingSecret: string | null } {
    const { subscribers } = this.#context.stores
    const target = this.#checkedTarget(kind, text)
    const contactEmail = this.#checkedContact(contact)
    if (givenSecret !== undefined && (kind !== 'webhook' || !signingSecretPattern.test(givenSecret))) throw new InvalidInputError('a signing secret is made by Herald, for a webhook', { field: 'signing_secret' })
    const signingSecret = kind === 'webhook' ? givenSecret ?? newSigningSecret() : null
    const existing = subscribers.byTargetKey(kind, targetKey(kind, target))
    if (existing === undefined) {
      const id = subscribers.insert({ kind, target, targetKey: targetKey(kind, target), contactEmail, state: 'active', source, signingSecret, confirmTokenHash: null, confirmExpiresAt: null, componentIds, at })
      return { subscriber: subscribers.get(id) as Subscriber, signingSecret }
    }
    if (existingIs === 'refuse') throw new ConflictError('this URL is already subscribed', { field: 'url' })
    subscribers.setSigningSecret(existing.id, signingSecret, at)
    subscribers.setComponents(existing.id, componentIds, at)
    subscribers.setContactEmail(existing.id, contactEmail, at)
    // Its test delivery has just answered 2xx: whatever kept it from being sent to is over.
    subscribers.reenable(existing.id, at)
    return { subscriber: subscribers.get(existing.id) as Subscriber, signingSecret }
  }

  #confirmExpiry (at: string): string {
    return new Date(Date.parse(at) + unconfirmedDays * dayMs).toISOString()
  }

  /** The unconfirmed subscriber whose token this is and has not expired; NotFoundError otherwise. */
  #byConfirmToken (token: string): Subscriber {
    const found = confirmTokenPattern.test(token) ? this.#context.stores.subscribers.byConfirmTokenHash(sha256(token)) : undefined
    const now = nowIso(this.#context)
    if (found === undefined || found.subscriber.state !== 'unconfirmed' || found.expiresAt === null || found.expiresAt <= now) {
      throw new NotFoundError('this confirmation link is not valid: it may have expired (after 7 days) or been used already')
    }
    return found.subscriber
  }

  /** The subscriber a valid link token names, or null. */
  #byLinkToken (token: string): Subscriber | null {
    const match = linkTokenPattern.exec(token)
    if (match === null) return null
    const subscriber = this.#context.stores.subscribers.get(Number(match[1]))
    if (subscriber === undefined || !this.#signatureMatches(subscriber, match[2] as string)) return null
    return subscriber
  }

  #signatureMatches (subscriber: Pick<Subscriber, 'id' | 'linkVersion'>, given: string): boolean {
    const expected = Buffer.from(this.#signature(subscriber))
    const actual = Buffer.from(given)
    return actual.length === expected.length && timingSafeEqual(actual, expected)
  }

  /** HMAC-SHA256 over the id and link version, with the install's link key: nothing about a link is stored. */
  #signature (subscriber: Pick<Subscriber, 'id' | 'linkVersion'>): string {
    return createHmac('sha256', this.#key()).update(`${subscriber.id}:${subscriber.linkVersion}`).digest('base64url')
  }

  /** The 256-bit key of the links, created on first use and kept in the settings (two processes agree on one). */
  #key (): Buffer {
    this.#linkKey ??= Buffer.from(this.#context.stores.settings.getOrCreate(linkKeySetting, randomToken), 'base64url')
    return this.#linkKey
  }
}
