// View models of the subscription pages: the subscribe form (kinds, components by group), the manage page, and masked addresses.
import type { Component } from '../domain/model.js'
import { type Subscriber, type SubscriberKind, subscriberKindLabels, subscriberStates } from '../domain/subscribers.js'
import { asSentence } from './format.js'

/** What a visitor typed and chose, as the form sends it back after a refusal. */
export interface SubscribeValues {
  kind: SubscriberKind
  email: string
  url: string
  contactEmail: string
  /** 'all': every component (the default); 'some': the ones in `components`. */
  scope: 'all' | 'some'
  components: number[]
}

export type SubscribeErrors = Partial<Record<'kind' | 'email' | 'url' | 'contactEmail' | 'components' | 'form', string>>

export interface KindOption {
  value: SubscriberKind
  label: string
  checked: boolean
  /** What the URL field wants for this kind, shown as its hint. */
  hint: string
}

export interface ComponentChoice {
  id: number
  name: string
  checked: boolean
}

/** One fieldset of the component choice: a group (its name the legend), or the components in no group. */
export interface ComponentFieldset {
  legend: string
  components: ComponentChoice[]
}

const urlHints: Record<SubscriberKind, string> = {
  email: '',
  webhook: 'An https address that accepts a POST of JSON, as Statuspage sends it, signed with X-Herald-Signature.',
  slack: 'A Slack incoming webhook (https://hooks.slack.com/services/…).',
  discord: 'A Discord channel webhook (https://discord.com/api/webhooks/…).',
  teams: 'A Microsoft Teams Workflows webhook that posts Adaptive Cards.'
}

export const defaultSubscribeValues = (kinds: readonly SubscriberKind[]): SubscribeValues => ({
  kind: kinds[0] ?? 'webhook',
  email: '',
  url: '',
  contactEmail: '',
  scope: 'all',
  components: []
})

/**
 * The components by group, in page order: one fieldset per group (its name as the legend, so a screen
 * reader says "Microsoft Teams, Sign-in"), and the components in no group in a fieldset of their own.
 */
export function componentFieldsets (components: readonly Component[], chosen: readonly number[]): ComponentFieldset[] {
  const picked = new Set(chosen)
  const sets: ComponentFieldset[] = []
  const byGroup = new Map<string, ComponentFieldset>()
  let ungrouped: ComponentFieldset | undefined
  for (const component of components) {
    const choice = { id: component.id, name: component.name, checked: picked.has(component.id) }
    if (component.groupName === null) {
      if (ungrouped === undefined) {
        ungrouped = { legend: 'Other components', components: [] }
        sets.push(ungrouped)
      }
      ungrouped.components.push(choice)
      continue
    }
    let set = byGroup.get(component.groupName)
    if (set === undefined) {
      set = { legend: component.groupName, components: [] }
      byGroup.set(component.groupName, set)
      sets.push(set)
    }
    set.components.push(choice)
  }
  // With no group at all, "Other components" would be a strange name for the only list.
  if (sets.length === 1 && ungrouped !== undefined) ungrouped.legend = 'Components'
  return sets
}

export interface SubscribeFormView {
  kinds: KindOption[]
  /** Email is offered (SMTP is configured). */
  emailOn: boolean
  /** A kind that takes a URL is offered. */
  urlOn: boolean
  values: SubscribeValues
  errors: SubscribeErrors
  allComponents: boolean
  fieldsets: ComponentFieldset[]
}

export function subscribeFormView (input: { kinds: readonly SubscriberKind[], components: readonly Component[], values: SubscribeValues, errors: SubscribeErrors }): SubscribeFormView {
  const { kinds, values } = input
  return {
    kinds: kinds.map((kind) => ({ value: kind, label: subscriberKindLabels[kind], checked: kind === values.kind, hint: urlHints[kind] })),
    emailOn: kinds.includes('email'),
    urlOn: kinds.some((kind) => kind !== 'email'),
    values,
    errors: Object.fromEntries(Object.entries(input.errors).map(([field, reason]) => [field, asSentence(reason)])),
    allComponents: values.scope === 'all',
    fieldsets: componentFieldsets(input.components, values.components)
  }
}

/**
 * An address as the manage page shows it: the first character of the local part and the domain
 * (`j***@example.com`). The page is reached by a link anyone holding it can open (a forwarded mail),
 * which should not give away the whole address.
 */
export function maskEmail (address: string): string {
  const at = address.lastIndexOf('@')
  if (at <= 0) return '***'
  return `${[...address.slice(0, at)][0] ?? ''}***${address.slice(at)}`
}

/**
 * A URL as the manage page shows it: its origin only. Its path often holds the receiver's own secret
 * (Slack's and Discord's webhooks are addressed by one), which the page must not show to whoever holds the link.
 */
export function maskUrl (url: string): string {
  try {
    return `${new URL(url).origin}/…`
  } catch {
    return '…'
  }
}

export function maskedTarget (subscriber: Pick<Subscriber, 'kind' | 'target'>): string {
  return subscriber.kind === 'email' ? maskEmail(subscriber.target) : maskUrl(subscriber.target)
}

export interface ManageView {
  kindLabel: string
  target: string
  allComponents: boolean
  fieldsets: ComponentFieldset[]
  /** The names of the components it gets, for the sentence above the form. */
  componentNames: string[]
  state: string
}

const stateWords: Record<typeof subscriberStates[number], string> = {
  unconfirmed: 'waiting for confirmation',
  active: 'active',
  quarantined: 'paused: deliveries kept failing (the site’s admin can resume them)',
  bounced: 'paused: the mail server refused the address'
}

export function manageView (subscriber: Subscriber, components: readonly Component[], chosen: readonly number[] = subscriber.componentIds): ManageView {
  const picked = new Set(chosen)
  return {
    kindLabel: subscriberKindLabels[subscriber.kind],
    target: maskedTarget(subscriber),
    allComponents: subscriber.allComponents,
    fieldsets: componentFieldsets(components, chosen),
    componentNames: components.filter((component) => picked.has(component.id)).map((component) => component.name),
    state: stateWords[subscriber.state]
  }
}
