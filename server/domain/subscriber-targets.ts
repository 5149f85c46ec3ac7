// Where a subscriber's messages go: the rules an email address and a webhook or chat URL must meet, and how targets are compared.
import { domainToASCII } from 'node:url'
import type { SubscriberKind, UrlSubscriberKind } from './subscribers.js'

export type TargetCheck = { ok: true, value: string } | { ok: false, reason: string }

/** RFC 5321's limits: a whole path of 256 octets less the angle brackets, a local part of 64. */
export const maxEmailLength = 254
export const maxLocalPartLength = 64
export const maxUrlLength = 2048

// Characters that never belong in an address or a URL someone pastes: C0 and C1 controls (CR and LF
// among them, the header injection), DEL, lone surrogates, and the invisible format characters (bidi
// overrides and isolates, zero-width joiners, the byte-order mark) that make a target look like another.
const invisible = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u
const whiteSpace = /\s/u

// The dot-atom of RFC 5322 (what every mail server takes): letters, digits and !#$%&'*+/=?^_`{|}~- in
// atoms separated by single dots. Quoted local parts are legal but a trap for every mailer down the line.
const localPart = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/
// An ASCII domain name (IDN already converted to punycode): labels of letters, digits and inner hyphens, at least two.
const domainName = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const asciiOnly = /^[\u0020-\u007E]*$/

function refuse (reason: string): TargetCheck {
  return { ok: false, reason }
}

/**
 * An email address as stored: the local part as typed, the domain lower-cased and, for an internationalized
 * one, in its ASCII (punycode) form, or the reason it is refused. A local part of other letters than ASCII
 * (SMTPUTF8) is refused with its own message: few mail servers deliver to one.
 */
export function checkEmailAddress (text: string): TargetCheck {
  if (typeof text !== 'string' || text.trim() === '') return refuse('enter an email address')
  if (invisible.test(text)) return refuse('the email address contains a control or invisible character (a line break, a bidi override, a zero-width space)')
  const address = text.trim()
  if (whiteSpace.test(address)) return refuse('the email address must not contain spaces')
  if (address.length > maxEmailLength) return refuse(`the email address must be at most ${maxEmailLength} characters`)
  const at = address.lastIndexOf('@')
  if (at <= 0 || at === address.length - 1) return refuse('the email address must look like name@example.com')
  const local = address.slice(0, at)
  const domain = address.slice(at + 1)
  if (local.length > maxLocalPartLength) return refuse(`the part before @ must be at most ${maxLocalPartLength} characters`)
  if (!asciiOnly.test(local)) return refuse('the part before @ must be in ASCII letters: addresses with other letters before the @ are not supported')
  if (!localPart.test(local)) return refuse('the part before @ may hold letters, digits, dots (not two in a row, nor first or last) and !#$%&\'*+/=?^_`{|}~-')
  const ascii = domainToASCII(domain.toLowerCase())
  // An all-digit last label is an IP address (a@127.0.0.1), which no public mail domain is.
  if (ascii === '' || !domainName.test(ascii) || /\.[0-9]+$/.test(ascii)) return refuse('the part after @ must be a domain name such as example.com')
  const value = `${local}@${ascii}`
  // Punycode can make the whole longer than what was typed.
  if (value.length > maxEmailLength) return refuse(`the email address must be at most ${maxEmailLength} characters`)
  return { ok: true, value }
}

// Schemes someone may paste by mistake or malice, refused by name so the message says which.
const namedSchemes = new Set(['file:', 'javascript:', 'data:', 'vbscript:', 'ftp:', 'mailto:', 'blob:'])

/**
 * A webhook or chat incoming-webhook URL as stored (as the WHATWG parser normalizes it), or the reason it is
 * refused: https only (http when `allowHttp`), no user name or password, no fragment, at most 2048 characters.
 * Where it resolves to (a private address) is checked when connecting, not here.
 */
export function checkSubscriberUrl (kind: UrlSubscriberKind, text: string, options: { allowHttp: boolean }): TargetCheck {
  const what = kind === 'webhook' ? 'the webhook URL' : 'the incoming-webhook URL'
  if (typeof text !== 'string' || text.trim() === '') return refuse(`enter ${what}`)
  if (invisible.test(text)) return refuse(`${what} contains a control or invisible character (a line break, a bidi override, a zero-width space)`)
  const typed = text.trim()
  if (typed.length > maxUrlLength) return refuse(`${what} must be at most ${maxUrlLength} characters`)
  if (whiteSpace.test(typed)) return refuse(`${what} must not contain spaces`)
  let url: URL
  try {
    url = new URL(typed)
  } catch {
    return refuse(`${what} must be an absolute URL such as https://example.com/hooks/status`)
  }
  if (namedSchemes.has(url.protocol)) return refuse(`${what} must start with https://, not ${url.protocol}`)
  const allowed = options.allowHttp ? ['https:', 'http:'] : ['https:']
  if (!allowed.includes(url.protocol)) {
    return refuse(url.protocol === 'http:' ? `${what} must start with https:// (plain http is not allowed here)` : `${what} must start with https://, not ${url.protocol}`)
  }
  if (url.username !== '' || url.password !== '') return refuse(`${what} must not contain a user name or password`)
  if (url.hash !== '' || typed.includes('#')) return refuse(`${what} must not have a fragment (#...)`)
  if (url.href.length > maxUrlLength) return refuse(`${what} must be at most ${maxUrlLength} characters`)
  return { ok: true, value: url.href }
}

/** The target as compared: an address lower-cased whole (mailboxes are case-blind in practice), a URL as stored. */
export function targetKey (kind: SubscriberKind, target: string): string {
  return kind === 'email' ? target.toLowerCase() : target
}

/** Checks a target of any kind. */
export function checkTarget (kind: SubscriberKind, text: string, options: { allowHttp: boolean }): TargetCheck {
  return kind === 'email' ? checkEmailAddress(text) : checkSubscriberUrl(kind, text, options)
}
